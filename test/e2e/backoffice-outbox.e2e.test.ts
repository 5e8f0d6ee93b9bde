/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../../drivers/mail/smtp.ts';
import { openBackoffice, openSection, seedBackoffice } from './backoffice-support.ts';
import { freePort } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * "Send now" in the outbox, in Chromium against a real host whose mail server is down: the
 * confirmation mail waits for its next retry (the host's clock stands still, so it would wait for
 * ever); the mail server comes back; the supervisor presses "Send now" and the mail arrives.
 */

const START = Date.parse('2026-11-23T08:00:00+01:00');
const DAY = '2026-11-23';
const SOON = { timeout: 15_000 };

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let smtpPort: number;
let sink: MailSink | undefined;

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-outbox-e2e-'));
  await seedBackoffice(dir);
  smtpPort = await freePort();
  [host, browser] = await Promise.all([
    startHost(dir, 0, { FRONTA_FAKE_CLOCK: new Date(START).toISOString(), FRONTA_SMTP_URL: `smtp://127.0.0.1:${smtpPort}` }),
    launchBrowser(),
  ]);
  page = await openBackoffice(browser, host.url, 'boss');
}, 60_000);

afterAll(async () => {
  await sink?.close();
  await tearDown({ browser, host, dir });
});

describe('the outbox', () => {
  it('sends a waiting mail at once when a supervisor presses Send now', async () => {
    const slots = (await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days/${DAY}/slots`)).json()) as { slots: { id: string; free: number; startAt: number }[] };
    const slot = slots.slots.find((s) => s.free > 0 && s.startAt > START + 60 * 60_000)!;
    const hold = await post(host.url, '/api/v1/booking/holds', {}, { slotId: slot.id, name: 'Jana Nováková', email: 'jana@example.org', channel: 'email' });
    expect(hold.status, JSON.stringify(hold.json)).toBe(201);

    await openSection(page, 'outbox');
    const row = page.locator('tr[data-message]').first();
    const refresh = page.locator('main button', { hasText: 'Refresh' });
    await expect
      .poll(async () => {
        await refresh.click();
        return row.getByTestId('state').textContent();
      }, SOON)
      .toBe('waiting');
    await expect.poll(async () => (await refresh.click(), (await row.textContent()) ?? ''), SOON).toMatch(/ECONNREFUSED|connect|refused/i);
    expect(await page.textContent('[data-testid="outbox"]')).not.toContain('jana@example.org');

    sink = await startMailSink({ port: smtpPort });
    await row.getByRole('button', { name: /^Send the message of .* now$/ }).click();
    await expect.poll(() => page.textContent('main .status'), SOON).toBe('The message is being sent now.');
    await sink.next((m) => m.to.includes('jana@example.org'));
    await expect
      .poll(async () => {
        await refresh.click();
        return row.getByTestId('state').textContent();
      }, SOON)
      .toBe('sent');
    expect(await row.locator('button', { hasText: 'Send now' }).count()).toBe(0);
  });
});

/// <reference lib="dom" />
import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openBackoffice, openSection, screenshotSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, tearDown, type RunningHost, type Seeded } from './support.ts';

/**
 * An admin subscribes another system's endpoint in Chromium (a receiver on loopback: the demo
 * host allows loopback targets), copies the secret shown once, and sees the kiosk's next ticket
 * delivered, signed, in the deliveries list; a private address is refused beside the field, in
 * the page's language.
 */

const SOON = { timeout: 20_000 };
let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let seeded: Seeded;
let receiver: Server;
let secret = '';
const taken: { type: string; verified: boolean }[] = [];

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-webhooks-e2e-'));
  seeded = await seedBackoffice(dir);
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const sig = Object.fromEntries(String(req.headers['fronta-signature']).split(',').map((kv) => kv.split('=') as [string, string]));
      const mac = createHmac('sha256', secret).update(`${sig['t']}.${raw}`).digest();
      const given = Buffer.from(sig['v1'] ?? '', 'hex');
      taken.push({ type: (JSON.parse(raw) as { type: string }).type, verified: given.length === mac.length && timingSafeEqual(given, mac) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  page = await openBackoffice(browser, host.url, ADMIN);
}, 60_000);

afterAll(async () => {
  await tearDown({ browser, host, dir });
  await new Promise<void>((r) => receiver.close(() => r()));
});

describe('webhooks in the back office', () => {
  it('an admin subscribes an endpoint, keeps the secret shown once, and sees a ticket delivered, signed', async () => {
    await openSection(page, 'webhooks');
    await page.fill('#webhook-url', `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/fronta`);
    await page.getByLabel('Ticket issued').check();
    await page.getByRole('button', { name: 'Add webhook' }).click();
    secret = (await page.getByTestId('secret-value').textContent({ timeout: 10_000 })) ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'Done' }).click();
    expect(await page.getByTestId('secret').count()).toBe(0);
    expect(await page.textContent('[data-testid="webhooks"]')).not.toContain(secret);

    expect((await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${seeded.kioskToken}` }, { serviceId: 'id-cards' })).status).toBe(201);
    await expect.poll(() => taken.length, SOON).toBe(1);
    expect(taken[0]).toEqual({ type: 'ticket.issued', verified: true });
    const refresh = page.locator('main button', { hasText: 'Refresh' });
    await expect
      .poll(async () => {
        await refresh.click();
        return page.getByTestId('delivery-state').first().textContent();
      }, SOON)
      .toBe('delivered');
  });

  it('refuses a private address beside the field in Czech; screenshots in Czech and Chinese', async () => {
    const cs = await openBackoffice(browser, host.url, ADMIN, 'cs');
    await openSection(cs, 'webhooks');
    await cs.fill('#webhook-url', 'https://10.0.0.8/in');
    await cs.locator('#webhook-event-0').check();
    await cs.locator('form button[type="submit"]').click();
    await expect.poll(() => cs.textContent('#webhook-url-error'), SOON).toMatch(/soukrom/);
    await screenshotSection(cs, 'webhooks', 'cs');
    const zh = await openBackoffice(browser, host.url, ADMIN, 'zh-CN');
    await openSection(zh, 'webhooks');
    await screenshotSection(zh, 'webhooks', 'zh-CN');
  });
});

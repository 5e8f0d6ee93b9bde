/// <reference lib="dom" />
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe.ts';
import { ensurePagesBuilt, launchBrowser, login, PASSWORD, post, seedOffice, startHost, tearDown, type RunningHost, type Seeded } from './support.ts';

/**
 * A clerk calls a chosen ticket out of turn from the counter page with the keyboard only: `o`,
 * the ticket picked in the list, the reason typed, Enter (the dialog axe-clean). A supervisor
 * reads who did it and why.
 */
let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  ensurePagesBuilt();
  dir = mkdtempSync(join(tmpdir(), 'fronta-out-of-turn-e2e-'));
  seeded = await seedOffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('calling a chosen ticket out of turn at the counter', () => {
  it('keyboard only: o, the ticket, the reason, Enter; the supervisor reads who and why', async () => {
    const numbers: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${seeded.kioskToken}` }, { serviceId: 'cashier' });
      expect(r.status).toBe(201);
      numbers.push(r.json.ticket.number as string);
    }
    const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'cs-CZ' });
    const page = await ctx.newPage();
    await page.goto(`${host.url}/renderer/counter/`);
    await page.fill('#username', 'clerk1');
    await page.fill('#password', PASSWORD);
    await page.press('#password', 'Enter');
    await page.locator('.picker').waitFor();
    await page.keyboard.press('1');
    await page.waitForSelector('#act-o:not([disabled])');
    await page.keyboard.press('o');
    await page.locator('#call-chosen-ticket:focus').waitFor();
    await expectAccessible(page, 'call out of turn dialog');
    // The third ticket, chosen with the arrow keys; then the reason.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.locator('#call-chosen-ticket').evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? '')).toContain(numbers[2]);
    await page.keyboard.press('Tab');
    await page.keyboard.type('Klient na vozíku');
    await page.keyboard.press('Enter');
    await page.locator('dialog[open]').waitFor({ state: 'detached' });
    await expect.poll(() => page.locator('body').textContent(), { timeout: 5000 }).toContain(`${numbers[2]} vyvolán mimo pořadí`);

    const boss = { cookie: await login(host.url, 'boss') };
    const audit = (await (await fetch(`${host.url}/api/v1/offices/demo/out-of-order-calls`, { headers: boss })).json()) as { calls: { ticketNumber: string; username: string; reason: string }[] };
    expect(audit.calls).toEqual([expect.objectContaining({ ticketNumber: numbers[2], username: 'clerk1', reason: 'Klient na vozíku' })]);
    await ctx.close();
  });
});

/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * The counter page and the kiosks' printers in Chromium against `fronta serve` on a fresh data
 * folder (the demo office: two kiosks printing through their agents to virtual printers): the
 * page knows a printer's state on load, before any change; the clerk reprints the current ticket
 * on a kiosk (key K, listed in the shortcut help) and issues a reception ticket printed on the
 * kiosk of their choice — each arriving on that kiosk's virtual printer.
 */

interface DemoPrinter {
  deviceId: string;
  name: string;
  printed: { lines: string[]; qr: string[]; cut: boolean }[];
}

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let hall: DemoPrinter;
let corridor: DemoPrinter;
let clerkCookie: string;

const demoPrinters = async (): Promise<DemoPrinter[]> => ((await (await fetch(`${host.url}/demo/printers.json`)).json()) as { printers: DemoPrinter[] }).printers;
const printedOn = async (p: DemoPrinter): Promise<DemoPrinter['printed']> => (await demoPrinters()).find((x) => x.deviceId === p.deviceId)!.printed;

async function officePrinters(): Promise<{ deviceId: string; isPaperNearEnd: boolean; isOutOfOrder: boolean }[]> {
  const res = await fetch(`${host.url}/api/v1/offices/demo/printers`, { headers: { cookie: clerkCookie } });
  return ((await res.json()) as { printers: { deviceId: string; isPaperNearEnd: boolean; isOutOfOrder: boolean }[] }).printers;
}

async function until(ok: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-counter-print-e2e-'));
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  const printers = await demoPrinters();
  hall = printers.find((p) => p.name === 'Hall kiosk')!;
  corridor = printers.find((p) => p.name === 'Corridor kiosk')!;
  const { clerk } = readDemoCredentials(dir);
  const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(clerk) });
  clerkCookie = login.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;

  // The corridor printer runs low before the clerk opens the page: no event will tell the page.
  const res = await fetch(`${host.url}/demo/printers/${corridor.deviceId}/condition`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ isPaperNearEnd: true }),
  });
  expect(res.status).toBe(200);
  await until(async () => {
    const now = await officePrinters();
    return now.find((p) => p.deviceId === corridor.deviceId)?.isPaperNearEnd === true && now.every((p) => !p.isOutOfOrder);
  }, 15_000);

  page = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-GB' })).newPage();
  await page.goto(`${host.url}/renderer/counter/`);
  await page.fill('#username', clerk.username);
  await page.fill('#password', clerk.password);
  await page.click('form.login button');
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the counter page and the kiosks’ printers', () => {
  it('shows a kiosk printer’s state from the moment it opens, not only after the next change', async () => {
    const warnings = page.locator('.printer-warnings');
    await warnings.waitFor({ timeout: 10_000 });
    expect(await warnings.textContent()).toBe('Kiosk Corridor kiosk: paper running low.');
    // The counter picker too, and once at the counter.
    await page.keyboard.press('1');
    await page.waitForSelector('#act-n:not([disabled])');
    expect(await page.locator('.printer-warnings').textContent()).toContain('Corridor kiosk');
  });

  it('reprints the current client’s ticket on a kiosk with K (listed in the shortcut help), and it comes out of that kiosk’s printer', async () => {
    const issued = await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}` }, { serviceId: 'cashier' });
    expect(issued.status).toBe(201);
    const number: string = issued.json.ticket.number;
    await expect.poll(async () => (await printedOn(hall)).length).toBe(1);
    // No client yet: nothing to reprint.
    expect(await page.locator('#act-k').isDisabled()).toBe(true);

    await page.keyboard.press('?');
    const help = page.getByTestId('shortcut-help');
    await expect.poll(() => help.getAttribute('open')).not.toBeNull();
    const helpText = (await help.textContent())!;
    expect(helpText).toContain('KReprint ticket');
    expect(helpText).toContain('NCall next');

    await page.keyboard.press('n');
    await expect.poll(() => page.textContent('#current-number')).toBe(number);
    // Keys wait while the page is busy with the call: once its buttons are back, K is there.
    await page.waitForSelector('#act-k:not([disabled])');
    await page.keyboard.press('k');
    // Two kiosks can print: the clerk picks one (by its digit, like every list of the page).
    const dialog = page.locator('dialog');
    await dialog.waitFor();
    expect(await dialog.getByRole('heading').textContent()).toBe(`Print ${number} again on which kiosk?`);
    const choices = await dialog.locator('.choices button').allTextContents();
    expect(choices).toEqual(['Print at Hall kiosk1', 'Print at Corridor kiosk (paper low)2', 'CancelESC']);
    await page.screenshot({ path: join(SCREENSHOTS, 'counter-reprint-choice.png') });
    await page.keyboard.press('1');
    await expect.poll(() => page.textContent('#message'), { timeout: 10_000 }).toBe(`Ticket ${number} printed again at Hall kiosk.`);

    const printed = await printedOn(hall);
    expect(printed).toHaveLength(2);
    expect(printed[0]!.lines).toContain(number);
    expect(printed[0]!.cut).toBe(true);
    expect(printed[0]!.qr).toEqual(printed[1]!.qr);
    expect(await printedOn(corridor)).toHaveLength(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'counter-reprinted.png'), fullPage: true });
    const preview = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await preview.goto(`${host.url}/demo/printers`);
    await preview.screenshot({ path: join(SCREENSHOTS, 'demo-printers-reprint.png') });
    await preview.close();
  });

  it('issues a reception ticket printed on the kiosk the clerk chooses', async () => {
    await page.keyboard.press('i');
    await page.locator('dialog').waitFor();
    await page.locator('dialog button', { hasText: 'Cashier' }).click();
    const where = page.locator('dialog');
    await expect.poll(() => where.getByRole('heading').textContent()).toBe('Ticket for Cashier: where?');
    expect(await where.locator('.choices button').allTextContents()).toEqual([
      'Show on screen (write it down)1',
      'Print at Hall kiosk2',
      'Print at Corridor kiosk (paper low)3',
      'CancelESC',
    ]);
    await page.screenshot({ path: join(SCREENSHOTS, 'counter-reception-where.png') });
    await page.keyboard.press('3');
    await expect.poll(() => page.textContent('#message'), { timeout: 10_000 }).toMatch(/^Ticket P\d{3} for Cashier printed at Corridor kiosk: the client takes it there \(\d+ ahead\)\.$/);
    const number = /Ticket (P\d{3})/.exec((await page.textContent('#message'))!)![1]!;
    const printed = await printedOn(corridor);
    expect(printed).toHaveLength(1);
    expect(printed[0]!.lines).toContain(number);
    // Printed in the office's language, whatever the clerk's page speaks.
    expect(printed[0]!.lines.join('\n')).toContain('Pokladna');
    expect(await printedOn(hall)).toHaveLength(2);
    // In the queue like any walk-in.
    await expect.poll(() => page.locator(`[data-testid="waiting-list"] li[data-ticket="${number}"]`).count()).toBe(1);
  });
});

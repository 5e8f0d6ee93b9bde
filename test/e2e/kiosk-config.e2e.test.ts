import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { ensurePagesBuilt, launchBrowser, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * An open kiosk page follows the office's configuration without a reload: the demo host
 * (`fronta serve --demo`) and the kiosk in Chromium; the admin changes the office over the API and
 * the page shows a new service, a renamed service and a day closed within a second of the answer.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let cookie: string;

async function send(method: string, path: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${host.url}/api/v1${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

/** Milliseconds from the change's answer until `shown` holds on the page (polled, at most 1 s). */
async function shownWithin(shown: () => Promise<boolean>): Promise<number> {
  const t0 = Date.now();
  await expect.poll(shown, { timeout: 1000, interval: 25 }).toBe(true);
  return Date.now() - t0;
}

beforeAll(async () => {
  ensurePagesBuilt();
  dir = mkdtempSync(join(tmpdir(), 'fronta-kiosk-config-e2e-'));
  host = await startHost(dir);
  const admin = readDemoCredentials(dir).admin;
  const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  cookie = login.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await page.goto(`${host.url}/kiosk`);
  await page.locator('#token').fill(readDemoCredentials(dir).kioskToken);
  await page.getByRole('button', { name: /Pair|Spárovat/ }).click();
  await page.locator('button.tile[data-service="id-cards"]').waitFor();
  // A mark on this very document: a reload would lose it.
  await page.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('an open kiosk and the office configuration', () => {
  it('shows a new service within a second, without a reload', async () => {
    const res = await send('POST', '/offices/demo/services', { id: 'permits', departmentId: 'dep-org', prefix: 'N', names: { cs: 'Povolení', en: 'Permits' }, dailyWalkInCapacity: 50 });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    const ms = await shownWithin(async () => (await page.locator('button.tile[data-service="permits"]').count()) === 1);
    expect(await page.locator('button.tile[data-service="permits"]').textContent()).toContain('Povolení');
    expect(ms).toBeLessThan(1000);
  });

  it('shows a renamed service within a second', async () => {
    const res = await send('PATCH', '/offices/demo/services/id-cards', { names: { cs: 'Doklady totožnosti', en: 'Identity documents' } });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    await shownWithin(async () => ((await page.locator('button.tile[data-service="id-cards"]').textContent()) ?? '').includes('Doklady totožnosti'));
  });

  it('shows a day closed today within a second, and open again when it is reopened', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Prague' }).format(new Date());
    const res = await send('PUT', '/offices/demo/calendar', { closedDays: [{ date: today, note: { cs: 'Státní svátek' } }], changedDays: [] });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    await shownWithin(async () => (await page.getByText('Úřad je nyní zavřený.').count()) === 1);
    await send('PUT', '/offices/demo/calendar', { closedDays: [], changedDays: [] });
    await shownWithin(async () => (await page.getByText('Úřad je nyní zavřený.').count()) === 0);
    // The page was never reloaded.
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))).toBe('kept');
  });
});

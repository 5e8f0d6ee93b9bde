import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { pairDisplay } from './display-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The hall display and the booking portal follow the office's configuration while open, as the
 * kiosk does: the demo host, a paired display and a portal showing a service's days in Chromium;
 * the admin renames the office and a service, sets a logo and closes a day over the API, and
 * within a second the display shows the new names and the logo and the portal no longer offers
 * the day — neither reloaded.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let display: Page;
let portal: Page;
let cookie: string;

const WITHIN = { timeout: 1000, interval: 25 };
/** A PNG of 2 × 1 pixels. */
const PNG_2X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGMQcGj4D8IADUMDn3XMvmgAAAAASUVORK5CYII=';

async function send(method: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${host.url}/api/v1${path}`, { method, headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A mark on the document: a reload would lose it. */
const mark = (page: Page): Promise<void> => page.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));
const isKept = async (page: Page): Promise<boolean> => (await page.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))) === 'kept';

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-screens-config-e2e-'));
  host = await startHost(dir);
  const creds = readDemoCredentials(dir);
  const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds.admin) });
  cookie = login.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
  browser = await launchBrowser();
  const hall = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await pairDisplay(hall, host.url, creds.displayToken);
  display = await hall.newPage();
  await display.goto(`${host.url}/display/?lang=cs`);
  await display.locator('h1.office').waitFor();
  await mark(display);
  portal = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'cs-CZ' })).newPage();
  await portal.goto(`${host.url}/portal/?office=demo`);
  await portal.locator('li[data-service="id-cards"] button').click();
  await portal.locator('li[data-day]').first().waitFor();
  await mark(portal);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('screens that follow the office configuration without a reload', () => {
  it('the display shows the office’s new name within a second', async () => {
    await send('PATCH', '/offices/demo', { names: { cs: 'Městský úřad Lhota', en: 'Lhota Town Hall' } });
    await expect.poll(() => display.textContent('h1.office'), WITHIN).toBe('Městský úřad Lhota');
  });

  it('the display shows a renamed service within a second', async () => {
    await send('PATCH', '/offices/demo/services/id-cards', { names: { cs: 'Doklady totožnosti', en: 'Identity documents' } });
    await expect.poll(async () => (await display.locator('body').textContent()) ?? '', WITHIN).toContain('Doklady totožnosti');
    await display.screenshot({ path: join(SCREENSHOTS, 'display-config-live.png') });
    expect(await isKept(display)).toBe(true);
  });

  it('the display shows a new logo, without a reload', async () => {
    expect(await display.locator('img.logo').count()).toBe(0);
    const config = (await (await fetch(`${host.url}/api/v1/offices/demo/config`, { headers: { cookie } })).json()) as { logos: { ticket: unknown } };
    await send('PUT', '/offices/demo/logos', { screen: { mediaType: 'image/png', data: PNG_2X1 }, ticket: config.logos.ticket });
    await expect.poll(() => display.locator('img.logo').evaluateAll((imgs: HTMLImageElement[]) => imgs.map((img) => (img.complete ? img.naturalWidth : 0))), { ...WITHIN, timeout: 2000 }).toEqual([2]);
    await display.screenshot({ path: join(SCREENSHOTS, 'display-config-live-logo.png') });
    expect(await isKept(display)).toBe(true);
  });

  it('the portal’s day list drops a day the office has just closed, within a second', async () => {
    const days = await portal.locator('li[data-day]').evaluateAll((els) => els.map((el) => el.getAttribute('data-day')!));
    const closing = days[1] ?? days[0]!;
    const calendar = ((await (await fetch(`${host.url}/api/v1/offices/demo/config`, { headers: { cookie } })).json()) as { calendar: { closedDays: unknown[]; changedDays: unknown[] } }).calendar;
    await send('PUT', '/offices/demo/calendar', { closedDays: [...calendar.closedDays, { date: closing, note: { cs: 'Státní svátek' } }], changedDays: calendar.changedDays });
    await expect.poll(() => portal.locator(`li[data-day="${closing}"]`).count(), WITHIN).toBe(0);
    expect(await portal.locator('li[data-day]').count()).toBe(days.length - 1);
    await portal.screenshot({ path: join(SCREENSHOTS, 'portal-config-live.png'), fullPage: true });
    expect(await isKept(portal)).toBe(true);
  });
});

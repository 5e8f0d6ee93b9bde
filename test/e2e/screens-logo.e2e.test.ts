import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { pairDisplay } from './display-support.ts';
import { axeAA, countRequests } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The office's screen logo on the kiosk and the booking portal, in Chromium against the demo host
 * (`fronta serve --demo`): a paired kiosk and the portal in Czech and in Chinese are open when the
 * admin sets a logo over the API; each header shows it (the very image: its natural size), then
 * a replaced logo, then none, without a reload. The kiosk does not fetch the logo again when
 * tickets are issued. axe-clean; screenshots in cs and zh-CN.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let kiosk: Page;
let kioskRequests: Map<string, number>;
let portalCs: Page;
let portalZh: Page;
let cookie: string;

/** PNGs of 40 × 24 and 1 × 1 pixels. */
const PNG_40X24 = 'iVBORw0KGgoAAAANSUhEUgAAACgAAAAYCAYAAACIhL/AAAAAM0lEQVR4nO3OsREAIAADoey/tE7hvQUFPTvb+dnqgKBgHRAUrAOCgnVAULAOCArWAcHXLsL0eOoJP10RAAAAAElFTkSuQmCC';
const PNG_1X1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
const LOGO_GET = 'GET /api/v1/offices/demo/logo';
const SERVICES_GET = 'GET /api/v1/offices/demo/services';

async function setLogo(data: string | null): Promise<void> {
  const config = (await (await fetch(`${host.url}/api/v1/offices/demo/config`, { headers: { cookie } })).json()) as { logos: { ticket: unknown } };
  const screen = data === null ? null : { mediaType: 'image/png', data };
  const res = await fetch(`${host.url}/api/v1/offices/demo/logos`, {
    method: 'PUT',
    headers: { cookie, 'content-type': 'application/json' },
    body: JSON.stringify({ screen, ticket: config.logos.ticket }),
  });
  expect(res.status, await res.text()).toBe(200);
}

/** The natural size of each logo the header shows (0 × 0 while one is still loading). */
const logoSizes = (page: Page): Promise<[number, number][]> =>
  page.locator('header [data-testid="office-logo"]').evaluateAll((imgs: HTMLImageElement[]) => imgs.map((img) => [img.complete ? img.naturalWidth : 0, img.complete ? img.naturalHeight : 0] as [number, number]));

const SHOWN = { timeout: 2000, interval: 25 };
const mark = (page: Page): Promise<void> => page.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));
const isKept = async (page: Page): Promise<boolean> => (await page.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))) === 'kept';

async function openPortal(lang: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(`${host.url}/portal/?office=demo&lang=${lang}`);
  await page.locator('main[data-view="services"]').waitFor();
  await mark(page);
  return page;
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-screens-logo-e2e-'));
  host = await startHost(dir);
  const creds = readDemoCredentials(dir);
  const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds.admin) });
  cookie = login.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
  browser = await launchBrowser();
  const lobby = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  await pairDisplay(lobby, host.url, creds.kioskToken);
  kiosk = await lobby.newPage();
  kioskRequests = countRequests(kiosk);
  await kiosk.goto(`${host.url}/kiosk`);
  await kiosk.locator('button.tile[data-service="id-cards"]').waitFor();
  await mark(kiosk);
  portalCs = await openPortal('cs');
  portalZh = await openPortal('zh-CN');
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the office’s logo on the kiosk and the portal', () => {
  it('a logo set by the admin appears in the open kiosk’s and portal’s headers, without a reload', async () => {
    for (const page of [kiosk, portalCs, portalZh]) expect(await logoSizes(page)).toEqual([]);
    await setLogo(PNG_40X24);
    for (const page of [kiosk, portalCs, portalZh]) {
      await expect.poll(() => logoSizes(page), SHOWN).toEqual([[40, 24]]);
      expect(await isKept(page)).toBe(true);
    }

    await axeAA(kiosk, 'kiosk with the logo (cs)');
    await kiosk.screenshot({ path: join(SCREENSHOTS, 'kiosk-logo-cs.png') });
    await kiosk.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => kiosk.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    expect(await logoSizes(kiosk)).toEqual([[40, 24]]);
    await axeAA(kiosk, 'kiosk with the logo (zh-CN)');
    await kiosk.screenshot({ path: join(SCREENSHOTS, 'kiosk-logo-zh-CN.png') });

    await axeAA(portalCs, 'portal with the logo (cs)');
    await portalCs.screenshot({ path: join(SCREENSHOTS, 'portal-logo-cs.png') });
    await axeAA(portalZh, 'portal with the logo (zh-CN)');
    await portalZh.screenshot({ path: join(SCREENSHOTS, 'portal-logo-zh-CN.png') });
  });

  it('the kiosk does not fetch the logo again while tickets are issued', async () => {
    const before = kioskRequests.get(LOGO_GET) ?? 0;
    const rereads = kioskRequests.get(SERVICES_GET) ?? 0;
    expect(before).toBeGreaterThan(0);
    const auth = { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}` };
    for (let i = 0; i < 3; i += 1) {
      const issued = await post(host.url, '/api/v1/tickets', auth, { serviceId: 'cashier' });
      expect(issued.status, JSON.stringify(issued.json)).toBe(201);
    }
    // The burst's re-read has run and asked nothing about the logo.
    await expect.poll(() => kioskRequests.get(SERVICES_GET) ?? 0, { timeout: 5000 }).toBeGreaterThan(rereads);
    expect(kioskRequests.get(LOGO_GET) ?? 0).toBe(before);
  });

  it('a replaced logo replaces it, and a removed one leaves the headers, still without a reload', async () => {
    await setLogo(PNG_1X1);
    for (const page of [kiosk, portalCs, portalZh]) await expect.poll(() => logoSizes(page), SHOWN).toEqual([[1, 1]]);
    await setLogo(null);
    for (const page of [kiosk, portalCs, portalZh]) {
      await expect.poll(() => logoSizes(page), SHOWN).toEqual([]);
      expect(await isKept(page)).toBe(true);
    }
  });
});

import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { axeViolations, WCAG_AA } from './kiosk-support.ts';
import { ensurePagesBuilt, launchBrowser, ROOT, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * The kiosk's local settings in Chromium against `fronta serve --demo`: hidden from passers-by
 * behind a staff sign-in that the host checks; a wrong password shows nothing of the device.
 */

const cs = (): { kiosk: Record<string, string>; errors: Record<string, string> } => JSON.parse(readFileSync(join(ROOT, 'locales', 'cs.json'), 'utf8'));

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;

const home = (): Promise<void> => page.locator('button.tile[data-service="id-cards"]').waitFor();

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-kiosk-settings-e2e-'));
  host = await startHost(dir);
  browser = await launchBrowser();
  page = await (await browser.newContext({ viewport: { width: 1080, height: 1920 } })).newPage();
  await page.goto(`${host.url}/kiosk`);
  await page.locator('#token').fill(readDemoCredentials(dir).kioskToken);
  await page.getByRole('button', { name: /Pair|Spárovat/ }).click();
  await home();
  await page.locator('html[lang="cs"]').waitFor({ state: 'attached' });
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the kiosk’s local settings', () => {
  it('need a staff sign-in: a wrong password shows nothing of the device, a clerk’s opens them, Close locks them again', async () => {
    const texts = cs().kiosk;
    await page.keyboard.press('Control+Alt+s');
    await page.locator('#settings-username').waitFor();
    expect(await page.locator('.kiosk-settings').textContent()).not.toContain('Hall kiosk');
    const clerk = readDemoCredentials(dir).clerk;
    await page.locator('#settings-username').fill(clerk.username);
    await page.locator('#settings-password').fill('not the password');
    await page.getByRole('button', { name: texts['settingsUnlock']! }).click();
    await expect.poll(() => page.locator('#settings-password-error').textContent()).toBe(cs().errors['AUTH_INVALID_CREDENTIALS']);
    expect(await page.locator('.kiosk-settings').textContent()).not.toContain('Hall kiosk');
    expect(await axeViolations(page, { tags: WCAG_AA })).toEqual([]);

    await page.locator('#settings-password').fill(clerk.password);
    await page.getByRole('button', { name: texts['settingsUnlock']! }).click();
    await page.locator('#settings-title').waitFor();
    const panel = await page.locator('.kiosk-settings').textContent();
    expect(panel).toContain('Hall kiosk');
    expect(panel).toContain(texts['settingsUnpair']);
    expect(await axeViolations(page, { tags: WCAG_AA })).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-settings-unlocked-cs.png') });

    await page.getByRole('button', { name: /Zavřít|Close/ }).click();
    await home();
    // Opened again, they ask for the sign-in again.
    await page.locator('.kiosk-head h1').hover();
    await page.mouse.down();
    await page.locator('#settings-username').waitFor({ timeout: 6000 });
    await page.mouse.up();
    expect(await page.locator('#settings-title').count()).toBe(0);
  });
});

/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openBackoffice, openSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * Users and devices in the back office, in Chromium against a real host: an admin adds a clerk
 * (the password shown once), who must change it at the first sign-in and sees only that until
 * they do; the admin changes a role, gives a new password, disables and enables; adds a kiosk
 * (its pairing token shown once, and it works), renames and revokes it (the token stops working).
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;

/** Password hashing (scrypt) on a machine shared with other suites can take seconds. */
const SOON = { timeout: 10_000 };
const summary = (): Promise<string | null> => page.textContent('.error-summary');
const row = (name: string) => page.locator(`tr[data-user="${name}"]`);

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-people-e2e-'));
  await seedBackoffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  page = await openBackoffice(browser, host.url, ADMIN);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

/** Signs in in a fresh context; answers the page. */
async function signIn(username: string, password: string): Promise<Page> {
  const p = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage();
  await p.goto(`${host.url}/backoffice/?lang=en`);
  await p.fill('#username', username);
  await p.fill('#password', password);
  await p.click('form.login button');
  await p.waitForSelector('nav.sections a');
  return p;
}

describe('users', () => {
  let generated = '';

  it('refuses a user name the host does not take, beside its field', async () => {
    await openSection(page, 'users');
    await page.click('form[aria-labelledby="user-add-title"] button[type=submit]');
    await expect.poll(summary, SOON).toContain('Enter User name.');
    await page.fill('#user-username', 'no spaces allowed');
    await page.click('form[aria-labelledby="user-add-title"] button[type=submit]');
    await expect.poll(() => page.getAttribute('.error-summary a', 'href'), SOON).toBe('#user-username');
    expect(await page.getAttribute('#user-username', 'aria-invalid')).toBe('true');
  });

  it('adds a clerk with a password shown once, which they must change at their first sign-in', async () => {
    await page.fill('#user-username', 'novak');
    await page.fill('#user-displayName', 'Petr Novák');
    await page.selectOption('#user-role', 'clerk');
    await page.fill('#user-email', 'novak@example.org');
    await page.click('form[aria-labelledby="user-add-title"] button[type=submit]');
    await page.waitForSelector('[data-testid="secret"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('secret');
    generated = ((await page.textContent('[data-testid="secret-value"]')) ?? '').trim();
    expect(generated.length).toBeGreaterThanOrEqual(10);
    await expect.poll(() => row('novak').count(), SOON).toBe(1);
    expect(await row('novak').getByTestId('user-state').textContent()).toBe('must change password');
    await page.click('[data-testid="secret"] button');
    expect(await page.locator('[data-testid="secret"]').count()).toBe(0);

    // The one-time password leads through choosing one's own before the back office opens.
    const clerk = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage();
    await clerk.goto(`${host.url}/backoffice/?lang=en`);
    await clerk.fill('#username', 'novak');
    await clerk.fill('#password', generated);
    await clerk.click('form.login button');
    await clerk.waitForSelector('#new-password');
    await clerk.fill('#new-password', 'a much longer one');
    await clerk.fill('#new-password-repeat', 'a much longer one');
    await clerk.click('form.login button');
    await clerk.waitForSelector('nav.sections a');
    expect(await clerk.$$eval('nav.sections a', (as) => as.map((a) => a.getAttribute('data-section')))).toEqual(['password', 'stats']);

    // Later they change it again on "My password": too short is told before sending.
    await clerk.fill('#pw-current', 'a much longer one');
    await clerk.fill('#pw-new', 'short');
    await clerk.fill('#pw-repeat', 'short');
    await clerk.click('main form button[type=submit]');
    await expect.poll(() => clerk.textContent('.error-summary'), SOON).toContain('at least 10 characters');
    await clerk.fill('#pw-current', 'not my password');
    await clerk.fill('#pw-new', 'yet another long one');
    await clerk.fill('#pw-repeat', 'yet another long one');
    await clerk.click('main form button[type=submit]');
    await expect.poll(() => clerk.getAttribute('.error-summary a', 'href'), SOON).toBe('#pw-current');
    await clerk.fill('#pw-current', 'a much longer one');
    await clerk.fill('#pw-new', 'yet another long one');
    await clerk.fill('#pw-repeat', 'yet another long one');
    await clerk.click('main form button[type=submit]');
    await expect.poll(() => clerk.textContent('main .status'), SOON).toContain('Your password is changed.');
    await clerk.context().close();
    const again = await signIn('novak', 'yet another long one');
    expect(again.url()).toContain('/backoffice/');
    await again.context().close();
  });

  it('changes the role, gives a new password (shown once) and disables after a confirm, then enables', async () => {
    await page.reload();
    await page.waitForSelector('nav.sections a');
    await openSection(page, 'users');
    await row('novak').getByRole('button', { name: 'Change novak' }).click();
    await page.selectOption('#edit-role', 'supervisor');
    await page.click('form[aria-labelledby="edit-title"] button[type=submit]');
    await expect.poll(() => row('novak').textContent(), SOON).toContain('supervisor');

    await row('novak').getByRole('button', { name: 'New password for novak?' }).click();
    await page.click('#confirm-yes');
    await page.waitForSelector('[data-testid="secret"]');
    const fresh = ((await page.textContent('[data-testid="secret-value"]')) ?? '').trim();
    expect(fresh).not.toBe(generated);
    await page.click('[data-testid="secret"] button');

    await row('novak').getByRole('button', { name: 'Disable novak?' }).click();
    expect(await page.textContent('dialog#confirm')).toContain('Their sessions end at once');
    await page.click('#confirm-yes');
    await expect.poll(() => row('novak').getByTestId('user-state').textContent(), SOON).toBe('disabled');
    const refused = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'novak', password: fresh }) });
    expect(refused.status).toBe(401);
    await row('novak').getByRole('button', { name: 'Enable novak' }).click();
    await expect.poll(() => row('novak').getByTestId('user-state').textContent(), SOON).not.toBe('disabled');
  });
});

describe('devices', () => {
  it('adds a kiosk with its pairing token shown once (and it works), renames and revokes it', async () => {
    await openSection(page, 'devices');
    await page.click('form[aria-labelledby="device-add-title"] button[type=submit]');
    await expect.poll(summary, SOON).toContain('Enter Name.');
    await page.selectOption('#device-kind', 'kiosk');
    await page.fill('#device-name', 'Corridor kiosk');
    await page.click('form[aria-labelledby="device-add-title"] button[type=submit]');
    await page.waitForSelector('[data-testid="secret"]');
    const token = ((await page.textContent('[data-testid="secret-value"]')) ?? '').trim();
    const me = async () => (await fetch(`${host.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status;
    expect(await me()).toBe(200);
    await page.click('[data-testid="secret"] button');
    const device = page.locator('tr[data-device="Corridor kiosk"]');
    await expect.poll(() => device.count(), SOON).toBe(1);
    expect(await device.textContent()).toContain('never');

    await device.getByRole('button', { name: 'Rename Corridor kiosk' }).click();
    await page.fill('#rename-name', 'Upstairs kiosk');
    await page.click('form[aria-labelledby="rename-title"] button[type=submit]');
    const renamed = page.locator('tr[data-device="Upstairs kiosk"]');
    await expect.poll(() => renamed.count(), SOON).toBe(1);

    await renamed.getByRole('button', { name: 'Revoke Upstairs kiosk?' }).click();
    await page.click('#confirm-yes');
    await expect.poll(() => renamed.getByTestId('device-state').textContent(), SOON).toContain('revoked');
    expect(await me()).toBe(401);
  });
});

describe('by keyboard alone', () => {
  it('adds a user: Tab to each field, Enter submits, the secret takes the focus', async () => {
    await openSection(page, 'users');
    await page.focus('#user-username');
    await page.keyboard.type('keys');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Kay Board');
    await page.keyboard.press('Enter');
    await page.waitForSelector('[data-testid="secret"]');
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('secret');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    expect(await page.locator('[data-testid="secret"]').count()).toBe(0);
    await expect.poll(() => row('keys').count(), SOON).toBe(1);
  });
});


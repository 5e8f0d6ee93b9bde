/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, INSTALL_ADMIN, openBackoffice, openSection, screenshotSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, login, post, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The back office's frame in Chromium against a real host: an admin signs in at /backoffice/ and
 * moves between sections with the keyboard alone; a supervisor sees only their sections; the hall
 * display's voice is set (and a wrong setting is told in the error summary).
 */

let dir: string;
let host: RunningHost;
let browser: Browser;

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-shell-e2e-'));
  await seedBackoffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

const sectionIds = (page: Page): Promise<string[]> => page.$$eval('nav.sections a', (as) => as.map((a) => a.getAttribute('data-section') ?? ''));

describe('the back office', () => {
  it('is served at /backoffice/, signs an admin in and lists every section', async () => {
    const page = await openBackoffice(browser, host.url, ADMIN);
    expect(await sectionIds(page)).toEqual(expect.arrayContaining(['booking-settings', 'bans', 'roster', 'rules', 'outbox', 'display']));
    expect(await page.textContent('main h1')).toBe('Online booking');
    await page.context().close();
  });

  it('reaches every section by keyboard alone: Tab to a link, Enter opens it and puts the focus on its heading', async () => {
    const page = await openBackoffice(browser, host.url, ADMIN);
    const ids = await sectionIds(page);
    for (const id of ids) {
      await page.locator('body').focus();
      let guard = 0;
      while ((await page.evaluate(() => document.activeElement?.getAttribute('data-section') ?? '')) !== id) {
        await page.keyboard.press('Tab');
        if (++guard > 80) throw new Error(`Tab never reached the link of ${id}`);
      }
      await page.keyboard.press('Enter');
      await page.waitForSelector(`main[data-open="${id}"]`);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('section-title');
      expect(page.url()).toContain(`#/${id}`);
    }
    await page.context().close();
  }, 90_000);

  it('shows a supervisor only the sections of their role, and a clerk their own statistics and password', async () => {
    const page = await openBackoffice(browser, host.url, 'boss');
    const ids = await sectionIds(page);
    expect(ids).toContain('bans');
    expect(ids).not.toContain('display');
    await page.context().close();
    const clerk = await openBackoffice(browser, host.url, 'clerk1');
    expect(await sectionIds(clerk)).toEqual(['password', 'stats']);
    await clerk.context().close();
  });

  it('lets an install admin pick the office, and every section then works on it', async () => {
    const cookie = await login(host.url, INSTALL_ADMIN);
    const made = await post(host.url, '/api/v1/offices', { cookie }, { id: 'branch', name: 'Branch office', timeZone: 'Europe/Prague', languages: ['cs', 'en'], admin: { username: 'branchboss' } });
    expect(made.status, JSON.stringify(made.json)).toBe(201);
    const own = await openBackoffice(browser, host.url, ADMIN);
    expect(await own.locator('#office-pick').count()).toBe(0);
    await own.context().close();

    const page = await openBackoffice(browser, host.url, INSTALL_ADMIN);
    await openSection(page, 'users');
    await expect.poll(() => page.locator('tr[data-user]').count()).toBeGreaterThan(1);
    expect(await page.locator('tr[data-user="branchboss"]').count()).toBe(0);
    await page.selectOption('#office-pick', 'branch');
    await expect.poll(() => page.locator('tr[data-user="branchboss"]').count()).toBe(1);
    expect(await page.locator('tr[data-user]').count()).toBe(1);
    await page.context().close();
  }, 60_000);

  it('sets the hall display voice; none ticked is told in the error summary, nothing sent', async () => {
    const page = await openBackoffice(browser, host.url, ADMIN);
    await openSection(page, 'display');
    const boxes = page.locator('main input[type=checkbox]');
    const n = await boxes.count();
    expect(n).toBeGreaterThan(0);
    for (let i = 0; i < n; i++) await boxes.nth(i).uncheck();
    await page.click('main form button[type=submit]');
    await page.waitForSelector('.error-summary');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect(await page.textContent('.error-summary')).toContain('Tick at least one language.');
    await boxes.nth(0).check();
    await page.click('main form button[type=submit]');
    await expect.poll(() => page.textContent('main .status')).toBe('Saved.');
    const res = await fetch(`${host.url}/api/v1/offices/demo/display-settings`, { headers: { cookie: (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ') } });
    expect(((await res.json()) as { voiceLanguages: string[] }).voiceLanguages.length).toBe(1);
    await page.context().close();
  });

  it('draws every section axe-clean in Czech and Chinese (screenshots)', async () => {
    for (const lang of ['cs', 'zh-CN']) {
      const page = await openBackoffice(browser, host.url, ADMIN, lang);
      for (const id of await sectionIds(page)) {
        await openSection(page, id);
        await screenshotSection(page, id, lang);
      }
      await page.context().close();
    }
  }, 180_000);
});

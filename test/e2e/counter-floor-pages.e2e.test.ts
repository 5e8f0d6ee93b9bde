/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe.ts';
import { ensurePagesBuilt, launchBrowser, login, PASSWORD, post, SCREENSHOTS, seedOffice, startHost, tearDown, type RunningHost, type Seeded } from './support.ts';

/**
 * The counter terminal and the floor view on the page kit, in Chromium against a real host:
 * live events patch the page while a clerk types (value, caret and focus stay); axe-core finds
 * nothing against WCAG 2.1 AA on any of their screens, dialogs open included; and every screen
 * is photographed in Czech and Chinese.
 */

let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;

async function signIn(page: Page, path: string, username: string): Promise<void> {
  await page.goto(`${host.url}${path}`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.press('#password', 'Enter');
}

async function newPage(lang: string): Promise<Page> {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: lang === 'zh-CN' ? 'zh-CN' : 'en-GB' });
  return ctx.newPage();
}

const kiosk = (): Record<string, string> => ({ authorization: `Bearer ${seeded.kioskToken}` });

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-pages-e2e-'));
  seeded = await seedOffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the counter on the page kit', () => {
  it('the counter keeps typed text and focus across 20 live events', async () => {
    const page = await newPage('en');
    await signIn(page, '/renderer/counter/', 'clerk1');
    await page.locator('.picker').waitFor();
    await page.keyboard.press('1');
    await page.waitForSelector('#act-n:not([disabled])');
    await page.keyboard.press('c');
    const name = page.locator('#booking-name');
    await page.locator('#booking-number:focus').waitFor();
    await name.click();
    await name.pressSequentially('Kučera Jiří');
    // The caret in the middle, a word selected: a re-render must not move it.
    await name.evaluate((el: HTMLInputElement) => el.setSelectionRange(2, 6));
    const before = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      return { id: el.id, value: el.value, start: el.selectionStart, end: el.selectionEnd, node: el };
    });

    // 20 tickets from the kiosk (each an event or two on this page), and another clerk calling.
    const clerk2 = { cookie: await login(host.url, 'clerk2') };
    expect((await post(host.url, '/api/v1/counters/c2/open', clerk2)).status).toBe(200);
    for (let i = 0; i < 20; i++) {
      expect((await post(host.url, '/api/v1/tickets', kiosk(), { serviceId: i % 2 === 0 ? 'cashier' : 'id-cards' })).status).toBe(201);
      if (i % 5 === 4) await post(host.url, '/api/v1/counters/c2/call-next', clerk2);
    }
    // The page has applied them all: its table counts what the host counts.
    const waitingCashier = async (): Promise<string | null> => page.locator('.loads tbody tr').first().locator('td.num').first().textContent();
    const services = (await (await fetch(`${host.url}/api/v1/offices/demo/services`, { headers: { cookie: clerk2.cookie } })).json()) as { services: { id: string; waiting: number }[] };
    const expected = String(services.services.find((s) => s.id === 'cashier')!.waiting);
    await expect.poll(waitingCashier, { timeout: 5000 }).toBe(expected);
    expect(Number(expected)).toBeGreaterThan(5);

    const after = await page.evaluate(() => {
      const el = document.activeElement as HTMLInputElement;
      return { id: el.id, value: el.value, start: el.selectionStart, end: el.selectionEnd };
    });
    expect(after).toEqual({ id: before.id, value: before.value, start: before.start, end: before.end });
    expect(after).toEqual({ id: 'booking-name', value: 'Kučera Jiří', start: 2, end: 6 });
    // The same element all along (patched, not rebuilt), and typing goes on where it was.
    expect(await page.evaluate(() => document.activeElement === document.getElementById('booking-name'))).toBe(true);
    await page.keyboard.type('x');
    expect(await name.inputValue()).toBe('Kux Jiří');
    expect(await page.locator('dialog[open]').count()).toBe(1);
    await page.context().close();
  });
});

describe('accessibility and screenshots of the counter and the floor', () => {
  for (const [lang, clerk, counterKey] of [
    ['cs', 'clerk3', '3'],
    ['zh-CN', 'clerk4', '4'],
  ] as const) {
    it(`every counter screen in ${lang}: axe-clean (WCAG 2.1 AA), photographed`, async () => {
      const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `counter-${name}-${lang}.png`) });
      const page = await newPage(lang);
      await page.goto(`${host.url}/renderer/counter/?lang=${lang}`);
      await page.locator('#username').waitFor();
      await expectAccessible(page, `${lang} sign-in`);
      await shot(page, 'login');
      await page.fill('#username', clerk);
      await page.fill('#password', PASSWORD);
      await page.press('#password', 'Enter');
      await page.locator('.picker').waitFor();
      await expectAccessible(page, `${lang} picker`);
      await shot(page, 'picker');
      await page.keyboard.press(counterKey);
      await page.waitForSelector('#act-n:not([disabled])');
      await expectAccessible(page, `${lang} at the counter, nobody`);
      await shot(page, 'idle');
      await post(host.url, '/api/v1/tickets', kiosk(), { serviceId: counterKey === '3' ? 'id-cards' : 'vehicles' });
      await page.keyboard.press('n');
      await page.locator('#current-number').waitFor();
      await page.keyboard.press('?');
      await page.locator('[data-testid="shortcut-help"][open]').waitFor();
      await expectAccessible(page, `${lang} with a client, help open`);
      await page.screenshot({ path: join(SCREENSHOTS, `counter-client-${lang}.png`), fullPage: true });
      await page.keyboard.press('?');
      for (const [key, name] of [
        ['c', 'check-in'],
        ['t', 'transfer'],
        ['i', 'reception'],
      ] as const) {
        await page.waitForSelector(`#act-${key}:not([disabled])`);
        await page.keyboard.press(key);
        await page.locator('dialog[open]').waitFor();
        await expectAccessible(page, `${lang} ${name} dialog`);
        await shot(page, `dialog-${name}`);
        await page.keyboard.press('Escape');
        await page.locator('dialog').waitFor({ state: 'detached' });
      }
      // The check-in dialog with an error in it.
      await page.keyboard.press('c');
      await page.fill('#booking-number', '999999');
      await page.press('#booking-number', 'Enter');
      await expect.poll(() => page.locator('#checkin-error').textContent()).not.toBe('');
      await expectAccessible(page, `${lang} check-in refused`);
      await shot(page, 'dialog-check-in-error');
      await page.context().close();
    });

    it(`every floor screen in ${lang}: axe-clean (WCAG 2.1 AA), photographed`, async () => {
      const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `floor-${name}-${lang}.png`), fullPage: true });
      const page = await newPage(lang);
      await signIn(page, `/renderer/floor/?lang=${lang}`, 'boss');
      await page.locator('tr[data-service="cashier"]').waitFor();
      await expectAccessible(page, `${lang} floor`);
      await shot(page, 'office');
      // The form starts from the message the public saw last: emptied, the switch refuses.
      for (const l of ['cs', 'en', 'ro', 'zh-CN']) await page.fill(`#crisis-message-${l}`, '');
      await page.getByTestId('booking-stop').click();
      await page.locator('.error-summary').waitFor();
      await expectAccessible(page, `${lang} floor, message missing`);
      await shot(page, 'booking-missing');
      for (const l of ['cs', 'en', 'ro', 'zh-CN']) await page.fill(`#crisis-message-${l}`, `${l}: closed today`);
      page.once('dialog', (d) => void d.accept());
      await page.getByTestId('booking-stop').click();
      await page.getByTestId('booking-resume').waitFor();
      await expectAccessible(page, `${lang} floor, booking stopped`);
      await shot(page, 'booking-stopped');
      await page.getByTestId('booking-resume').click();
      await page.getByTestId('booking-stop').waitFor();
      await page.context().close();
    });
  }
});

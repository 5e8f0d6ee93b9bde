import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeAA, countRequests, freePort, sinks, slowNetwork, waitForMessage } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * Every screen of the booking portal on a phone (390×844) on a slow line (150 ms round trip), in
 * Czech and in Chinese: a double tap on "book this time" and on "confirm" makes one hold, one
 * mail and ends on the booking number; the used link, re-opened, shows that booking again.
 * axe-core (WCAG 2.1 A and AA) on each screen, and a screenshot of each.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1, hasTouch: true };
const view = (page: Page, kind: string) => page.locator(`main[data-view="${kind}"]`).waitFor();
const settle = (ms = 1500) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-portal-tour-'));
  host = await startHost(dir, await freePort());
  browser = await launchBrowser();
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

async function phone(context: BrowserContext): Promise<{ page: Page; requests: Map<string, number> }> {
  const page = await context.newPage();
  await slowNetwork(context, page);
  return { page, requests: countRequests(page) };
}

async function shot(page: Page, name: string, lang: string): Promise<void> {
  await axeAA(page, `${name} (${lang})`);
  await page.screenshot({ path: join(SCREENSHOTS, `portal-${name}-${lang}.png`), fullPage: true });
}

/** Service → day → time, with each screen checked; returns on the details form. */
async function toDetails(page: Page, lang: string, check: boolean): Promise<void> {
  await page.goto(`${host.url}/portal/?office=demo`);
  await view(page, 'services');
  if (check) {
    await shot(page, 'services', lang);
    // The header leaves the phone's first screen to the content.
    expect((await page.locator('header.portal-head').boundingBox())!.height).toBeLessThanOrEqual(100);
  }
  await page.locator('[data-service="id-cards"] button').click();
  await view(page, 'days');
  if (check) await shot(page, 'days', lang);
  await page.locator('[data-day] button').first().click();
  await view(page, 'times');
  if (check) {
    // Morning and afternoon apart: one half of the day on screen at a time.
    const parts = page.locator('.parts button');
    if ((await parts.count()) === 2) {
      const morning = await page.locator('[data-slot]').count();
      await parts.nth(1).click();
      await expect.poll(() => parts.nth(1).getAttribute('aria-pressed')).toBe('true');
      await shot(page, 'times-afternoon', lang);
      expect(morning + (await page.locator('[data-slot]').count())).toBeGreaterThan(Math.max(morning, await page.locator('[data-slot]').count()));
      await parts.nth(0).click();
    }
    await shot(page, 'times', lang);
  }
  await page.locator('[data-slot] button').first().click();
  await view(page, 'details');
}

async function tour(context: BrowserContext, lang: string, email: string, phoneNumber: string): Promise<void> {
  const { page, requests } = await phone(context);
  await toDetails(page, lang, true);
  await page.locator('#hold-submit').click();
  await page.locator('#error-summary').waitFor();
  await shot(page, 'details-errors', lang);
  await page.locator('#name').fill('JANA NOVÁKOVÁ');
  await page.locator('#email').fill(email);
  await page.locator('#channel-email').check();
  await shot(page, 'details', lang);

  // A double tap on "book this time": one hold, no bounce, one mail.
  await page.locator('#hold-submit').dblclick();
  await view(page, 'hold');
  await settle();
  expect(requests.get('POST /api/v1/booking/holds')).toBe(1);
  expect(await page.locator('main').getAttribute('data-view')).toBe('hold');
  expect(await page.locator('#error-summary').count()).toBe(0);
  await shot(page, 'hold-email', lang);
  const link = await waitForMessage(host.url, 'confirmation mail', (s) => {
    const m = s.mails.find((x) => x.to.includes(email) && /\?confirm=/.test(x.text));
    return m === undefined ? undefined : /https?:\/\/\S+\?confirm=[A-Za-z0-9_-]{43}/.exec(m.text)?.[0];
  });

  // A double tap on "confirm": one confirmation, the booking number on screen.
  const mail = await phone(context);
  await mail.page.goto(link);
  await view(mail.page, 'confirm');
  await shot(mail.page, 'confirm', lang);
  // The date in the reader's format, not "2026-12-04 09:00".
  expect(await mail.page.locator('main dd').nth(1).textContent()).not.toMatch(/^\d{4}-\d{2}-\d{2} /);
  await mail.page.locator('#confirm-button').dblclick();
  await view(mail.page, 'confirmed');
  const number = (await mail.page.getByTestId('booking-number').textContent())!;
  expect(number).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
  await settle();
  expect(mail.requests.get('POST /api/v1/booking/confirm')).toBe(1);
  expect(await mail.page.locator('main').getAttribute('data-view')).toBe('confirmed');
  await shot(mail.page, 'confirmed', lang);
  const confirmedMail = await waitForMessage(host.url, 'confirmed mail', (s) => s.mails.find((x) => x.subject.includes(number)));
  await settle(1000);
  const all = await sinks(host.url);
  expect(all.mails.filter((x) => x.to.includes(email) && /\?confirm=/.test(x.text))).toHaveLength(1);
  expect(all.mails.filter((x) => x.subject.includes(number))).toHaveLength(1);

  // The used link, re-opened: the same booking, number and kiosk code.
  await mail.page.goto(link);
  await view(mail.page, 'confirm');
  expect(await mail.page.getByTestId('booking-number').textContent()).toBe(number);
  expect((await mail.page.getByTestId('kiosk-code').textContent())!.replace(/\s/g, '')).toMatch(/^\d{8}$/);
  await shot(mail.page, 'confirm-used', lang);

  // Cancel by the link of the confirmation, then look it up.
  const cancel = /https?:\/\/\S+\?cancel=[A-Za-z0-9_-]{43}/.exec(confirmedMail.text)![0];
  await mail.page.goto(cancel);
  await view(mail.page, 'cancel');
  await shot(mail.page, 'cancel', lang);
  await mail.page.locator('#cancel-button').click();
  await mail.page.getByTestId('state').waitFor();
  await shot(mail.page, 'cancelled', lang);
  await mail.page.goto(`${host.url}/portal/?view=lookup`);
  await view(mail.page, 'lookup');
  await shot(mail.page, 'lookup', lang);
  await mail.page.locator('#number').fill(number);
  await mail.page.locator('main form button[type="submit"]').click();
  await mail.page.getByTestId('status').waitFor();
  await shot(mail.page, 'lookup-result', lang);
  await mail.page.goto(`${host.url}/portal/?view=privacy`);
  await view(mail.page, 'privacy');
  await shot(mail.page, 'privacy', lang);
  await mail.page.goto(`${host.url}/portal/?confirm=${'x'.repeat(43)}`);
  await view(mail.page, 'confirm');
  await shot(mail.page, 'link-invalid', lang);

  // By SMS: the code field right under the instruction, focused, on the first screen.
  const sms = await phone(context);
  // The page's own clock, so the hold can run out without waiting for it.
  await sms.page.clock.install();
  await toDetails(sms.page, lang, false);
  await sms.page.locator('#name').fill('王小明');
  await sms.page.locator('#phone').fill(phoneNumber);
  await sms.page.locator('#channel-sms').check();
  await sms.page.locator('#hold-submit').dblclick();
  await view(sms.page, 'hold');
  await expect.poll(() => sms.page.evaluate(() => document.activeElement?.id)).toBe('code');
  const code = (await sms.page.locator('#code').boundingBox())!;
  expect(code.y + code.height).toBeLessThan(844);
  expect(code.y).toBeLessThan((await sms.page.locator('#countdown').boundingBox())!.y);
  await shot(sms.page, 'hold-sms', lang);
  expect(sms.requests.get('POST /api/v1/booking/holds')).toBe(1);
  // Not confirmed in time: the page says so by itself.
  await sms.page.clock.fastForward('16:00');
  await view(sms.page, 'expired');
  await shot(sms.page, 'expired', lang);
}

describe('the booking portal on a slow phone', () => {
  it('Czech: double taps make one hold, one mail and show the number; every screen axe-clean', async () => {
    const cs = await browser.newContext({ ...PHONE, locale: 'cs-CZ' });
    await tour(cs, 'cs', 'dvojity.tap@example.cz', '+420 601 555 111');
    await cs.close();
  }, 180_000);

  it('Chinese: the same, every screen axe-clean', async () => {
    const zh = await browser.newContext({ ...PHONE, locale: 'zh-CN' });
    await tour(zh, 'zh-CN', 'shuang.ji@example.cn', '+420 601 555 222');
    await zh.close();
  }, 180_000);
});

/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openBackoffice, openSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, login, post, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The back office's booking sections in Chromium against a real host on a test clock: an admin
 * changes the online-booking settings (a wrong value told beside its field, each change listed in
 * the confirm before it is sent), stops and resumes online booking, bars a person for fictitious
 * data (their booking cancelled, after a confirm), lifts the ban, asks why a booking was refused,
 * and reads the outbox.
 */

const START = Date.parse('2026-11-23T08:00:00+01:00');
const DAY = '2026-11-23';

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let bookingNumber: string;

async function smsCode(phone: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const sinks = (await (await fetch(`${host.url}/demo/messages.json`)).json()) as { sms: { to: string; text: string }[] };
    const m = sinks.sms.find((s) => s.to.replace(/\D/g, '').endsWith(phone.replace(/\D/g, '')) && /\b\d{6}\b/.test(s.text));
    if (m !== undefined) return /\b(\d{6})\b/.exec(m.text)![1]!;
    if (Date.now() > until) throw new Error(`no SMS code for ${phone}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** A confirmed booking of ID cards, as the portal makes it. */
async function book(phone: string): Promise<string> {
  const slots = (await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days/${DAY}/slots`)).json()) as { slots: { id: string; free: number; startAt: number }[] };
  const slot = slots.slots.find((s) => s.free > 0 && s.startAt > START + 60 * 60_000)!;
  const hold = await post(host.url, '/api/v1/booking/holds', {}, { slotId: slot.id, name: 'Jana Nováková', phone, channel: 'sms' });
  expect(hold.status, JSON.stringify(hold.json)).toBe(201);
  const confirmed = await post(host.url, `/api/v1/booking/holds/${hold.json.holdKey}/code`, {}, { code: await smsCode(phone) });
  expect(confirmed.status, JSON.stringify(confirmed.json)).toBe(200);
  return confirmed.json.number as string;
}

/** Password hashing (scrypt) on a machine shared with other suites can take seconds. */
const SOON = { timeout: 10_000 };
const summary = (): Promise<string | null> => page.textContent('.error-summary');
const focusIsSummary = (): Promise<boolean> => page.evaluate(() => document.activeElement?.classList.contains('error-summary') === true);

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-booking-e2e-'));
  await seedBackoffice(dir);
  [host, browser] = await Promise.all([startHost(dir, 0, { FRONTA_FAKE_CLOCK: new Date(START).toISOString() }), launchBrowser()]);
  bookingNumber = await book('+420601111222');
  page = await openBackoffice(browser, host.url, ADMIN);
}, 90_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('online-booking settings', () => {
  it('tells a value that is not a number before sending, and one the host refuses beside its field', async () => {
    await openSection(page, 'booking-settings');
    await page.fill('#bs-earlyMin', 'soon');
    await page.click('form[aria-labelledby="bs-title"] button[type=submit]');
    await expect.poll(summary, SOON).toContain('Minutes before the booked time must be a whole number.');
    expect(await focusIsSummary()).toBe(true);
    await page.fill('#bs-earlyMin', '100000');
    await page.click('form[aria-labelledby="bs-title"] button[type=submit]');
    await page.click('#confirm-yes');
    await expect.poll(() => page.getAttribute('.error-summary a', 'href'), SOON).toBe('#bs-earlyMin');
    expect(await page.getAttribute('#bs-earlyMin', 'aria-invalid')).toBe('true');
    // The summary takes the focus again on this second failed submit, as on the first.
    await expect.poll(focusIsSummary, SOON).toBe(true);
    expect(await page.textContent('#bs-earlyMin-error')).toContain('The request is not valid');
  });

  it('lists each change in the confirm; Cancel sends nothing, Save applies it and the history says who', async () => {
    await page.fill('#bs-earlyMin', '20');
    await page.click('form[aria-labelledby="bs-title"] button[type=submit]');
    await page.waitForSelector('dialog#confirm');
    expect(await page.textContent('dialog#confirm')).toContain('Minutes before the booked time: 15 → 20');
    await page.keyboard.press('Escape');
    await page.waitForSelector('dialog#confirm', { state: 'detached' });
    const cookie = await login(host.url, ADMIN);
    const read = async () => (await (await fetch(`${host.url}/api/v1/booking/offices/demo/settings`, { headers: { cookie } })).json()) as { checkIn: { earlyMin: number } };
    expect((await read()).checkIn.earlyMin).toBe(15);
    await page.click('form[aria-labelledby="bs-title"] button[type=submit]');
    await page.click('#confirm-yes');
    await expect.poll(() => page.textContent('main .status'), SOON).toBe('Saved.');
    expect((await read()).checkIn.earlyMin).toBe(20);
    expect(await page.textContent('section[aria-labelledby="bs-history"]')).toContain(ADMIN);
  });

  it('stops online booking only with a message in every office language, and resumes it', async () => {
    await page.click('form[aria-labelledby="crisis-title"] button[type=submit]');
    await expect.poll(summary, SOON).toContain('Enter Message in');
    const inputs = page.locator('input[id^="crisis-"]');
    for (let i = 0; i < (await inputs.count()); i++) await inputs.nth(i).fill(`Closed today (${i})`);
    await page.click('form[aria-labelledby="crisis-title"] button[type=submit]');
    await page.click('#confirm-yes');
    await expect.poll(() => page.getByTestId('booking-state').textContent(), SOON).toContain('Online booking is stopped.');
    await page.click('form[aria-labelledby="crisis-title"] button[type=submit]');
    await page.click('#confirm-yes');
    await expect.poll(() => page.getByTestId('booking-state').textContent(), SOON).toContain('Online booking is open.');
  });
});

describe('bans and decisions', () => {
  it('asks who to bar before sending, bars a booking number after a confirm (its booking cancelled), and lifts the ban with a reason', async () => {
    await openSection(page, 'bans');
    await page.click('form[aria-labelledby="ban-title"] button[type=submit]');
    await expect.poll(summary, SOON).toContain('Give a booking number, an e-mail, a phone or an identity key.');
    expect(await summary()).toContain('Enter Reason.');
    await page.fill('#ban-number', bookingNumber);
    await page.fill('#ban-reason', 'Invented name');
    await page.click('form[aria-labelledby="ban-title"] button[type=submit]');
    await page.waitForSelector('dialog#confirm');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('confirm-no');
    await page.click('#confirm-yes');
    await expect.poll(() => page.textContent('main .status'), SOON).toContain(bookingNumber);
    await expect.poll(() => page.locator('tr[data-ban]').count(), SOON).toBe(1);
    expect(await page.textContent('tr[data-ban]')).toContain('Invented name');

    await page.locator('tr[data-ban] button').click();
    await page.click('form[aria-labelledby="lift-title"] button[type=submit]');
    await expect.poll(summary, SOON).toContain('Enter Reason.');
    await page.fill('#lift-reason', 'Identity proven at the counter');
    await page.click('form[aria-labelledby="lift-title"] button[type=submit]');
    await expect.poll(() => page.locator('tr[data-ban]').count(), SOON).toBe(0);
  });

  it('shows what the rules decided about the booking: cancelled by the ban', async () => {
    await page.fill('#decision-ref', bookingNumber);
    await page.click('form[aria-labelledby="decisions-title"] button[type=submit]');
    await page.waitForSelector('[data-testid="decisions"]');
    const text = await page.textContent('[data-testid="decisions"]');
    // The booking was cancelled by the ban's rule (the ban itself is about the person, not the booking).
    expect(text).toContain('Cancelled');
    expect(text).toContain(bookingNumber);
  });
});

describe('the outbox', () => {
  it('lists the messages the booking sent, with their state and never their content', async () => {
    await openSection(page, 'outbox');
    await expect.poll(() => page.locator('tr[data-message]').count(), SOON).toBeGreaterThan(0);
    const table = (await page.textContent('[data-testid="outbox"]')) ?? '';
    expect(table).toContain('Confirmation code');
    expect(table).not.toContain('601111222');
    await page.screenshot({ path: join(SCREENSHOTS, 'backoffice-outbox-en.png'), fullPage: true });
  });
});

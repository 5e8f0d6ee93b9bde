/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { expectAccessible } from './axe.ts';
import { waitForMessage } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The office moves a booking (its day closed): the client's message links to the portal page of
 * that change, which shows the old and the new time in the client's language and lets them
 * accept the new time (or go on to cancel). The demo host with its built-in mail server; the
 * booking made over the API, the page in Chromium.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let cookie: string;
let link: string;
const EMAIL = 'jana.kralova@example.org';

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${host.url}/api/v1${path}`, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const json = await res.json();
  expect(res.status, JSON.stringify(json)).toBeLessThan(300);
  return json;
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-accept-change-e2e-'));
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(readDemoCredentials(dir).admin) });
  cookie = login.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;

  // A booked and confirmed client, in Czech, on the second open day.
  const days = ((await call('GET', '/booking/services/id-cards/days')).days as { day: string; status: string; free: number }[]).filter((d) => d.status === 'open' && d.free > 0);
  const day = days[1]!.day;
  const slot = ((await call('GET', `/booking/services/id-cards/days/${day}/slots`)).slots as { id: string; free: number }[]).find((s) => s.free > 0)!;
  await call('POST', '/booking/holds', { slotId: slot.id, name: 'Jana Králová', email: EMAIL, channel: 'email' }, { 'accept-language': 'cs' });
  const confirm = await waitForMessage(host.url, 'confirmation mail', (s) => s.mails.find((m) => m.to.includes(EMAIL) && /[?&]confirm=/.test(m.text)));
  await call('POST', '/booking/confirm', { token: /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(confirm.text)![1] });

  // The office closes that day; the preview names the booking; the admin moves it.
  const admin = { cookie };
  const calendar = (await call('GET', '/offices/demo/config', undefined, admin)).calendar as { closedDays: unknown[]; changedDays: unknown[] };
  const closing = { closedDays: [...calendar.closedDays, { date: day, note: { cs: 'Státní svátek' } }], changedDays: calendar.changedDays };
  const preview = await call('PUT', '/offices/demo/calendar?preview=1', closing, admin);
  const bookingIds = (preview.affectedBookings as { bookingId: string }[]).map((b) => b.bookingId);
  expect(bookingIds).toHaveLength(1);
  await call('PUT', '/offices/demo/calendar', closing, admin);
  const moved = await call('POST', '/offices/demo/office-change', { bookingIds, action: 'move' }, admin);
  expect(moved.bookings[0].outcome).toBe('moved');
  const mail = await waitForMessage(host.url, 'office-change mail', (s) => s.mails.find((m) => m.to.includes(EMAIL) && /[?&]accept=/.test(m.text)));
  link = /(\/portal\/\?accept=[^\s]+)/.exec(mail.text)![1]!;
}, 90_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the portal page of an office change', () => {
  it('shows the old and the new time in the client’s language; accepting says so, and the link still shows it', async () => {
    expect(link).toMatch(/&was=\d+&lang=cs$/);
    // A browser in English: the page still speaks the client's language, which the link carries.
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'en-GB' })).newPage();
    await page.goto(`${host.url}${link}`);
    await expect.poll(() => page.textContent('h1')).toBe('Úřad přesunul vaši objednávku');
    const card = page.getByTestId('change');
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('Původně');
    expect(text).toContain('Nový čas');
    await expectAccessible(page, 'office change (cs)');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-accept-change-cs.png'), fullPage: true });

    await page.click('#accept-button');
    await expect.poll(() => page.textContent('h1'), { timeout: 5000 }).toBe('Nový čas je přijatý');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-accept-change-done-cs.png'), fullPage: true });
    // Opened again (a second look at the mail): accepted already, nothing to press.
    await page.reload();
    await expect.poll(() => page.textContent('h1')).toBe('Nový čas je přijatý');
    expect(await page.locator('#accept-button').count()).toBe(0);
  });

  it('cancel leads to the cancel page of the same link', async () => {
    const page = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'cs-CZ' })).newPage();
    await page.goto(`${host.url}${link}`);
    await page.getByRole('link', { name: 'Zrušit objednávku' }).first().click();
    await page.click('#cancel-button');
    await expect.poll(() => page.textContent('h1'), { timeout: 5000 }).toBe('Objednávka je zrušena');
  });

  it('a link that names nothing is told, not a blank page', async () => {
    const page = await (await browser.newContext({ locale: 'cs-CZ' })).newPage();
    await page.goto(`${host.url}/portal/?accept=${'x'.repeat(43)}&lang=cs`);
    await expect.poll(() => page.locator('main').textContent(), { timeout: 5000 }).toMatch(/odkaz|Odkaz/);
  });
});

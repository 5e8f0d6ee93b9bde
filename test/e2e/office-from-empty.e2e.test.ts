/// <reference lib="dom" />
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectAccessible } from './axe.ts';
import { ensurePagesBuilt, launchBrowser, ROOT, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * A real office from an empty folder, as its IT department installs it: `fronta init` run as a
 * child process prints where to sign in and a one-time password; plain `fronta serve` (no demo)
 * runs on the folder; then, in Chromium, the administrator chooses their own password, sets the
 * hours and a holiday, adds a kiosk device and pairs a kiosk page with it, adds a department, two
 * services with walk-in capacities and online slots, a counter and a clerk. The kiosk page, open
 * since before the services existed, offers them without a reload; a walk-in ticket is issued
 * there; the clerk chooses their own password at the counter and calls it; the portal does not
 * offer the holiday, and a booking asked for on it anyway is refused.
 *
 * The host runs on the real clock (a host started by the installer's command line has no test
 * clock), so days are chosen relative to today in the office's time zone and the office is open
 * all day, every day.
 */

const OFFICE = 'urad-lhota';
const TZ = 'Europe/Prague';
const ADMIN_PASSWORD = 'our own long password';
const CLERK_PASSWORD = 'the clerk chose this one';
const SOON = { timeout: 10_000 };
const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

let dir: string;
let host: RunningHost;
let browser: Browser;
let admin: Page;
let kiosk: Page;
let printed: { url: string; username: string; password: string };
let clerkOneTime = '';

/** Today (office time) plus `n` days, as YYYY-MM-DD. */
function officeDay(n: number): string {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ }).format(new Date());
  return new Date(Date.parse(`${today}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}
const HOLIDAY = officeDay(3);

const shot = (page: Page, name: string): Promise<Buffer> => page.screenshot({ path: join(SCREENSHOTS, `office-from-empty-${name}.png`), fullPage: true });

/** The office's configuration as the host holds it (with the admin's session). */
const config = (): Promise<any> => admin.evaluate(async (id) => (await fetch(`/api/v1/offices/${id}/config`)).json(), OFFICE);

async function submit(form: string, done: () => Promise<boolean>): Promise<void> {
  await admin.click(`form[aria-labelledby="${form}"] button[type=submit]`);
  await expect.poll(done, SOON).toBe(true);
}

async function openSection(id: string): Promise<void> {
  await admin.click(`nav.sections a[data-section="${id}"]`);
  await admin.waitForSelector(`main[data-open="${id}"]`);
  await expect.poll(() => admin.evaluate(() => document.querySelector('main')?.getAttribute('aria-busy') ?? 'false')).toBe('false');
}

/** The secret the back office shows once (a password, a device token), then closed. */
async function takeSecret(): Promise<string> {
  await admin.waitForSelector('[data-testid="secret"]');
  const value = ((await admin.textContent('[data-testid="secret-value"]')) ?? '').trim();
  await admin.click('[data-testid="secret"] button');
  return value;
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-from-empty-e2e-'));
  const init = spawnSync(process.execPath, [join(ROOT, 'bin/fronta.js'), 'init', '--office-name', 'Úřad Lhota', '--time-zone', TZ, '--languages', 'cs,en', '--data', dir], { encoding: 'utf8', timeout: 30_000 });
  expect(init.status, init.stderr).toBe(0);
  printed = {
    url: /sign in at (\S+)/.exec(init.stdout)?.[1] ?? '',
    username: /user:\s+(\S+)/.exec(init.stdout)?.[1] ?? '',
    password: /password:\s+(\S+)/.exec(init.stdout)?.[1] ?? '',
  };
  [host, browser] = await Promise.all([startHost(dir, 0, {}, { demo: false }), launchBrowser()]);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('an office set up from an empty folder', () => {
  it('fronta init prints where to sign in and a one-time password; the office starts empty, no demo', async () => {
    expect(printed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(printed.username).toBe('admin');
    expect(printed.password.length).toBeGreaterThanOrEqual(10);
    const offices = (await (await fetch(`${host.url}/api/v1/offices`)).json()) as { offices: { id: string; name: string }[] };
    expect(offices.offices.map((o) => [o.id, o.name])).toEqual([[OFFICE, 'Úřad Lhota']]);
    expect((await fetch(`${host.url}/demo/printers`)).status).toBe(404);
  });

  it('the admin signs in from the printed address and chooses their own password', async () => {
    admin = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage();
    // The printed address on the port this host took: the start page, and its link to the back office.
    await admin.goto(`${host.url}${new URL(printed.url).pathname}`);
    await admin.click('a[href="/backoffice/"]');
    await admin.fill('#username', printed.username);
    await admin.fill('#password', printed.password);
    await admin.click('form.login button');
    await admin.waitForSelector('#new-password');
    await admin.fill('#new-password', ADMIN_PASSWORD);
    await admin.fill('#new-password-repeat', ADMIN_PASSWORD);
    await admin.click('form.login button');
    await admin.waitForSelector('nav.sections a');
    const again = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: printed.password }) });
    expect(again.status).toBe(401);
  });

  it('sets the hours (open all day, every day) and a holiday', async () => {
    await openSection('hours');
    for (const d of WEEKDAYS) {
      if (!(await admin.isChecked(`#hours-${d}-isopen`))) await admin.check(`#hours-${d}-isopen`);
      await admin.fill(`#hours-${d}-open`, '00:00');
      await admin.fill(`#hours-${d}-close`, '23:59');
    }
    await submit('hours-title', async () => (await config()).hours.sun?.close === '23:59');
    await admin.fill('#closed-date', HOLIDAY);
    await admin.fill('#closed-note', 'Státní svátek');
    await submit('closed-title', async () => (await admin.locator(`tr[data-date="${HOLIDAY}"]`).count()) === 1);
    expect((await config()).calendar.closedDays).toContainEqual({ date: HOLIDAY, note: { cs: 'Státní svátek' } });
    await shot(admin, 'hours');
  });

  it('adds a kiosk device; a kiosk page pairs with its token while the office has no service yet', async () => {
    await openSection('devices');
    await admin.selectOption('#device-kind', 'kiosk');
    await admin.fill('#device-name', 'Hala');
    await admin.click('form[aria-labelledby="device-add-title"] button[type=submit]');
    const token = await takeSecret();
    kiosk = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await kiosk.goto(`${host.url}/kiosk`);
    await kiosk.locator('#token').fill(token);
    await kiosk.getByRole('button', { name: /Pair|Spárovat/ }).click();
    await kiosk.locator('#token').waitFor({ state: 'detached' });
    expect(await kiosk.locator('button.tile').count()).toBe(0);
    // A mark on this very document: a reload would lose it.
    await kiosk.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));
  });

  it('adds a department and two services with walk-in capacities and online slots; the open kiosk offers them without a reload', async () => {
    await openSection('services');
    await admin.fill('#dept-name-cs', 'Správní odbor');
    await admin.fill('#dept-name-en', 'Administration');
    await submit('dept-title', async () => (await admin.locator('[data-testid="departments"] li').count()) === 1);
    for (const [prefix, cs, en, cap, slot] of [
      ['VA', 'Výpisy A', 'Extracts A', '40', '15'],
      ['VB', 'Výpisy B', 'Extracts B', '24', '30'],
    ] as const) {
      await admin.fill('#svc-prefix', prefix);
      await admin.fill('#svc-name-cs', cs);
      await admin.fill('#svc-name-en', en);
      await admin.fill('#svc-capacity', cap);
      await admin.check('#svc-online');
      await admin.fill('#svc-slot', slot);
      await admin.fill('#svc-places', '2');
      await admin.fill('#svc-horizon', '14');
      await admin.fill('#svc-share', '50');
      if (prefix === 'VA') await expectAccessible(admin, 'a service booked online, its fields open');
      await submit('svc-form-title', async () => (await admin.locator(`tr[data-service="${prefix}"]`).count()) === 1);
    }
    const services = (await config()).services as { prefix: string; dailyWalkInCapacity: number; online: { slotMin: number; placesPerSlot: number; horizonDays: number; onlineSharePct: number } }[];
    expect(services.map((s) => [s.prefix, s.dailyWalkInCapacity, s.online.slotMin, s.online.placesPerSlot, s.online.horizonDays, s.online.onlineSharePct])).toEqual([
      ['VA', 40, 15, 2, 14, 50],
      ['VB', 24, 30, 2, 14, 50],
    ]);
    await shot(admin, 'services');
    await expect.poll(() => kiosk.locator('button.tile', { hasText: 'Výpisy B' }).count(), SOON).toBe(1);
    expect(await kiosk.locator('button.tile', { hasText: 'Výpisy A' }).count()).toBe(1);
    expect(await kiosk.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))).toBe('kept');
    await shot(kiosk, 'kiosk');
  });

  it('adds counter 1 serving both, and a clerk with a one-time password', async () => {
    await openSection('counters');
    await admin.fill('#ctr-number', '1');
    await admin.getByRole('checkbox', { name: 'VA · Extracts A' }).check();
    await admin.getByRole('checkbox', { name: 'VB · Extracts B' }).check();
    await submit('ctr-form-title', async () => (await admin.locator('tr[data-counter="1"]').count()) === 1);
    await openSection('users');
    await admin.fill('#user-username', 'novakova');
    await admin.fill('#user-displayName', 'Jana Nováková');
    await admin.selectOption('#user-role', 'clerk');
    await admin.click('form[aria-labelledby="user-add-title"] button[type=submit]');
    clerkOneTime = await takeSecret();
    expect(clerkOneTime.length).toBeGreaterThanOrEqual(10);
    await shot(admin, 'users');
  });

  it('a walk-in ticket from the kiosk; the clerk chooses their password at the counter and calls it', async () => {
    await kiosk.locator('button.tile', { hasText: 'Výpisy A' }).click();
    const shown = kiosk.getByTestId('ticket-number');
    await shown.waitFor(SOON);
    const number = ((await shown.textContent()) ?? '').trim();
    expect(number).toMatch(/^VA\s?0*1$/);
    await shot(kiosk, 'ticket');

    const counter = await (await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'cs-CZ' })).newPage();
    await counter.goto(`${host.url}/renderer/counter/`);
    await counter.fill('#username', 'novakova');
    await counter.fill('#password', clerkOneTime);
    await counter.press('#password', 'Enter');
    await counter.waitForSelector('#new-password');
    await counter.fill('#new-password', CLERK_PASSWORD);
    await counter.fill('#new-password-repeat', CLERK_PASSWORD);
    await counter.click('form.login button');
    await counter.locator('.picker').waitFor();
    await counter.keyboard.press('1');
    await counter.waitForSelector('#act-n:not([disabled])');
    await counter.keyboard.press('n');
    await expect.poll(async () => ((await counter.textContent('#current-number')) ?? '').trim(), SOON).toBe(number);
    await shot(counter, 'counter');
    await counter.context().close();
  });

  it('the portal offers the services but not the holiday; a booking on it is refused', async () => {
    const portal = await (await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'cs-CZ' })).newPage();
    await portal.goto(`${host.url}/portal/?office=${OFFICE}`);
    await portal.locator('li[data-service] button', { hasText: 'Výpisy A' }).click();
    const day = (d: string) => portal.locator(`li[data-day="${d}"]`);
    await expect.poll(() => day(officeDay(4)).count(), SOON).toBe(1);
    expect(await day(officeDay(2)).count()).toBe(1);
    expect(await day(HOLIDAY).count()).toBe(0);
    await shot(portal, 'portal-days');
    await portal.context().close();

    const serviceId = ((await config()).services as { id: string; prefix: string }[]).find((s) => s.prefix === 'VA')!.id;
    const days = (await (await fetch(`${host.url}/api/v1/booking/services/${serviceId}/days`)).json()) as { days: { day: string; status: string }[] };
    expect(days.days.find((d) => d.day === HOLIDAY)?.status).toBe('closed');
    const slots = (await (await fetch(`${host.url}/api/v1/booking/services/${serviceId}/days/${HOLIDAY}/slots`)).json()) as { status: string; slots: unknown[] };
    expect([slots.status, slots.slots]).toEqual(['closed', []]);
    // A hold asked for anyway (a slot id made up for 10:00 that day) is refused, in the caller's language.
    const hold = await fetch(`${host.url}/api/v1/booking/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'cs' },
      body: JSON.stringify({ slotId: `${serviceId}~${HOLIDAY}~1000`, name: 'Jana Králová', email: 'jana@example.org', channel: 'email' }),
    });
    const refused = (await hold.json()) as { error: { code: string; message: string } };
    expect([hold.status, refused.error.code, refused.error.message]).toEqual([409, 'DAY_CLOSED', 'V tento den je úřad zavřený.']);
  });
});


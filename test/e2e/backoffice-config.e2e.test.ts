/// <reference lib="dom" />
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, openBackoffice, openSection, screenshotSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS, startHost, tearDown, type RunningHost } from './support.ts';

/**
 * The office configuration in the back office, in Chromium against a real host: an admin sets
 * Monday's hours (bookings the change leaves outside them are shown before saving), adds a
 * holiday, two services with their walk-in capacities and a counter serving both in an order of
 * preference; a kiosk page open all along shows the new services without a reload.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
let kiosk: Page;

const SOON = { timeout: 10_000 };
const status = async (): Promise<string> => ((await page.textContent('p.status')) ?? '').trim();

/** The office's configuration as the host holds it (read with the admin's session). */
const config = (): Promise<any> => page.evaluate(async () => (await fetch('/api/v1/offices/demo/config')).json());

/** Submits a form until `done` holds; when the preview finds bookings the change touches, the dialog says so and the admin saves anyway. */
async function submitAndSave(form: string, done: () => Promise<boolean>): Promise<void> {
  await page.click(`${form} button[type=submit]`);
  await expect.poll(async () => (await page.locator('#confirm-yes').count()) > 0 || (await done()), SOON).toBe(true);
  if ((await page.locator('#confirm-yes').count()) > 0) {
    expect(await page.textContent('.confirm-text')).toContain('outside the new hours');
    await page.click('#confirm-yes');
  }
  await expect.poll(done, SOON).toBe(true);
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-config-e2e-'));
  const seeded = await seedBackoffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  kiosk = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
  await kiosk.goto(`${host.url}/kiosk`);
  await kiosk.locator('#token').fill(seeded.kioskToken);
  await kiosk.getByRole('button', { name: /Pair|Spárovat/ }).click();
  await kiosk.locator('button.tile').first().waitFor();
  // A mark on this very document: a reload would lose it.
  await kiosk.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));
  page = await openBackoffice(browser, host.url, ADMIN);
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('office configuration in the back office', () => {
  it('sets Monday’s hours with a lunch break', async () => {
    await openSection(page, 'hours');
    if (!(await page.isChecked('#hours-mon-isopen'))) await page.check('#hours-mon-isopen');
    await page.fill('#hours-mon-open', '07:30');
    await page.fill('#hours-mon-close', '17:00');
    await page.getByRole('button', { name: 'Add a break on Monday' }).click();
    await page.fill('#hours-mon-break0-from', '12:00');
    await page.fill('#hours-mon-break0-to', '12:30');
    await submitAndSave('form[aria-labelledby="hours-title"]', async () => (await config()).hours.mon?.open === '07:30');
    expect((await config()).hours.mon).toEqual({ open: '07:30', close: '17:00', breaks: [{ from: '12:00', to: '12:30' }] });
    await expect.poll(status, SOON).toBe('Saved.');
  });

  it('refuses a break outside the day, beside its field', async () => {
    await page.fill('#hours-mon-break0-from', '18:00');
    await page.fill('#hours-mon-break0-to', '18:30');
    await page.click('form[aria-labelledby="hours-title"] button[type=submit]');
    await expect.poll(() => page.locator('.error-summary').count(), SOON).toBe(1);
    await page.fill('#hours-mon-break0-from', '12:00');
    await page.fill('#hours-mon-break0-to', '12:30');
  });

  it('adds a holiday', async () => {
    await page.fill('#closed-date', '2027-01-01');
    await page.fill('#closed-note', 'Nový rok');
    await submitAndSave('form[aria-labelledby="closed-title"]', async () => (await page.locator('tr[data-date="2027-01-01"]').count()) === 1);
    expect((await config()).calendar.closedDays).toContainEqual({ date: '2027-01-01', note: { cs: 'Nový rok' } });
  });

  it('adds two services with their capacities; the open kiosk shows them without a reload', async () => {
    await openSection(page, 'services');
    for (const [prefix, cs, en, cap] of [
      ['VA', 'Výpisy A', 'Extracts A', '40'],
      ['VB', 'Výpisy B', 'Extracts B', '25'],
    ] as const) {
      await page.fill('#svc-prefix', prefix);
      await page.fill('#svc-name-cs', cs);
      await page.fill('#svc-name-en', en);
      await page.fill('#svc-capacity', cap);
      await submitAndSave('form[aria-labelledby="svc-form-title"]', async () => (await page.locator(`tr[data-service="${prefix}"]`).count()) === 1);
    }
    const services = (await config()).services as { prefix: string; dailyWalkInCapacity: number }[];
    expect(services.filter((s) => s.prefix === 'VA' || s.prefix === 'VB').map((s) => [s.prefix, s.dailyWalkInCapacity])).toEqual([
      ['VA', 40],
      ['VB', 25],
    ]);
    await expect.poll(() => kiosk.locator('button.tile', { hasText: 'Výpisy B' }).count(), SOON).toBe(1);
    expect(await kiosk.locator('button.tile', { hasText: 'Výpisy A' }).count()).toBe(1);
    expect(await kiosk.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))).toBe('kept');
  });

  it('adds a counter serving both, the second one preferred', async () => {
    await openSection(page, 'counters');
    await page.fill('#ctr-number', '9');
    await page.getByRole('checkbox', { name: 'VA · Extracts A' }).check();
    await page.getByRole('checkbox', { name: 'VB · Extracts B' }).check();
    await page.getByRole('button', { name: 'Move VB · Extracts B up' }).click();
    await submitAndSave('form[aria-labelledby="ctr-form-title"]', async () => (await page.locator('tr[data-counter="9"]').count()) === 1);
    const c = await config();
    const id = (p: string): string => (c.services as { id: string; prefix: string }[]).find((s) => s.prefix === p)!.id;
    expect((c.counters as { number: string; serviceIds: string[] }[]).find((x) => x.number === '9')?.serviceIds).toEqual([id('VB'), id('VA')]);
  });

  it('previews a template with sample data, and refuses an unknown placeholder beside its field', async () => {
    await openSection(page, 'templates');
    await page.fill('#tpl-subject', 'Confirmed: {{nonsense}}');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.getAttribute('.error-summary a', 'href'), SOON).toBe('#tpl-subject');
    await page.fill('#tpl-subject', 'Booking confirmed');
    await page.getByRole('button', { name: 'Preview', exact: true }).click();
    await expect.poll(() => page.locator('[data-testid="template-preview"] strong').textContent(), SOON).toBe('Booking confirmed');
  });

  it('lists the office’s address, phone and web among the ticket’s placeholders', async () => {
    await openSection(page, 'templates');
    await page.selectOption('#tpl-pick', 'ticket/en');
    await page.locator('#tpl-header').waitFor();
    const listed = await page.locator('form[aria-labelledby="tpl-title"] p.hint code').allTextContents();
    expect(listed).toEqual(expect.arrayContaining(['{{office.address}}', '{{office.phone}}', '{{office.web}}']));
  });

  it('lists the changes newest first, each with an undo', async () => {
    await openSection(page, 'audit');
    const rows = page.locator('table[data-testid="audit"] tbody tr');
    await expect.poll(() => rows.count(), SOON).toBeGreaterThanOrEqual(5);
    expect(await rows.first().textContent()).toContain('counters');
  });

  it('shows users’ changes and the crisis switch beside the configuration’s, filtered by kind and person; only configuration changes have an undo', async () => {
    // Changes of other kinds, made the way their own sections make them (same origin, the admin's session).
    const answers = await page.evaluate(async () => {
      const send = async (method: string, url: string, body: unknown) => {
        const res = await fetch(url, { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
        return `${res.status} ${await res.text()}`;
      };
      return [
        await send('POST', '/api/v1/offices/demo/users', { username: 'audited', displayName: 'Audited', role: 'clerk', password: 'a long enough password 1' }),
        await send('POST', '/api/v1/booking/offices/demo/crisis', { on: true, message: { en: 'Closed today.' } }),
        await send('POST', '/api/v1/booking/offices/demo/crisis', { on: false }),
      ];
    });
    expect(answers.map((a) => a.slice(0, 3)), answers.join('\n')).toEqual(['201', '200', '200']);
    await openSection(page, 'audit');
    await page.getByRole('button', { name: 'Show' }).click();
    const rows = page.locator('table[data-testid="audit"] tbody tr');
    await expect.poll(async () => await rows.first().getAttribute('data-kind'), SOON).toBe('booking-settings');
    expect(await rows.nth(0).textContent()).toContain('Online booking and crisis switch');
    expect(await rows.nth(2).getAttribute('data-kind')).toBe('people');
    expect(await rows.nth(2).textContent()).toContain('audited');
    expect(await rows.nth(0).getByRole('button', { name: /Undo/ }).count()).toBe(0);

    await page.selectOption('#audit-kind', 'people');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(async () => new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')))), SOON).toEqual(new Set(['people']));

    await page.selectOption('#audit-kind', 'config');
    await page.fill('#audit-who', ADMIN);
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(async () => new Set(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kind')))), SOON).toEqual(new Set(['config']));
    expect(await rows.first().getByRole('button', { name: /Undo/ }).count()).toBe(1);

    // A period with nothing in it.
    await page.selectOption('#audit-kind', '');
    await page.fill('#audit-who', '');
    await page.fill('#audit-from', '2020-01-01');
    await page.fill('#audit-to', '2020-01-02');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => page.locator('section[aria-labelledby="audit-title"]').textContent(), SOON).toContain('No changes yet.');
    await page.fill('#audit-from', '');
    await page.fill('#audit-to', '');
    await page.getByRole('button', { name: 'Show' }).click();
    await expect.poll(() => rows.count(), SOON).toBeGreaterThanOrEqual(8);
  });

  it('sets the nightly backup’s hour and retention; a time that is not one is refused beside its field', async () => {
    await openSection(page, 'backups');
    await expect.poll(() => page.inputValue('#backup-at'), SOON).toBe('02:30');
    expect(await page.inputValue('#backup-keep')).toBe('14');
    await page.fill('#backup-keep', '0');
    await page.click('form[aria-labelledby="backups-title"] button[type=submit]');
    await expect.poll(() => page.textContent('#backup-keep-error'), SOON).toContain('1 to 3650');
    await page.fill('#backup-keep', '30');
    await page.fill('#backup-at', '23:45');
    await page.click('form[aria-labelledby="backups-title"] button[type=submit]');
    await expect.poll(status, SOON).toContain('Saved.');
    const plan = await page.evaluate(async () => (await fetch('/api/v1/offices/demo/backups')).json() as Promise<{ keepDays: number; at: string }>);
    expect(plan).toMatchObject({ keepDays: 30, at: '23:45' });
    expect(JSON.parse(readFileSync(join(dir, 'backup-settings.json'), 'utf8'))).toEqual({ keepDays: 30, at: '23:45' });
  });

  it('draws each new section axe-clean in Czech and Chinese (screenshots)', async () => {
    for (const lang of ['cs', 'zh-CN']) {
      const p = await openBackoffice(browser, host.url, ADMIN, lang);
      for (const id of ['office', 'hours', 'services', 'counters', 'templates', 'audit', 'backups']) {
        await openSection(p, id);
        await screenshotSection(p, id, lang);
      }
      await p.context().close();
    }
  }, 60_000);
});

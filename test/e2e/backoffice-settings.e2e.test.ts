/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, INSTALL_ADMIN, openBackoffice, openSection, screenshotSection, seedBackoffice } from './backoffice-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, setHostClock, startHost, tearDown, type RunningHost, type Seeded } from './support.ts';

/**
 * The back office's settings pages in Chromium against a real host on a test clock: an admin adds
 * a priority category (a kiosk page open all along offers it without a reload), a supervisor
 * gives a service a wait target of its own (the floor's alert follows at once), and each page is
 * photographed in Czech and Chinese.
 */

const START = Date.parse('2026-11-23T09:00:00+01:00');
const SOON = { timeout: 10_000 };

let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;
let page: Page;
let kiosk: Page;

const status = async (p: Page = page): Promise<string> => ((await p.textContent('p.status')) ?? '').trim();
/** The office's configuration as the host holds it (read with the admin's session). */
const config = (): Promise<any> => page.evaluate(async () => (await fetch('/api/v1/offices/demo/config')).json());

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-bo-settings-e2e-'));
  seeded = await seedBackoffice(dir);
  [host, browser] = await Promise.all([startHost(dir, 0, { FRONTA_FAKE_CLOCK: new Date(START).toISOString() }), launchBrowser()]);
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

describe('queue and priority', () => {
  it('refuses a weight out of range beside its field, before sending', async () => {
    await openSection(page, 'fairness');
    await page.click('#fair-add');
    // The new category's first field takes the focus.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), SOON).toBe('fair-cat2-id');
    await page.fill('#fair-cat2-id', 'pregnant');
    await page.fill('#fair-cat2-weight', '500');
    await page.click('form[aria-labelledby="fair-title"] button[type=submit]');
    await expect.poll(() => page.textContent('.error-summary'), SOON).toContain('Weight must be a whole number from 1 to 100');
    expect(await page.getAttribute('#fair-cat2-weight', 'aria-invalid')).toBe('true');
    expect((await config()).fairness.priorityCategories).toHaveLength(2);
  });

  it('adds a priority category and changes the recall cap; the open kiosk offers the category without a reload', async () => {
    await page.fill('#fair-cat2-weight', '50');
    await page.fill('#fair-cat2-name-cs', 'Těhotné');
    await page.fill('#fair-cat2-name-en', 'Pregnant');
    await page.fill('#fair-maxRecalls', '3');
    await page.click('form[aria-labelledby="fair-title"] button[type=submit]');
    await expect.poll(status, SOON).toBe('Saved.');
    const f = (await config()).fairness;
    expect(f.maxRecalls).toBe(3);
    expect(f.priorityCategories).toContainEqual({ id: 'pregnant', weight: 50, names: { cs: 'Těhotné', en: 'Pregnant' } });
    await kiosk.click('button[data-action="priority"]');
    await kiosk.locator('button.category[data-category="pregnant"]').waitFor(SOON);
    expect(await kiosk.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))).toBe('kept');
    await kiosk.getByRole('button', { name: /Back|Zpět/ }).first().click();
  });

  it('removes a category', async () => {
    await page.getByRole('button', { name: 'Remove category Elderly' }).click();
    await page.click('form[aria-labelledby="fair-title"] button[type=submit]');
    await expect.poll(async () => (await config()).fairness.priorityCategories.map((c: { id: string }) => c.id), SOON).toEqual(['disabled', 'pregnant']);
  });

  it('turns the rating request by message on, then ratings off; both are kept and shown again after a reload', async () => {
    // Absent in the seed: ratings taken, no message.
    expect(await page.isChecked('#fair-ratings')).toBe(true);
    expect(await page.isChecked('#fair-ratingMessage')).toBe(false);
    await page.getByLabel('Ask booked clients to rate by message').check();
    await page.click('form[aria-labelledby="fair-title"] button[type=submit]');
    await expect.poll(async () => (await config()).fairness.ratingMessage, SOON).toBe(true);
    expect((await config()).fairness.ratings).toBe(true);
    await page.getByLabel('Clients may rate a finished visit').uncheck();
    await page.click('form[aria-labelledby="fair-title"] button[type=submit]');
    await expect.poll(async () => (await config()).fairness.ratings, SOON).toBe(false);
    expect((await config()).fairness.ratingMessage).toBe(true);
    // The categories saved before are untouched by the toggles.
    expect((await config()).fairness.priorityCategories.map((c: { id: string }) => c.id)).toEqual(['disabled', 'pregnant']);
    await page.reload();
    await openSection(page, 'fairness');
    expect(await page.isChecked('#fair-ratings')).toBe(false);
    expect(await page.isChecked('#fair-ratingMessage')).toBe(true);
  });
});

describe('alert thresholds', () => {
  it('a supervisor gives one service a shorter wait target: the floor alerts for it at once', async () => {
    // A vehicle-register client has waited 6 minutes: under the office's target, no wait alert.
    expect((await post(host.url, '/api/v1/tickets', { authorization: `Bearer ${seeded.kioskToken}` }, { serviceId: 'vehicles' })).status).toBe(201);
    await setHostClock(host.url, START + 6 * 60_000);
    const boss = await openBackoffice(browser, host.url, 'boss');
    const alerts = async (): Promise<{ kind: string; serviceId?: string; threshold?: number }[]> =>
      boss.evaluate(async () => ((await (await fetch('/api/v1/offices/demo/alerts')).json()) as { alerts: { kind: string }[] }).alerts);
    await openSection(boss, 'alert-settings');
    expect((await alerts()).some((a) => a.kind === 'wait_over_target')).toBe(false);
    await boss.fill('#alerts-svc-vehicles', '0');
    await boss.click('form[aria-labelledby="alerts-title"] button[type=submit]');
    await expect.poll(() => boss.textContent('.error-summary'), SOON).toContain('from 1 to 600');
    await boss.fill('#alerts-svc-vehicles', '5');
    await boss.click('form[aria-labelledby="alerts-title"] button[type=submit]');
    await expect.poll(() => status(boss), SOON).toBe('Saved.');
    expect((await config()).alerts.serviceTargets).toEqual({ vehicles: 5 });
    await expect.poll(async () => (await alerts()).find((a) => a.kind === 'wait_over_target'), SOON).toMatchObject({ serviceId: 'vehicles', threshold: 5 });
    await boss.context().close();
  });
});

describe('a service’s own hours and booking rules', () => {
  it('gives ID cards shorter Monday hours, a weekly release and a hold time; the portal offers a newly opened Monday inside the hours only', async () => {
    await openSection(page, 'service-settings');
    await page.selectOption('#svch-service', 'id-cards');
    await page.uncheck('#svch-office');
    await page.fill('#svch-mon-open', '09:00');
    await page.fill('#svch-mon-close', '12:00');
    await page.selectOption('#svch-release', 'scheduled');
    await page.fill('#svch-openAt', '7:00');
    await page.uncheck('#svch-wd-0');
    await page.click('form[aria-labelledby="svch-title"] button[type=submit]');
    // Both told before sending, each beside its field.
    await expect.poll(() => page.locator('.error-summary li').count(), SOON).toBe(2);
    expect(await page.getAttribute('#svch-openAt', 'aria-invalid')).toBe('true');
    await page.fill('#svch-openAt', '07:00');
    // Mondays at 07:00 open the Monday five weeks on: 28 December opened this morning.
    await page.check('#svch-wd-0');
    await page.fill('#svch-daysAhead', '35');
    await page.fill('#svch-hold', '10');
    await page.click('form[aria-labelledby="svch-title"] button[type=submit]');
    // Bookings outside the new hours, if any, are shown first.
    const saved = async (): Promise<boolean> => (await config()).services.find((x: { id: string }) => x.id === 'id-cards').hours !== null;
    await expect.poll(async () => (await page.locator('#confirm-yes').count()) > 0 || (await saved()), SOON).toBe(true);
    if ((await page.locator('#confirm-yes').count()) > 0) await page.click('#confirm-yes');
    await expect.poll(saved, SOON).toBe(true);
    const s = (await config()).services.find((x: { id: string }) => x.id === 'id-cards');
    expect(s.hours.mon).toEqual({ open: '09:00', close: '12:00', breaks: [] });
    expect(s.online.release).toEqual({ kind: 'scheduled', openAt: '07:00', weekdays: [0], daysAhead: 35 });
    expect(s.online.holdMin).toBe(10);
    expect(s.online.slotMin).toBe(15);
    // Days already open keep the slots they were given; 28 December comes within reach once the
    // horizon (on the services page) grows to 40 days, and is cut by the new hours.
    await openSection(page, 'services');
    await page.getByRole('button', { name: 'Edit A', exact: true }).click();
    await page.fill('#svc-horizon', '40');
    await page.click('form[aria-labelledby="svc-form-title"] button[type=submit]');
    await expect.poll(async () => (await config()).services.find((x: { id: string }) => x.id === 'id-cards').online.horizonDays, SOON).toBe(40);
    expect((await config()).services.find((x: { id: string }) => x.id === 'id-cards').hours.mon.open).toBe('09:00');
    const slots = (await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days/2026-12-28/slots`)).json()) as { slots: { startAt: number }[] };
    const local = (at: number): string => new Date(at + 60 * 60_000).toISOString().slice(11, 16);
    expect(slots.slots.length).toBeGreaterThan(0);
    expect(slots.slots.every((x) => local(x.startAt) >= '09:00' && local(x.startAt) < '12:00')).toBe(true);
  });

  it('asks for an identity key on the vehicle register with a label in each language', async () => {
    await openSection(page, 'service-settings');
    await page.selectOption('#svch-service', 'vehicles');
    expect(await page.isChecked('#svch-identity')).toBe(true);
    await page.fill('#svch-idlabel-en', 'Chassis number');
    await page.uncheck('#svch-identity-required');
    await page.click('form[aria-labelledby="svch-title"] button[type=submit]');
    await expect.poll(async () => (await config()).services.find((x: { id: string }) => x.id === 'vehicles').online.identityKey?.label.en, SOON).toBe('Chassis number');
    expect((await config()).services.find((x: { id: string }) => x.id === 'vehicles').online.identityKey.required).toBe(false);
  });
});

/** A PNG drawn by the browser: a black bar with a grey square on white, `w`×`h` pixels. */
const drawnPng = async (w: number, h: number): Promise<Buffer> =>
  Buffer.from(
    await page.evaluate(
      ([w, h]) => {
        const c = document.createElement('canvas');
        c.width = w;
        c.height = h;
        const g = c.getContext('2d')!;
        g.fillStyle = '#fff';
        g.fillRect(0, 0, w, h);
        g.fillStyle = '#000';
        g.fillRect(0, 0, w, h / 4);
        g.fillStyle = '#888';
        g.fillRect(w / 4, h / 2, w / 2, h / 2);
        return c.toDataURL('image/png').split(',')[1]!;
      },
      [w, h] as const,
    ),
    'base64',
  );

describe('logos', () => {
  it('refuses a screen logo over the size limit, beside the file field', async () => {
    await openSection(page, 'logos');
    await page.setInputFiles('#logo-screen-file', { name: 'big.png', mimeType: 'image/png', buffer: Buffer.alloc(70 * 1024, 1) });
    await expect.poll(() => page.textContent('.error-summary'), SOON).toContain('at most 64 KiB');
    expect(await page.locator('#logo-screen-preview').count()).toBe(0);
  });

  it('names a logo kept in the printer by its key', async () => {
    await page.selectOption('#logo-ticket-kind', 'stored');
    await page.fill('#logo-ticket-key', 'a');
    await page.click('form[aria-labelledby="logos-title"] button[type=submit]');
    await expect.poll(() => page.textContent('.error-summary'), SOON).toContain('two characters');
    await page.fill('#logo-ticket-key', '01');
    await page.click('form[aria-labelledby="logos-title"] button[type=submit]');
    await expect.poll(async () => (await config()).logos.ticket, SOON).toEqual({ kind: 'stored', key: '01' });
  });

  it('sets the screen logo and a ticket logo drawn into dots in the browser; the host serves and keeps them', async () => {
    const png = await drawnPng(300, 100);
    await page.setInputFiles('#logo-screen-file', { name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.locator('#logo-screen-preview').waitFor(SOON);
    await page.selectOption('#logo-ticket-kind', 'raster');
    await page.setInputFiles('#logo-ticket-file', { name: 'logo.png', mimeType: 'image/png', buffer: png });
    await page.locator('#logo-ticket-preview').waitFor(SOON);
    // 300×100 at up to 384 dots: the largest that fits 1,024 bytes is 152×51 (969 B; 160×53 would be 1,060).
    const caption = (await page.textContent('[data-testid="ticket-logo-size"]')) ?? '';
    expect(caption).toMatch(/^\s*152 × 51 dots, 969 of 1,024 bytes, about 1\.02 s to send at 9600 baud\.\s*$/);
    await page.check('#logo-ticket-dither');
    await page.click('form[aria-labelledby="logos-title"] button[type=submit]');
    await expect.poll(async () => (await config()).logos.ticket.kind, SOON).toBe('raster');
    const { logos } = await config();
    expect(logos.screen).toEqual({ mediaType: 'image/png', data: png.toString('base64') });
    expect(logos.ticket.kind).toBe('raster');
    expect([logos.ticket.widthDots, logos.ticket.heightDots]).toEqual([152, 51]);
    // The top quarter of the picture is black: the first row of the raster prints every dot.
    const first = Buffer.from(logos.ticket.data, 'base64').subarray(0, logos.ticket.widthDots / 8);
    expect([...first].every((b) => b === 0xff)).toBe(true);
    const served = await fetch(`${host.url}/api/v1/offices/demo/logo`);
    expect(served.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await served.arrayBuffer()).equals(png)).toBe(true);
  });
});

describe('departments', () => {
  it('renames a department; one still holding services is not removed, an empty one is', async () => {
    await openSection(page, 'departments');
    await page.getByRole('button', { name: 'Edit department Transport' }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), SOON).toBe('dep-name-cs');
    await page.fill('#dep-name-en', 'Transport and vehicles');
    await page.click('form[aria-labelledby="dep-form-title"] button[type=submit]');
    await expect.poll(async () => (await config()).departments.find((x: { id: string }) => x.id === 'dep-transport').names.en, SOON).toBe('Transport and vehicles');
    // The vehicle register is still in it: the host refuses, and the page says why.
    await page.getByRole('button', { name: 'Remove department Transport and vehicles?' }).click();
    await page.click('#confirm-yes');
    await expect.poll(() => page.getAttribute('p.status', 'class'), SOON).toContain('problem');
    expect(await page.textContent('p.status')).toContain('services still belong to this department');
    expect((await config()).departments.map((x: { id: string }) => x.id)).toContain('dep-transport');
    await page.fill('#dep-name-en', 'Archive');
    await page.click('form[aria-labelledby="dep-form-title"] button[type=submit]');
    await page.locator('tr', { hasText: 'Archive' }).waitFor(SOON);
    await page.getByRole('button', { name: 'Remove department Archive?' }).click();
    await page.click('#confirm-yes');
    await expect.poll(async () => (await config()).departments.map((x: { names: { en?: string } }) => x.names.en), SOON).toEqual(['Administration', 'Transport and vehicles']);
  });
});

describe('a new office', () => {
  it('an office’s admin has no such page; the install’s admin adds an office with its first admin, who signs in with the password shown once', async () => {
    expect(await page.locator('nav.sections a[data-section="offices"]').count()).toBe(0);
    const root = await openBackoffice(browser, host.url, INSTALL_ADMIN);
    await openSection(root, 'offices');
    await root.click('form[aria-labelledby="new-office-title"] button[type=submit]');
    await expect.poll(() => root.locator('.error-summary li').count(), SOON).toBe(2);
    await root.fill('#new-office-name', 'Úřad Lhota');
    await root.fill('#new-office-id', 'lhota');
    await root.fill('#new-office-timeZone', 'Mars/Olympus');
    await root.check('#new-office-lang-en');
    await root.fill('#new-office-username', 'lhota-admin');
    await root.click('form[aria-labelledby="new-office-title"] button[type=submit]');
    // The host's refusal, beside the field it names.
    await expect.poll(() => root.getAttribute('#new-office-timeZone', 'aria-invalid'), SOON).toBe('true');
    await root.fill('#new-office-timeZone', 'Europe/Prague');
    await root.click('form[aria-labelledby="new-office-title"] button[type=submit]');
    const secret = root.locator('[data-testid="secret-value"]');
    await secret.waitFor(SOON);
    const password = ((await secret.textContent()) ?? '').trim();
    expect(await root.locator('#office-pick option[value="lhota"]').count()).toBe(1);
    const login = await post(host.url, '/api/v1/auth/login', {}, { username: 'lhota-admin', password });
    expect(login.status, JSON.stringify(login.json)).toBe(200);
    expect(login.json.user).toMatchObject({ officeId: 'lhota', role: 'admin', mustChangePassword: true });
    await screenshotSection(root, 'offices', 'en');
    await root.context().close();
  });
});

describe('screenshots', () => {
  for (const lang of ['cs', 'zh-CN']) {
    it(`each settings page in ${lang}`, async () => {
      // The install's administrator sees every page, the new office's too.
      const p = await openBackoffice(browser, host.url, INSTALL_ADMIN, lang);
      for (const id of ['logos', 'departments', 'service-settings', 'fairness', 'alert-settings', 'offices']) {
        await openSection(p, id);
        await screenshotSection(p, id, lang);
      }
      await p.context().close();
    });
  }
});

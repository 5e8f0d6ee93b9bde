import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { axeViolations, WCAG_AA } from './kiosk-support.ts';
import { ensurePagesBuilt, launchBrowser, post, SCREENSHOTS, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * A ticket's status page (`/t/<id>`, the QR code on the paper) on a phone in Chromium against
 * `fronta serve` (the demo office): the number with its service and office, the people ahead in
 * the reader's plural form, the likely wait only once a counter serving it is open, WCAG 2.1 AA
 * clean, in Czech and Chinese.
 */

let dir: string;
let host: RunningHost;
let browser: Browser;
let page: Page;
const tickets: { id: string; number: string }[] = [];

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-ticket-page-e2e-'));
  host = await startHost(dir);
  const kiosk = { authorization: `Bearer ${readDemoCredentials(dir).kioskToken}`, 'accept-language': 'cs' };
  for (let i = 0; i < 3; i++) {
    const issued = await post(host.url, '/api/v1/tickets', kiosk, { serviceId: 'id-cards' });
    expect(issued.status, JSON.stringify(issued.json)).toBe(201);
    tickets.push(issued.json.ticket);
  }
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 390, height: 844 } });
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

async function expectAxeClean(label: string): Promise<void> {
  const violations = await axeViolations(page, { tags: WCAG_AA });
  expect(violations, `${label}: ${JSON.stringify(violations, null, 1)}`).toEqual([]);
}

describe('a ticket’s status page', () => {
  it('shows the service, the office and the people ahead, and no wait while nothing can be told', async () => {
    const third = tickets[2]!;
    await page.goto(`${host.url}/t/${third.id}?lang=cs`);
    await expect.poll(() => page.getByTestId('number').textContent()).toBe(third.number);
    expect(await page.getByTestId('service').textContent()).toBe('Občanské průkazy a pasy');
    expect(await page.getByTestId('office').textContent()).toBe('Městský úřad Kostelec (demo)');
    expect(await page.getByTestId('status').textContent()).toBe('Před vámi jsou 2 lidé');
    // No counter serves it yet: no estimate, and no "cannot estimate" either.
    expect(await page.getByTestId('wait').count()).toBe(0);
    expect(await page.locator('body').textContent()).not.toMatch(/nelze odhadnout/);
    await expectAxeClean('ticket page cs');
    await page.screenshot({ path: join(SCREENSHOTS, 'ticket-status-cs.png') });

    await page.getByRole('combobox').selectOption('zh-CN');
    await expect.poll(() => page.getByTestId('status').textContent()).toBe('前面还有2人');
    expect(await page.getByTestId('service').textContent()).toBe('身份证和护照');
    await expectAxeClean('ticket page zh-CN');
    await page.screenshot({ path: join(SCREENSHOTS, 'ticket-status-zh-CN.png') });
  });

  it('says the likely wait once a counter serving it opens, and the plural of one person', async () => {
    const creds = readDemoCredentials(dir).clerk;
    const res = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds) });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
    expect((await post(host.url, '/api/v1/counters/c3/open', { cookie })).status).toBe(200);
    expect((await post(host.url, '/api/v1/counters/c3/call-next', { cookie })).status).toBe(200);
    await page.goto(`${host.url}/t/${tickets[2]!.id}?lang=cs`);
    await expect.poll(() => page.getByTestId('status').textContent(), { timeout: 10_000 }).toBe('Před vámi je 1 člověk');
    await expect.poll(() => page.getByTestId('wait').textContent()).toMatch(/^Odhad čekání: asi \d+ min$/);
    await expectAxeClean('ticket page cs, with a wait');
    await page.screenshot({ path: join(SCREENSHOTS, 'ticket-status-wait-cs.png') });
  });

  it('asks a client whose visit is done for a one-tap rating, and thanks them', async () => {
    const creds = readDemoCredentials(dir).clerk;
    const res = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(creds) });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
    // Counter 3 has the first ticket: serve it, then the next call ends it as done.
    expect((await post(host.url, '/api/v1/counters/c3/start', { cookie })).status).toBe(200);
    expect((await post(host.url, '/api/v1/counters/c3/call-next', { cookie })).status).toBe(200);
    await page.goto(`${host.url}/t/${tickets[0]!.id}?lang=cs`);
    const rating = page.getByTestId('rating');
    await expect.poll(() => rating.locator('legend').textContent(), { timeout: 10_000 }).toBe('Jak jste byli spokojeni s návštěvou?');
    await expectAxeClean('ticket page cs, rating');
    await rating.getByRole('button', { name: 'Velmi dobře' }).click();
    await expect.poll(() => rating.locator('.thanks').textContent()).toBe('Děkujeme za hodnocení.');
    expect(await rating.locator('button[data-mark="5"]').getAttribute('aria-pressed')).toBe('true');
    await page.screenshot({ path: join(SCREENSHOTS, 'ticket-rating-cs.png') });
    // What the office reads: a number per service and counter, nothing else.
    const boss = readDemoCredentials(dir).admin;
    const admin = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(boss) });
    const adminCookie = admin.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
    const today = new Date().toISOString().slice(0, 10);
    const summary = await (await fetch(`${host.url}/api/v1/offices/demo/ratings?from=${today}&to=${today}`, { headers: { cookie: adminCookie } })).json();
    expect(summary).toMatchObject({ total: { count: 1, mean: 5 }, services: [{ serviceId: 'id-cards', count: 1 }], counters: [{ counterId: 'c3', count: 1 }] });
  });
});

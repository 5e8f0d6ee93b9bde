/// <reference lib="dom" />
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensurePagesBuilt, launchBrowser, login, PASSWORD, post, SCREENSHOTS, seedOffice, startHost, type RunningHost, type Seeded, tearDown } from './support.ts';

/**
 * The supervisors' floor view in Chromium against a real host process: signed in as a
 * supervisor, it follows the office live — a ticket issued at the kiosk shows in its line, a call
 * shows at the counter with its clerk and leaves the line — without a reload. A clerk is sent away.
 */

let dir: string;
let seeded: Seeded;
let host: RunningHost;
let browser: Browser;
let floor: Page;

const waitingFor = (serviceId: string): Promise<string | null> => floor.textContent(`tr[data-service="${serviceId}"] td.waiting`);
const counterCard = (counterId: string) => floor.locator(`article[data-counter="${counterId}"]`);

async function signIn(page: Page, username: string): Promise<void> {
  await page.goto(`${host.url}/renderer/floor/`);
  await page.fill('#username', username);
  await page.fill('#password', PASSWORD);
  await page.click('form.login button');
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-floor-e2e-'));
  seeded = await seedOffice(dir);
  [host, browser] = await Promise.all([startHost(dir), launchBrowser()]);
  floor = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage();
  await signIn(floor, 'boss');
  await floor.waitForSelector('tr[data-service="cashier"]');
}, 60_000);

afterAll(() => tearDown({ browser, host, dir }));

describe('the floor view', () => {
  it('shows every counter and line of the office as they are', async () => {
    expect(await floor.locator('article[data-counter]').count()).toBe(4);
    expect(await floor.locator('tr[data-service]').count()).toBe(3);
    expect(await waitingFor('cashier')).toBe('0');
    expect(await counterCard('c1').locator('.status').textContent()).toBe('closed');
    expect(await counterCard('c1').locator('.clerk').textContent()).toBe('—');
  });

  it('follows a ticket live: issued at the kiosk into its line, called to a counter with its clerk', async () => {
    const kiosk = { authorization: `Bearer ${seeded.kioskToken}` };
    const first = await post(host.url, '/api/v1/tickets', kiosk, { serviceId: 'cashier' });
    await post(host.url, '/api/v1/tickets', kiosk, { serviceId: 'cashier' });
    await post(host.url, '/api/v1/tickets', kiosk, { serviceId: 'vehicles' });
    expect(first.status).toBe(201);
    await expect.poll(() => waitingFor('cashier'), { timeout: 5000 }).toBe('2');
    await expect.poll(() => waitingFor('vehicles'), { timeout: 5000 }).toBe('1');
    expect(await waitingFor('id-cards')).toBe('0');

    const clerk = { cookie: await login(host.url, 'clerk1') };
    expect((await post(host.url, '/api/v1/counters/c1/open', clerk)).status).toBe(200);
    await expect.poll(() => counterCard('c1').locator('.status').textContent(), { timeout: 5000 }).toBe('open');
    expect(await counterCard('c1').locator('.clerk').textContent()).toBe('clerk1');
    const called = await post(host.url, '/api/v1/counters/c1/call-next', clerk);
    expect(called.json.ticket.number).toBe(first.json.ticket.number);
    await expect.poll(() => counterCard('c1').locator('.ticket').textContent(), { timeout: 5000 }).toBe(`${first.json.ticket.number} · called`);
    await expect.poll(() => waitingFor('cashier'), { timeout: 5000 }).toBe('1');
    await post(host.url, '/api/v1/counters/c1/start', clerk);
    await expect.poll(() => counterCard('c1').locator('.ticket').textContent(), { timeout: 5000 }).toBe(`${first.json.ticket.number} · being served`);
    await floor.screenshot({ path: join(SCREENSHOTS, 'floor.png'), fullPage: true });
  });

  it('stops online booking with a message the public reads in its own language, and resumes it', async () => {
    const publicView = async (lang: string, query = '') =>
      (await (await fetch(`${host.url}/api/v1/booking/offices/demo/services${query}`, { headers: { 'accept-language': lang } })).json()) as { suspended: boolean; suspendedMessage: string };
    const card = floor.locator('section.booking');
    await expect.poll(() => card.getByTestId('booking-state').textContent(), { timeout: 5000 }).toBe('Online booking is open.');
    // Without the message in every office language the switch is not turned: each reader must be told why.
    await card.getByTestId('booking-stop').click();
    const summary = floor.locator('.error-summary');
    await summary.waitFor();
    expect((await summary.locator('li').allTextContents()).map((x) => x.trim())).toEqual(['Write the message in Čeština too.', 'Write the message in English too.', 'Write the message in Română too.', 'Write the message in 中文 too.']);
    expect(await floor.evaluate(() => document.activeElement?.classList.contains('error-summary'))).toBe(true);
    expect((await publicView('en')).suspended).toBe(false);

    const MESSAGE = {
      cs: 'Registr je mimo provoz. Zkuste to prosím zítra.',
      en: 'The registry system is down. Please try again tomorrow.',
      ro: 'Registrul nu funcționează. Încercați mâine.',
      'zh-CN': '登记系统故障，请明天再试。',
    };
    for (const [lang, text] of Object.entries(MESSAGE)) await floor.fill(`#crisis-message-${lang}`, text);
    await floor.screenshot({ path: join(SCREENSHOTS, 'floor-booking-form.png'), fullPage: true });
    floor.once('dialog', (d) => void d.accept());
    await card.getByTestId('booking-stop').click();
    await expect.poll(() => card.getByTestId('booking-state').textContent(), { timeout: 5000 }).toBe('Online booking is stopped. The public sees this message:');
    expect(await publicView('en')).toMatchObject({ suspended: true, suspendedMessage: MESSAGE.en });
    expect(await publicView('zh-CN,zh;q=0.9')).toMatchObject({ suspended: true, suspendedMessage: MESSAGE['zh-CN'] });
    expect(await publicView('cs', '?lang=ro')).toMatchObject({ suspended: true, suspendedMessage: MESSAGE.ro });
    expect(await card.locator('blockquote').textContent()).toBe(MESSAGE.en);
    expect(await card.locator('.last').textContent()).toContain('boss');
    await floor.screenshot({ path: join(SCREENSHOTS, 'floor-booking-stopped.png'), fullPage: true });

    await card.getByTestId('booking-resume').click();
    await expect.poll(() => card.getByTestId('booking-state').textContent(), { timeout: 5000 }).toBe('Online booking is open.');
    expect((await publicView('en')).suspended).toBe(false);
    // The form starts from the message the public saw last.
    expect(await floor.inputValue('#crisis-message-zh-CN')).toBe(MESSAGE['zh-CN']);
  });

  it('alerts live when a line waits with no counter to serve it, and clears when one opens', async () => {
    const kiosk = { authorization: `Bearer ${seeded.kioskToken}` };
    // Vehicles (counter 4 only) waits since the test above; one more line: ID cards (counters 2, 3).
    expect((await post(host.url, '/api/v1/tickets', kiosk, { serviceId: 'id-cards' })).status).toBe(201);
    const alert = (service: string) => floor.locator('section.alerts li[data-alert="queue_unserved"]', { hasText: service });
    await expect.poll(() => alert('Vehicle').count(), { timeout: 5000 }).toBe(1);
    await expect.poll(() => alert('ID').count(), { timeout: 5000 }).toBe(1);
    expect(await floor.locator('section.alerts').getAttribute('aria-live')).toBe('polite');
    await floor.screenshot({ path: join(SCREENSHOTS, 'floor-alerts.png'), fullPage: true });

    const clerk4 = { cookie: await login(host.url, 'clerk4') };
    expect((await post(host.url, '/api/v1/counters/c4/open', clerk4)).status).toBe(200);
    await expect.poll(() => alert('Vehicle').count(), { timeout: 5000 }).toBe(0);
    expect(await alert('ID').count(), 'ID cards still has nobody').toBe(1);
  });

  it('is for supervisors: a clerk is told so', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await signIn(page, 'clerk2');
    await expect.poll(() => page.textContent('[role="alert"].error')).toBe('The floor view is for supervisors.');
    await page.close();
  });
});

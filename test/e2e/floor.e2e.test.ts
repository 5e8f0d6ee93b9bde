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

  it('stops online booking with a message the public sees, and resumes it', async () => {
    const publicView = async () =>
      (await (await fetch(`${host.url}/api/v1/booking/offices/demo/services`, { headers: { 'accept-language': 'en' } })).json()) as { suspended: boolean; suspendedMessage: string };
    const card = floor.locator('section.booking');
    await expect.poll(() => card.getByTestId('booking-state').textContent(), { timeout: 5000 }).toBe('Online booking is open.');
    // Without a message the switch is not turned: the public must be told why.
    await floor.fill('#crisis-message', '');
    await card.getByTestId('booking-stop').click();
    await expect.poll(() => floor.textContent('[role="alert"].error')).toBe('Write the message the public will see first.');
    expect((await publicView()).suspended).toBe(false);

    await floor.fill('#crisis-message', 'The registry system is down. Please try again tomorrow.');
    floor.once('dialog', (d) => void d.accept());
    await card.getByTestId('booking-stop').click();
    await expect.poll(() => card.getByTestId('booking-state').textContent(), { timeout: 5000 }).toBe('Online booking is stopped. The public sees this message:');
    expect(await publicView()).toMatchObject({ suspended: true, suspendedMessage: 'The registry system is down. Please try again tomorrow.' });
    expect(await card.locator('.last').textContent()).toContain('boss');
    await floor.screenshot({ path: join(SCREENSHOTS, 'floor-booking-stopped.png'), fullPage: true });

    await card.getByTestId('booking-resume').click();
    await expect.poll(() => card.getByTestId('booking-state').textContent(), { timeout: 5000 }).toBe('Online booking is open.');
    expect((await publicView()).suspended).toBe(false);
  });

  it('is for supervisors: a clerk is told so', async () => {
    const page = await browser.newPage({ locale: 'en-GB' });
    await signIn(page, 'clerk2');
    await expect.poll(() => page.textContent('[role="alert"].error')).toBe('The floor view is for supervisors.');
    await page.close();
  });
});

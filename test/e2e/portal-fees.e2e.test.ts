import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaymentSimulator, type PaymentSimulatorHandle } from '../../drivers/payment/simulator/server.ts';
import { readDemoCredentials } from '../helpers/child-host.ts';
import { startFaultProxy, type FaultProxy } from '../reliability/fault-proxy.ts';
import { axeViolations } from './axe.ts';
import { freePort, waitForMessage } from './portal-support.ts';
import { ensurePagesBuilt, launchBrowser, SCREENSHOTS, setHostClock, startHost, type RunningHost, tearDown } from './support.ts';

/**
 * A fee-paying service on the portal, in Chromium at phone width, against `fronta serve --demo`
 * (whose payment provider is the payment simulator, on its own port) on a test clock: the fee is
 * shown before a time is held; after the SMS code the booking waits for payment; Pay opens the
 * simulator's card page (a second window on the same booking meanwhile sees the payment in
 * progress, its Pay inert); the card 4444 3333 2222 1111 pays, the provider sends the citizen
 * back and the page shows the booking confirmed with the receipt. A second booking is left
 * unpaid: once its deadline passes on the test clock, its page says so and its time is free again.
 * The host reaches the simulator through a TCP proxy, so that the provider can also be down: the
 * pay step then says so in the citizen's words, with the time still held, and paying works once
 * it is back.
 */

const MIN = 60_000;
const FEE = 35_000;
const DEADLINE_MIN = 20;

let dir: string;
let host: RunningHost;
let browser: Browser;
let simulator: PaymentSimulatorHandle;
let proxy: FaultProxy;
/** The host's wait for the provider (ms): a slow provider answers after it. */
const PAY_TIMEOUT_MS = 1000;
let phone: BrowserContext;
let start = 0;
/** The order paid in the first test (the back office finds it). */
let paidOrder = '';

interface Slot {
  id: string;
  time: string;
  startAt: number;
  free: number;
}

/** axe-core on the page as it is: serious and critical violations fail the test. */
async function axe(page: Page, label: string): Promise<void> {
  const bad = (await axeViolations(page, 'all')).filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(bad, `${label}: ${JSON.stringify(bad, null, 1)}`).toEqual([]);
}

const view = (page: Page, kind: string) => page.locator(`main[data-view="${kind}"]`).waitFor({ timeout: 15_000 });

async function api(method: string, path: string, cookie: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${host.url}/api/v1${path}`, {
    method,
    headers: { cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

const slotsOf = async (day: string): Promise<Slot[]> => ((await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days/${day}/slots`)).json()) as { slots: Slot[] }).slots;

/** Service → the day of `slot` → that time → name and phone → the SMS code; ends on the order's page. */
async function bookAndConfirm(page: Page, slot: Slot, day: string, name: string, phoneNo: string): Promise<void> {
  await page.goto(`${host.url}/portal/?office=demo`);
  await view(page, 'services');
  await page.locator('[data-service="id-cards"]').click();
  await view(page, 'days');
  await page.locator(`[data-day="${day}"]`).click();
  await view(page, 'times');
  const button = page.locator(`[data-slot="${slot.id}"]`);
  // The times are shown half a day at a time.
  if ((await button.count()) === 0) await page.locator('button.part[aria-pressed="false"]').click();
  await button.click();
  await view(page, 'details');
  await page.locator('#name').fill(name);
  await page.locator('#phone').fill(phoneNo);
  await page.locator('#channel-sms').check();
  await page.locator('#hold-submit').click();
  await view(page, 'hold');
  const digits = phoneNo.replace(/\D/g, '').slice(-9);
  const code = await waitForMessage(host.url, 'SMS code', (s) => {
    const m = s.sms.find((x) => x.to.includes(digits) && /\b\d{6}\b/.test(x.text));
    return m === undefined ? undefined : /\b(\d{6})\b/.exec(m.text)![1];
  });
  await page.locator('input#code').fill(code);
  await page.locator('#hold-code').click();
  await view(page, 'pay');
}

beforeAll(async () => {
  ensurePagesBuilt();
  mkdirSync(SCREENSHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'fronta-portal-fees-e2e-'));
  // The test clock starts at real time: the simulator signs its webhooks with it (5-minute tolerance).
  start = Date.now();
  simulator = await startPaymentSimulator({ apiKey: 'e2e-pay-key', webhookSecret: 'e2e-pay-webhooks' });
  proxy = await startFaultProxy(simulator.port);
  host = await startHost(dir, await freePort(), {
    FRONTA_FAKE_CLOCK: new Date(start).toISOString(),
    FRONTA_PAY_URL: proxy.url('http'),
    FRONTA_PAY_API_KEY: 'e2e-pay-key',
    FRONTA_PAY_WEBHOOK_SECRET: 'e2e-pay-webhooks',
    FRONTA_PAY_TIMEOUT_MS: String(PAY_TIMEOUT_MS),
  });
  simulator.setWebhookUrl(`${host.url}/api/v1/payments/webhook`);
  // The admin sets the fee of ID cards, as the back office's service form does.
  const admin = readDemoCredentials(dir).admin;
  const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(admin) });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
  const cfg = await api('GET', '/offices/demo/config', cookie);
  const online = (cfg.json as { services: { id: string; online: Record<string, unknown> }[] }).services.find((s) => s.id === 'id-cards')!.online;
  const fee = { amount: FEE, currency: 'CZK', deadlineMin: DEADLINE_MIN, refunds: { clientCancel: 'none', officeChange: 'refund' } };
  const set = await api('PATCH', '/offices/demo/services/id-cards', cookie, { online: { ...online, fee } });
  expect(set.status, JSON.stringify(set.json)).toBe(200);
  browser = await launchBrowser();
  phone = await browser.newContext({ viewport: { width: 360, height: 780 }, deviceScaleFactor: 1, hasTouch: true, locale: 'en-GB' });
}, 90_000);

afterAll(async () => {
  await tearDown({ browser, host, dir });
  await proxy?.close();
  await simulator?.close();
});

/** The back office's fee section, signed in as the demo's admin. */
async function backOfficeFees(): Promise<Page> {
  const admin = readDemoCredentials(dir).admin;
  const page = await (await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'en-GB' })).newPage();
  await page.goto(`${host.url}/backoffice/?lang=en`);
  await page.fill('#username', admin.username);
  await page.fill('#password', admin.password);
  await page.click('form.login button');
  await page.waitForSelector('nav.sections a');
  await page.click('nav.sections a[data-section="fees"]');
  await page.waitForSelector('main[data-open="fees"]');
  return page;
}

/** Two free times of the first bookable day, an hour apart or more (each booking its own). */
async function twoSlots(): Promise<{ day: string; a: Slot; b: Slot }> {
  const days = ((await (await fetch(`${host.url}/api/v1/booking/services/id-cards/days`)).json()) as { days: { day: string; status: string; free: number }[] }).days;
  for (const d of days.filter((x) => x.status === 'open' && x.free > 1)) {
    const free = (await slotsOf(d.day)).filter((s) => s.free > 0 && s.startAt > start + 2 * 60 * MIN);
    const a = free[0];
    const b = free.find((s) => a !== undefined && s.startAt >= a.startAt + 60 * MIN);
    if (a !== undefined && b !== undefined) return { day: d.day, a, b };
  }
  throw new Error(`no two free times: ${JSON.stringify(days)}`);
}

describe('a fee paid on the portal (payment simulator, test clock)', () => {
  let slots: { day: string; a: Slot; b: Slot };

  it('shows the fee before a time is held; pays on the provider’s page (a second window sees it in progress); the booking confirmed with the receipt', async () => {
    slots = await twoSlots();
    const page = await phone.newPage();
    await page.goto(`${host.url}/portal/?office=demo`);
    await view(page, 'services');
    // The amount and the minutes to pay, on the service's choice itself.
    await expect.poll(() => page.locator('[data-service="id-cards"]').textContent()).toContain('350.00');
    expect(await page.locator('[data-service="id-cards"]').textContent()).toContain(`${DEADLINE_MIN}`);
    await axe(page, 'services with a fee');

    await bookAndConfirm(page, slots.a, slots.day, 'JANA NOVÁKOVÁ', '+420 601 555 001');
    const orderNo = new URL(page.url()).searchParams.get('order')!;
    expect(orderNo).toMatch(/\S/);
    paidOrder = orderNo;
    await expect.poll(() => page.locator('main').textContent()).toContain(orderNo);
    expect(await page.locator('main').textContent()).toContain('350.00');
    await axe(page, 'pay');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-fee-pay-en.png'), fullPage: true });
    const holdKey = await page.evaluate(() => sessionStorage.getItem('fronta.portal.hold'));
    expect(holdKey).not.toBeNull();

    await page.locator('#pay-button').click();
    await page.waitForURL(/\/secure\//);
    await page.locator('#card-no').waitFor();

    // A second window on the same booking (a duplicated tab keeps its session storage): the payment in progress, Pay inert.
    const second = await phone.newPage();
    await second.addInitScript((key) => sessionStorage.setItem('fronta.portal.hold', key), holdKey!);
    await second.goto(`${host.url}/portal/?office=demo&order=${orderNo}`);
    await view(second, 'pay');
    await second.getByTestId('paying').waitFor();
    expect(await second.locator('#pay-button').isDisabled()).toBe(true);
    await axe(second, 'pay, in progress elsewhere');
    await second.screenshot({ path: join(SCREENSHOTS, 'portal-fee-in-progress-en.png'), fullPage: true });

    await page.locator('#card-no').fill('4444333322221111');
    await page.locator('#expiry').fill('12/39');
    await page.locator('#cvc').fill('123');
    await page.getByTestId('pay').click();
    // The provider sends the citizen back: the order's true state, the booking confirmed, the receipt.
    await page.waitForURL(/\/portal\/\?/);
    await view(page, 'pay');
    await page.getByTestId('paid').waitFor();
    const receipt = page.getByTestId('receipt');
    const text = (await receipt.textContent())!;
    expect(text).toContain(orderNo);
    expect(text).toContain('350.00');
    expect(text).toMatch(/pay_|[a-z0-9]{10,}/i);
    await page.getByTestId('kiosk-code').waitFor();
    await axe(page, 'paid');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-fee-paid-en.png'), fullPage: true });

    // Reload and Back land on the same true state.
    await page.reload();
    await page.getByTestId('paid').waitFor();
    // The second window follows by itself.
    await second.getByTestId('paid').waitFor({ timeout: 15_000 });
    const booking = await (await fetch(`${host.url}/api/v1/booking/holds/${holdKey}`)).json();
    expect(booking.state).toBe('confirmed');
    await second.close();
    await page.close();
  }, 120_000);

  it('the payment service down: the pay step says so, with the time still held and what to do; once it is back, paying works', async () => {
    const slot = (await slotsOf(slots.day)).find((x) => x.free > 0 && x.id !== slots.b.id && x.startAt > start + 2 * 60 * MIN)!;
    const page = await phone.newPage();
    await bookAndConfirm(page, slot, slots.day, 'EVA DVOŘÁKOVÁ', '+420 601 555 003');
    const holdKey = (await page.evaluate(() => sessionStorage.getItem('fronta.portal.hold')))!;
    const lead = (await page.locator('p.lead').textContent())!;

    await proxy.set('down');
    await page.locator('#pay-button').click();
    const notice = page.getByTestId('provider-down');
    await notice.waitFor({ timeout: 3 * PAY_TIMEOUT_MS + 5000 });
    const said = (await notice.textContent())!;
    expect(said).toContain('The payment service is not answering');
    // The same held-until time as the page's lead, and what to do.
    expect(said).toContain(/until (.+?)\./.exec(lead)![1]!);
    expect(said).toMatch(/Try again/);
    expect(await page.locator('#pay-button').textContent()).toContain('Try again');
    expect(await page.locator('#pay-button').isDisabled()).toBe(false);
    expect(await page.getByTestId('error-summary').count()).toBe(0);
    await axe(page, 'pay, provider down');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-fee-provider-down-en.png'), fullPage: true });
    // In the citizen's language.
    await page.getByRole('combobox').selectOption('cs');
    await expect.poll(() => notice.textContent()).toContain('Platební služba momentálně neodpovídá');
    expect(await page.locator('#pay-button').textContent()).toContain('Zkusit znovu');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-fee-provider-down-cs.png'), fullPage: true });
    await page.getByRole('combobox').selectOption('en');
    await expect.poll(() => notice.textContent()).toContain('The payment service is not answering');
    expect((await (await fetch(`${host.url}/api/v1/booking/holds/${holdKey}`)).json()).state).not.toBe('confirmed');
    // The back office lists the order as waiting on the provider, with no answer from it yet.
    const orderNo = new URL(page.url()).searchParams.get('order')!;
    const office = await backOfficeFees();
    const row = office.locator(`tr[data-waiting="${orderNo}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('No answer from the provider yet');
    await axe(office, 'back office fees, provider down');
    await office.screenshot({ path: join(SCREENSHOTS, 'backoffice-fees-waiting-en.png'), fullPage: true });
    await office.context().close();

    // Slower than the host waits: pressed again, the same message, never a blank or a raw error.
    await proxy.set('slow', 2.5 * PAY_TIMEOUT_MS);
    const [answer] = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/pay'), { timeout: 3 * PAY_TIMEOUT_MS + 5000 }), page.locator('#pay-button').click()]);
    expect(answer.status()).toBeLessThan(500);
    await expect.poll(() => page.locator('#pay-button').getAttribute('aria-busy')).toBe('false');
    expect(await notice.textContent()).toContain('The payment service is not answering');
    expect(await page.locator('#pay-button').isDisabled()).toBe(false);
    expect(await page.getByTestId('error-summary').count()).toBe(0);

    // Back: Try again opens the provider's page (the same payment, asked under its key), and the card pays.
    await proxy.set('up');
    await page.locator('#pay-button').click();
    await page.waitForURL(/\/secure\//);
    await page.locator('#card-no').fill('4444333322221111');
    await page.locator('#expiry').fill('12/39');
    await page.locator('#cvc').fill('123');
    await page.getByTestId('pay').click();
    await page.waitForURL(/\/portal\/\?/);
    await page.getByTestId('paid').waitFor();
    expect((await (await fetch(`${host.url}/api/v1/booking/holds/${holdKey}`)).json()).state).toBe('confirmed');
    await page.close();
  }, 120_000);

  it('a booking left unpaid: once its deadline passes, its page says so and its time is free again', async () => {
    const page = await phone.newPage();
    const before = (await slotsOf(slots.day)).find((s) => s.id === slots.b.id)!.free;
    await bookAndConfirm(page, slots.b, slots.day, 'PETR SVOBODA', '+420 601 555 002');
    expect((await slotsOf(slots.day)).find((s) => s.id === slots.b.id)!.free).toBe(before - 1);
    await page.locator('#pay-button').waitFor();

    await setHostClock(host.url, start + (DEADLINE_MIN + 1) * MIN);
    await expect.poll(async () => (await slotsOf(slots.day)).find((s) => s.id === slots.b.id)?.free, { timeout: 30_000, interval: 500 }).toBe(before);
    await page.getByTestId('order-expired').waitFor({ timeout: 15_000 });
    await axe(page, 'expired');
    await page.screenshot({ path: join(SCREENSHOTS, 'portal-fee-expired-en.png'), fullPage: true });

    // Book again: the time is offered again.
    await page.locator('#book-again').click();
    await view(page, 'services');
    await page.locator('[data-service="id-cards"]').click();
    await view(page, 'days');
    await page.locator(`[data-day="${slots.day}"]`).click();
    await view(page, 'times');
    const time = page.locator(`[data-slot="${slots.b.id}"]`);
    if ((await time.count()) === 0) await page.locator('button.part[aria-pressed="false"]').click();
    await time.waitFor();
    await page.close();
  }, 120_000);

  it('the back office: the paid order’s history found by its number; the service form shows and saves the fee', async () => {
    const page = await backOfficeFees();
    await page.fill('#fees-order', paidOrder);
    await page.click('form[aria-labelledby="fees-find-title"] button[type=submit]');
    const card = page.locator(`section[data-order="${paidOrder}"]`);
    await card.waitFor();
    expect(await card.getByTestId('order-state').textContent()).toBe('Paid');
    const history = (await card.getByTestId('fee-history').textContent())!;
    expect(history).toContain('succeeded');
    expect(history).toContain('card_payment_succeeded');
    await axe(page, 'back office fees');
    await page.screenshot({ path: join(SCREENSHOTS, 'backoffice-fees-en.png'), fullPage: true });

    await page.click('nav.sections a[data-section="services"]');
    await page.waitForSelector('main[data-open="services"]');
    await page.locator('tr[data-service]', { hasText: 'ID cards' }).getByRole('button', { name: /Edit/ }).click();
    expect(await page.locator('#svc-fee').isChecked()).toBe(true);
    expect(await page.inputValue('#svc-fee-amount')).toBe('350.00');
    expect(await page.inputValue('#svc-fee-deadline')).toBe(String(DEADLINE_MIN));
    await axe(page, 'service form with a fee');
    await page.fill('#svc-fee-amount', '360.50');
    const fee = async (): Promise<number | undefined> =>
      (await page.evaluate(async () => (await (await fetch('/api/v1/offices/demo/config')).json()) as { services: { id: string; online: { fee?: { amount: number } } | null }[] })).services.find(
        (x) => x.id === 'id-cards',
      )?.online?.fee?.amount;
    await page.click('form[aria-labelledby="svc-form-title"] button[type=submit]');
    await expect.poll(async () => (await page.locator('#confirm-yes').count()) > 0 || (await fee()) === 36_050, { timeout: 10_000 }).toBe(true);
    if ((await page.locator('#confirm-yes').count()) > 0) await page.click('#confirm-yes');
    await expect.poll(fee, { timeout: 10_000 }).toBe(36_050);
    await page.context().close();
  }, 90_000);
});

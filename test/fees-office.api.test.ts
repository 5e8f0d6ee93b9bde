import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openOrder, processObservation } from '../core/fees/orders.ts';
import { ordersInUnitOfWork } from '../core/fees/settle.ts';
import { govukPay } from '../drivers/payment/govuk-pay.adapter.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from '../drivers/payment/simulator/server.ts';
import { webhookReader } from '../host/payments.ts';
import { insertConfirmedBooking, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';
import { payOnPage, submitCard } from './fees/helpers.ts';

/**
 * What the office's staff read about fees, over HTTP against the payment simulator: an order's
 * history (attempts, webhooks, refunds, states with times) by order or booking number, and the
 * CSV exports — daily totals, refunds, and our orders beside the provider's statement.
 */

const KEY = 'api_test_fees_office';
const SECRET = 'whsec_fees_office';
const FEE = 2500;
const FEE_CONFIG = { amount: FEE, currency: 'CZK', deadlineMin: 30, refunds: { clientCancel: 'none' as const, officeChange: 'refund' as const } };
let sim: PaymentSimulatorHandle;
let h: BookingTestHost;
let base: string;
let testClockAt = 0;

async function start(store: TestStore): Promise<void> {
  sim = await startPaymentSimulator({ apiKey: KEY, webhookSecret: SECRET, webhookUrl: null, refundDelayMs: 5, webhookRetryBaseMs: 20 });
  h = await startBookingHost({
    store,
    fees: (_db, stores) => ({ orders: stores.orders, ledger: stores.ledger, payments: govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 5000 }), ...webhookReader(SECRET) }),
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  sim.setWebhookUrl(`${base}/api/v1/payments/webhook`);
  const online = (await staff('GET', '/offices/o1/config')).json<{ services: { id: string; online: Record<string, unknown> }[] }>().services.find((s) => s.id === 'o1-s1')!.online;
  expect((await staff('PATCH', '/offices/o1/services/o1-s1', { online: { ...online, fee: FEE_CONFIG } })).statusCode).toBe(200);
  // Signatures carry the provider's real time: the host's clock stands at it while citizens pay.
  testClockAt = h.clock.now();
  h.clock.set(Date.now());
}
afterEach(async () => {
  await sim.settled();
  await sim.close();
  await h.close();
});

/** A staff request (the sessions were opened on the test clock: asked at that time). */
async function staff(method: 'GET' | 'PATCH', url: string, payload?: unknown, who = 'admin', lang = 'en'): Promise<LightMyRequestResponse> {
  const now = h.clock.now();
  if (testClockAt !== 0) h.clock.set(testClockAt);
  try {
    const opts: InjectOptions = { method, url: `/api/v1${url}`, headers: { cookie: h.cookie(who), 'accept-language': lang } };
    if (payload !== undefined) opts.payload = payload as object;
    return await h.app.inject(opts);
  } finally {
    h.clock.set(now);
  }
}

let n = 0;
/** A confirmed booking of the fee-paying service, its holder's secret and number. */
async function booking(): Promise<{ secret: string; number: string }> {
  n++;
  const secret = `officefees${String(n).padStart(4, '0')}`.padEnd(43, 'x');
  const number = `FEEOFF${String(n).padStart(3, '0')}`;
  const startAt = h.clock.now() + 3 * 86_400_000;
  await h.queue.run(async () => {
    const b = await insertConfirmedBooking(
      h,
      { key: 900 + n, day: '2099-01-01', startAt, number, kioskCode: `5555000${n}` },
      { state: 'awaiting_payment', holdKeyHash: h.booking.keyed.hashToken(secret), confirmedAt: h.clock.now() },
    );
    // The order opened at confirmation, as the booking flow does.
    await openOrder({ orders: h.stores.orders, ids: h.ids }, { bookingId: b.id, officeId: 'o1', serviceId: 'o1-s1', fee: FEE_CONFIG, confirmedAt: h.clock.now() });
  });
  return { secret, number };
}

interface PayView {
  orderNo: string;
  nextUrl: string | null;
}
const pay = async (secret: string): Promise<PayView> => (await (await fetch(`${base}/api/v1/booking/holds/${secret}/pay`, { method: 'POST' })).json()) as PayView;
const returnTo = async (location: string): Promise<{ state: string }> => {
  const url = new URL(location);
  return (await (await fetch(`${base}${url.pathname}${url.search}`, { headers: { accept: 'application/json' } })).json()) as { state: string };
};
const setFaults = async (orderNo: string, simulate: string): Promise<void> => {
  const res = await fetch(`${sim.url}/simulator/faults/${orderNo}`, { method: 'PUT', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ simulate }) });
  expect(res.status).toBe(204);
};
const today = (): string => new Date().toISOString().slice(0, 10);
const rows = (csv: string): string[][] => csv.replace(/^\uFEFF/, '').trim().split('\r\n').map((l) => l.split(','));

/** One order paid plainly, one charged twice (its second charge refunded); both settled. */
async function twoOrders(): Promise<{ paid: string; twice: string; twiceBooking: string }> {
  const a = await booking();
  const first = await pay(a.secret);
  expect((await returnTo((await payOnPage(first.nextUrl!)).location!)).state).toBe('paid');
  // Faults hold for payments made from now on: the first try is cancelled, the second carries them.
  const b = await booking();
  const opened = await pay(b.secret);
  await setFaults(opened.orderNo, 'charge_twice');
  await returnTo((await payOnPage(opened.nextUrl!, { action: 'cancel' })).location!);
  const again = await pay(b.secret);
  expect((await fetch(again.nextUrl!)).status).toBe(200);
  const form = `${sim.url}/secure/${again.nextUrl!.split('/').pop()!}`;
  const [r1] = await Promise.all([submitCard(form), submitCard(form)]);
  await sim.settled();
  await returnTo(r1.location!);
  await sim.settled();
  // The reconciliation job's step: the refund's outcome is asked of the provider.
  const payments = govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 5000 });
  // Its writes in the host's unit of work, as the host's job makes them.
  const orders = ordersInUnitOfWork(h.stores.orders, h.queue);
  const deps = { orders, execute: { payments, description: 'fee', returnUrl: () => base } };
  expect((await processObservation(deps, opened.orderNo, { kind: 'reconcile', at: h.clock.now() }, h.clock.now())).ok).toBe(true);
  return { paid: first.orderNo, twice: opened.orderNo, twiceBooking: b.number };
}

describe.each(BOTH_STORES)('fees in the back office (%s)', (store) => {
  beforeEach(async () => {
    await start(store);
  });

  it('an order’s history: each attempt with its reference, the webhooks, the refund, every state with its time — by order or booking number', async () => {
    const { paid, twice, twiceBooking } = await twoOrders();
    const byOrder = await staff('GET', `/offices/o1/fees/orders?order=${paid}`);
    expect(byOrder.statusCode, byOrder.body).toBe(200);
    const [o] = byOrder.json<{ orders: { state: string; attempts: { providerRef: string }[]; history: { at: number; what: string; state: string; detail: string | null }[] }[] }>().orders;
    expect(o!.state).toBe('paid');
    const steps = o!.history.filter((x) => x.what !== 'webhook').map((x) => `${x.what}:${x.state}`);
    expect(steps).toEqual(expect.arrayContaining(['order:awaiting_payment', 'attempt:created', 'attempt:succeeded', 'order:paid']));
    expect(steps.indexOf('order:awaiting_payment')).toBeLessThan(steps.indexOf('order:paid'));
    expect(o!.history.some((x) => x.what === 'webhook' && x.state === 'card_payment_succeeded')).toBe(true);
    expect(o!.history.find((x) => x.what === 'attempt' && x.state === 'succeeded')?.detail).toBe(o!.attempts[0]!.providerRef);
    expect(o!.history.every((x) => x.at > Date.now() - 60_000)).toBe(true);

    const byBooking = await staff('GET', `/offices/o1/fees/orders?booking=${twiceBooking}`);
    expect(byBooking.statusCode, byBooking.body).toBe(200);
    const [t] = byBooking.json<{ orders: { orderNo: string; bookingNumber: string; attempts: { state: string; captured: number; refunds: { reason: string; state: string }[] }[]; history: { what: string; state: string }[] }[] }>().orders;
    expect(t).toMatchObject({ orderNo: twice, bookingNumber: twiceBooking });
    expect(t!.attempts.map((a) => a.state)).toEqual(['cancelled', 'succeeded']);
    expect(t!.attempts[1]).toMatchObject({ captured: 2 * FEE, refunds: [{ reason: 'duplicate', state: 'succeeded' }] });
    expect(t!.history.filter((x) => x.what === 'refund').map((x) => x.state)).toEqual(expect.arrayContaining(['requested', 'succeeded']));

    // Not found: an unknown order or booking number; neither or both keys are a bad request.
    expect((await staff('GET', '/offices/o1/fees/orders?order=FEE-nope')).statusCode).toBe(404);
    expect((await staff('GET', '/offices/o1/fees/orders?booking=NOSUCH1')).statusCode).toBe(404);
    expect((await staff('GET', '/offices/o1/fees/orders')).statusCode).toBe(400);
    expect((await staff('GET', `/offices/o1/fees/orders?order=${paid}&booking=${twiceBooking}`)).statusCode).toBe(400);
    expect((await staff('GET', `/offices/o1/fees/orders?order=${paid}`, undefined, 'clerk1')).statusCode).toBe(403);
  });

  it('CSV exports: daily totals, the refund with both references, and every order matching the provider’s statement', async () => {
    const { paid, twice } = await twoOrders();
    const q = `?from=${today()}&to=${today()}`;
    const daily = await staff('GET', `/offices/o1/fees/daily.csv${q}`);
    expect(daily.statusCode, daily.body).toBe(200);
    expect(daily.headers['content-type']).toContain('text/csv');
    const d = rows(daily.body);
    expect(d[0]).toEqual(['Day', 'Currency', 'Payments', 'Captured', 'Refunds', 'Refunded', 'Net']);
    // Two payments captured 3 fees (one charged twice); one fee refunded; net two fees.
    expect(d.slice(1)).toEqual([[today(), 'CZK', '2', String(3 * FEE), '1', String(FEE), String(2 * FEE)]]);

    const refunds = rows((await staff('GET', `/offices/o1/fees/refunds.csv${q}`)).body);
    expect(refunds).toHaveLength(2);
    const [order, providerRef, refundId, amount, currency, reason, state] = refunds[1]!;
    expect([order, amount, currency, reason, state]).toEqual([twice, String(FEE), 'CZK', 'Charged twice', 'Refunded']);
    expect(providerRef).not.toBe('');
    expect(refundId).not.toBe('');

    const rec = rows((await staff('GET', `/offices/o1/fees/reconciliation.csv${q}`)).body);
    expect(rec[0]).toEqual(['Order number', 'Currency', 'Captured (ours)', 'Refunded (ours)', 'Charged (provider)', 'Refunded (provider)', 'Result']);
    const byNo = new Map(rec.slice(1).map((r) => [r[0], r]));
    expect(byNo.get(paid)).toEqual([paid, 'CZK', String(FEE), '0', String(FEE), '0', 'Matches']);
    expect(byNo.get(twice)).toEqual([twice, 'CZK', String(2 * FEE), String(FEE), String(2 * FEE), String(FEE), 'Matches']);

    // Czech: `;` between cells, the headers in Czech.
    const cs = await staff('GET', `/offices/o1/fees/daily.csv${q}`, undefined, 'admin', 'cs');
    expect(cs.body).toContain('Den;Měna;Platby');
    // A period before any payment: headers only.
    expect(rows((await staff('GET', '/offices/o1/fees/daily.csv?from=2020-01-01&to=2020-01-02')).body)).toHaveLength(1);
    expect((await staff('GET', '/offices/o1/fees/daily.csv?from=2020-02-01&to=2020-01-01')).statusCode).toBe(400);
  });
});

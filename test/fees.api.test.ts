import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Booking } from '../core/booking/model.ts';
import type { FeeData } from '../core/config/model.ts';
import { openOrder } from '../core/fees/orders.ts';
import { govukPay } from '../drivers/payment/govuk-pay.adapter.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from '../drivers/payment/simulator/server.ts';
import { signWebhook } from '../drivers/payment/webhook-signature.ts';
import { webhookReader } from '../host/payments.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';
import { literal } from './fees/host.ts';
import { payOnPage, submitCard } from './fees/helpers.ts';

/**
 * Paying a booking's fee over HTTP against the payment simulator: the host listens on loopback,
 * the simulator sends its signed webhooks there, the citizen pays on the simulator's card page.
 * Each test ends with the client's net charge on the provider's statement: one fee, or zero.
 */

const KEY = 'api_test_fees';
const SECRET = 'whsec_fees_api';
const FEE = 2500;
const FEE_CONFIG: FeeData = { amount: FEE, currency: 'CZK', deadlineMin: 30, refunds: { clientCancel: 'none', officeChange: 'refund' } };
let sim: PaymentSimulatorHandle;
let h: BookingTestHost;
let base: string;
let n = 0;
let signedInAt = 0;

async function start(store: TestStore): Promise<void> {
  // A provider per test: each test host numbers its orders from 1, as the provider must never have seen.
  sim = await startPaymentSimulator({ apiKey: KEY, webhookSecret: SECRET, webhookUrl: null, refundDelayMs: 5, webhookRetryBaseMs: 20 });
  h = await startBookingHost({
    store,
    fees: (_db, stores) => ({ orders: stores.orders, ledger: stores.ledger, payments: govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 5000 }), ...webhookReader(SECRET) }),
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  sim.setWebhookUrl(`${base}/api/v1/payments/webhook`);
  // The service's fee, set as an admin does in the back office.
  const cfg = await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/config', headers: { cookie: h.cookie('admin') } });
  expect(cfg.statusCode, cfg.body).toBe(200);
  const online = cfg.json<{ services: { id: string; online: Record<string, unknown> }[] }>().services.find((s) => s.id === 'o1-s1')!.online;
  const set = await h.app.inject({ method: 'PATCH', url: '/api/v1/offices/o1/services/o1-s1', headers: { cookie: h.cookie('admin') }, payload: { online: { ...online, fee: FEE_CONFIG } } });
  expect(set.statusCode, set.body).toBe(200);
  // Signatures carry the provider's real time: from here the host's clock stands at it.
  signedInAt = h.clock.now();
  h.clock.set(Date.now());
}
afterEach(async () => {
  await sim.settled();
  await sim.close();
  await h.close();
});

/** A booking of o1-s1 whose contact is confirmed, awaiting its payment with its order open, written to the store (the portal flow: test/fees.booking.api.test.ts); its holder's secret. */
async function confirmedBooking(): Promise<string> {
  n++;
  const startAt = h.clock.now() + 3 * 86_400_000;
  // 43 characters of base64url, like the portal's hold keys.
  const secret = `holdsecret${String(n).padStart(4, '0')}`.padEnd(43, 'x');
  const slotId = `o1-s1~fees~${n}`;
  await h.sql(`INSERT INTO slots (id, service_id, day, start_min, start_at, places, taken) VALUES (${literal(slotId)}, 'o1-s1', '2099-01-01', 600, ${startAt}, 5, 1)`);
  const b: Booking = {
    id: `bkfee${n}`,
    number: `FEETEST${String(n).padStart(3, '0')}`,
    officeId: 'o1',
    serviceId: 'o1-s1',
    slotId,
    day: '2099-01-01',
    startAt,
    state: 'awaiting_payment',
    language: 'en',
    channel: 'email',
    nameSealed: h.booking.keyed.seal('JANA NOVÁKOVÁ'),
    emailSealed: null,
    phoneSealed: null,
    emailHash: null,
    phoneHash: null,
    identityKeyId: null,
    identityHash: null,
    holdKeyHash: h.booking.keyed.hashToken(secret),
    holdExpiresAt: startAt,
    holdExtended: false,
    kioskCode: null,
    cancelHash: null,
    createdAt: h.clock.now(),
    confirmedAt: h.clock.now(),
    expiredAt: null,
    cancelledAt: null,
    checkedInAt: null,
    ticketId: null,
    lapsedAt: null,
    noShowAt: null,
    sequence: 0,
    changeAcceptedAt: null,
  };
  await h.queue.run(async () => {
    await h.booking.store.insertBooking(b);
    await openOrder({ orders: h.stores.orders, ids: h.ids }, { bookingId: b.id, officeId: 'o1', serviceId: 'o1-s1', fee: FEE_CONFIG, confirmedAt: h.clock.now() });
  });
  return secret;
}

interface View {
  orderNo: string;
  state: string;
  nextUrl: string | null;
  paying: boolean;
  attempts: { no: number; state: string; providerRef: string | null; refunded: number }[];
}
const pay = async (secret: string): Promise<{ status: number; view: View }> => {
  const res = await fetch(`${base}/api/v1/booking/holds/${secret}/pay`, { method: 'POST' });
  return { status: res.status, view: (await res.json()) as View };
};
const order = async (orderNo: string): Promise<View> => (await (await fetch(`${base}/api/v1/booking/fees/${orderNo}`)).json()) as View;
/** The return redirect as the citizen's browser follows it (the public URL is the test host's loopback address). */
const returnTo = async (location: string): Promise<View> => {
  const url = new URL(location);
  return (await (await fetch(`${base}${url.pathname}${url.search}`)).json()) as View;
};
const setFaults = async (orderNo: string, simulate: string): Promise<void> => {
  const res = await fetch(`${sim.url}/simulator/faults/${orderNo}`, { method: 'PUT', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ simulate }) });
  expect(res.status).toBe(204);
};
/** What the provider's own statement says this order cost the client. */
const netCharge = async (orderNo: string): Promise<number> => {
  const s = await govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 10_000 }).listStatement();
  if (!s.ok) throw new Error('no statement');
  return s.value.filter((e) => e.reference === orderNo).reduce((sum, e) => sum + (e.type === 'charge' ? e.amount : -e.amount), 0);
};
const deliveries = async (): Promise<{ eventId: string; status: number }[]> => Promise.resolve([...sim.deliveries]);

/**
 * Faults apply to payments made after they are set, and the order number exists once pay is
 * pressed: the citizen cancels the first payment on the provider's page, comes back, and pays
 * again — the second attempt carries the faults.
 */
async function secondAttemptWith(secret: string, faults: string): Promise<{ view: View; nextUrl: string }> {
  const { view } = await pay(secret);
  await setFaults(view.orderNo, faults);
  const cancel = await payOnPage(view.nextUrl!, { action: 'cancel' });
  expect((await returnTo(cancel.location!)).attempts[0]?.state).toBe('cancelled');
  const again = await pay(secret);
  expect(again.view.attempts).toHaveLength(2);
  return { view: again.view, nextUrl: again.view.nextUrl! };
}

describe.each(BOTH_STORES)('a service’s fee in the office configuration (%s)', (store) => {
  beforeEach(async () => {
    await start(store);
  });

  it('is read back as set, and the audit records who set it', async () => {
    h.clock.set(signedInAt); // the admin's session was opened on the test clock, before it jumped to real time
    const cfg = await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/config', headers: { cookie: h.cookie('admin') } });
    const fee = cfg.json<{ services: { id: string; online: { fee?: unknown } | null }[] }>().services.find((s) => s.id === 'o1-s1')?.online?.fee;
    expect(fee).toEqual({ amount: FEE, currency: 'CZK', deadlineMin: 30, refunds: { clientCancel: 'none', officeChange: 'refund' } });
    const audit = await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/audit', headers: { cookie: h.cookie('admin') } });
    expect(JSON.stringify(audit.json<{ changes: unknown[] }>().changes[0])).toContain('deadlineMin');
  });
});

describe.each(BOTH_STORES)('paying a booking’s fee against the provider (%s)', (store) => {
  beforeEach(async () => {
    await start(store);
  });

  it('a double click on pay opens one payment, and both answers point to it', async () => {
    const secret = await confirmedBooking();
    const [a, b] = await Promise.all([pay(secret), pay(secret)]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.view.orderNo).toBe(b.view.orderNo);
    expect(a.view.nextUrl).not.toBeNull();
    expect(b.view.nextUrl).toBe(a.view.nextUrl);
    expect(a.view.attempts).toHaveLength(1);
    // A third press later (a second window) still answers the payment in progress.
    const c = await pay(secret);
    expect(c.view).toMatchObject({ paying: true, nextUrl: a.view.nextUrl });
    const done = await payOnPage(a.view.nextUrl!);
    expect(done.status).toBe(303);
    const back = await returnTo(done.location!);
    expect(back.state).toBe('paid');
    await sim.settled();
    expect(await netCharge(a.view.orderNo)).toBe(FEE);
  });

  it('the webhook before the redirect pays the order; the redirect then changes nothing', async () => {
    const secret = await confirmedBooking();
    const { view } = await pay(secret);
    const done = await payOnPage(view.nextUrl!);
    await sim.settled();
    expect((await order(view.orderNo)).state).toBe('paid');
    const back = await returnTo(done.location!);
    expect(back).toMatchObject({ state: 'paid', paying: false, nextUrl: null });
    expect(await netCharge(view.orderNo)).toBe(FEE);
  });

  it('a webhook delivered twice is handled once, every delivery answered 2xx', async () => {
    const { view, nextUrl } = await secondAttemptWith(await confirmedBooking(), 'webhook_twice');
    const before = (await deliveries()).length;
    await payOnPage(nextUrl);
    await sim.settled();
    const ds = (await deliveries()).slice(before);
    const ids = ds.map((d) => d.eventId);
    expect(ids.length).toBeGreaterThan(new Set(ids).size);
    expect(ds.every((d) => d.status === 200)).toBe(true);
    expect((await order(view.orderNo)).state).toBe('paid');
    const recorded = (await h.sql<{ event_id: string }>('SELECT event_id FROM fee_webhook_events')).map((r) => r.event_id);
    expect(new Set(recorded)).toEqual(new Set([...recorded, ...ids]));
    expect(await netCharge(view.orderNo)).toBe(FEE);
  });

  it('a forged webhook (bad signature, or a signature older than 5 minutes) is refused and changes nothing', async () => {
    const secret = await confirmedBooking();
    const { view } = await pay(secret);
    const ref = view.attempts[0]!.providerRef!;
    const body = JSON.stringify({
      webhook_message_id: 'forged-1',
      resource_id: ref,
      resource_type: 'payment',
      event_type: 'card_payment_succeeded',
      resource: { payment_id: ref, reference: view.orderNo, amount: FEE, state: { status: 'success', finished: true }, refund_summary: { amount_available: FEE, amount_submitted: 0 }, metadata: { attempt: 1 } },
    });
    // The host's clock stands where the test set it: at the provider's time now, so "older than 5 minutes" is measured from here.
    h.clock.set(Date.now());
    const now = Math.floor(h.clock.now() / 1000);
    const post = (sig: string) => fetch(`${base}/api/v1/payments/webhook`, { method: 'POST', headers: { 'content-type': 'application/json', 'pay-signature': sig }, body });
    const bad = await post(signWebhook('whsec_wrong', body, now));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('FEE_WEBHOOK_INVALID');
    expect((await post(signWebhook(SECRET, body, now - 301))).status).toBe(400);
    expect((await order(view.orderNo)).state).toBe('awaiting_payment');
    expect(await h.sql('SELECT event_id FROM fee_webhook_events')).toEqual([]);
    expect(await netCharge(view.orderNo)).toBe(0);
  });

  it('a duplicate charge is refunded exactly once, whoever reports it', async () => {
    const { view, nextUrl } = await secondAttemptWith(await confirmedBooking(), 'charge_twice,webhook_twice');
    expect((await fetch(nextUrl)).status).toBe(200);
    const form = `${sim.url}/secure/${nextUrl.split('/').pop()!}`;
    const [r1] = await Promise.all([submitCard(form), submitCard(form)]);
    await sim.settled();
    await returnTo(r1.location!);
    await sim.settled();
    // The reconciliation's view: ask once more from the return page.
    const final = await returnTo(r1.location!);
    expect(final.state).toBe('paid');
    expect(await h.sql(`SELECT no FROM fee_refunds WHERE order_no = ${literal(view.orderNo)}`)).toHaveLength(1);
    expect(await netCharge(view.orderNo)).toBe(FEE);
  });
});

import type { AddressInfo } from 'node:net';
import { expect } from 'vitest';
import type { BookingPolicy, BookingRules } from '../../core/booking/model.ts';
import type { FeeData } from '../../core/config/model.ts';
import { govukPay } from '../../drivers/payment/govuk-pay.adapter.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from '../../drivers/payment/simulator/server.ts';
import { webhookReader } from '../../host/payments.ts';
import { startBookingHost, type BookingTestHost } from '../helpers/booking.ts';
import { PASSWORD, type TestStore } from '../helpers/harness.ts';
import type { FeesServerDeps } from '../../server/deps.ts';
import { payOnPage } from './helpers.ts';

/**
 * A booking host that takes fees, listening on loopback, and the payment simulator that sends its
 * signed webhooks there: the citizen books through the portal's API, confirms by the e-mail link
 * (real SMTP sink), pays on the simulator's card page. The host's clock stands at real time (the
 * provider signs with it); tests move it to pass a deadline.
 */

export const KEY = 'api_test_fees';
export const SECRET = 'whsec_fees_api';
export const FEE = 2500;
export const feeConfig = (over: Partial<FeeData['refunds']> = {}): FeeData => ({
  amount: FEE,
  currency: 'CZK',
  deadlineMin: 30,
  refunds: { clientCancel: 'none', officeChange: 'refund', ...over },
});

export interface OrderSummary {
  orderNo: string;
  state: string;
  amount: number;
  currency: string;
  deadlineAt: number;
}
export interface Own {
  state: string;
  number: string | null;
  /** The booked time (ms since epoch). */
  startAt?: number | null;
  kioskCode: string | null;
  holdExpiresAt: number | null;
  order?: OrderSummary | null;
}
export interface View {
  orderNo: string;
  state: string;
  nextUrl: string | null;
  paying: boolean;
  attempts: { no: number; state: string; providerRef: string | null; refunded: number }[];
}

export interface FeeHost {
  h: BookingTestHost;
  sim: PaymentSimulatorHandle;
  /** What the host's payment edge was given. */
  fees: FeesServerDeps;
  base: string;
  /** Sets a service's fee (o1-s1 unless named) as an admin does (PATCH of its online settings). */
  setFee(fee: FeeData | null, serviceId?: string): Promise<void>;
  /**
   * Holds the first free time through the portal's API and confirms the e-mail link: the booking as
   * the confirm answers it, and the holder's key. `status`: what the confirm must answer (200; a rule may refuse it).
   */
  book(who?: { email?: string; identityKey?: string; status?: number }): Promise<{ holdKey: string; slotId: string; confirmed: Own }>;
  pay(holdKey: string): Promise<{ status: number; view: View; code?: string }>;
  /** Books (as `book`) and pays on the provider's page: the order paid, the booking confirmed. */
  paid(who?: { email?: string; identityKey?: string }): Promise<{ holdKey: string; slotId: string; orderNo: string; number: string }>;
  /** Reconciliation asks the provider until our record of the order's refunds has settled. */
  untilRefunded(orderNo: string): Promise<void>;
  /** How many refunds we asked of the provider for this order. */
  refunds(orderNo: string): Promise<number>;
  order(orderNo: string): Promise<View>;
  own(holdKey: string): Promise<Own>;
  /** The return redirect as the citizen's browser follows it (the public URL is the test host's loopback address). */
  returnTo(location: string): Promise<View>;
  setFaults(orderNo: string, simulate: string): Promise<void>;
  /** What the provider's own statement says this order cost the client. */
  netCharge(orderNo: string): Promise<number>;
  /** An admin's request, signed in afresh at the host's time. */
  admin(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object): Promise<{ status: number; body: string }>;
  /** The booking an order pays (ids are not shown to the client). */
  bookingOf(orderNo: string): Promise<{ id: string; state: string }>;
  /** Free places of a slot as the portal shows them. */
  free(slotId: string): Promise<number>;
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** A value for the text of a statement `h.sql` runs (it takes no parameters): our own order numbers and ids only. */
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export async function startFeeHost(
  fee: FeeData = feeConfig(),
  opts: {
    timeoutMs?: number;
    store?: TestStore;
    policies?: BookingPolicy[];
    rules?: Partial<BookingRules>;
    webhooks?: NonNullable<Parameters<typeof startBookingHost>[0]>['webhooks'];
    /** Where the host reaches the provider, given the simulator's URL (a fault proxy in front of it); the test itself reaches it directly. */
    providerUrl?: (simUrl: string) => Promise<string>;
  } = {},
): Promise<FeeHost> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  // A hung answer (the `timeout` fault) outlasts the host's wait, not the test.
  const sim = await startPaymentSimulator({ apiKey: KEY, webhookSecret: SECRET, webhookUrl: null, refundDelayMs: 5, webhookRetryBaseMs: 20, hangMs: timeoutMs * 2 });
  const providerUrl = opts.providerUrl === undefined ? sim.url : await opts.providerUrl(sim.url);
  let fees: FeesServerDeps | undefined;
  const h = await startBookingHost({
    ...(opts.store === undefined ? {} : { store: opts.store }),
    ...(opts.policies === undefined ? {} : { policies: opts.policies }),
    ...(opts.webhooks === undefined ? {} : { webhooks: opts.webhooks }),
    fees: (_db, stores) => (fees = { orders: stores.orders, ledger: stores.ledger, payments: govukPay({ baseUrl: providerUrl, apiKey: KEY, timeoutMs }), ...webhookReader(SECRET) }),
  });
  if (opts.rules !== undefined) await h.stores.seed.bookingOffice({ officeId: 'o1', suspended: false, suspendedMessage: {}, rules: opts.rules });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  sim.setWebhookUrl(`${base}/api/v1/payments/webhook`);
  const admin = { cookie: h.cookie('admin') };
  const signedInAt = h.clock.now();

  const setFee = async (f: FeeData | null, serviceId = 'o1-s1'): Promise<void> => {
    // The admin's session was opened on the test clock, before it jumped to real time.
    const now = h.clock.now();
    h.clock.set(signedInAt);
    const cfg = await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/config', headers: admin });
    expect(cfg.statusCode, cfg.body).toBe(200);
    const online = cfg.json<{ services: { id: string; online: Record<string, unknown> }[] }>().services.find((s) => s.id === serviceId)!.online;
    const set = await h.app.inject({ method: 'PATCH', url: `/api/v1/offices/o1/services/${serviceId}`, headers: admin, payload: { online: { ...online, fee: f } } });
    expect(set.statusCode, set.body).toBe(200);
    h.clock.set(now);
  };
  await setFee(fee);
  // Signatures carry the provider's real time: from here the host's clock stands at it.
  h.clock.set(Date.now());

  const drain = async (): Promise<void> => {
    for (let i = 0; i < 20; i++) {
      const n = await h.booking.worker.tick();
      await h.booking.worker.idle();
      if (n === 0) return;
    }
  };
  let n = 0;
  const used = new Set<unknown>();
  const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

  const firstFreeSlot = async (): Promise<string> => {
    const days = await json<{ days: { day: string; status: string; free: number }[] }>(await fetch(`${base}/api/v1/booking/services/o1-s1/days`));
    for (const d of days.days.filter((x) => x.status === 'open' && x.free > 0)) {
      const s = await json<{ slots: { id: string; free: number; startAt: number }[] }>(await fetch(`${base}/api/v1/booking/services/o1-s1/days/${d.day}/slots`));
      const slot = s.slots.find((x) => x.free > 0 && x.startAt > h.clock.now() + 86_400_000);
      if (slot !== undefined) return slot.id;
    }
    throw new Error('no free time');
  };

  const host: FeeHost = {
    h,
    sim,
    fees: fees!,
    base,
    setFee,
    drain,
    async book(who = {}) {
      n++;
      const slotId = await firstFreeSlot();
      const email = who.email ?? `client${n}@example.org`;
      const held = await fetch(`${base}/api/v1/booking/holds`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'accept-language': 'en' },
        body: JSON.stringify({ slotId, name: 'JANA NOVÁKOVÁ', email, channel: 'email', ...(who.identityKey === undefined ? {} : { identityKey: who.identityKey }) }),
      });
      expect(held.status).toBe(201);
      const { holdKey } = await json<{ holdKey: string }>(held);
      await drain();
      const mail = await h.booking.mailSink!.next((m) => m.to.includes(email) && /[?&]confirm=/.test(m.text) && !used.has(m));
      used.add(mail);
      const token = /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
      const res = await fetch(`${base}/api/v1/booking/confirm`, { method: 'POST', headers: { 'content-type': 'application/json', 'accept-language': 'en' }, body: JSON.stringify({ token }) });
      expect(res.status).toBe(who.status ?? 200);
      return { holdKey, slotId, confirmed: await json<Own>(res) };
    },
    async pay(holdKey) {
      const res = await fetch(`${base}/api/v1/booking/holds/${holdKey}/pay`, { method: 'POST' });
      const body = await json<View & { error?: { code: string } }>(res);
      return { status: res.status, view: body, ...(body.error === undefined ? {} : { code: body.error.code }) };
    },
    async paid(who) {
      const { holdKey, slotId, confirmed } = await host.book(who);
      const orderNo = confirmed.order!.orderNo;
      const { view } = await host.pay(holdKey);
      const done = await payOnPage(view.nextUrl!);
      expect((await host.returnTo(done.location!)).state).toBe('paid');
      const own = await host.own(holdKey);
      expect(own.state).toBe('confirmed');
      return { holdKey, slotId, orderNo, number: own.number! };
    },
    async untilRefunded(orderNo) {
      for (let i = 0; i < 6 && (await host.order(orderNo)).attempts.some((a) => a.state === 'refund_pending'); i++) {
        h.clock.advance(10 * 60_000);
        await h.booking.sweep();
        await sim.settled();
      }
    },
    async refunds(orderNo) {
      return (await h.sql(`SELECT no FROM fee_refunds WHERE order_no = ${literal(orderNo)}`)).length;
    },
    order: async (orderNo) => json<View>(await fetch(`${base}/api/v1/booking/fees/${orderNo}`)),
    own: async (holdKey) => json<Own>(await fetch(`${base}/api/v1/booking/holds/${holdKey}`)),
    async returnTo(location) {
      const url = new URL(location);
      return json<View>(await fetch(`${base}${url.pathname}${url.search}`));
    },
    async setFaults(orderNo, simulate) {
      const res = await fetch(`${sim.url}/simulator/faults/${orderNo}`, { method: 'PUT', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ simulate }) });
      expect(res.status).toBe(204);
    },
    async netCharge(orderNo) {
      await sim.settled();
      const s = await govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 10_000 }).listStatement();
      if (!s.ok) throw new Error('no statement');
      return s.value.filter((e) => e.reference === orderNo).reduce((sum, e) => sum + (e.type === 'charge' ? e.amount : -e.amount), 0);
    },
    async admin(method, url, payload) {
      const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
      const session = login.cookies.find((c) => c.name === 'fronta_session')!;
      const res = await h.app.inject({ method, url, headers: { cookie: `fronta_session=${session.value}` }, ...(payload === undefined ? {} : { payload }) });
      return { status: res.statusCode, body: res.body };
    },
    async bookingOf(orderNo) {
      const [b] = await h.sql<{ id: string; state: string }>(`SELECT b.id, b.state FROM bookings b JOIN fee_orders o ON o.booking_id = b.id WHERE o.order_no = ${literal(orderNo)}`);
      return b!;
    },
    async free(slotId) {
      const [, day] = slotId.split('~');
      const s = await json<{ slots: { id: string; free: number }[] }>(await fetch(`${base}/api/v1/booking/services/o1-s1/days/${day}/slots`));
      return s.slots.find((x) => x.id === slotId)?.free ?? -1;
    },
    async close() {
      // Whatever a test did: no booking counts (confirmed, checked in, done) without a capture of its fee.
      const [unpaid] = await h.sql<{ n: number }>(`SELECT count(*) AS n FROM bookings b JOIN fee_orders o ON o.booking_id = b.id WHERE b.state IN ('confirmed', 'checked_in', 'done')
          AND NOT EXISTS (SELECT 1 FROM fee_attempts a WHERE a.order_no = o.order_no AND a.captured >= o.amount)`);
      await sim.settled();
      await sim.close();
      await h.close();
      expect(unpaid?.n).toBe(0);
    },
  };
  return host;
}

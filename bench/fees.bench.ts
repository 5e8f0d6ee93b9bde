import { performance } from 'node:perf_hooks';
import Fastify from 'fastify';
import { newOrder } from '../core/fees/machine.ts';
import { FakePaymentProvider } from '../core/fees/payment.fake.ts';
import { signWebhook } from '../drivers/payment/webhook-signature.ts';
import { webhookReader } from '../host/payments.ts';
import { insertConfirmedBooking, startBookingHost, type BookingTestHost } from '../test/helpers/booking.ts';
import { instrumentGroupCommit } from './lib/host.ts';
import { runLoad, type LoadRequest, type LoadSummary } from './lib/load.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, spread } from './lib/stats.ts';

/**
 * The payment webhook under load: a whole host (Fastify, the payment edge, group commit on a
 * SQLite file) receives the provider's signed `card_payment_succeeded` events for many distinct
 * bookings awaiting payment, one in ten delivered again (same event id, as a provider retries).
 * Each is verified on its raw body (HMAC-SHA256, 5-minute tolerance), deduplicated by event id,
 * and answered 200 only after the order's move to paid, its booking's confirmation (and its
 * message queued) and the event id are committed. The
 * baseline is a bare Fastify route reading the same raw body and answering 200, interleaved.
 */

const RUNS = 3;
const CONNECTIONS = 32;
const DURATION_S = 5;
/** Events per connection: more than a connection sends in the measured run, so the sequences never loop. */
const PER_CONNECTION = 250;
const WARM_PER_CONNECTION = 25;
/** Every DUP_EVERY-th request repeats an event this connection sent before. */
const DUP_EVERY = 10;
const SECRET = 'whsec_bench_fees';
const FEE = 2500;

const rate = (s: LoadSummary): number => s.twoXx / s.durationS;
const describe = (label: string, s: LoadSummary): string =>
  `${label}: ${rate(s).toFixed(0)} 2xx/s over ${s.durationS.toFixed(1)} s; status ${JSON.stringify(s.statusCodes)}; errors ${s.errors}, timeouts ${s.timeouts}; latency p50 ${s.latencyP50Ms} ms, p99 ${s.latencyP99Ms} ms`;

/** The provider's event for a payment that succeeded, as the simulator sends it (GOV.UK Pay's body, Stripe's signature). */
function webhook(orderNo: string, ref: string, eventId: string, nowS: number): LoadRequest {
  const body = JSON.stringify({
    webhook_message_id: eventId,
    resource_id: ref,
    resource_type: 'payment',
    event_type: 'card_payment_succeeded',
    resource: { payment_id: ref, reference: orderNo, amount: FEE, state: { status: 'success', finished: true }, refund_summary: { amount_available: FEE, amount_submitted: 0 }, metadata: { attempt: 1 } },
  });
  return { method: 'POST', path: '/api/v1/payments/webhook', headers: { 'content-type': 'application/json', 'pay-signature': signWebhook(SECRET, body, nowS) }, body };
}

/**
 * Bookings awaiting payment, each with its order open and one attempt submitted at the provider
 * (as after Pay); their webhooks, one sequence per connection. Written in units of 500.
 */
async function seedOrders(h: BookingTestHost, prefix: string, perConnection: number, firstKey: number): Promise<LoadRequest[][]> {
  const nowMs = h.clock.now();
  const nowS = Math.floor(nowMs / 1000);
  const orders = h.stores.orders;
  const rows: { c: number; i: number }[] = [];
  const sequences: LoadRequest[][] = [];
  for (let c = 0; c < CONNECTIONS; c++) {
    const seq: LoadRequest[] = [];
    for (let i = 0; seq.length < perConnection; i++) {
      if (i > 0 && i % DUP_EVERY === 0) {
        seq.push(seq[Math.floor(seq.length / 2)]!);
        continue;
      }
      rows.push({ c, i });
      seq.push(webhook(`FEE-${prefix}-${c}-${i}`, `pay_${prefix}_${c}_${i}`, `evt_${prefix}_${c}_${i}`, nowS));
    }
    sequences.push(seq);
  }
  const startAt = nowMs + 3 * 86_400_000;
  const day = new Date(startAt + 3_600_000).toISOString().slice(0, 10);
  for (let k = 0; k < rows.length; k += 500) {
    await h.queue.run(async () => {
      for (const [j, { c, i }] of rows.slice(k, k + 500).entries()) {
        const n = firstKey + k + j;
        const b = await insertConfirmedBooking(
          h,
          { key: n, day, startAt, number: `BF${String(n).padStart(8, '0')}`, kioskCode: String(10_000_000 + n), phone: `+4206${String(n).padStart(8, '0')}` },
          { state: 'awaiting_payment', confirmedAt: nowMs },
        );
        const order = newOrder({ orderNo: `FEE-${prefix}-${c}-${i}`, amount: FEE, currency: 'CZK', deadline: nowMs + 3_600_000 });
        order.attempts.push({ no: 1, state: 'submitted', providerRef: `pay_${prefix}_${c}_${i}`, nextUrl: null, captured: 0, refunds: [] });
        await orders.create({ order, bookingId: b.id, seq: 1, officeId: 'o1', serviceId: 'o1-s1' }, nowMs);
      }
    });
  }
  return sequences;
}

async function hostRun(run: number): Promise<number> {
  const h = await startBookingHost({ fees: (_db, stores) => ({ orders: stores.orders, ledger: stores.ledger, payments: new FakePaymentProvider(), ...webhookReader(SECRET) }) });
  try {
    // Signatures carry real time: the host's clock stands at it (5-minute tolerance).
    h.clock.set(Date.now());
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('host did not bind a TCP port');
    const url = `http://127.0.0.1:${address.port}`;
    const warm = await seedOrders(h, `w${run}`, WARM_PER_CONNECTION, 1);
    const measured = await seedOrders(h, `m${run}`, PER_CONNECTION, 1_000_000);
    // Smoke test: a broken route would otherwise show up only as a rate of 0.
    const probe = warm[0]![0]!;
    const smoke = await fetch(`${url}${probe.path}`, { method: 'POST', headers: probe.headers, body: probe.body! });
    if (smoke.status !== 200) throw new Error(`webhook answered ${smoke.status}: ${await smoke.text()}`);
    // Warm-up on orders of its own: the measured run's events are all new to the host.
    await runLoad({ url, connections: CONNECTIONS, durationS: 1, warmupS: 0, sequences: warm });
    const groups = instrumentGroupCommit(h.queue);
    const paid0 = h.db.prepare(`SELECT count(*) FROM fee_orders WHERE state = 'paid'`).pluck().get() as number;
    const t0 = performance.now();
    const s = await runLoad({ url, connections: CONNECTIONS, durationS: DURATION_S, warmupS: 0, sequences: measured });
    const wallMs = performance.now() - t0;
    const paid = (h.db.prepare(`SELECT count(*) FROM fee_orders WHERE state = 'paid'`).pluck().get() as number) - paid0;
    note(describe(`host run ${run + 1}`, s));
    note(
      `  ${paid} orders paid (${s.twoXx - paid} duplicate deliveries answered); group commit: ${groups.groups} groups, ` +
        `${(groups.units / Math.max(1, groups.groups)).toFixed(1)} units/group (max ${groups.maxGroup}), flush held the loop ${((groups.flushMs / wallMs) * 100).toFixed(0)}% of wall time`,
    );
    if (s.twoXx > CONNECTIONS * PER_CONNECTION) note('  WARNING: the sequences looped; later events were all duplicates');
    return rate(s);
  } finally {
    await h.close();
  }
}

/** The baseline: the same raw-body read (a string parser for JSON) and a 200, nothing verified or stored. */
async function startBare(): Promise<{ url: string; close(): Promise<void> }> {
  const app = Fastify({ logger: false });
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.post('/api/v1/payments/webhook', async (req) => ({ received: typeof req.body === 'string' && req.body.length > 0 }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('bare server did not bind a TCP port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

export const scenario: Scenario = {
  name: 'fees',
  description: 'signed payment webhooks verified, deduplicated and committed per second, vs a bare raw-body route',
  async run() {
    const bare = await startBare();
    const hostRates: number[] = [];
    const bareRates: number[] = [];
    try {
      const sample = [[webhook('FEE-bare', 'pay_bare', 'evt_bare', Math.floor(Date.now() / 1000))]];
      for (let run = 0; run < RUNS; run++) {
        hostRates.push(await hostRun(run));
        const b = await runLoad({ url: bare.url, connections: CONNECTIONS, durationS: DURATION_S, warmupS: 1, sequences: sample });
        bareRates.push(rate(b));
        note(describe(`bare run ${run + 1}`, b));
      }
    } finally {
      await bare.close();
    }
    note(`host webhooks/s: ${spread(hostRates, 0)}; bare req/s: ${spread(bareRates, 0)}`);
    note(`host/bare per interleaved pair: ${hostRates.map((x, i) => (x / bareRates[i]!).toFixed(2)).join(', ')}`);
    const host = median(hostRates);
    figure('fees.webhooks_per_s', host, 'req/s');
    figure('fees.webhook_ratio', host / median(bareRates), 'ratio', 2);
  },
};

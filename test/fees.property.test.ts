import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { govukPay, parseWebhook } from '../drivers/payment/govuk-pay.adapter.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from '../drivers/payment/simulator/server.ts';
import { verifyWebhook } from '../drivers/payment/webhook-signature.ts';
import { payOnPage, startWebhookReceiver, submitCard } from './fees/helpers.ts';
import { cmdArb, faultsArb, runScenario, type Cmd, type FaultSet, type ScenarioTally, type World } from './fees/scenario.ts';
import type { ProviderPayment } from '../core/fees/ports.ts';

const KEY = 'api_test_property';
const SECRET = 'whsec_property';
let sim: PaymentSimulatorHandle;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
const arrived: { eventId: string; payment: ProviderPayment }[] = [];

beforeAll(async () => {
  // Only webhooks whose signature checks out reach the scenario (a forged one would be answered 401).
  hook = await startWebhookReceiver((w) => {
    const ok = verifyWebhook({ secret: SECRET, header: w.signature, rawBody: w.raw, nowSeconds: Math.floor(Date.now() / 1000) }).ok;
    const parsed = ok ? parseWebhook(w.raw) : null;
    if (parsed !== null) arrived.push({ eventId: parsed.eventId, payment: parsed.payment });
    return parsed === null ? 401 : 200;
  });
  sim = await startPaymentSimulator({ apiKey: KEY, webhookSecret: SECRET, webhookUrl: hook.url, hangMs: 600, refundDelayMs: 5, webhookRetryBaseMs: 20 });
});
afterAll(async () => {
  await sim.close();
  await hook.close();
});

const F = { confirmLate: false, webhookTwice: false, outOfOrder: false, timeout: false, chargeTwice: false, fail: false };
/**
 * Runs always made besides the random ones, so the HTTP property is never vacuous: a double charge
 * with doubled, reversed webhooks; a timed-out create, then a payment confirmed after the
 * deadline; an office refund of a paid order; two windows on one order.
 */
const EXAMPLES: [[FaultSet[], Cmd[]]][] = [
  [[[{ ...F, chargeTwice: true, webhookTwice: true, outOfOrder: true }], [{ k: 'pay', o: 0 }, { k: 'act', pick: 0 }, { k: 'card', o: 0, a: 0, how: 'double' }, { k: 'later' }, { k: 'webhook', pick: 1 }, { k: 'redirect', o: 0 }]]],
  [[[{ ...F, timeout: true, confirmLate: true }], [{ k: 'pay', o: 0 }, { k: 'act', pick: 0 }, { k: 'act', pick: 0 }, { k: 'card', o: 0, a: 0, how: 'success' }, { k: 'deadline', o: 0 }, { k: 'later' }, { k: 'webhook', pick: 0 }]]],
  [[[F], [{ k: 'pay', o: 0 }, { k: 'act', pick: 0 }, { k: 'card', o: 0, a: 0, how: 'success' }, { k: 'redirect', o: 0 }, { k: 'office_refund', o: 0 }]]],
  [[[F], [{ k: 'pay', o: 0 }, { k: 'act', pick: 0 }, { k: 'card', o: 0, a: 0, how: 'decline' }, { k: 'redirect', o: 0 }, { k: 'pay', o: 0 }, { k: 'act', pick: 0 }, { k: 'card', o: 0, a: 1, how: 'success' }, { k: 'card', o: 0, a: 0, how: 'success' }]]],
];

let run = 0;
function httpWorld(): World {
  // Short enough that the `timeout` fault bites; the statement is read without hurry.
  const port = govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 300 });
  const auditor = govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 10_000 });
  return {
    port,
    now: () => Date.now(),
    setFaults: async (orderNo, f) => {
      const spec = [f.confirmLate && 'confirm_late:60', f.webhookTwice && 'webhook_twice', f.outOfOrder && 'out_of_order', f.timeout && 'timeout', f.chargeTwice && 'charge_twice', f.fail && 'fail']
        .filter((x) => x !== false)
        .join(',');
      const res = await fetch(`${sim.url}/simulator/faults/${orderNo}`, { method: 'PUT', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ simulate: spec }) });
      if (res.status !== 204) throw new Error(`faults refused: ${res.status}`);
    },
    card: async (nextUrl, ref, how) => {
      if (how === 'double') {
        // Opening the page of a payment already over redirects to the return URL, which is not reachable here.
        await fetch(nextUrl, { redirect: 'manual' });
        const form = `${sim.url}/secure/${ref}`;
        await Promise.all([submitCard(form), submitCard(form)]);
      } else await payOnPage(nextUrl, how === 'cancel' ? { action: 'cancel' } : how === 'decline' ? { cardNo: '4000000000000002' } : {});
    },
    takeWebhooks: () => arrived.splice(0),
    later: () => sim.settled(),
    statement: async () => {
      const s = await auditor.listStatement();
      if (!s.ok) throw new Error('no statement');
      return s.value;
    },
  };
}

const seen = { states: new Set<string>(), refunds: 0 };
const tally = (t: ScenarioTally): void => {
  for (const s of t.states) seen.states.add(s);
  seen.refunds += t.refunds;
};

describe('fees property over HTTP against the payment simulator', () => {
  it('net charge is one fee or zero per order and never a paid order without a capture', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }).chain((n) => fc.tuple(fc.array(faultsArb, { minLength: n, maxLength: n }), fc.array(cmdArb(n), { minLength: 5, maxLength: 30 }))),
        async ([faults, cmds]) => tally(await runScenario(httpWorld(), faults, cmds, `H${++run}`)),
      ),
      { numRuns: 25, examples: EXAMPLES },
    );
    // Not vacuous: orders were paid, expired and refunded, and the provider made refunds.
    expect(seen.states.has('paid') && seen.states.has('expired') && seen.states.has('refunded') && seen.refunds >= 3).toBe(true);
  }, 240_000);
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cmdArb, faultsArb, runScenario, type ScenarioTally, type World } from '../../test/fees/scenario.ts';
import { FakePaymentProvider } from './payment.fake.ts';

/** The machine over the in-memory provider: many runs, every interleaving fast-check finds. */
function fakeWorld(): World {
  const p = new FakePaymentProvider();
  let t = 0;
  return {
    port: p,
    now: () => ++t,
    setFaults: async (orderNo, f) => {
      p.faults.set(orderNo, { confirmLate: f.confirmLate, webhookTwice: f.webhookTwice, outOfOrder: f.outOfOrder, timeouts: f.timeout ? 1 : 0, chargeTwice: f.chargeTwice, fail: f.fail });
    },
    card: async (_url, ref, how) => {
      if (how === 'cancel') p.userCancel(ref);
      else {
        p.submit(ref, how === 'decline' ? 'decline' : 'success');
        if (how === 'double') p.submit(ref, 'success');
      }
    },
    takeWebhooks: () => p.outbox.splice(0),
    later: async () => p.tick(),
    statement: async () => {
      const s = await p.listStatement();
      return s.ok ? s.value : [];
    },
  };
}

const seen = { states: new Set<string>(), refunds: 0 };
const tally = (t: ScenarioTally): void => {
  for (const s of t.states) seen.states.add(s);
  seen.refunds += t.refunds;
};

describe('fees property: net charge is one fee or zero, never a paid order without a capture', () => {
  it('holds for random interleavings of pay, card, redirect, webhooks, reconciliation, retries and deadline (in-memory provider)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }).chain((n) => fc.tuple(fc.array(faultsArb, { minLength: n, maxLength: n }), fc.array(cmdArb(n), { minLength: 5, maxLength: 60 }))),
        async ([faults, cmds]) => tally(await runScenario(fakeWorld(), faults, cmds, 'F')),
      ),
      { numRuns: 1500 },
    );
    // Not vacuous: some orders were paid, some expired, and the provider made refunds.
    expect(seen.states.has('paid') && seen.states.has('expired') && seen.refunds > 0).toBe(true);
  });
});

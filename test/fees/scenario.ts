import fc from 'fast-check';
import { runAction } from '../../core/fees/execute.ts';
import { newOrder, observe } from '../../core/fees/machine.ts';
import { netCharge, type Action, type Observation, type Order } from '../../core/fees/model.ts';
import type { PaymentPort, ProviderPayment, StatementEntry } from '../../core/fees/ports.ts';

export interface FaultSet {
  confirmLate: boolean;
  webhookTwice: boolean;
  outOfOrder: boolean;
  timeout: boolean;
  chargeTwice: boolean;
  fail: boolean;
}

export type CardHow = 'success' | 'decline' | 'double' | 'cancel';

/** A provider the scenario drives: the simulator over HTTP, or the in-memory fake. */
export interface World {
  port: PaymentPort;
  now(): number;
  setFaults(orderNo: string, f: FaultSet): Promise<void>;
  /** The citizen on the provider's page of this payment. */
  card(nextUrl: string, providerRef: string, how: CardHow): Promise<void>;
  /** Webhooks that arrived (signature verified) since the last call. */
  takeWebhooks(): { eventId: string; payment: ProviderPayment }[];
  /** Let the provider's delayed work happen (late confirmations, refunds settling, retries). */
  later(): Promise<void>;
  statement(): Promise<StatementEntry[]>;
}

export type Cmd =
  | { k: 'pay'; o: number }
  | { k: 'card'; o: number; a: number; how: CardHow }
  | { k: 'redirect'; o: number }
  | { k: 'webhook'; pick: number }
  | { k: 'act'; pick: number }
  | { k: 'reconcile'; o: number }
  | { k: 'abandon'; o: number }
  | { k: 'deadline'; o: number }
  | { k: 'office_refund'; o: number }
  | { k: 'later' };

export const faultsArb: fc.Arbitrary<FaultSet> = fc.record({
  confirmLate: fc.boolean(),
  webhookTwice: fc.boolean(),
  outOfOrder: fc.boolean(),
  timeout: fc.boolean(),
  chargeTwice: fc.boolean(),
  fail: fc.constantFrom(false, false, false, true),
});

export const cmdArb = (orders: number): fc.Arbitrary<Cmd> => {
  const o = fc.nat({ max: orders - 1 });
  return fc.oneof(
    { weight: 3, arbitrary: fc.record({ k: fc.constant('pay' as const), o }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant('card' as const), o, a: fc.nat(3), how: fc.constantFrom<CardHow>('success', 'success', 'double', 'decline', 'cancel') }) },
    { weight: 2, arbitrary: fc.record({ k: fc.constant('redirect' as const), o }) },
    { weight: 4, arbitrary: fc.record({ k: fc.constant('webhook' as const), pick: fc.nat(20) }) },
    { weight: 5, arbitrary: fc.record({ k: fc.constant('act' as const), pick: fc.nat(20) }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('reconcile' as const), o }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('abandon' as const), o }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('deadline' as const), o }) },
    { weight: 1, arbitrary: fc.record({ k: fc.constant('office_refund' as const), o }) },
    { weight: 1, arbitrary: fc.constant({ k: 'later' as const }) },
  );
};

export const FEE = 2500;

/**
 * Runs random commands over several orders against a provider, then lets everything settle
 * (webhooks, pending actions, reconciliation) and checks money by the provider's own statement:
 * each order's net charge is exactly one fee (and the order is paid) or zero (and it is not); a
 * confirmed booking always has its fee captured; our records agree with the provider's.
 */
export interface ScenarioTally {
  states: string[];
  /** Refunds the provider made (duplicates, late payments, office refunds). */
  refunds: number;
}

export async function runScenario(world: World, faults: FaultSet[], cmds: Cmd[], tag: string): Promise<ScenarioTally> {
  const deadline = world.now() + 3_600_000;
  let step = 0;
  const passed = faults.map(() => false);
  const at = (o: number): number => (passed[o] === true ? deadline + step : world.now());
  const orders: Order[] = faults.map((_, i) => newOrder({ orderNo: `${tag}-${i}`, amount: FEE, currency: 'GBP', deadline }));
  const confirmed = faults.map(() => false);
  const pending: { o: number; action: Action }[] = [];
  const inbox: { eventId: string; payment: ProviderPayment }[] = [];
  for (const [i, f] of faults.entries()) await world.setFaults(orders[i]!.orderNo, f);

  const feed = (o: number, obs: Observation): void => {
    const s = observe(orders[o]!, obs);
    orders[o] = s.order;
    for (const action of s.actions) {
      if (action.kind === 'confirm_booking') confirmed[o] = true;
      else if (action.kind !== 'release_slot' && action.kind !== 'notify') pending.push({ o, action });
    }
  };
  const deps = { payments: world.port, returnUrl: (no: string, a: number) => `https://fronta.example/pay/${no}/${a}`, description: 'Exam fee' };
  const act = async (i: number): Promise<void> => {
    const [{ o, action }] = pending.splice(i, 1) as [{ o: number; action: Action }];
    for (const obs of await runAction(deps, orders[o]!, action, at(o))) feed(o, obs);
  };
  const deliver = (i: number): void => {
    const [w] = inbox.splice(i, 1);
    const o = orders.findIndex((x) => x.orderNo === w!.payment.reference);
    const attempt = w!.payment.attempt ?? orders[o]?.attempts.find((a) => a.providerRef === w!.payment.providerRef)?.no;
    if (o < 0 || attempt === undefined) return;
    feed(o, { kind: 'provider', at: at(o), source: 'webhook', attempt, providerRef: w!.payment.providerRef, state: w!.payment.state, captured: w!.payment.captured });
  };

  for (const c of cmds) {
    step += 1;
    inbox.push(...world.takeWebhooks());
    switch (c.k) {
      case 'pay':
      case 'abandon':
      case 'deadline':
      case 'office_refund':
      case 'reconcile':
        if (c.k === 'deadline') passed[c.o] = true;
        feed(c.o, { kind: c.k, at: at(c.o) });
        break;
      case 'card': {
        const withPage = orders[c.o]!.attempts.filter((a) => a.nextUrl !== null && a.providerRef !== null);
        const a = withPage[c.a % Math.max(1, withPage.length)];
        if (a !== undefined) await world.card(a.nextUrl!, a.providerRef!, c.how);
        break;
      }
      case 'redirect': {
        const a = orders[c.o]!.attempts.findLast((x) => x.providerRef !== null);
        if (a === undefined) break;
        const got = await world.port.getPayment(a.providerRef!);
        if (got.ok) feed(c.o, { kind: 'provider', at: at(c.o), source: 'redirect', attempt: a.no, providerRef: a.providerRef!, state: got.value.state, captured: got.value.captured });
        break;
      }
      case 'webhook':
        if (inbox.length > 0) deliver(c.pick % inbox.length);
        break;
      case 'act':
        if (pending.length > 0) await act(c.pick % pending.length);
        break;
      case 'later':
        await world.later();
        break;
    }
  }

  // Settle: everything delivered, every action run, reconciliation until nothing is open.
  for (let round = 0; round < 12; round++) {
    await world.later();
    inbox.push(...world.takeWebhooks());
    while (inbox.length > 0) deliver(0);
    for (let n = 0; pending.length > 0 && n < 500; n++) await act(0);
    for (const [o] of orders.entries()) feed(o, { kind: 'reconcile', at: at(o) });
    for (let n = 0; pending.length > 0 && n < 500; n++) await act(0);
    const open = orders.some((x) => x.attempts.some((a) => a.refunds.some((r) => r.state !== 'succeeded' && r.state !== 'failed')));
    if (!open && round > 1) break;
  }

  const statement = await world.statement();
  for (const [o, order] of orders.entries()) {
    const mine = statement.filter((e) => e.reference === order.orderNo);
    const provider = mine.reduce((s, e) => s + (e.type === 'charge' ? e.amount : -e.amount), 0);
    const where = `${order.orderNo} (${order.state}, faults ${JSON.stringify(faults[o])}): ${JSON.stringify(order.attempts)}`;
    if (provider !== (order.state === 'paid' ? FEE : 0)) throw new Error(`net charge ${provider} at the provider for ${where}`);
    if (netCharge(order) !== provider) throw new Error(`our records say ${netCharge(order)}, the provider ${provider}, for ${where}`);
    if (confirmed[o] === true && order.state !== 'paid' && order.state !== 'refunded') throw new Error(`confirmed without payment: ${where}`);
  }
  const refunds = statement.filter((e) => e.type === 'refund' && orders.some((x) => x.orderNo === e.reference)).length;
  return { states: orders.map((x) => x.state), refunds };
}

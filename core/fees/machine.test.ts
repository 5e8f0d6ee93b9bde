import { describe, expect, it } from 'vitest';
import { newOrder, observe } from './machine.ts';
import { netCharge, type Observation, type Order } from './model.ts';

const FEE = 2500;
const order = (): Order => newOrder({ orderNo: 'F-1001', amount: FEE, currency: 'GBP', deadline: 10_000 });
const run = (o: Order, ...obs: Observation[]) => {
  let cur = o;
  const steps = obs.map((x) => {
    const s = observe(cur, x);
    cur = s.order;
    return s;
  });
  return { order: cur, steps, last: steps[steps.length - 1]! };
};
const success = (attempt: number, source: 'redirect' | 'webhook' | 'reconciliation', at = 100, captured = FEE): Observation => ({
  kind: 'provider',
  at,
  source,
  attempt,
  providerRef: `pay-${attempt}`,
  state: 'succeeded',
  captured,
});
const created = (attempt: number): Observation => ({ kind: 'created', at: 10, attempt, providerRef: `pay-${attempt}`, nextUrl: `https://sim/secure/pay-${attempt}` });

describe('order and attempt state machine', () => {
  it('pay opens an attempt with a key from order and attempt; a second pay while in flight opens nothing', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, { kind: 'pay', at: 2 });
    expect(r.steps[0]!.actions).toEqual([{ kind: 'create_payment', attempt: 1, idempotencyKey: 'order:F-1001:attempt:1' }]);
    expect(r.last).toMatchObject({ refused: 'in_flight', actions: [] });
    expect(r.order.attempts).toHaveLength(1);
  });

  it('whichever of redirect, webhook, reconciliation comes first pays the order; the others change nothing', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), success(1, 'webhook'), success(1, 'redirect'), success(1, 'reconciliation'));
    expect(r.steps[2]!.actions).toEqual([{ kind: 'confirm_booking' }]);
    expect(r.steps[2]!.transitions).toEqual([
      { entity: 'attempt', attempt: 1, from: 'created', to: 'succeeded' },
      { entity: 'order', from: 'awaiting_payment', to: 'paid' },
    ]);
    for (const s of r.steps.slice(3)) expect(s).toMatchObject({ transitions: [], actions: [] });
    expect(r.order).toMatchObject({ state: 'paid', keptAttempt: 1 });
  });

  it('a success that captured less than the fee pays nothing and is given back', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), success(1, 'webhook', 100, FEE - 1));
    expect(r.order.state).toBe('awaiting_payment');
    expect(r.last.actions).toEqual([expect.objectContaining({ kind: 'refund', amount: FEE - 1, reason: 'mismatch' })]);
  });

  it('states only move forward: a stale "submitted" after success is ignored', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), success(1, 'webhook'), { kind: 'provider', at: 200, source: 'webhook', attempt: 1, providerRef: 'pay-1', state: 'submitted', captured: 0 });
    expect(r.order.attempts[0]!.state).toBe('succeeded');
    expect(r.last.transitions).toEqual([]);
  });

  it('a double charge on the paying attempt: the extra is refunded, the client told with the reference', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), success(1, 'redirect', 100, 2 * FEE));
    expect(r.last.actions).toEqual([
      { kind: 'confirm_booking' },
      { kind: 'refund', attempt: 1, refund: 1, amount: FEE, reason: 'duplicate', providerRef: 'pay-1', idempotencyKey: 'order:F-1001:attempt:1:refund:1' },
      { kind: 'notify', about: 'duplicate', references: ['pay-1'] },
    ]);
    const done = run(r.order, { kind: 'refund_result', at: 200, attempt: 1, refund: 1, state: 'succeeded', providerRefundId: 'rf-1' });
    expect(netCharge(done.order)).toBe(FEE);
    expect(done.order.attempts[0]!.state).toBe('succeeded');
  });

  it('a second successful attempt (two windows) is refunded whole, with both references', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), { kind: 'provider', at: 5, source: 'webhook', attempt: 1, providerRef: 'pay-1', state: 'failed', captured: 0 }, { kind: 'pay', at: 6 }, created(2), success(2, 'redirect'), success(1, 'reconciliation'));
    expect(r.last.actions).toEqual([
      { kind: 'refund', attempt: 1, refund: 1, amount: FEE, reason: 'duplicate', providerRef: 'pay-1', idempotencyKey: 'order:F-1001:attempt:1:refund:1' },
      { kind: 'notify', about: 'duplicate', references: ['pay-2', 'pay-1'] },
    ]);
    expect(r.order.attempts[0]!.state).toBe('failed');
  });

  it('the deadline releases the slot at once and closes the open page; a payment after it is refunded', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), { kind: 'deadline', at: 10_000 });
    expect(r.last.actions).toEqual([{ kind: 'release_slot' }, { kind: 'cancel_payment', attempt: 1, providerRef: 'pay-1' }]);
    expect(r.order.attempts[0]!.state).toBe('timed_out');
    const late = run(r.order, success(1, 'webhook', 10_500));
    expect(late.order.state).toBe('expired');
    expect(late.order.attempts[0]!.state).toBe('refund_pending');
    expect(late.last.actions).toContainEqual(expect.objectContaining({ kind: 'refund', reason: 'late', amount: FEE }));
    const after = run(late.order, { kind: 'refund_result', at: 10_600, attempt: 1, refund: 1, state: 'succeeded' });
    expect(after.order.attempts[0]!.state).toBe('refunded');
    expect(netCharge(after.order)).toBe(0);
    expect(run(after.order, { kind: 'pay', at: 10_700 }).last.refused).toBe('not_awaiting');
  });

  it('a capture made in time but reported after the deadline (before the sweep) still pays', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), { ...success(1, 'reconciliation', 12_000), capturedAt: 9_000 } as Observation);
    expect(r.order.state).toBe('paid');
  });

  it('the office refunds a paid order: the paying attempt goes refund_pending then refunded', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), success(1, 'redirect'), { kind: 'office_refund', at: 300 });
    expect(r.order.state).toBe('refunded');
    expect(r.last.actions).toContainEqual(expect.objectContaining({ kind: 'refund', reason: 'order_refunded', amount: FEE }));
    const failed = run(r.order, { kind: 'refund_result', at: 301, attempt: 1, refund: 1, state: 'failed' });
    // A refund the provider failed is asked again under a new key.
    expect(failed.last.actions).toContainEqual(expect.objectContaining({ kind: 'refund', refund: 2, idempotencyKey: 'order:F-1001:attempt:1:refund:2' }));
    const ok = run(failed.order, { kind: 'refund_result', at: 302, attempt: 1, refund: 2, state: 'succeeded' });
    expect(ok.order.attempts[0]!.state).toBe('refunded');
    expect(netCharge(ok.order)).toBe(0);
  });

  it('a create that timed out is looked up with the same key; reconciliation asks again for an unanswered refund', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, { kind: 'create_timed_out', at: 2, attempt: 1 });
    expect(r.last.actions).toEqual([{ kind: 'query_payment', attempt: 1, providerRef: null, idempotencyKey: 'order:F-1001:attempt:1' }]);
    const paid = run(r.order, created(1), success(1, 'webhook', 50, 2 * FEE), { kind: 'reconcile', at: 60 });
    expect(paid.last.actions).toEqual([expect.objectContaining({ kind: 'refund', refund: 1, idempotencyKey: 'order:F-1001:attempt:1:refund:1' })]);
  });

  it('abandon cancels the open attempt; a new attempt opens only once it is closed', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), { kind: 'abandon', at: 3 }, { kind: 'pay', at: 4 });
    expect(r.steps[2]!.actions).toEqual([{ kind: 'cancel_payment', attempt: 1, providerRef: 'pay-1' }]);
    expect(r.last.refused).toBe('in_flight');
    const next = run(r.order, { kind: 'provider', at: 5, source: 'reconciliation', attempt: 1, providerRef: 'pay-1', state: 'cancelled', captured: 0 }, { kind: 'pay', at: 6 });
    expect(next.last.actions).toEqual([{ kind: 'create_payment', attempt: 2, idempotencyKey: 'order:F-1001:attempt:2' }]);
  });

  it('the client withdraws before paying: the order expires without releasing anything (the booking gave its place back), the open page is cancelled, a capture still landing is refunded as late', () => {
    const r = run(order(), { kind: 'pay', at: 1 }, created(1), { kind: 'withdraw', at: 50 });
    expect(r.last.actions).toEqual([{ kind: 'cancel_payment', attempt: 1, providerRef: 'pay-1' }]);
    expect(r.order.state).toBe('expired');
    expect(r.order.attempts[0]!.state).toBe('timed_out');
    const late = observe(r.order, success(1, 'webhook', 60));
    expect(late.actions.map((a) => a.kind)).toEqual(['refund', 'notify']);
    expect(late.actions).toContainEqual({ kind: 'notify', about: 'late', references: ['pay-1'] });
    // A paid order is not withdrawn: the client's cancellation of a paid booking follows the fee's rule instead.
    const paid = run(order(), { kind: 'pay', at: 1 }, created(1), success(1, 'redirect'), { kind: 'withdraw', at: 70 });
    expect(paid.order.state).toBe('paid');
    expect(paid.last.actions).toEqual([]);
  });
});


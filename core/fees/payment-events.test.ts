import { describe, expect, it } from 'vitest';
import { observe, newOrder } from './machine.ts';
import type { Observation, Order } from './model.ts';
import { paymentEventsOf } from './payment-events.ts';
import type { StoredOrder } from './ports.ts';

const stored = (order: Order): StoredOrder => ({ order, bookingId: 'b1', seq: 1, officeId: 'o1', serviceId: 's1', version: 1 });

/** Feeds observations one by one, as the host commits them: the payment events of each step. */
function run(observations: Observation[]): { order: Order; events: string[] } {
  let order = newOrder({ orderNo: 'FEE_1', amount: 2500, currency: 'CZK', deadline: 60_000 });
  const events: string[] = [];
  for (const o of observations) {
    const next = observe(order, o).order;
    events.push(...paymentEventsOf(stored(order), next).map((e) => `${e.payload.state}:${e.payload.attempt}:${e.payload.refund ?? '-'}:${e.payload.amount}`));
    order = next;
  }
  return { order, events };
}

const provider = (attempt: number, state: 'succeeded' | 'failed', source: 'redirect' | 'webhook' | 'reconciliation' = 'webhook', captured = state === 'succeeded' ? 2500 : 0): Observation => ({
  kind: 'provider',
  at: 10,
  source,
  attempt,
  providerRef: `pay${attempt}`,
  state,
  captured,
});

describe('payment events of an order’s steps', () => {
  it('tell a failed attempt, then the payment, once each however often the provider reports it', () => {
    const { events } = run([
      { kind: 'pay', at: 1 },
      { kind: 'created', at: 2, attempt: 1, providerRef: 'pay1', nextUrl: 'https://pay/1' },
      provider(1, 'failed'),
      provider(1, 'failed', 'redirect'),
      { kind: 'pay', at: 3 },
      { kind: 'created', at: 4, attempt: 2, providerRef: 'pay2', nextUrl: 'https://pay/2' },
      provider(2, 'succeeded'),
      provider(2, 'succeeded'),
      provider(2, 'succeeded', 'redirect'),
    ]);
    expect(events).toEqual(['failed:1:-:2500', 'succeeded:2:-:2500']);
  });

  it('tell a refund when the provider made it, not when it was asked for', () => {
    const paid = [{ kind: 'pay', at: 1 }, { kind: 'created', at: 2, attempt: 1, providerRef: 'pay1', nextUrl: 'https://pay/1' }, provider(1, 'succeeded')] satisfies Observation[];
    const asked = run([...paid, { kind: 'office_refund', at: 20 }]);
    expect(asked.events).toEqual(['succeeded:1:-:2500']);
    const refunded = run([
      ...paid,
      { kind: 'office_refund', at: 20 },
      { kind: 'refund_result', at: 21, attempt: 1, refund: 1, state: 'submitted', providerRefundId: 'r1' },
      { kind: 'refund_result', at: 22, attempt: 1, refund: 1, state: 'succeeded', providerRefundId: 'r1' },
      { kind: 'refund_result', at: 23, attempt: 1, refund: 1, state: 'succeeded', providerRefundId: 'r1' },
    ]);
    expect(refunded.events).toEqual(['succeeded:1:-:2500', 'refunded:1:1:2500']);
  });
});

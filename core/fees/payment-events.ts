import type { QueueStore } from '../queue/ports.ts';
import type { DomainEvent } from '../shared/events.ts';
import type { Order } from './model.ts';
import type { OrderStore, StoredOrder } from './ports.ts';

type PaymentEvent = Extract<DomainEvent, { type: 'payment:changed' }>;

/**
 * What other systems hear of a committed step of an order (`before` as it was stored, `after` as
 * committed): the order became paid, an attempt failed, a refund went through. Each fact appears
 * once, in the step that reached it — states only move forward, so a repeated provider report
 * (a duplicate webhook, a reconciliation after the redirect) reaches nothing new and says nothing.
 */
export function paymentEventsOf(before: StoredOrder, after: Order): PaymentEvent[] {
  const out: PaymentEvent[] = [];
  const event = (state: PaymentEvent['payload']['state'], amount: number, attempt: number, refund: { no: number; reason: PaymentEvent['payload']['reason'] } | null): void => {
    out.push({
      type: 'payment:changed',
      officeId: before.officeId,
      payload: {
        orderNo: after.orderNo,
        bookingId: before.bookingId,
        serviceId: before.serviceId,
        amount,
        currency: after.currency,
        state,
        attempt,
        refund: refund?.no ?? null,
        reason: refund?.reason ?? null,
      },
    });
  };
  const was = before.order;
  if (was.state !== 'paid' && after.state === 'paid' && after.keptAttempt !== null) event('succeeded', after.amount, after.keptAttempt, null);
  for (const a of after.attempts) {
    const old = was.attempts.find((x) => x.no === a.no);
    if (a.state === 'failed' && old?.state !== 'failed') event('failed', after.amount, a.no, null);
    for (const r of a.refunds) {
      if (r.state === 'succeeded' && old?.refunds.find((x) => x.no === r.no)?.state !== 'succeeded') event('refunded', r.amount, a.no, { no: r.no, reason: r.reason });
    }
  }
  return out;
}

/**
 * Commits an order's step inside the caller's unit of work (`store` is that unit's), with the
 * payment events it reached appended to the office's log in the same transaction: a webhook never
 * tells of a payment that was not kept, and a kept one is always told. False when the version moved.
 */
export async function commitOrderStep(orders: OrderStore, store: Pick<QueueStore, 'appendEvent'>, cur: StoredOrder, order: Order, at: number): Promise<boolean> {
  if (!(await orders.commit(cur.order.orderNo, cur.version, order, at))) return false;
  for (const e of paymentEventsOf(cur, order)) await store.appendEvent(e, at);
  return true;
}

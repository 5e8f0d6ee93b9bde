import { describe, expect, it } from 'vitest';
import { historyOf } from './history.ts';
import { newOrder } from './machine.ts';
import type { Order } from './model.ts';
import type { FeeHistoryEntry, StoredOrder } from './ports.ts';
import { dailyTotals, reconcile, refundRows } from './reports.ts';

const H = 3_600_000;
/** 1 December 2026, 23:30 in Prague (22:30 UTC): half an hour before the office's next day. */
const LATE = Date.parse('2026-12-01T22:30:00Z');

const stored = (order: Order): StoredOrder => ({ order, bookingId: `bk-${order.orderNo}`, seq: 1, officeId: 'o1', serviceId: 's1', version: 1 });

/** An order paid by its first attempt, charged twice, the second charge refunded. */
function chargedTwice(): { order: Order; entries: FeeHistoryEntry[] } {
  const open = newOrder({ orderNo: 'FEE-1', amount: 2500, currency: 'CZK', deadline: LATE + H });
  const submitted: Order = { ...open, attempts: [{ no: 1, state: 'submitted', providerRef: 'pay_1', nextUrl: null, captured: 0, refunds: [] }] };
  const paid: Order = { ...submitted, state: 'paid', keptAttempt: 1, attempts: [{ ...submitted.attempts[0]!, state: 'succeeded', captured: 5000 }] };
  const asked: Order = { ...paid, attempts: [{ ...paid.attempts[0]!, refunds: [{ no: 1, amount: 2500, reason: 'duplicate', state: 'requested', providerRefundId: null }] }] };
  const done: Order = { ...asked, attempts: [{ ...asked.attempts[0]!, refunds: [{ no: 1, amount: 2500, reason: 'duplicate', state: 'succeeded', providerRefundId: 'rf_1' }] }] };
  const entries = [
    ...historyOf(null, open, LATE - H),
    ...historyOf(open, submitted, LATE - H + 1),
    ...historyOf(submitted, paid, LATE),
    ...historyOf(paid, asked, LATE + 1),
    // Settled after midnight, office time: counted on the next day.
    ...historyOf(asked, done, LATE + H),
  ];
  return { order: done, entries };
}

describe('an order’s history', () => {
  it('has a line for each state reached, with the provider’s references, and none for what did not change', () => {
    const { entries } = chargedTwice();
    expect(entries.map((e) => `${e.what}:${e.state}${e.detail === null ? '' : `:${e.detail}`}`)).toEqual([
      'order:awaiting_payment',
      'attempt:submitted:pay_1',
      'order:paid',
      'attempt:succeeded:pay_1',
      'refund:requested',
      'refund:succeeded:rf_1',
    ]);
    const o = chargedTwice().order;
    expect(historyOf(o, o, LATE)).toEqual([]);
  });
});

describe('fee exports', () => {
  it('daily totals count captures and refunds on the office day they happened', () => {
    const { order, entries } = chargedTwice();
    expect(dailyTotals([stored(order)], entries, 'Europe/Prague')).toEqual([
      { day: '2026-12-01', currency: 'CZK', payments: 1, captured: 5000, refunds: 0, refunded: 0 },
      { day: '2026-12-02', currency: 'CZK', payments: 0, captured: 0, refunds: 1, refunded: 2500 },
    ]);
  });

  it('a refund row carries both references, when it was asked and when it settled', () => {
    const { order, entries } = chargedTwice();
    expect(refundRows([stored(order)], entries)).toEqual([
      { orderNo: 'FEE-1', currency: 'CZK', amount: 2500, reason: 'duplicate', state: 'succeeded', providerRef: 'pay_1', refundId: 'rf_1', requestedAt: LATE + 1, settledAt: LATE + H },
    ]);
  });

  it('reconciliation: our sums beside the statement’s, a difference flagged, a charge with no order of ours listed', () => {
    const { order } = chargedTwice();
    const line = (type: 'charge' | 'refund', reference: string, amount: number) => ({ type, id: `${type}-${reference}-${amount}`, providerRef: 'pay_1', reference, amount, at: LATE });
    const matched = reconcile([stored(order)], [line('charge', 'FEE-1', 2500), line('charge', 'FEE-1', 2500), line('refund', 'FEE-1', 2500)]);
    expect(matched).toEqual([{ orderNo: 'FEE-1', currency: 'CZK', ourCaptured: 5000, ourRefunded: 2500, providerCharged: 5000, providerRefunded: 2500, status: 'match' }]);
    const off = reconcile([stored(order)], [line('charge', 'FEE-1', 2500), line('charge', 'FEE-9', 700)]);
    expect(off.map((r) => [r.orderNo, r.status])).toEqual([
      ['FEE-1', 'mismatch'],
      ['FEE-9', 'provider_only'],
    ]);
  });
});

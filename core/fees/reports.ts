import { localTime } from '../shared/office-time.ts';
import type { Order } from './model.ts';
import type { FeeHistoryEntry, StatementEntry, StoredOrder } from './ports.ts';

/**
 * The fee exports staff download (office days, amounts in minor units): daily totals, refunds,
 * and our orders beside the provider's statement. Pure: the routes read the ledger and the
 * provider, these functions only count.
 */

export interface DailyTotal {
  day: string;
  currency: string;
  /** Captures that day (a double charge counts as it was captured) and their sum. */
  payments: number;
  captured: number;
  refunds: number;
  refunded: number;
}

const attemptOf = (order: Order, no: number | null) => order.attempts.find((a) => a.no === no);

export function dailyTotals(orders: readonly StoredOrder[], entries: readonly FeeHistoryEntry[], timeZone: string): DailyTotal[] {
  const byNo = new Map(orders.map((o) => [o.order.orderNo, o.order]));
  const rows = new Map<string, DailyTotal>();
  for (const e of entries) {
    const order = byNo.get(e.orderNo);
    if (order === undefined || e.state !== 'succeeded' || (e.what !== 'attempt' && e.what !== 'refund')) continue;
    const day = localTime(timeZone, e.at).date;
    const key = `${day}\u0000${order.currency}`;
    const row = rows.get(key) ?? { day, currency: order.currency, payments: 0, captured: 0, refunds: 0, refunded: 0 };
    rows.set(key, row);
    const a = attemptOf(order, e.attempt);
    if (e.what === 'attempt') {
      row.payments++;
      row.captured += a?.captured ?? 0;
    } else {
      row.refunds++;
      row.refunded += a?.refunds.find((r) => r.no === e.refund)?.amount ?? 0;
    }
  }
  return [...rows.values()].sort((x, y) => (x.day === y.day ? x.currency.localeCompare(y.currency) : x.day < y.day ? -1 : 1));
}

export interface RefundRow {
  orderNo: string;
  currency: string;
  amount: number;
  reason: string;
  state: string;
  providerRef: string | null;
  refundId: string | null;
  /** When it was asked of the provider and when it settled (milliseconds UTC; null while pending). */
  requestedAt: number;
  settledAt: number | null;
}

/** Every refund first asked for within the entries' span, oldest first. */
export function refundRows(orders: readonly StoredOrder[], entries: readonly FeeHistoryEntry[]): RefundRow[] {
  const byNo = new Map(orders.map((o) => [o.order.orderNo, o.order]));
  const out: RefundRow[] = [];
  for (const e of entries) {
    if (e.what !== 'refund' || e.state !== 'requested') continue;
    const order = byNo.get(e.orderNo);
    const a = order === undefined ? undefined : attemptOf(order, e.attempt);
    const r = a?.refunds.find((x) => x.no === e.refund);
    if (order === undefined || a === undefined || r === undefined) continue;
    const settled = entries.find((x) => x.what === 'refund' && x.orderNo === e.orderNo && x.attempt === e.attempt && x.refund === e.refund && (x.state === 'succeeded' || x.state === 'failed'));
    out.push({ orderNo: order.orderNo, currency: order.currency, amount: r.amount, reason: r.reason, state: r.state, providerRef: a.providerRef, refundId: r.providerRefundId, requestedAt: e.at, settledAt: settled?.at ?? null });
  }
  return out;
}

export interface ReconciliationRow {
  orderNo: string;
  currency: string | null;
  /** By our records: captured, refunded (succeeded). */
  ourCaptured: number;
  ourRefunded: number;
  /** By the provider's statement. */
  providerCharged: number;
  providerRefunded: number;
  /** `match`; `mismatch` (the sums differ); `provider_only` (a charge we have no order for). */
  status: 'match' | 'mismatch' | 'provider_only';
}

/**
 * Our orders beside the provider's statement, order by order (whole lifetimes, so a refund made a
 * day after its charge still balances). `statement` holds the lines about these orders and any
 * line whose reference is no order of ours at all.
 */
export function reconcile(orders: readonly StoredOrder[], statement: readonly StatementEntry[]): ReconciliationRow[] {
  const sums = new Map<string, { charged: number; refunded: number }>();
  for (const s of statement) {
    const m = sums.get(s.reference) ?? { charged: 0, refunded: 0 };
    sums.set(s.reference, m);
    if (s.type === 'charge') m.charged += s.amount;
    else m.refunded += s.amount;
  }
  const rows: ReconciliationRow[] = orders.map(({ order }) => {
    const ourCaptured = order.attempts.reduce((n, a) => n + a.captured, 0);
    const ourRefunded = order.attempts.reduce((n, a) => n + a.refunds.filter((r) => r.state === 'succeeded').reduce((m, r) => m + r.amount, 0), 0);
    const p = sums.get(order.orderNo) ?? { charged: 0, refunded: 0 };
    sums.delete(order.orderNo);
    const status = p.charged === ourCaptured && p.refunded === ourRefunded ? 'match' : 'mismatch';
    return { orderNo: order.orderNo, currency: order.currency, ourCaptured, ourRefunded, providerCharged: p.charged, providerRefunded: p.refunded, status };
  });
  for (const [reference, p] of sums) {
    rows.push({ orderNo: reference, currency: null, ourCaptured: 0, ourRefunded: 0, providerCharged: p.charged, providerRefunded: p.refunded, status: 'provider_only' });
  }
  return rows;
}

import type { Order } from './model.ts';
import type { FeeHistoryEntry } from './ports.ts';

/**
 * What a commit changed, as history lines: the order's state, each attempt's and each refund's,
 * whenever they differ from what was stored before (null: the order is new). The store writes
 * these in the commit's own transaction, so the history never tells of a state that was not kept.
 */
export function historyOf(before: Order | null, after: Order, at: number): FeeHistoryEntry[] {
  const out: FeeHistoryEntry[] = [];
  const line = (what: FeeHistoryEntry['what'], state: string, attempt: number | null, refund: number | null, detail: string | null): void => {
    out.push({ orderNo: after.orderNo, at, what, attempt, refund, state, detail });
  };
  if (before?.state !== after.state) line('order', after.state, null, null, null);
  for (const a of after.attempts) {
    const was = before?.attempts.find((x) => x.no === a.no);
    if (was?.state !== a.state || (was.providerRef === null && a.providerRef !== null)) line('attempt', a.state, a.no, null, a.providerRef);
    for (const r of a.refunds) {
      const rWas = was?.refunds.find((x) => x.no === r.no);
      if (rWas?.state !== r.state) line('refund', r.state, a.no, r.no, r.providerRefundId);
    }
  }
  return out;
}

import type { BookingDeps } from '../booking/deps.ts';
import { applyFeeEffects } from '../booking/fee-effects.ts';
import type { Clock, QueueStore, UnitOfWork } from '../queue/ports.ts';
import { ok, type Result } from '../shared/result.ts';
import type { ExecuteDeps } from './execute.ts';
import type { Observation } from './model.ts';
import { processObservation, type Processed } from './orders.ts';
import type { OrderStore, StoredOrder } from './ports.ts';

/** Everything an order's observation needs end to end: the provider, the orders, and the booking it pays. */
export interface FeeRuntime {
  /** The unit of work the booking's part runs in. */
  queue: UnitOfWork;
  /** Orders whose writes each run in a unit of work of their own (`ordersInUnitOfWork`). */
  orders: OrderStore;
  clock: Clock;
  /** The provider and the order's description and return address (the same body on every call about an order). */
  execute(stored: StoredOrder): Promise<ExecuteDeps>;
  /** The booking use cases' inputs inside a unit of work. */
  booking(store: QueueStore): BookingDeps;
  /** Told after a commit that queued messages. */
  onQueued?: () => void;
}

/** The order store with its writes in the unit of work (one group commit, like every other store's). */
export function ordersInUnitOfWork(s: OrderStore, queue: UnitOfWork): OrderStore {
  return {
    create: async (o, at) => await queue.run(() => s.create(o, at)),
    commit: async (no, v, order, at) => await queue.run(() => s.commit(no, v, order, at)),
    recordWebhookEvent: async (id, at) => await queue.run(() => s.recordWebhookEvent(id, at)),
    load: (no) => s.load(no),
    byBooking: (id) => s.byBooking(id),
    byProviderRef: (ref) => s.byProviderRef(ref),
    listOpen: (n) => s.listOpen(n),
    webhookSeen: (id) => s.webhookSeen(id),
  };
}

/**
 * One observation about an order, end to end: the order's step committed and its provider calls
 * answered (`processObservation`), then the booking's part in its own unit of work (confirm,
 * release the place, tell the client). A payment that came for a booking no longer waiting for
 * it is refunded at once. Answers the first step (with its refusal, for the pay button) and the
 * order as it stands at the end.
 */
export async function settle(rt: FeeRuntime, stored: StoredOrder, first: Observation): Promise<Result<Processed>> {
  const execute = await rt.execute(stored);
  const deps = { orders: rt.orders, execute };
  const now = rt.clock.now();
  const r = await processObservation(deps, stored.order.orderNo, first, now);
  if (!r.ok) return r;
  let latest = r.value;
  // Each round's effects are the booking's; a refund it asks for is one more round (its notice the last).
  for (let round = 0; round < 4 && latest.effects.length > 0; round++) {
    const step = latest;
    const { refund } = await rt.queue.run((store) => applyFeeEffects(rt.booking(store), step.order, step.effects, now));
    rt.onQueued?.();
    if (!refund) break;
    const again = await processObservation(deps, stored.order.orderNo, { kind: 'office_refund', at: now }, now);
    if (!again.ok) break;
    latest = again.value;
  }
  return ok({ ...r.value, order: latest.order });
}

/** How long reconciliation waits between two looks at an order still open: minutes at first, then hourly. */
export function reconcileEveryMs(openForMs: number): number {
  return openForMs < 3600_000 ? 5 * 60_000 : 3600_000;
}

/**
 * The fees' sweep (with the booking sweeps): every order whose payment deadline passed unpaid
 * expires, its place given back at once; other open orders (a payment unsettled, a refund
 * unanswered) are looked up at the provider when due (`seen` keeps, per order, when the sweep
 * first saw it open and last reconciled it: the host's memory, a restart looks at once).
 */
export async function sweepFees(rt: FeeRuntime, seen: Map<string, { first: number; last: number }>, limit = 200): Promise<{ expired: number; reconciled: number }> {
  const now = rt.clock.now();
  let expired = 0;
  let reconciled = 0;
  const open = await rt.orders.listOpen(limit);
  for (const s of open) {
    const no = s.order.orderNo;
    if (s.order.state === 'awaiting_payment' && now >= s.order.deadline) {
      const r = await settle(rt, s, { kind: 'deadline', at: now });
      if (r.ok && r.value.order.order.state === 'expired') expired++;
      continue;
    }
    const mark = seen.get(no) ?? { first: now, last: Number.NEGATIVE_INFINITY };
    seen.set(no, mark);
    if (now - mark.last < reconcileEveryMs(now - mark.first)) continue;
    mark.last = now;
    // An order awaiting payment with nothing in flight has nothing to ask the provider about.
    if (s.order.state === 'awaiting_payment' && s.order.attempts.every((a) => a.state === 'failed' || a.state === 'cancelled')) continue;
    await settle(rt, s, { kind: 'reconcile', at: now });
    reconciled++;
  }
  // Orders no longer open are forgotten.
  const still = new Set(open.map((s) => s.order.orderNo));
  for (const no of seen.keys()) if (!still.has(no)) seen.delete(no);
  return { expired, reconciled };
}

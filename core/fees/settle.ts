import type { BookingDeps } from '../booking/deps.ts';
import { applyFeeEffects } from '../booking/fee-effects.ts';
import type { Clock, QueueStore, UnitOfWork } from '../queue/ports.ts';
import { ok, type Result } from '../shared/result.ts';
import type { ExecuteDeps } from './execute.ts';
import type { Action, Observation } from './model.ts';
import { commitOrderStep } from './payment-events.ts';
import { processObservation, type FeeDeps, type Processed } from './orders.ts';
import type { OrderStore, StoredOrder } from './ports.ts';

/** Everything an order's observation needs end to end: the provider, the orders, and the booking it pays. */
export interface FeeRuntime {
  /** The unit of work the booking's part runs in. */
  queue: UnitOfWork;
  /** Orders whose writes each run in a unit of work of their own (`ordersInUnitOfWork`). */
  orders: OrderStore;
  /** The same store written inside the caller's unit of work (a step commits with its booking's part). */
  rawOrders: OrderStore;
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
 * One observation about an order, end to end (`processObservation`): each step of the order is
 * committed in one unit of work with the booking's part of it (confirm, release the place, tell
 * the client), and only then are the provider's calls made. A payment that came for a booking no
 * longer waiting for it is refunded at once. Answers the first step (with its refusal, for the
 * pay button) and the order as it stands at the end.
 */
export async function settle(rt: FeeRuntime, stored: StoredOrder, first: Observation): Promise<Result<Processed>> {
  const execute = await rt.execute(stored);
  let refund = false;
  const deps: FeeDeps = {
    orders: rt.orders,
    execute,
    // The order's step and the booking's part of it commit together.
    commitStep: async (cur, step, at) =>
      await rt.queue.run(async (store) => {
        if (!(await commitOrderStep(rt.rawOrders, store, cur, step.order, at))) return false;
        const effects = step.actions.filter(isBookingAction);
        if (effects.length > 0 && (await applyFeeEffects(rt.booking(store), { ...cur, order: step.order }, effects, at)).refund) refund = true;
        return true;
      }),
  };
  const now = rt.clock.now();
  const r = await processObservation(deps, stored.order.orderNo, first, now);
  if (!r.ok) return r;
  if (r.value.effects.length > 0) rt.onQueued?.();
  if (!refund) return r;
  // A payment came for a booking no longer waiting for it (given up meanwhile): it goes back at once.
  const again = await processObservation(deps, stored.order.orderNo, { kind: 'office_refund', at: now }, now);
  if (again.ok && again.value.effects.length > 0) rt.onQueued?.();
  return ok({ ...r.value, order: again.ok ? again.value.order : r.value.order });
}

const isBookingAction = (a: Action): boolean => a.kind === 'confirm_booking' || a.kind === 'release_slot' || a.kind === 'notify';

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

import type { FeeData } from '../config/model.ts';
import type { Ids } from '../queue/ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { runAction, type ExecuteDeps } from './execute.ts';
import { newOrder, observe } from './machine.ts';
import { IN_FLIGHT, paymentKey, type Action, type Attempt, type Observation, type Order, type Step } from './model.ts';
import type { OrderStore, StoredOrder } from './ports.ts';

export interface FeeDeps {
  /** Writes run in the host's unit of work (the edge wraps `commit` and `create`). */
  orders: OrderStore;
  execute: ExecuteDeps;
  /**
   * Commits a step with the booking's part of it in one unit of work (so a paid order never waits
   * on a booking left unconfirmed by a crash between two commits); false when the order's version
   * moved. Absent: `orders.commit`, the booking's part returned as `effects` for the caller.
   */
  commitStep?: (cur: StoredOrder, step: Step, at: number) => Promise<boolean>;
}

/** What came of an observation once committed and its provider calls answered. */
export interface Processed {
  order: StoredOrder;
  /** The booking's part, in order: confirm_booking, release_slot, notify — the caller runs them. */
  effects: Action[];
  /** Why a `pay` opened no attempt (see `Step.refused`). */
  refused?: Step['refused'];
}

/** Lost races retried before giving up; each loser reloads and observes again, so a few suffice. */
const MAX_TRIES = 8;
/** Provider answers fed back per call: a reply only ever settles what it answers, so this bounds nothing real. */
const MAX_ROUNDS = 32;

const unchanged = (a: Order, s: Step): boolean => s.actions.length === 0 && JSON.stringify(a) === JSON.stringify(s.order);

/**
 * One observation about an order, end to end: load, `observe`, commit if the version is unchanged
 * (else reload and observe again), and only then call the provider for the actions, feeding each
 * answer back the same way. Nothing is asked of the provider that is not committed first, so a
 * crash between the two leaves an action the reconciliation repeats under the same key.
 */
export async function processObservation(deps: FeeDeps, orderNo: string, first: Observation, at: number): Promise<Result<Processed>> {
  const pending: Observation[] = [first];
  const effects: Action[] = [];
  let refused: Step['refused'];
  let latest: StoredOrder | null = null;
  for (let round = 0; round < MAX_ROUNDS && pending.length > 0; round++) {
    const obs = pending.shift()!;
    let actions: Action[] = [];
    for (let tries = 0; ; tries++) {
      const cur = await deps.orders.load(orderNo);
      if (cur === null) return fail('FEE_ORDER_NOT_FOUND');
      const step = observe(cur.order, obs);
      if (round === 0) refused = step.refused;
      if (unchanged(cur.order, step)) {
        latest = cur;
        break;
      }
      if (await (deps.commitStep === undefined ? deps.orders.commit(orderNo, cur.version, step.order, at) : deps.commitStep(cur, step, at))) {
        latest = { ...cur, order: step.order, version: cur.version + 1 };
        actions = step.actions;
        break;
      }
      if (tries >= MAX_TRIES) return fail('FEE_ORDER_BUSY');
    }
    if (round === 0 && refused === 'in_flight' && latest !== null) actions = resumeInFlight(latest.order);
    for (const action of actions) {
      if (action.kind === 'confirm_booking' || action.kind === 'release_slot' || action.kind === 'notify') effects.push(action);
      else pending.push(...(await runAction(deps.execute, latest.order, action, at)));
    }
  }
  return latest === null ? fail('FEE_ORDER_NOT_FOUND') : ok(refused === undefined ? { order: latest, effects } : { order: latest, effects, refused });
}

/**
 * A second press of pay while the first is still waiting for the provider's answer: ask again with
 * the first one's key, which answers the same payment (its page), never a second one.
 */
function resumeInFlight(order: Order): Action[] {
  const a: Attempt | undefined = order.attempts.find((x) => IN_FLIGHT.includes(x.state));
  if (a === undefined || a.nextUrl !== null) return [];
  return [{ kind: 'query_payment', attempt: a.no, providerRef: null, idempotencyKey: paymentKey(order.orderNo, a.no) }];
}

/** Where the citizen pays now: the page of the attempt in flight, if the provider gave one. */
export const payingUrl = (order: Order): string | null => order.attempts.find((a) => IN_FLIGHT.includes(a.state) && a.nextUrl !== null)?.nextUrl ?? null;

/**
 * The booking's order, opened when its contact is confirmed: our own order number, the service's
 * fee, the deadline counted from the confirmation. Opening twice (two windows, a repeated call)
 * answers the order already open.
 */
export async function openOrder(
  deps: { orders: OrderStore; ids: Ids },
  p: { bookingId: string; officeId: string; serviceId: string; fee: FeeData; confirmedAt: number },
): Promise<Result<StoredOrder>> {
  const existing = await deps.orders.byBooking(p.bookingId);
  if (existing !== null) return ok(existing);
  return createOrder(deps, p, 1);
}

/**
 * Changed details that need a new payment: the booking's next order (its own number, `seq` after
 * the one it replaces, the deadline counted from `confirmedAt`). The caller closes the previous one.
 */
export async function openNextOrder(
  deps: { orders: OrderStore; ids: Ids },
  p: { bookingId: string; officeId: string; serviceId: string; fee: FeeData; confirmedAt: number },
): Promise<Result<StoredOrder>> {
  return createOrder(deps, p, ((await deps.orders.byBooking(p.bookingId))?.seq ?? 0) + 1);
}

async function createOrder(
  deps: { orders: OrderStore; ids: Ids },
  p: { bookingId: string; officeId: string; serviceId: string; fee: FeeData; confirmedAt: number },
  seq: number,
): Promise<Result<StoredOrder>> {
  const order = newOrder({ orderNo: deps.ids.entityId('FEE'), amount: p.fee.amount, currency: p.fee.currency, deadline: p.confirmedAt + p.fee.deadlineMin * 60_000 });
  const fresh = { order, bookingId: p.bookingId, seq, officeId: p.officeId, serviceId: p.serviceId };
  if (await deps.orders.create(fresh, p.confirmedAt)) return ok({ ...fresh, version: 1 });
  const raced = await deps.orders.byBooking(p.bookingId);
  return raced === null ? fail('FEE_ORDER_NOT_FOUND') : ok(raced);
}

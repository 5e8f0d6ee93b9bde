/**
 * The call policy: which waiting ticket a counter gets next. Pure and allocation-free on the
 * hot path; it accepts any set of candidates (all waiting tickets, or just the heads of each
 * (service, category) line the store selects — the answer is the same, because within one line
 * every rule prefers the earlier arrival).
 *
 * Order, first rule that separates two tickets wins:
 *  1. booked arrivals whose booked time has come (earliest booked time first);
 *  2. walk-ins waiting longer than the office's max wait (oldest first);
 *  3. priority tickets (higher category weight first, then oldest);
 *  4. everyone else, oldest arrival first;
 *  ties: the counter's service preference order, then ticket id (deterministic).
 * Booked arrivals whose time has not come yet wait like ordinary tickets with their arrival.
 */

export interface CallCandidate {
  id: string;
  serviceId: string;
  arrivedAt: number;
  bookedAt: number | null;
  /** 0 for no priority category. */
  priorityWeight: number;
}

export interface CallContext {
  /** The counter's services, most preferred first. */
  serviceIds: readonly string[];
  now: number;
  /** 0 = off. */
  maxWaitMs: number;
}

// Rank classes: lower is called first.
const BOOKED_DUE = 0;
const OVERDUE = 1;
const PRIORITY = 2;
const ORDINARY = 3;

function rankClass(c: CallCandidate, ctx: CallContext): number {
  if (c.bookedAt !== null && c.bookedAt <= ctx.now) return BOOKED_DUE;
  if (ctx.maxWaitMs > 0 && ctx.now - c.arrivedAt > ctx.maxWaitMs) return OVERDUE;
  return c.priorityWeight > 0 ? PRIORITY : ORDINARY;
}

/** Negative when `a` is to be called before `b`. */
function compare(a: CallCandidate, aClass: number, aPref: number, b: CallCandidate, bClass: number, bPref: number): number {
  if (aClass !== bClass) return aClass - bClass;
  if (aClass === BOOKED_DUE) {
    const d = (a.bookedAt ?? 0) - (b.bookedAt ?? 0);
    if (d !== 0) return d;
  } else if (aClass === PRIORITY && a.priorityWeight !== b.priorityWeight) {
    return b.priorityWeight - a.priorityWeight;
  }
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt - b.arrivedAt;
  if (aPref !== bPref) return aPref - bPref;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The candidate to call next, or null when none of them is for this counter's services. */
export function pickNext(candidates: readonly CallCandidate[], ctx: CallContext): CallCandidate | null {
  const services = ctx.serviceIds;
  let best: CallCandidate | null = null;
  let bestClass = 0;
  let bestPref = 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const pref = services.indexOf(c.serviceId);
    if (pref < 0) continue;
    const cls = rankClass(c, ctx);
    if (best === null || compare(c, cls, pref, best, bestClass, bestPref) < 0) {
      best = c;
      bestClass = cls;
      bestPref = pref;
    }
  }
  return best;
}

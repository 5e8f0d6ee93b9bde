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
 *  5. booked arrivals who checked in early (earliest booked time first): called before their
 *     time only when no walk-in waits for any of the counter's services;
 *  ties: the counter's service preference order, then ticket id (deterministic).
 * A walk-in is a ticket without a booked time. The store's heads are therefore: the oldest
 * walk-in, the first priority walk-in and the booked arrival with the earliest booked time of
 * each service.
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
const BOOKED_EARLY = 4;

function rankClass(c: CallCandidate, now: number, overdueBefore: number): number {
  if (c.bookedAt !== null) return c.bookedAt <= now ? BOOKED_DUE : BOOKED_EARLY;
  return c.arrivedAt < overdueBefore ? OVERDUE : c.priorityWeight > 0 ? PRIORITY : ORDINARY;
}

/** Negative when `a` is to be called before `b`. */
function compare(a: CallCandidate, aClass: number, aPref: number, b: CallCandidate, bClass: number, bPref: number): number {
  if (aClass !== bClass) return aClass - bClass;
  if (aClass === BOOKED_DUE || aClass === BOOKED_EARLY) {
    const d = (a.bookedAt ?? 0) - (b.bookedAt ?? 0);
    if (d !== 0) return d;
  } else if (aClass === PRIORITY && a.priorityWeight !== b.priorityWeight) {
    return b.priorityWeight - a.priorityWeight;
  }
  if (a.arrivedAt !== b.arrivedAt) return a.arrivedAt - b.arrivedAt;
  if (aPref !== bPref) return aPref - bPref;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The candidate to call next, or null when none of them is for this counter's services.
 * One pass; the rank class and the numeric keys are checked first, so a candidate that cannot
 * beat the current best is dropped before the (string) service lookup — that keeps a full scan
 * of ten thousand waiting tickets in the tens of microseconds.
 */
export function pickNext(candidates: readonly CallCandidate[], ctx: CallContext): CallCandidate | null {
  const services = ctx.serviceIds;
  const now = ctx.now;
  const overdueBefore = ctx.maxWaitMs > 0 ? now - ctx.maxWaitMs : Number.NEGATIVE_INFINITY;
  let best: CallCandidate | null = null;
  let bestClass = BOOKED_EARLY + 1;
  let bestPref = 0;
  for (let i = 0; i < candidates.length; i++) {
    const c = candidates[i]!;
    const booked = c.bookedAt;
    if (booked !== null) {
      if (booked > now && bestClass <= ORDINARY) continue; // early, and someone else can be called
    } else if (bestClass === BOOKED_DUE) continue; // the common case once a due booking is found: one field read
    const cls = rankClass(c, now, overdueBefore);
    if (cls > bestClass) continue;
    if (cls === bestClass && best !== null && cannotBeat(c, cls, best)) continue;
    const pref = services.indexOf(c.serviceId);
    if (pref < 0) continue;
    if (best === null || compare(c, cls, pref, best, bestClass, bestPref) < 0) {
      best = c;
      bestClass = cls;
      bestPref = pref;
    }
  }
  return best;
}

/** True when `c` certainly ranks after `best` of the same class (numbers only, no lookups). */
function cannotBeat(c: CallCandidate, cls: number, best: CallCandidate): boolean {
  if ((cls === BOOKED_DUE || cls === BOOKED_EARLY) && c.bookedAt !== best.bookedAt) return (c.bookedAt ?? 0) > (best.bookedAt ?? 0);
  if (cls === PRIORITY && c.priorityWeight !== best.priorityWeight) return c.priorityWeight < best.priorityWeight;
  return c.arrivedAt > best.arrivedAt;
}

/**
 * How many of `waiting` a counter serving only `ticket`'s service would call before it, by the
 * rules above (a ticket's public status page: "3 ahead of you"). An early booked arrival has
 * every walk-in of its service ahead; a walk-in has every booked arrival whose time has come.
 */
export function aheadInLine(waiting: readonly CallCandidate[], ticket: CallCandidate, ctx: Omit<CallContext, 'serviceIds'>): number {
  const overdueBefore = ctx.maxWaitMs > 0 ? ctx.now - ctx.maxWaitMs : Number.NEGATIVE_INFINITY;
  const cls = rankClass(ticket, ctx.now, overdueBefore);
  let ahead = 0;
  for (const w of waiting) {
    if (w.serviceId !== ticket.serviceId || w.id === ticket.id) continue;
    if (compare(w, rankClass(w, ctx.now, overdueBefore), 0, ticket, cls, 0) < 0) ahead++;
  }
  return ahead;
}

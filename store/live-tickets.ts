import type { CallCandidate } from '../core/queue/call-policy.ts';
import type { Ticket, TicketState } from '../core/shared/model.ts';

/**
 * The tickets still in the office (printing, waiting, at a counter, parked), held in memory
 * beside the tickets table: the queue store writes every change to both, and reads the hot
 * questions — who is at this counter, who heads each line, how many wait — from here. The
 * table stays the truth: this is rebuilt from it at will (first use, another process wrote,
 * a commit failed). A call-next thus reads nothing from SQLite and writes two plain UPDATEs.
 *
 * Changes are recorded with their undo, so a unit of work rolled back to its savepoint rolls
 * this back too (`mark`/`rollbackTo`); `commit` forgets the undo log.
 */

export const LIVE_STATES: ReadonlySet<TicketState> = new Set(['printing', 'waiting', 'called', 'serving', 'parked']);

type Order = (a: Ticket, b: Ticket) => number;

const byId: Order = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
/** The orders of the SQL they replace (ORDER BY …, id): ids compare as binary strings there too. */
const byArrival: Order = (a, b) => a.arrivedAt - b.arrivedAt || byId(a, b);
const byPriority: Order = (a, b) => b.priorityWeight - a.priorityWeight || byArrival(a, b);
const byBookedTime: Order = (a, b) => (a.bookedAt ?? 0) - (b.bookedAt ?? 0) || byArrival(a, b);
const byIssue: Order = (a, b) => a.issuedAt - b.issuedAt || byId(a, b);

/** An array kept sorted: binary-search insert and remove (a line of 10,000 moves in microseconds). */
class SortedLine {
  readonly items: Ticket[] = [];
  constructor(private readonly order: Order) {}

  private lowerBound(t: Ticket): number {
    let lo = 0;
    let hi = this.items.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.order(this.items[mid]!, t) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  add(t: Ticket): void {
    // A new arrival goes last: push, without searching (splice is a slow builtin even at the end).
    const last = this.items[this.items.length - 1];
    if (last === undefined || this.order(last, t) < 0) this.items.push(t);
    else this.items.splice(this.lowerBound(t), 0, t);
  }

  remove(t: Ticket): void {
    const i = this.lowerBound(t);
    if (this.items[i]?.id !== t.id) throw new Error(`live tickets: ${t.id} is not where its line says`);
    // Calls take the head: shift() is O(1) in V8 (it trims the array's start), splice(0, 1) copies.
    if (i === 0) this.items.shift();
    else this.items.splice(i, 1);
  }
}

/** The waiting lines of one service: what the heads query of the call policy reads. */
class ServiceLines {
  /** Walk-ins (no booked time), oldest first. */
  readonly walkIns = new SortedLine(byArrival);
  /** Walk-ins with a priority category, highest weight first, then oldest. */
  readonly priority = new SortedLine(byPriority);
  /** Booked arrivals, earliest booked time first. */
  readonly booked = new SortedLine(byBookedTime);
  /** Everyone waiting, oldest first: the count and the longest wait a display shows. */
  readonly all = new SortedLine(byArrival);
  constructor(readonly officeId: string) {}

  add(t: Ticket): void {
    this.all.add(t);
    if (t.bookedAt !== null) this.booked.add(t);
    else {
      this.walkIns.add(t);
      if (t.priorityWeight > 0) this.priority.add(t);
    }
  }

  remove(t: Ticket): void {
    this.all.remove(t);
    if (t.bookedAt !== null) this.booked.remove(t);
    else {
      this.walkIns.remove(t);
      if (t.priorityWeight > 0) this.priority.remove(t);
    }
  }
}

export interface LineLoad {
  serviceId: string;
  waiting: number;
  oldestArrivedAt: number | null;
}

export class LiveTickets {
  private readonly byId = new Map<string, Ticket>();
  private readonly lines = new Map<string, ServiceLines>();
  private readonly atCounter = new Map<string, Ticket>();
  /** The last number used per `office prefix day`, once asked for. */
  private readonly numbers = new Map<string, number>();
  private readonly undo: ({ before: Ticket | null; after: Ticket | null } | { numberKey: string; last: number | undefined })[] = [];

  constructor(tickets: Iterable<Ticket>) {
    for (const t of tickets) this.move(null, t);
  }

  get(id: string): Ticket | undefined {
    return this.byId.get(id);
  }

  current(counterId: string): Ticket | null {
    return this.atCounter.get(counterId) ?? null;
  }

  /** Per service, in the order given: its oldest walk-in, first priority walk-in and earliest booked arrival. */
  heads(serviceIds: readonly string[]): CallCandidate[] {
    const heads: CallCandidate[] = [];
    for (const id of serviceIds) {
      const l = this.lines.get(id);
      if (l === undefined) continue;
      for (const line of [l.walkIns, l.priority, l.booked]) {
        const t = line.items[0];
        if (t !== undefined) heads.push({ id: t.id, serviceId: t.serviceId, arrivedAt: t.arrivedAt, bookedAt: t.bookedAt, priorityWeight: t.priorityWeight });
      }
    }
    return heads;
  }

  waiting(officeId: string): Ticket[] {
    return this.inState(officeId, 'waiting').sort(byArrival);
  }

  printing(officeId: string): Ticket[] {
    return this.inState(officeId, 'printing').sort(byIssue);
  }

  private inState(officeId: string, state: TicketState): Ticket[] {
    const out: Ticket[] = [];
    for (const t of this.byId.values()) if (t.officeId === officeId && t.state === state) out.push(t);
    return out;
  }

  waitingCount(serviceId: string): number {
    return this.lines.get(serviceId)?.all.items.length ?? 0;
  }

  /** Services of the office with someone waiting. */
  load(officeId: string): LineLoad[] {
    const out: LineLoad[] = [];
    for (const [serviceId, l] of this.lines) {
      const oldest = l.all.items[0];
      if (l.officeId === officeId && oldest !== undefined) out.push({ serviceId, waiting: l.all.items.length, oldestArrivedAt: oldest.arrivedAt });
    }
    return out;
  }

  /**
   * The next number of a day's prefix: one more than the last used, which `lastUsed` reads from
   * the table the first time (numbers are never reused: the tickets keep them).
   */
  nextNumber(key: string, lastUsed: () => number): number {
    const last = this.numbers.get(key);
    const next = (last ?? lastUsed()) + 1;
    this.numbers.set(key, next);
    this.undo.push({ numberKey: key, last });
    return next;
  }

  /**
   * Gives the number `seq` back when it is still the last one used (then the next is `seq` again);
   * false, changing nothing, when a later number was taken.
   */
  giveNumberBack(key: string, seq: number, lastUsed: () => number): boolean {
    const last = this.numbers.get(key);
    if ((last ?? lastUsed()) !== seq) return false;
    this.numbers.set(key, seq - 1);
    this.undo.push({ numberKey: key, last });
    return true;
  }

  /** Records a ticket's row deleted. */
  remove(before: Ticket): void {
    this.move(before, null);
    this.undo.push({ before, after: null });
  }

  /** Records a change of one ticket: `before` as it was (null: new), `after` as it is now. */
  replace(before: Ticket | null, after: Ticket): void {
    this.move(before, after);
    this.undo.push({ before, after });
  }

  /** Where the undo log stands: a savepoint. */
  mark(): number {
    return this.undo.length;
  }

  rollbackTo(mark: number): void {
    while (this.undo.length > mark) {
      const u = this.undo.pop()!;
      if ('numberKey' in u) {
        if (u.last === undefined) this.numbers.delete(u.numberKey);
        else this.numbers.set(u.numberKey, u.last);
      } else this.move(u.after, u.before);
    }
  }

  /** The transaction committed: its changes stay. */
  commit(): void {
    this.undo.length = 0;
  }

  private move(before: Ticket | null, after: Ticket | null): void {
    if (before !== null && LIVE_STATES.has(before.state)) this.unindex(before);
    if (after !== null && LIVE_STATES.has(after.state)) this.index(after);
  }

  private index(t: Ticket): void {
    this.byId.set(t.id, t);
    if (t.state === 'waiting') {
      let l = this.lines.get(t.serviceId);
      if (l === undefined) this.lines.set(t.serviceId, (l = new ServiceLines(t.officeId)));
      l.add(t);
    } else if ((t.state === 'called' || t.state === 'serving') && t.counterId !== null) {
      this.atCounter.set(t.counterId, t);
    }
  }

  private unindex(t: Ticket): void {
    this.byId.delete(t.id);
    if (t.state === 'waiting') this.lines.get(t.serviceId)!.remove(t);
    else if (t.counterId !== null && this.atCounter.get(t.counterId)?.id === t.id) this.atCounter.delete(t.counterId);
  }
}

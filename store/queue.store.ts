import type { Database, Statement } from 'better-sqlite3';
import type { BookingPolicy } from '../core/booking/model.ts';
import type { CallCandidate } from '../core/queue/call-policy.ts';
import type { DomainEvent } from '../core/shared/events.ts';
import type { Counter, Localized, OfficeSettings, Ticket, TicketState } from '../core/shared/model.ts';
import type { QueueStore, ServiceLoad } from '../core/queue/ports.ts';
import { readDataVersion } from './data-version.ts';
import { LiveTickets } from './live-tickets.ts';
import { queueStatements } from './queue.statements.ts';
import {
  counterFromRow,
  TICKET_COLUMNS,
  TICKET_FIELDS,
  departmentFromRow,
  officeFromRow,
  serviceFromRow,
  ticketFromRow,
  ticketFromValues,
  type CounterRow,
  type DepartmentRow,
  type OfficeRow,
  type ServiceRow,
  type TicketRow,
} from './rows.ts';

/**
 * The SQLite adapter of the queue store. Must be used inside a transaction opened by the unit
 * of work; every statement is prepared once. `onEvent` receives each appended event so the
 * unit of work can publish it after commit.
 */
export class SqliteQueueStore implements QueueStore {
  private readonly s: Record<string, Statement>;
  private readonly transitionStatements = new Map<string, Statement>();
  /** Moving averages of service time, read on every estimate; written only through this store. */
  private readonly averages = new Map<string, number | null>();
  /** Parsed configuration, valid while `config_version` (bumped by triggers) stays the same. */
  private readonly configCache = new Map<string, unknown>();
  private configCacheVersion = -1;
  /**
   * Whether `configCacheVersion` was compared with the table since the last `refresh()` (once per
   * group or read, not per lookup). Config written through this store clears the cache on the
   * spot; config written by another connection shows at the next refresh.
   */
  private configChecked = false;
  /** `total_changes()` and the data version when `configCacheVersion` was last read. */
  private versionChanges = -1;
  private versionDataVersion = -1;
  /** Services closed per office and day (`officeId day` → ids): asked at every issue, changed by a supervisor. */
  private readonly closures = new Map<string, readonly string[]>();
  /** The live tickets in memory (live-tickets.ts); null until first needed, or after it was dropped. */
  private live: LiveTickets | null = null;
  /** `PRAGMA data_version` when the image was last known good: it moves when another connection commits. */
  private dataVersion = -1;

  constructor(
    private readonly db: Database,
    private readonly onEvent: (event: DomainEvent & { id: number; at: number }) => void,
    private readonly onQueueChanged: (officeId: string, at: number) => void,
  ) {
    this.s = queueStatements(db);
  }

  /**
   * Configuration (offices, departments, services, counters) is read on every call but changes
   * rarely; parsing it each time cost more than the call itself. Cached objects are shared:
   * callers treat domain objects as immutable.
   */
  private cached<T>(key: string, load: () => T): T {
    if (!this.configChecked) {
      // No row changed on this connection (rolled back or not) nor a commit by another since the last look: the version stands.
      const changes = this.s['totalChanges']!.get() as number;
      if (changes !== this.versionChanges || this.dataVersion !== this.versionDataVersion || this.configCacheVersion === -1) {
        const version = this.s['configVersion']!.get() as number;
        if (version !== this.configCacheVersion) {
          this.configCache.clear();
          this.configCacheVersion = version;
        }
        this.versionChanges = changes;
        this.versionDataVersion = this.dataVersion;
      }
      this.configChecked = true;
    }
    if (this.configCache.has(key)) return this.configCache.get(key) as T;
    const value = load();
    this.configCache.set(key, value);
    return value;
  }

  /** This store wrote configuration: later lookups in the same unit must see it. */
  private configChanged(): void {
    this.configCache.clear();
    this.configChecked = false;
  }

  /**
   * After a rollback the version can return to a number the cache saw with other contents (a
   * change, rolled back, then another change): forget everything.
   */
  invalidateCache(): void {
    this.configCache.clear();
    this.averages.clear();
    this.configCacheVersion = -1;
    this.configChecked = false;
    this.closures.clear();
  }

  /** The live image, built from the table when missing. */
  private image(): LiveTickets {
    if (this.live === null) this.live = new LiveTickets(this.all<TicketRow>('live').map(ticketFromRow));
    return this.live;
  }

  /** Before a unit or a read: another connection's commit (the CLI, another process) may leave the live image stale. */
  refresh(): void {
    this.configChecked = false;
    const v = readDataVersion(this.db);
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.live = null;
      this.closures.clear();
    }
  }

  /** A savepoint of the live image (see LiveTickets.mark). */
  liveMark(): number {
    return this.live?.mark() ?? 0;
  }

  /** The unit rolled back to its savepoint: so does the live image. */
  liveRollbackTo(mark: number): void {
    this.live?.rollbackTo(mark);
  }

  /** The transaction committed: the image's undo log goes. */
  liveCommit(): void {
    this.live?.commit();
  }

  /** The transaction failed as a whole: rebuild the image from the table when next needed. */
  liveDrop(): void {
    this.live = null;
  }

  private one<R>(name: string, ...args: unknown[]): R | undefined {
    return this.s[name]!.get(...args) as R | undefined;
  }

  private all<R>(name: string, ...args: unknown[]): R[] {
    return this.s[name]!.all(...args) as R[];
  }

  async getOffice(id: string) {
    return this.cached(`office:${id}`, () => {
      const r = this.one<OfficeRow>('office', id);
      return r === undefined ? null : officeFromRow(r);
    });
  }

  async listOffices() {
    return this.cached('offices', () => this.all<OfficeRow>('offices').map(officeFromRow));
  }

  async listDepartments(officeId: string) {
    return this.cached(`departments:${officeId}`, () => this.all<DepartmentRow>('departments', officeId).map(departmentFromRow));
  }

  async getService(id: string) {
    return this.cached(`service:${id}`, () => {
      const r = this.one<ServiceRow>('service', id);
      return r === undefined ? null : serviceFromRow(r);
    });
  }

  async listServices(officeId: string) {
    return this.cached(`services:${officeId}`, () => this.all<ServiceRow>('services', officeId).map(serviceFromRow));
  }

  /** One writer runs every unit in turn: a counter is never acted on by two at once. */
  async lockCounter(): Promise<void> {}

  async getCounter(id: string) {
    return this.cached(`counter:${id}`, () => {
      const r = this.one<CounterRow>('counter', id);
      return r === undefined ? null : counterFromRow(r);
    });
  }

  async listCounters(officeId: string) {
    return this.cached(`counters:${officeId}`, () => this.all<CounterRow>('counters', officeId).map(counterFromRow));
  }

  async countersOfUser(userId: string) {
    return this.all<CounterRow>('countersOfUser', userId).map(counterFromRow);
  }

  async getTicket(id: string) {
    const live = this.image().get(id);
    if (live !== undefined) return live;
    const r = this.one<TicketRow>('ticket', id);
    return r === undefined ? null : ticketFromRow(r);
  }

  /**
   * Counted in the live image (rolled back with its unit): an upsert per ticket was one more
   * write and page per commit. The UNIQUE (office, prefix, day, seq) index still refuses a
   * number twice, whatever happens here.
   */
  async nextNumber(officeId: string, prefix: string, day: string): Promise<number> {
    return this.image().nextNumber(`${officeId} ${prefix} ${day}`, () => this.s['lastNumber']!.get({ o: officeId, p: prefix, d: day }) as number);
  }

  async countIssued(serviceId: string, day: string): Promise<number> {
    return this.one<{ n: number }>('countIssued', serviceId, day)?.n ?? 0;
  }

  async insertTicket(ticket: Ticket): Promise<void> {
    // The image first: built after the INSERT it would already hold the new row.
    const live = this.image();
    const values = TICKET_FIELDS.map((f) => ticket[f] ?? null);
    this.s['insertTicket']!.run(values);
    live.replace(null, ticketFromValues(values));
  }

  /**
   * A live ticket (the usual case) moves with a plain UPDATE and its new value is computed here;
   * one that left the office (a no-show put back, say) is read back with RETURNING.
   */
  async transition(id: string, from: TicketState, to: TicketState, patch: Partial<Ticket>): Promise<Ticket | null> {
    const live = this.image();
    const before = live.get(id);
    if (before !== undefined && before.state !== from) return null;
    const fields = (Object.keys(patch) as (keyof Ticket)[]).filter((f) => f !== 'state' && f !== 'id');
    const params: Record<string, unknown> = { __id: id, __from: from, __to: to };
    for (const f of fields) params[TICKET_COLUMNS[f]] = patch[f] ?? null;
    if (before === undefined) {
      const row = this.transitionStatement(fields, true).get(params) as TicketRow | undefined;
      if (row === undefined) return null;
      const after = ticketFromRow(row);
      live.replace(null, after);
      return after;
    }
    this.changedOne(this.transitionStatement(fields, false).run(params).changes, id);
    const after = { ...before, state: to } as Record<keyof Ticket, unknown>;
    for (const f of fields) after[f] = patch[f] ?? null;
    live.replace(before, after as unknown as Ticket);
    return after as unknown as Ticket;
  }

  private transitionStatement(fields: readonly (keyof Ticket)[], returning: boolean): Statement {
    const key = `${fields.join(',')}${returning ? ' returning' : ''}`;
    let stmt = this.transitionStatements.get(key);
    if (stmt === undefined) {
      const sets = ['state = @__to', ...fields.map((f) => `${TICKET_COLUMNS[f]} = @${TICKET_COLUMNS[f]}`)];
      stmt = this.db.prepare(`UPDATE tickets SET ${sets.join(', ')} WHERE id = @__id AND state = @__from${returning ? ' RETURNING *' : ''}`);
      this.transitionStatements.set(key, stmt);
    }
    return stmt;
  }

  /** The image said the row was there in that state; anything else means the image is wrong. */
  private changedOne(changes: number, id: string): void {
    if (changes !== 1) {
      this.live = null;
      throw new Error(`ticket ${id}: the live image was out of step with the tickets table`);
    }
  }

  /**
   * The heads of the lines a counter can be handed — per service the oldest walk-in, the
   * highest-priority walk-in and the earliest booked arrival — come from the live image; the
   * choice moves to `called` with one UPDATE.
   */
  async claimNext(counter: Counter, pick: (candidates: readonly CallCandidate[]) => CallCandidate | null, now: number): Promise<Ticket | null> {
    if (counter.serviceIds.length === 0) return null;
    const live = this.image();
    const chosen = pick(live.heads(counter.serviceIds));
    if (chosen === null) return null;
    const before = live.get(chosen.id)!;
    this.changedOne(this.s['claim']!.run(counter.id, now, chosen.id).changes, chosen.id);
    const after: Ticket = { ...before, state: 'called', counterId: counter.id, calledAt: now, recallCount: 0 };
    live.replace(before, after);
    return after;
  }

  async currentTicket(counterId: string) {
    return this.image().current(counterId);
  }

  async waitingTickets(officeId: string) {
    return this.image().waiting(officeId);
  }

  async printingTickets(officeId: string) {
    return this.image().printing(officeId);
  }

  async withdrawPrinting(id: string): Promise<Ticket | null> {
    const live = this.image();
    const ticket = live.get(id);
    if (ticket === undefined || ticket.state !== 'printing') return null;
    const { officeId: o, prefix: p, day: d } = ticket;
    if (!live.giveNumberBack(`${o} ${p} ${d}`, ticket.seq, () => this.s['lastNumber']!.get({ o, p, d }) as number)) return null;
    this.changedOne(this.s['deletePrinting']!.run(id).changes, id);
    // What the void trigger does for a void ticket: a walk-in withdrawn counts against no capacity.
    if (ticket.bookedAt === null) this.s['uncountIssued']!.run(ticket.serviceId, d);
    live.remove(ticket);
    return ticket;
  }

  async updateCounter(id: string, patch: { status?: Counter['status']; userId?: string | null; sessionServiceIds?: readonly string[] | null }): Promise<Counter> {
    const sets: string[] = [];
    const params: Record<string, unknown> = { id };
    if (patch.status !== undefined) {
      sets.push('status = @status');
      params['status'] = patch.status;
    }
    if (patch.userId !== undefined) {
      sets.push('user_id = @user_id');
      params['user_id'] = patch.userId;
    }
    if (patch.sessionServiceIds !== undefined) {
      sets.push('session_service_ids = @session_service_ids');
      params['session_service_ids'] = patch.sessionServiceIds === null ? null : JSON.stringify(patch.sessionServiceIds);
    }
    const row = (
      sets.length === 0
        ? this.s['counter']!.get(id)
        : this.db.prepare(`UPDATE counters SET ${sets.join(', ')} WHERE id = @id RETURNING *`).get(params)
    ) as CounterRow | undefined;
    if (row === undefined) throw new Error(`counter ${id} vanished inside a transaction`);
    if (sets.length > 0) this.configChanged();
    return counterFromRow(row);
  }

  async serviceLoad(officeId: string): Promise<ServiceLoad[]> {
    return this.image().load(officeId);
  }

  async waitingCount(serviceId: string): Promise<number> {
    return this.image().waitingCount(serviceId);
  }

  async averageServiceMs(serviceId: string): Promise<number | null> {
    let v = this.averages.get(serviceId);
    if (v === undefined) {
      v = this.one<{ v: number }>('avg', serviceId)?.v ?? null;
      this.averages.set(serviceId, v);
    }
    return v;
  }

  async setAverageServiceMs(serviceId: string, averageMs: number): Promise<void> {
    this.s['setAvg']!.run(serviceId, averageMs);
    this.averages.set(serviceId, averageMs);
  }

  async setServiceNames(serviceId: string, names: Localized): Promise<boolean> {
    const changed = this.db.prepare('UPDATE services SET names = ? WHERE id = ?').run(JSON.stringify(names), serviceId).changes === 1;
    this.configChanged();
    return changed;
  }

  async setOfficeSettings(officeId: string, settings: OfficeSettings): Promise<void> {
    this.db.prepare('UPDATE offices SET settings = ? WHERE id = ?').run(JSON.stringify(settings), officeId);
    this.configChanged();
  }

  async closeServiceForDay(serviceId: string, day: string, at: number): Promise<boolean> {
    this.closures.clear();
    return (
      this.db.prepare('INSERT INTO service_closures (service_id, day, closed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(serviceId, day, at)
        .changes === 1
    );
  }

  async closedServices(officeId: string, day: string): Promise<readonly string[]> {
    const key = `${officeId} ${day}`;
    let closed = this.closures.get(key);
    if (closed === undefined) {
      closed = this.all<{ service_id: string }>('closedServices', officeId, day).map((r) => r.service_id);
      this.closures.set(key, closed);
    }
    return closed;
  }

  async bookingPolicy(serviceId: string): Promise<BookingPolicy | null> {
    const r = this.one<{ policy: string }>('bookingPolicy', serviceId);
    return r === undefined ? null : (JSON.parse(r.policy) as BookingPolicy);
  }

  async markQueueChanged(officeId: string, at: number): Promise<void> {
    this.onQueueChanged(officeId, at);
  }

  async appendEvent(event: DomainEvent, at: number): Promise<number> {
    const id = Number(this.s['appendEvent']!.run(event.officeId, event.type, JSON.stringify(event.payload), at).lastInsertRowid);
    // Built field by field: a spread here cost more than the INSERT (V8 copies it slowly).
    this.onEvent({ type: event.type, officeId: event.officeId, payload: event.payload, id, at } as DomainEvent & { id: number; at: number });
    return id;
  }
}

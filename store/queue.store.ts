import type { Database, Statement } from 'better-sqlite3';
import type { BookingPolicy } from '../core/booking-model.ts';
import type { CallCandidate } from '../core/call-policy.ts';
import type { DomainEvent } from '../core/events.ts';
import type { Counter, Localized, Ticket, TicketState } from '../core/model.ts';
import type { QueueStore, ServiceLoad } from '../core/ports.ts';
import {
  counterFromRow,
  departmentFromRow,
  officeFromRow,
  serviceFromRow,
  TICKET_COLUMNS,
  ticketFromRow,
  ticketToRow,
  type CounterRow,
  type DepartmentRow,
  type OfficeRow,
  type ServiceRow,
  type TicketRow,
} from './rows.ts';

interface CandidateRow {
  id: string;
  service_id: string;
  arrived_at: number;
  booked_at: number | null;
  priority_weight: number;
}

/** The states of tickets still in the office (migration 10's partial index tickets_office_live). */
const LIVE_STATES = `'printing', 'waiting', 'called', 'serving', 'parked'`;

const CANDIDATE_COLUMNS = 'id, service_id, arrived_at, booked_at, priority_weight';

/**
 * The SQLite adapter of the queue store. Must be used inside a transaction opened by the unit
 * of work; every statement is prepared once. `onEvent` receives each appended event so the
 * unit of work can publish it after commit.
 */
export class SqliteQueueStore implements QueueStore {
  private readonly s: Record<string, Statement>;
  private readonly transitionStatements = new Map<string, Statement>();
  /** The heads query for a counter serving n services, prepared once per n. */
  private readonly headStatements = new Map<number, Statement>();
  /** Moving averages of service time, read on every estimate; written only through this store. */
  private readonly averages = new Map<string, number | null>();
  /** Parsed configuration, valid while `config_version` (bumped by triggers) stays the same. */
  private readonly configCache = new Map<string, unknown>();
  private configCacheVersion = -1;

  constructor(
    private readonly db: Database,
    private readonly onEvent: (event: DomainEvent & { id: number; at: number }) => void,
    private readonly onQueueChanged: (officeId: string, at: number) => void,
  ) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      office: p('SELECT * FROM offices WHERE id = ?'),
      offices: p('SELECT * FROM offices ORDER BY id'),
      departments: p('SELECT * FROM departments WHERE office_id = ? ORDER BY position, id'),
      service: p('SELECT * FROM services WHERE id = ?'),
      services: p('SELECT * FROM services WHERE office_id = ? ORDER BY position, id'),
      counter: p('SELECT * FROM counters WHERE id = ?'),
      counters: p('SELECT * FROM counters WHERE office_id = ? ORDER BY CAST(number AS INTEGER), number'),
      countersOfUser: p('SELECT * FROM counters WHERE user_id = ?'),
      ticket: p('SELECT * FROM tickets WHERE id = ?'),
      configVersion: p('SELECT version FROM config_version WHERE id = 1').pluck(),
      nextNumber: p(`INSERT INTO ticket_numbers (office_id, prefix, day, last) VALUES (?, ?, ?, 1)
        ON CONFLICT (office_id, prefix, day) DO UPDATE SET last = last + 1 RETURNING last`),
      countIssued: p('SELECT issued AS n FROM daily_issued WHERE service_id = ? AND day = ?'),
      insertTicket: p(`INSERT INTO tickets (${Object.values(TICKET_COLUMNS).join(', ')})
        VALUES (${Object.values(TICKET_COLUMNS).map((c) => '@' + c).join(', ')})`),
      claim: p(`UPDATE tickets SET state = 'called', counter_id = ?, called_at = ?, recall_count = 0
        WHERE id = ? AND state = 'waiting' RETURNING *`),
      // At most one ticket is at a counter (the engine's invariant, checked by the property test).
      current: p(`SELECT * FROM tickets WHERE counter_id = ? AND state IN ('called', 'serving') LIMIT 1`),
      // The repeated list of live states lets SQLite use the partial index tickets_office_live.
      waiting: p(`SELECT * FROM tickets WHERE office_id = ? AND state IN (${LIVE_STATES}) AND state = 'waiting' ORDER BY arrived_at, id`),
      printing: p(`SELECT * FROM tickets WHERE office_id = ? AND state IN (${LIVE_STATES}) AND state = 'printing' ORDER BY issued_at, id`),
      load: p(`SELECT s.id AS service_id, q.waiting AS waiting,
          (SELECT arrived_at FROM tickets t WHERE t.state = 'waiting' AND t.service_id = s.id ORDER BY arrived_at, id LIMIT 1) AS oldest
        FROM services s JOIN queue_counts q ON q.service_id = s.id WHERE s.office_id = ? AND q.waiting > 0`),
      avg: p('SELECT average_service_ms AS v FROM service_stats WHERE service_id = ?'),
      waitingCount: p('SELECT waiting FROM queue_counts WHERE service_id = ?').pluck(),
      setAvg: p(`INSERT INTO service_stats (service_id, average_service_ms) VALUES (?, ?)
        ON CONFLICT (service_id) DO UPDATE SET average_service_ms = excluded.average_service_ms`),
      appendEvent: p('INSERT INTO events (office_id, type, payload, at) VALUES (?, ?, ?, ?)'),
      closedServices: p(`SELECT c.service_id FROM service_closures c JOIN services s ON s.id = c.service_id
        WHERE s.office_id = ? AND c.day = ?`),
      bookingPolicy: p('SELECT policy FROM booking_policies WHERE service_id = ?'),
    };
  }

  /**
   * Configuration (offices, departments, services, counters) is read on every call but changes
   * rarely; parsing it each time cost more than the call itself. Cached objects are shared:
   * callers treat domain objects as immutable.
   */
  private cached<T>(key: string, load: () => T): T {
    const version = this.s['configVersion']!.get() as number;
    if (version !== this.configCacheVersion) {
      this.configCache.clear();
      this.configCacheVersion = version;
    }
    if (this.configCache.has(key)) return this.configCache.get(key) as T;
    const value = load();
    this.configCache.set(key, value);
    return value;
  }

  /**
   * After a rollback the version can return to a number the cache saw with other contents (a
   * change, rolled back, then another change): forget everything.
   */
  invalidateCache(): void {
    this.configCache.clear();
    this.averages.clear();
    this.configCacheVersion = -1;
  }

  private one<R>(name: string, ...args: unknown[]): R | undefined {
    return this.s[name]!.get(...args) as R | undefined;
  }

  private all<R>(name: string, ...args: unknown[]): R[] {
    return this.s[name]!.all(...args) as R[];
  }

  getOffice(id: string) {
    return this.cached(`office:${id}`, () => {
      const r = this.one<OfficeRow>('office', id);
      return r === undefined ? null : officeFromRow(r);
    });
  }

  listOffices() {
    return this.cached('offices', () => this.all<OfficeRow>('offices').map(officeFromRow));
  }

  listDepartments(officeId: string) {
    return this.cached(`departments:${officeId}`, () => this.all<DepartmentRow>('departments', officeId).map(departmentFromRow));
  }

  getService(id: string) {
    return this.cached(`service:${id}`, () => {
      const r = this.one<ServiceRow>('service', id);
      return r === undefined ? null : serviceFromRow(r);
    });
  }

  listServices(officeId: string) {
    return this.cached(`services:${officeId}`, () => this.all<ServiceRow>('services', officeId).map(serviceFromRow));
  }

  getCounter(id: string) {
    return this.cached(`counter:${id}`, () => {
      const r = this.one<CounterRow>('counter', id);
      return r === undefined ? null : counterFromRow(r);
    });
  }

  listCounters(officeId: string) {
    return this.cached(`counters:${officeId}`, () => this.all<CounterRow>('counters', officeId).map(counterFromRow));
  }

  countersOfUser(userId: string) {
    return this.all<CounterRow>('countersOfUser', userId).map(counterFromRow);
  }

  getTicket(id: string) {
    const r = this.one<TicketRow>('ticket', id);
    return r === undefined ? null : ticketFromRow(r);
  }

  nextNumber(officeId: string, prefix: string, day: string): number {
    return this.one<{ last: number }>('nextNumber', officeId, prefix, day)!.last;
  }

  countIssued(serviceId: string, day: string): number {
    return this.one<{ n: number }>('countIssued', serviceId, day)?.n ?? 0;
  }

  insertTicket(ticket: Ticket): void {
    this.s['insertTicket']!.run(ticketToRow(ticket));
  }

  transition(id: string, from: TicketState, to: TicketState, patch: Partial<Ticket>): Ticket | null {
    const fields = (Object.keys(patch) as (keyof Ticket)[]).filter((f) => f !== 'state' && f !== 'id');
    const key = fields.join(',');
    let stmt = this.transitionStatements.get(key);
    if (stmt === undefined) {
      const sets = ['state = @__to', ...fields.map((f) => `${TICKET_COLUMNS[f]} = @${TICKET_COLUMNS[f]}`)];
      stmt = this.db.prepare(`UPDATE tickets SET ${sets.join(', ')} WHERE id = @__id AND state = @__from RETURNING *`);
      this.transitionStatements.set(key, stmt);
    }
    const params: Record<string, unknown> = { __id: id, __from: from, __to: to };
    for (const f of fields) params[TICKET_COLUMNS[f]] = patch[f] ?? null;
    const row = stmt.get(params) as TicketRow | undefined;
    return row === undefined ? null : ticketFromRow(row);
  }

  /**
   * The heads of the lines a counter can be handed, one statement for all its services: per
   * service the oldest walk-in, the highest-priority walk-in and the earliest booked arrival,
   * each an index seek. The walk-in heads exclude booked arrivals: an early booked arrival at the
   * head must not hide the walk-ins behind it (tickets_line is read past the few early ones). Nine statements per call-next were one.
   */
  private headsStatement(services: number): Statement {
    let stmt = this.headStatements.get(services);
    if (stmt === undefined) {
      const cols = CANDIDATE_COLUMNS;
      const one = (i: number): string =>
        `SELECT * FROM (SELECT ${cols} FROM tickets WHERE state = 'waiting' AND booked_at IS NULL AND service_id = @s${i}
            ORDER BY arrived_at, id LIMIT 1)
         UNION ALL SELECT * FROM (SELECT ${cols} FROM tickets WHERE state = 'waiting' AND priority_weight > 0 AND booked_at IS NULL
            AND service_id = @s${i} ORDER BY priority_weight DESC, arrived_at, id LIMIT 1)
         UNION ALL SELECT * FROM (SELECT ${cols} FROM tickets WHERE state = 'waiting' AND booked_at IS NOT NULL AND service_id = @s${i}
            ORDER BY booked_at, arrived_at, id LIMIT 1)`;
      stmt = this.db.prepare(Array.from({ length: services }, (_, i) => one(i + 1)).join(' UNION ALL '));
      this.headStatements.set(services, stmt);
    }
    return stmt;
  }

  claimNext(counter: Counter, pick: (candidates: readonly CallCandidate[]) => CallCandidate | null, now: number): Ticket | null {
    if (counter.serviceIds.length === 0) return null;
    const params: Record<string, string> = {};
    counter.serviceIds.forEach((id, i) => (params[`s${i + 1}`] = id));
    const rows = this.headsStatement(counter.serviceIds.length).all(params) as CandidateRow[];
    const candidates: CallCandidate[] = rows.map((r) => ({
      id: r.id,
      serviceId: r.service_id,
      arrivedAt: r.arrived_at,
      bookedAt: r.booked_at,
      priorityWeight: r.priority_weight,
    }));
    const chosen = pick(candidates);
    if (chosen === null) return null;
    const row = this.one<TicketRow>('claim', counter.id, now, chosen.id);
    return row === undefined ? null : ticketFromRow(row);
  }

  currentTicket(counterId: string) {
    const r = this.one<TicketRow>('current', counterId);
    return r === undefined ? null : ticketFromRow(r);
  }

  waitingTickets(officeId: string) {
    return this.all<TicketRow>('waiting', officeId).map(ticketFromRow);
  }

  printingTickets(officeId: string) {
    return this.all<TicketRow>('printing', officeId).map(ticketFromRow);
  }

  updateCounter(id: string, patch: { status?: Counter['status']; userId?: string | null; sessionServiceIds?: readonly string[] | null }): Counter {
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
    return counterFromRow(row);
  }

  serviceLoad(officeId: string): ServiceLoad[] {
    return this.all<{ service_id: string; waiting: number; oldest: number | null }>('load', officeId).map((r) => ({
      serviceId: r.service_id,
      waiting: r.waiting,
      oldestArrivedAt: r.oldest,
    }));
  }

  waitingCount(serviceId: string): number {
    return (this.s['waitingCount']!.get(serviceId) as number | undefined) ?? 0;
  }

  averageServiceMs(serviceId: string): number | null {
    let v = this.averages.get(serviceId);
    if (v === undefined) {
      v = this.one<{ v: number }>('avg', serviceId)?.v ?? null;
      this.averages.set(serviceId, v);
    }
    return v;
  }

  setAverageServiceMs(serviceId: string, averageMs: number): void {
    this.s['setAvg']!.run(serviceId, averageMs);
    this.averages.set(serviceId, averageMs);
  }

  setServiceNames(serviceId: string, names: Localized): boolean {
    return this.db.prepare('UPDATE services SET names = ? WHERE id = ?').run(JSON.stringify(names), serviceId).changes === 1;
  }

  closeServiceForDay(serviceId: string, day: string, at: number): boolean {
    return (
      this.db.prepare('INSERT INTO service_closures (service_id, day, closed_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(serviceId, day, at)
        .changes === 1
    );
  }

  closedServices(officeId: string, day: string): string[] {
    return (this.all<{ service_id: string }>('closedServices', officeId, day)).map((r) => r.service_id);
  }

  bookingPolicy(serviceId: string): BookingPolicy | null {
    const r = this.one<{ policy: string }>('bookingPolicy', serviceId);
    return r === undefined ? null : (JSON.parse(r.policy) as BookingPolicy);
  }

  markQueueChanged(officeId: string, at: number): void {
    this.onQueueChanged(officeId, at);
  }

  appendEvent(event: DomainEvent, at: number): number {
    const id = Number(this.s['appendEvent']!.run(event.officeId, event.type, JSON.stringify(event.payload), at).lastInsertRowid);
    this.onEvent({ ...event, id, at });
    return id;
  }
}

import type pg from 'pg';
import type { BookingPolicy } from '../../core/booking/model.ts';
import type { CallCandidate } from '../../core/queue/call-policy.ts';
import type { QueueStore, ServiceLoad } from '../../core/queue/ports.ts';
import type { Async } from '../../core/shared/async.ts';
import type { DomainEvent } from '../../core/shared/events.ts';
import type { Counter, CounterStatus, Localized, OfficeSettings, Ticket, TicketState } from '../../core/shared/model.ts';
import { appendEvent } from './event-log.ts';
import { LOCK, lockKeys } from './booking/sql.ts';
import { POLICY } from './booking/settings.store.ts';
import { memoOf, memoRows } from './unit-memo.ts';
import {
  counterFromRow,
  departmentFromRow,
  officeFromRow,
  serviceFromRow,
  TICKET_COLUMNS,
  TICKET_FIELDS,
  ticketFromRow,
  type CounterRow,
  type DepartmentRow,
  type OfficeRow,
  type ServiceRow,
  type TicketRow,
} from '../rows.ts';

/**
 * The PostgreSQL adapter of the queue store, over the client of one transaction (see
 * transaction.ts `inTransaction`): construct one per unit of work. Several hosts share the
 * database, so nothing is kept in process memory between statements — unlike the SQLite adapter's
 * live image, the tables answer every question — and the atomic operations are single statements
 * or row locks that hold across hosts:
 *  - a number is an upsert on `ticket_numbers` … RETURNING: its row lock orders the hosts issuing
 *    for one prefix and day until each commits;
 *  - the calls of one office take turns (an advisory lock held to COMMIT): each reads the heads
 *    of its counter's lines as the previous call left them, picks, and moves the one picked with
 *    a conditional UPDATE … WHERE state = 'waiting'. Locking the heads themselves instead (FOR
 *    UPDATE SKIP LOCKED) let two counters pressing at once pass over what the other only looked
 *    at: the second called someone behind a due booked arrival or behind the oldest walk-in;
 *  - events are appended in the same transaction, in commit order per office (event-log.ts).
 * Ids compare byte-wise (COLLATE "C") in every ORDER BY, as SQLite and the live image order them.
 */

/** The SELECT of one line's head; `$1` office, `s.id` the service, `$3` tickets to leave out. */
const head = (where: string, order: string): string => `LEFT JOIN LATERAL (
    SELECT id, service_id, arrived_at, booked_at, priority_weight FROM tickets
    WHERE office_id = $1 AND service_id = s.id AND state = 'waiting' AND ${where} AND id <> ALL($3::text[])
    ORDER BY ${order}, id COLLATE "C" LIMIT 1) AS`;

/** Per service of the counter (in its order): the oldest walk-in, the first priority walk-in, the earliest booked arrival. */
const HEADS = `SELECT to_json(w) AS w, to_json(p) AS p, to_json(b) AS b
  FROM unnest($2::text[]) WITH ORDINALITY AS s(id, ord)
  ${head('booked_at IS NULL', 'arrived_at')} w ON true
  ${head('booked_at IS NULL AND priority_weight > 0', 'priority_weight DESC, arrived_at')} p ON true
  ${head('booked_at IS NOT NULL', 'booked_at, arrived_at')} b ON true
  ORDER BY s.ord`;

/** Moves the ticket picked to the counter if it still waits. */
const CLAIM = `UPDATE tickets SET state = 'called', counter_id = $1, called_at = $2, recall_count = 0 WHERE id = $3 AND state = 'waiting' RETURNING *`;

interface HeadJson {
  id: string;
  service_id: string;
  arrived_at: number;
  booked_at: number | null;
  priority_weight: number;
}

/**
 * The last number used of a prefix and day: kept in `ticket_numbers`, and by the tickets
 * themselves (rows copied from an appliance, whose SQLite counts them in memory): the greater.
 */
const LAST_USED = `coalesce((SELECT max(seq) FROM tickets WHERE office_id = $1 AND prefix = $2 AND day = $3), 0)`;

/** SQLite's CAST(number AS INTEGER): the leading integer, 0 when there is none (PostgreSQL's cast would fail). */
export const COUNTER_ORDER = `coalesce(substring(number from '^\\s*([+-]?[0-9]+)')::numeric, 0), number COLLATE "C"`;

/** A service's average, also brought by every read of services (a LEFT JOIN) so the load's estimates cost no statement of their own. */
const AVERAGE = 'SELECT average_service_ms AS v FROM service_stats WHERE service_id = $1';
const WITH_AVERAGE = 'SELECT s.*, st.average_service_ms AS average_ms FROM services s LEFT JOIN service_stats st ON st.service_id = s.id';

const INSERT_TICKET = `INSERT INTO tickets (${TICKET_FIELDS.map((f) => TICKET_COLUMNS[f]).join(', ')})
  VALUES (${TICKET_FIELDS.map((_, i) => `$${i + 1}`).join(', ')})`;

export class PgQueueStore implements Async<QueueStore> {
  /** Offices whose event order this transaction holds (event-log.ts). */
  private readonly ordered = new Set<string>();

  constructor(
    private readonly client: pg.ClientBase,
    private readonly onEvent: (event: DomainEvent & { id: number; at: number }) => void,
    private readonly onQueueChanged: (officeId: string, at: number) => void,
  ) {}

  private async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.client.query(sql, params)).rows as R[];
  }

  private async row<R>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  /** Set-up rows (offices, services, counters, …), read once per transaction: see unit-memo.ts. */
  private async setUp<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    return memoRows<R>(this.client, sql, params);
  }

  /** Services with their averages, which the memo then answers averageServiceMs from. */
  private async services(where: string, params: unknown[]): Promise<ServiceRow[]> {
    const list = await this.setUp<ServiceRow & { average_ms: number | null }>(`${WITH_AVERAGE} WHERE ${where}`, params);
    const memo = memoOf(this.client);
    for (const r of list) memo?.prime(AVERAGE, [r.id], r.average_ms === null ? [] : [{ v: r.average_ms }]);
    return list;
  }

  async getOffice(id: string) {
    const [r] = await this.setUp<OfficeRow>('SELECT * FROM offices WHERE id = $1', [id]);
    return r === undefined ? null : officeFromRow(r);
  }

  async listOffices() {
    return (await this.rows<OfficeRow>('SELECT * FROM offices ORDER BY id COLLATE "C"')).map(officeFromRow);
  }

  async listDepartments(officeId: string) {
    const sql = 'SELECT * FROM departments WHERE office_id = $1 AND removed_at IS NULL ORDER BY position, id COLLATE "C"';
    return (await this.rows<DepartmentRow>(sql, [officeId])).map(departmentFromRow);
  }

  async getService(id: string) {
    const [r] = await this.services('s.id = $1', [id]);
    return r === undefined ? null : serviceFromRow(r);
  }

  async listServices(officeId: string) {
    return (await this.services('s.office_id = $1 AND s.removed_at IS NULL ORDER BY s.position, s.id COLLATE "C"', [officeId])).map(serviceFromRow);
  }

  /** A transaction-scoped advisory lock (released at COMMIT or ROLLBACK), so units under READ COMMITTED read what the previous holder committed. */
  async lockCounter(id: string): Promise<void> {
    await lockKeys(this.client, LOCK.counter, [id]);
  }

  async getCounter(id: string) {
    const [r] = await this.setUp<CounterRow>('SELECT * FROM counters WHERE id = $1 AND removed_at IS NULL', [id]);
    return r === undefined ? null : counterFromRow(r);
  }

  async listCounters(officeId: string) {
    const sql = `SELECT * FROM counters WHERE office_id = $1 AND removed_at IS NULL ORDER BY ${COUNTER_ORDER}`;
    return (await this.setUp<CounterRow>(sql, [officeId])).map(counterFromRow);
  }

  async countersOfUser(userId: string) {
    return (await this.rows<CounterRow>('SELECT * FROM counters WHERE user_id = $1 AND removed_at IS NULL', [userId])).map(counterFromRow);
  }

  async getTicket(id: string) {
    const r = await this.row<TicketRow>('SELECT * FROM tickets WHERE id = $1', [id]);
    return r === undefined ? null : ticketFromRow(r);
  }

  async nextNumber(officeId: string, prefix: string, day: string): Promise<number> {
    const r = await this.row<{ last: number }>(
      `INSERT INTO ticket_numbers (office_id, prefix, day, last) VALUES ($1, $2, $3, ${LAST_USED} + 1)
       ON CONFLICT (office_id, prefix, day) DO UPDATE SET last = greatest(ticket_numbers.last, ${LAST_USED}) + 1
       RETURNING last`,
      [officeId, prefix, day],
    );
    return r!.last;
  }

  async countIssued(serviceId: string, day: string): Promise<number> {
    return (await this.row<{ n: number }>('SELECT issued AS n FROM daily_issued WHERE service_id = $1 AND day = $2', [serviceId, day]))?.n ?? 0;
  }

  async insertTicket(ticket: Ticket): Promise<void> {
    await this.client.query(INSERT_TICKET, TICKET_FIELDS.map((f) => ticket[f] ?? null));
  }

  async transition(id: string, from: TicketState, to: TicketState, patch: Partial<Ticket>): Promise<Ticket | null> {
    const fields = (Object.keys(patch) as (keyof Ticket)[]).filter((f) => f !== 'state' && f !== 'id');
    const sets = ['state = $3', ...fields.map((f, i) => `${TICKET_COLUMNS[f]} = $${i + 4}`)];
    const r = await this.row<TicketRow>(`UPDATE tickets SET ${sets.join(', ')} WHERE id = $1 AND state = $2 RETURNING *`, [
      id,
      from,
      to,
      ...fields.map((f) => patch[f] ?? null),
    ]);
    return r === undefined ? null : ticketFromRow(r);
  }

  async claimNext(counter: Counter, pick: (candidates: readonly CallCandidate[]) => CallCandidate | null, now: number): Promise<Ticket | null> {
    if (counter.serviceIds.length === 0) return null;
    await lockKeys(this.client, LOCK.calls, [counter.officeId]);
    // Each turn either takes the ticket picked or leaves it out of the next (another unit moved it): it ends.
    const gone: string[] = [];
    for (;;) {
      const candidates = await this.heads(counter, gone);
      if (candidates.length === 0) return null;
      const chosen = pick(candidates);
      if (chosen === null) return null;
      const r = await this.row<TicketRow>(CLAIM, [counter.id, now, chosen.id]);
      if (r !== undefined) return ticketFromRow(r);
      gone.push(chosen.id);
    }
  }

  private async heads(counter: Counter, leaveOut: readonly string[]): Promise<CallCandidate[]> {
    const candidates: CallCandidate[] = [];
    for (const r of await this.rows<Record<'w' | 'p' | 'b', HeadJson | null>>(HEADS, [counter.officeId, counter.serviceIds, leaveOut])) {
      for (const h of [r.w, r.p, r.b]) {
        if (h !== null) {
          candidates.push({ id: h.id, serviceId: h.service_id, arrivedAt: h.arrived_at, bookedAt: h.booked_at, priorityWeight: h.priority_weight });
        }
      }
    }
    return candidates;
  }

  /** Through the office's live tickets (the partial index tickets_office_live), as every live query here. */
  async currentTicket(counterId: string) {
    const r = await this.row<TicketRow>(
      `SELECT t.* FROM tickets t JOIN counters c ON c.id = $1
       WHERE t.office_id = c.office_id AND t.counter_id = $1 AND t.state IN ('called', 'serving') LIMIT 1`,
      [counterId],
    );
    return r === undefined ? null : ticketFromRow(r);
  }

  async waitingTickets(officeId: string) {
    const sql = `SELECT * FROM tickets WHERE office_id = $1 AND state = 'waiting' ORDER BY arrived_at, id COLLATE "C"`;
    return (await this.rows<TicketRow>(sql, [officeId])).map(ticketFromRow);
  }

  async printingTickets(officeId: string) {
    const sql = `SELECT * FROM tickets WHERE office_id = $1 AND state = 'printing' ORDER BY issued_at, id COLLATE "C"`;
    return (await this.rows<TicketRow>(sql, [officeId])).map(ticketFromRow);
  }

  /**
   * The ticket row and its number's row are locked first, so no host takes a later number of
   * that prefix and day between the check and the withdrawal.
   */
  async withdrawPrinting(id: string): Promise<Ticket | null> {
    const row = await this.row<TicketRow>(`SELECT * FROM tickets WHERE id = $1 AND state = 'printing' FOR UPDATE`, [id]);
    if (row === undefined) return null;
    const t = ticketFromRow(row);
    const key = [t.officeId, t.prefix, t.day];
    const counted = await this.row<{ last: number }>('SELECT last FROM ticket_numbers WHERE office_id = $1 AND prefix = $2 AND day = $3 FOR UPDATE', key);
    const last = Math.max(counted?.last ?? 0, (await this.row<{ n: number }>(`SELECT ${LAST_USED} AS n`, key))!.n);
    if (last !== t.seq) return null;
    await this.client.query(
      `INSERT INTO ticket_numbers (office_id, prefix, day, last) VALUES ($1, $2, $3, $4)
       ON CONFLICT (office_id, prefix, day) DO UPDATE SET last = excluded.last`,
      [...key, t.seq - 1],
    );
    await this.client.query(`DELETE FROM tickets WHERE id = $1`, [id]);
    // What the void trigger does for a void ticket: a walk-in withdrawn counts against no capacity.
    if (t.bookedAt === null) await this.client.query('UPDATE daily_issued SET issued = issued - 1 WHERE service_id = $1 AND day = $2', [t.serviceId, t.day]);
    return t;
  }

  async updateCounter(id: string, patch: { status?: CounterStatus; userId?: string | null; sessionServiceIds?: readonly string[] | null }): Promise<Counter> {
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.userId !== undefined) set('user_id', patch.userId);
    if (patch.sessionServiceIds !== undefined) set('session_service_ids', patch.sessionServiceIds === null ? null : JSON.stringify(patch.sessionServiceIds));
    const sql = sets.length === 0 ? 'SELECT * FROM counters WHERE id = $1' : `UPDATE counters SET ${sets.join(', ')} WHERE id = $1 RETURNING *`;
    const r = await this.row<CounterRow>(sql, params);
    if (r === undefined) throw new Error(`counter ${id} vanished inside a transaction`);
    return counterFromRow(r);
  }

  async serviceLoad(officeId: string): Promise<ServiceLoad[]> {
    return this.rows<ServiceLoad>(
      `SELECT t.service_id AS "serviceId", count(*)::int AS waiting, min(t.arrived_at) AS "oldestArrivedAt"
       FROM tickets t JOIN services s ON s.id = t.service_id
       WHERE t.office_id = $1 AND t.state = 'waiting'
       GROUP BY t.service_id, s.position ORDER BY s.position, t.service_id COLLATE "C"`,
      [officeId],
    );
  }

  async waitingCount(serviceId: string): Promise<number> {
    const r = await this.row<{ n: number }>(
      `SELECT count(*)::int AS n FROM tickets t JOIN services s ON s.id = $1
       WHERE t.office_id = s.office_id AND t.service_id = $1 AND t.state = 'waiting'`,
      [serviceId],
    );
    return r?.n ?? 0;
  }

  async averageServiceMs(serviceId: string): Promise<number | null> {
    return (await this.setUp<{ v: number | null }>(AVERAGE, [serviceId]))[0]?.v ?? null;
  }

  async setAverageServiceMs(serviceId: string, ms: number): Promise<void> {
    await this.client.query(
      `INSERT INTO service_stats (service_id, average_service_ms) VALUES ($1, $2)
       ON CONFLICT (service_id) DO UPDATE SET average_service_ms = excluded.average_service_ms`,
      [serviceId, ms],
    );
  }

  async closeServiceForDay(serviceId: string, day: string, at: number): Promise<boolean> {
    const r = await this.client.query('INSERT INTO service_closures (service_id, day, closed_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
      serviceId,
      day,
      at,
    ]);
    return r.rowCount === 1;
  }

  async closedServices(officeId: string, day: string): Promise<readonly string[]> {
    const rows = await this.rows<{ service_id: string }>(
      `SELECT c.service_id FROM service_closures c JOIN services s ON s.id = c.service_id WHERE s.office_id = $1 AND c.day = $2
       ORDER BY c.service_id COLLATE "C"`,
      [officeId, day],
    );
    return rows.map((r) => r.service_id);
  }

  async setServiceNames(serviceId: string, names: Localized): Promise<boolean> {
    return (await this.client.query('UPDATE services SET names = $1 WHERE id = $2', [JSON.stringify(names), serviceId])).rowCount === 1;
  }

  async setOfficeSettings(officeId: string, settings: OfficeSettings): Promise<void> {
    await this.client.query('UPDATE offices SET settings = $1 WHERE id = $2', [JSON.stringify(settings), officeId]);
  }

  async bookingPolicy(serviceId: string): Promise<BookingPolicy | null> {
    const [r] = await this.setUp<{ policy: string }>(POLICY, [serviceId]);
    return r === undefined ? null : (JSON.parse(r.policy) as BookingPolicy);
  }

  /** Collected by the unit of work, which appends one `queue:changed` per office before its COMMIT. */
  markQueueChanged(officeId: string, at: number): Promise<void> {
    this.onQueueChanged(officeId, at);
    return Promise.resolve();
  }

  async appendEvent(event: DomainEvent, at: number): Promise<number> {
    const id = await appendEvent(this.client, this.ordered, event, at);
    this.onEvent({ type: event.type, officeId: event.officeId, payload: event.payload, id, at } as DomainEvent & { id: number; at: number });
    return id;
  }
}

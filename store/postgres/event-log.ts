import pg from 'pg';
import type { Sql } from './booking/sql.ts';
import { sqlOf } from './db.ts';
import type { EventLog } from '../../core/queue/ports.ts';
import type { Async } from '../../core/shared/async.ts';
import type { DomainEvent, DomainEventType, LoggedEvent } from '../../core/shared/events.ts';
import { fromRow, type EventRow } from '../event-log.rows.ts';

/**
 * The event log on PostgreSQL: appended inside the writer's transaction, read back for replay.
 *
 * Replay asks for "events of this office after id N", so ids must become visible in their order:
 * a client that saw 11 never asks for 10 again. An identity column hands out ids at INSERT, but
 * transactions on several hosts commit in any order — 11 could be read while 10's transaction is
 * still open, and 10 would be lost to that client. So a transaction that appends to an office's
 * log first takes that office's transaction-scoped advisory lock and keeps it to its COMMIT: the
 * office's appends are ordered by commit. What it costs: writers of one office queue from their
 * first event to their commit (the work before it, claims included, still overlaps).
 */

/** The two-key advisory lock space (apart from migrate.ts's one-key lock): "evts", then the office's hash. */
const EVENT_ORDER_LOCK = 0x65767473;

/**
 * Told the office's id at the COMMIT of every transaction that appended to its log (PostgreSQL
 * sends a transaction's notifications when it commits, one per distinct payload): hosts tailing
 * the log (event-tail.ts) read it then. A wake-up only; what to read is the log itself.
 */
export const EVENTS_CHANNEL = 'fronta_events';

/**
 * Appends one event in the client's transaction; `ordered` holds the offices whose lock this
 * transaction already took (one set per transaction: the lock lasts until it ends).
 */
export async function appendEvent(client: Pick<pg.ClientBase, 'query'>, ordered: Set<string>, event: DomainEvent, at: number): Promise<number> {
  if (!ordered.has(event.officeId)) {
    await client.query(`SELECT pg_advisory_xact_lock($1, hashtext($2)), pg_notify('${EVENTS_CHANNEL}', $2)`, [EVENT_ORDER_LOCK, event.officeId]);
    ordered.add(event.officeId);
  }
  const r = await client.query<{ id: number }>('INSERT INTO events (office_id, type, payload, at) VALUES ($1, $2, $3, $4) RETURNING id', [
    event.officeId,
    event.type,
    JSON.stringify(event.payload),
    at,
  ]);
  return r.rows[0]!.id;
}

/** Types read by type have a partial index each (the same as SQLite's); others would scan the office's log. */
const BY_TYPE: ReadonlySet<DomainEventType> = new Set(['booking:settings-changed', 'alerts:changed', 'ticket:called-out-of-order', 'printer:changed']);

/**
 * Reads the event log: what a reconnecting client missed, in order. Over a pool (no transaction
 * needed) or a client. On the pool inside a unit of work it reads on the unit's connection: a
 * second connection per unit would let a burst of units hold every connection of the pool, each
 * waiting for one more.
 */
export class PgEventLog implements Async<EventLog> {
  constructor(private readonly db: pg.Pool | pg.ClientBase) {}

  private get sql(): Sql {
    return this.db instanceof pg.Pool ? sqlOf(this.db) : this.db;
  }

  async eventsAfter(officeId: string, afterId: number, limit: number): Promise<LoggedEvent[]> {
    const r = await this.sql.query<EventRow>('SELECT * FROM events WHERE office_id = $1 AND id > $2 ORDER BY id LIMIT $3', [officeId, afterId, limit]);
    return r.rows.map(fromRow);
  }

  async lastEventId(officeId: string): Promise<number> {
    const r = await this.sql.query<{ id: number | null }>('SELECT max(id) AS id FROM events WHERE office_id = $1', [officeId]);
    return r.rows[0]?.id ?? 0;
  }

  async latestOfType<T extends DomainEventType>(officeId: string, type: T, limit: number): Promise<Extract<LoggedEvent, { type: T }>[]> {
    if (!BY_TYPE.has(type)) throw new Error(`no index to read ${type} events by type`);
    // The literal type (from the set above) lets the planner prove the partial index applies.
    const r = await this.sql.query<EventRow>(`SELECT * FROM events WHERE office_id = $1 AND type = '${type}' ORDER BY id DESC LIMIT $2`, [officeId, limit]);
    return r.rows.map(fromRow) as Extract<LoggedEvent, { type: T }>[];
  }
}

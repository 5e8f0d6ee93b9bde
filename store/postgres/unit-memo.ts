import { LOCK, type Sql } from './booking/sql.ts';

/**
 * Reads of an office's set-up remembered for one transaction. A unit asks for the same rows
 * several times (the ticket's service and office by the use case, then by the load published
 * after it; a policy by the eligibility check and by the booking rules), and each ask is a round
 * trip to a server several hosts share. The memo belongs to the transaction's connection and dies
 * with it: another host may change the set-up at any time, and the next unit reads it afresh.
 *
 * Inside the transaction a remembered read stays true until the unit itself may have changed or
 * re-read what it remembers, so the whole memo is forgotten when the connection sends:
 *  - anything but a plain SELECT naming a remembered table (a write, or a locking read, which
 *    must see what other hosts committed);
 *  - an advisory lock (what the caller reads after it must be what the previous holder
 *    committed: booking/sql.ts lockKeys) — except the event-order lock and an office's call turns
 *    (LOCK.calls), which guard the event log and the tickets, never the set-up;
 *  - a ROLLBACK (to a savepoint), which undoes the unit's own writes.
 * Only statements that read these tables and nothing else may be remembered (memoRows).
 */
const TABLES = /\b(offices|services|counters|service_stats|booking_policies|booking_offices|service_rules)\b/i;
const LOCKING = /\bFOR\s+(UPDATE|SHARE|NO\s+KEY\s+UPDATE|KEY\s+SHARE)\b/i;
const EVENT_ORDER_LOCK = /pg_notify\('fronta_events'/;

function forgets(text: string, params: readonly unknown[]): boolean {
  if (/^\s*ROLLBACK\b/i.test(text)) return true;
  if (/pg_advisory/i.test(text)) return !EVENT_ORDER_LOCK.test(text) && params[0] !== LOCK.calls;
  return TABLES.test(text) && (!/^\s*SELECT\b/i.test(text) || LOCKING.test(text));
}

export class UnitMemo {
  private readonly remembered = new Map<string, Promise<unknown[]>>();

  /** Told of every statement the connection sends, before it is sent. */
  sending(text: string, params: readonly unknown[] = []): void {
    if (forgets(text, params)) this.remembered.clear();
  }

  read<R>(text: string, params: readonly unknown[], load: () => Promise<R[]>): Promise<R[]> {
    const key = keyOf(text, params);
    let rows = this.remembered.get(key);
    if (rows === undefined) {
      rows = load();
      this.remembered.set(key, rows);
    }
    return rows as Promise<R[]>;
  }

  /** Rows another statement already brought (a join), as if `text` had been read. */
  prime(text: string, params: readonly unknown[], rows: unknown[]): void {
    this.remembered.set(keyOf(text, params), Promise.resolve(rows));
  }
}

const keyOf = (text: string, params: readonly unknown[]): string => `${text}\u0000${JSON.stringify(params)}`;

const memos = new WeakMap<object, UnitMemo>();

/** Gives `client` (a transaction's connection as its unit sees it) a memo of its own. */
export function remember(client: object, memo: UnitMemo): void {
  memos.set(client, memo);
}

/** Statements that go wherever the unit under way is (db.ts followingUnit): `unit()` says where now. */
export interface FollowingUnit extends Sql {
  unit(): Sql;
}

const follows = (sql: Sql): sql is FollowingUnit => typeof (sql as Partial<FollowingUnit>).unit === 'function';

/** The memo of this connection's transaction, or null (the pool, a bare client: nothing remembered). */
export function memoOf(sql: Sql): UnitMemo | null {
  return memos.get(follows(sql) ? sql.unit() : sql) ?? null;
}

/** A read of set-up rows (see TABLES), remembered for the transaction when it has a memo. */
export function memoRows<R>(sql: Sql, text: string, params: readonly unknown[]): Promise<R[]> {
  const load = async (): Promise<R[]> => (await sql.query(text, params as unknown[])).rows as R[];
  return memoOf(sql)?.read(text, params, load) ?? load();
}

import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import type { Sql } from './booking/sql.ts';
import { inTransaction, type TransactionOptions } from './transaction.ts';
import type { FollowingUnit } from './unit-memo.ts';

/**
 * What a long-lived PostgreSQL store is built from: the pool (the host's stores, made once), or
 * one transaction's client (a store made inside a unit, as PgQueueStore is). On a client every
 * statement is the caller's: its transaction commits or rolls back the store's writes with its own.
 * On the pool a store joins the unit of work under way in this async context (PgUnitOfWork
 * announces its client here), as SQLite's storeWrite joins the group commit: a rating saved by a
 * use case commits with that unit's event. Outside any unit a read is one statement on the pool
 * and a write of several statements is a transaction of its own.
 */
export type PgDb = pg.Pool | Sql;

const unit = new AsyncLocalStorage<{ pool: pg.Pool; client: Sql; open: boolean }>();

/**
 * Runs `work` with `client` as the unit under way for stores built on `pool`. A timer or promise
 * started inside `work` keeps this async context after the unit has committed and its client gone
 * back to the pool: from then on the unit is closed and such late work runs on the pool.
 */
export async function withinUnit<T>(pool: pg.Pool, client: Sql, work: () => Promise<T>): Promise<T> {
  const u = { pool, client, open: true };
  try {
    return await unit.run(u, work);
  } finally {
    u.open = false;
  }
}

/** The unit's client when this pool has one under way here, else null. */
export function joined(pool: pg.Pool): Sql | null {
  const u = unit.getStore();
  return u !== undefined && u.open && u.pool === pool ? u.client : null;
}

/** Where a single statement goes: the caller's transaction when there is one (a read there sees its writes). */
export function sqlOf(db: PgDb): Sql {
  return db instanceof pg.Pool ? (joined(db) ?? db) : db;
}

/** A Sql over the pool that sends each statement to the unit under way at that moment (adapters that take one client). */
export function followingUnit(pool: pg.Pool): FollowingUnit {
  const unit = (): Sql => sqlOf(pool);
  return { unit, query: ((text: string, values?: unknown[]) => unit().query(text, values)) as Sql['query'] };
}

/**
 * Statements that must commit together. Over the pool with no unit under way: a transaction of
 * their own (retried on serialization failures, `opts` its isolation and retries). Inside the
 * caller's transaction (a client, or the pool's unit under way): its statements, and with
 * `savepoint` in a savepoint of it, so that a refused statement undoes only this call's
 * statements and the caller may go on, as SQLite's nested `db.transaction()` does inside its group
 * commit. Without `savepoint` a failure inside a unit is the unit's (it rolls back whole), at two
 * round trips fewer.
 */
export async function atomically<T>(db: PgDb, work: (sql: Sql) => Promise<T>, opts: TransactionOptions & { savepoint?: boolean } = {}): Promise<T> {
  const sql = sqlOf(db);
  if (sql instanceof pg.Pool) return inTransaction(sql, work, opts);
  if (opts.savepoint !== true) return work(sql);
  await sql.query('SAVEPOINT fronta_store');
  try {
    const value = await work(sql);
    await sql.query('RELEASE SAVEPOINT fronta_store');
    return value;
  } catch (err) {
    await sql.query('ROLLBACK TO SAVEPOINT fronta_store');
    await sql.query('RELEASE SAVEPOINT fronta_store');
    throw err;
  }
}

/** Reads that must see one snapshot: in the caller's transaction, or a REPEATABLE READ one of their own. */
export function consistently<T>(db: PgDb, work: (sql: Sql) => Promise<T>): Promise<T> {
  if (!(db instanceof pg.Pool)) return work(db);
  const client = joined(db);
  return client === null ? inTransaction(db, work, { isolation: 'repeatable read' }) : work(client);
}

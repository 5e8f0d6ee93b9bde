import pg from 'pg';
import type { Sql } from './booking/sql.ts';
import { sqlOf } from './db.ts';
import { inTransaction, type TransactionOptions } from './transaction.ts';

/**
 * What a PostgreSQL store runs on: the pool (each call its own transaction — a background job,
 * a route's read — or, inside a unit of work under way, that unit's transaction: see sqlOn) or
 * the client of the caller's transaction (the store's writes commit or roll back with the rest
 * of the unit, as PgQueueStore's do).
 */
export type PgDb = pg.Pool | pg.ClientBase;

const isPool = (db: PgDb | Sql): db is pg.Pool => db instanceof pg.Pool;

/**
 * Where a single statement of a store built on `db` goes. A store built on the pool joins the
 * unit of work under way in this async context (db.ts): a statement sent to the pool instead would
 * run on another connection, outside the unit's transaction — it would commit even if the unit
 * rolls back, and wait forever on a row lock the unit holds (the unit waiting on it in turn).
 */
export function sqlOn(db: PgDb): Sql {
  return sqlOf(db);
}

/**
 * Runs several statements as one: over a pool with no unit under way, in a transaction of its
 * own (retried on serialization failures); inside a transaction (a client, or the pool's unit
 * under way), in a savepoint of it, so that a refused statement undoes only this call's
 * statements and the caller may go on — SQLite's nested `db.transaction()` does the same inside
 * its group commit.
 */
export async function atomically<T>(db: PgDb, work: (sql: Sql) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  const sql = sqlOn(db);
  if (isPool(sql)) return inTransaction(sql, work, opts);
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

import pg from 'pg';
import type { Sql } from './booking/sql.ts';
import { inTransaction, type TransactionOptions } from './transaction.ts';

/**
 * What a PostgreSQL store runs on: the pool (each call its own transaction — a background job,
 * a route's read) or the client of the caller's transaction (a unit of work: the store's writes
 * commit or roll back with the rest of the unit, as PgQueueStore's do).
 */
export type PgDb = pg.Pool | pg.ClientBase;

const isPool = (db: PgDb): db is pg.Pool => db instanceof pg.Pool;

/**
 * Runs several statements as one: over a pool, in a transaction of its own (retried on
 * serialization failures); over a client, in a savepoint of the caller's transaction, so that a
 * refused statement undoes only this call's statements and the caller may go on — SQLite's
 * nested `db.transaction()` does the same inside its group commit.
 */
export async function atomically<T>(db: PgDb, work: (sql: Sql) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
  if (isPool(db)) return inTransaction(db, work, opts);
  await db.query('SAVEPOINT fronta_store');
  try {
    const value = await work(db);
    await db.query('RELEASE SAVEPOINT fronta_store');
    return value;
  } catch (err) {
    await db.query('ROLLBACK TO SAVEPOINT fronta_store');
    await db.query('RELEASE SAVEPOINT fronta_store');
    throw err;
  }
}

import type { Database, Statement } from 'better-sqlite3';

/**
 * `PRAGMA data_version` of a connection: it moves when another connection (a second process, the
 * CLI) commits. Reading it takes the WAL's read lock, which costs as much as a one-row lookup, so
 * the caches of what is in the file share one reading per turn of the event loop: the unit of
 * work reads it before every read and every group (`readDataVersion`), and a cache asked later in
 * the same turn takes that value (`dataVersion`), as if it had looked at the same instant. A
 * cache asked in a turn where nobody read it reads it itself.
 */
interface Seen {
  statement: Statement<[], number>;
  version: number;
  fresh: boolean;
}

const seen = new WeakMap<Database, Seen>();

function of(db: Database): Seen {
  let s = seen.get(db);
  if (s === undefined) {
    s = { statement: db.prepare<[], number>('PRAGMA data_version').pluck(), version: -1, fresh: false };
    seen.set(db, s);
  }
  return s;
}

/** Reads the version now (and shares it with the rest of this turn). */
export function readDataVersion(db: Database): number {
  const s = of(db);
  s.version = s.statement.get()!;
  if (!s.fresh) {
    s.fresh = true;
    setImmediate(() => {
      s.fresh = false;
    });
  }
  return s.version;
}

/** The version as read in this turn of the event loop, reading it if nobody has yet. */
export function dataVersion(db: Database): number {
  const s = of(db);
  return s.fresh ? s.version : readDataVersion(db);
}

/**
 * Rollbacks on a connection whose transactions are all seen by its unit of work (its savepoints,
 * its group's ROLLBACK, and every `db.transaction()` on it, which the unit of work wraps). A cache
 * may then keep what it read inside a transaction: a write moves `total_changes()`, and undoing
 * one moves this count. Connections without a unit of work have none (their caches skip
 * transactions).
 */
const rollbacks = new WeakMap<Database, { n: number }>();

export function countRollbacks(db: Database): { rolledBack(): void } {
  const c = { n: 0 };
  rollbacks.set(db, c);
  return { rolledBack: () => void c.n++ };
}

export function rollbackCount(db: Database): number | undefined {
  return rollbacks.get(db)?.n;
}

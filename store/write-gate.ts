import type { Database } from 'better-sqlite3';

/**
 * Where a store's own writes go (configuration, people, templates, ratings, alert settings,
 * statistics rollups, the outbox's bookkeeping): through the group commit of the connection
 * when it has one, so that no write reaches the write connection outside a unit while a group's
 * transaction is open (better-sqlite3 would nest it as a savepoint of that group and it would
 * commit, or roll back, with strangers).
 */
export interface WriteGate {
  /** Runs `work` inside the unit under way, or as a unit of its own in the next group. */
  write<T>(work: () => T): Promise<T>;
}

const gates = new WeakMap<Database, WriteGate>();

/** The unit of work of a connection registers itself here (one per connection). */
export function registerWriteGate(db: Database, gate: WriteGate): void {
  if (gates.has(db)) throw new Error('this connection already has a unit of work');
  gates.set(db, gate);
}

/**
 * A store's write: through the connection's unit of work, or, on a connection without one (a
 * CLI command, a migration tool), in a transaction of its own.
 */
export function storeWrite<T>(db: Database, work: () => T): Promise<T> {
  const gate = gates.get(db);
  if (gate !== undefined) return gate.write(work);
  try {
    return Promise.resolve(db.transaction(work).immediate());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

import type pg from 'pg';
import { officeLoad } from '../../core/queue/estimate.ts';
import type { LoggedEvent } from '../../core/shared/events.ts';
import { withinUnit } from './db.ts';
import { PgQueueStore } from './queue.store.ts';
import { inTransaction, type TransactionOptions } from './transaction.ts';

/** A unit whose value is a failed Result rolls back: bad input changes nothing. */
const isFailedResult = (v: unknown): boolean => typeof v === 'object' && v !== null && 'ok' in v && v.ok === false;

/** Carries a failed Result out of the transaction so that it rolls back, then is answered as a value. */
class RolledBack extends Error {
  constructor(readonly value: unknown) {
    super('the unit returned a failed Result');
  }
}

/**
 * The unit of work on PostgreSQL: one transaction per unit, not SQLite's group commit. SQLite has
 * one writer, so batching units into one transaction saves fsyncs without costing concurrency;
 * PostgreSQL runs units of several connections and hosts at once and commits them together in its
 * own WAL group commit, so each unit is simply its own transaction (`inTransaction`: retried on
 * serialization failures and deadlocks). Per attempt the unit gets a fresh store, a fresh list of
 * events and of offices whose lines changed: what a failed attempt appended is never published.
 * After the unit's work, one `queue:changed` per changed office, in the same transaction; after
 * COMMIT, the events to the listeners.
 */
export class PgUnitOfWork {
  private readonly listeners = new Set<(events: readonly LoggedEvent[]) => void>();

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: TransactionOptions = {},
  ) {}

  async run<T>(work: (store: PgQueueStore) => T | Promise<T>): Promise<T> {
    let staged: LoggedEvent[] = [];
    let value: T;
    try {
      value = await inTransaction(
        this.pool,
        async (client) => {
          staged = [];
          const dirty = new Map<string, number>();
          const store = new PgQueueStore(client, (e) => staged.push(e), (officeId, at) => dirty.set(officeId, Math.max(dirty.get(officeId) ?? at, at)));
          // Stores built on the pool (ratings, people, …) write in this same transaction.
          const result = await withinUnit(this.pool, client, async () => await work(store));
          if (isFailedResult(result)) throw new RolledBack(result);
          for (const [officeId, at] of dirty) {
            const services = await loadOf(store, officeId);
            if (services !== null) await store.appendEvent({ type: 'queue:changed', officeId, payload: { services } }, at);
          }
          return result;
        },
        this.options,
      );
    } catch (err) {
      if (err instanceof RolledBack) return err.value as T;
      throw err;
    }
    if (staged.length > 0) for (const l of this.listeners) l(staged);
    return value;
  }

  /** Reads in a transaction of their own (one snapshot for the whole read, stores on the pool included). */
  read<T>(work: (store: PgQueueStore) => T | Promise<T>): Promise<T> {
    return inTransaction(this.pool, (client) => withinUnit(this.pool, client, async () => await work(new PgQueueStore(client, () => undefined, () => undefined))), {
      isolation: 'repeatable read',
    });
  }

  /** Nothing to wait for: each unit answers after its own COMMIT (SQLite's group commit needs this). */
  flush(): Promise<void> {
    return Promise.resolve();
  }

  /** Called after each commit with the events it appended, in id order. */
  onCommit(listener: (events: readonly LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** The office's load after the unit (core's officeLoad over the same transaction). */
async function loadOf(store: PgQueueStore, officeId: string): Promise<Awaited<ReturnType<typeof officeLoad>> | null> {
  const office = await store.getOffice(officeId);
  return office === null ? null : officeLoad(store, office);
}

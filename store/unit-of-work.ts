import type { Database, Statement } from 'better-sqlite3';
import type { LoggedEvent } from '../core/shared/events.ts';
import type { QueueRuntime, QueueStore } from '../core/queue/ports.ts';
import { officeLoad } from '../core/queue/estimate.ts';
import { SqliteQueueStore } from './queue.store.ts';

interface Pending {
  work: (store: QueueStore) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** A unit whose value is a failed Result rolls back: bad input changes nothing. */
const isFailedResult = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && 'ok' in v && (v).ok === false;

/**
 * Group commit. Units of work queued during one turn of the event loop run together in one
 * IMMEDIATE transaction, each inside its own savepoint (a unit that throws or returns a failed
 * Result is rolled back alone), then the transaction commits — one fsync under
 * `synchronous=FULL` for the whole group — and only then is each caller answered and each event
 * published. Nothing is acknowledged before it is durable.
 */
export class GroupCommitUnitOfWork implements QueueRuntime {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly store: SqliteQueueStore;
  private readonly staged: LoggedEvent[] = [];
  /** Offices whose lines changed in the current group (in order of first change), with the time. */
  private readonly dirtyOffices: { officeId: string; at: number }[] = [];
  private readonly listeners = new Set<(events: readonly LoggedEvent[]) => void>();
  private readonly savepointStatements: { begin: Statement; release: Statement; rollback: Statement };

  constructor(private readonly db: Database) {
    this.savepointStatements = {
      begin: db.prepare('SAVEPOINT unit'),
      release: db.prepare('RELEASE unit'),
      rollback: db.prepare('ROLLBACK TO unit'),
    };
    this.store = new SqliteQueueStore(
      db,
      (e) => this.staged.push(e),
      (officeId, at) => {
        const seen = this.dirtyOffices.find((d) => d.officeId === officeId);
        if (seen === undefined) this.dirtyOffices.push({ officeId, at });
        else seen.at = Math.max(seen.at, at);
      },
    );
  }

  run<T>(work: (store: QueueStore) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Reads without a write lock (WAL readers never block): for snapshots and lookups. */
  read<T>(work: (store: QueueStore) => T): T {
    this.store.refresh();
    return work(this.store);
  }

  /** Called after each durable commit with the events it appended, in id order. */
  onCommit(listener: (events: readonly LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs whatever is queued now (also used at shutdown). */
  flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    const outcomes: { ok: boolean; value: unknown }[] = [];
    this.staged.length = 0;
    this.dirtyOffices.length = 0;
    try {
      this.db
        .transaction(() => {
          // Inside the write lock: nobody else can commit between this look and our COMMIT.
          this.store.refresh();
          for (const item of batch) {
            const mark = this.staged.length;
            const dirtyMark = this.dirtyOffices.length;
            const outcome = this.savepoint(item);
            if (outcome.rolledBack) {
              this.staged.length = mark;
              this.dirtyOffices.length = dirtyMark;
              this.store.invalidateCache();
            }
            outcomes.push(outcome);
          }
          this.appendQueueChanges();
        })
        .immediate();
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nobody in the group is acknowledged.
      this.staged.length = 0;
      this.store.invalidateCache();
      this.store.liveDrop();
      for (const item of batch) item.reject(error);
      return;
    }
    this.store.liveCommit();
    const events = this.staged.splice(0);
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.value);
    });
    if (events.length > 0) for (const l of this.listeners) l(events);
  }

  /** One `queue:changed` per office whose lines the group changed, with the load after the group. */
  private appendQueueChanges(): void {
    for (const { officeId, at } of this.dirtyOffices) {
      const office = this.store.getOffice(officeId);
      if (office === null) continue;
      this.store.appendEvent({ type: 'queue:changed', officeId, payload: { services: officeLoad(this.store, office) } }, at);
    }
    this.dirtyOffices.length = 0;
  }

  /**
   * Runs one unit in its own savepoint: kept if it succeeds, rolled back alone if it throws or
   * returns a failed Result. Plain statements rather than a nested better-sqlite3 transaction,
   * which signals a rollback by throwing: during a release rush most units are refusals, and an
   * exception (with its stack trace) per refusal cost more than the refusal itself.
   */
  private savepoint(item: Pending): { ok: boolean; value: unknown; rolledBack: boolean } {
    const sp = this.savepointStatements;
    sp.begin.run();
    const liveMark = this.store.liveMark();
    let value: unknown;
    try {
      value = item.work(this.store);
    } catch (error) {
      sp.rollback.run();
      sp.release.run();
      this.store.liveRollbackTo(liveMark);
      return { ok: false, value: error, rolledBack: true };
    }
    if (isFailedResult(value)) {
      sp.rollback.run();
      sp.release.run();
      this.store.liveRollbackTo(liveMark);
      return { ok: true, value, rolledBack: true };
    }
    sp.release.run();
    return { ok: true, value, rolledBack: false };
  }
}

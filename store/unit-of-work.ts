import { AsyncLocalStorage } from 'node:async_hooks';
import type { Database, Statement } from 'better-sqlite3';
import type { LoggedEvent } from '../core/shared/events.ts';
import type { QueueRuntime, QueueStore } from '../core/queue/ports.ts';
import { officeLoad } from '../core/queue/estimate.ts';
import { SqliteQueueStore } from './queue.store.ts';
import { countRollbacks } from './data-version.ts';
import { registerWriteGate, type WriteGate } from './write-gate.ts';

interface Pending {
  work: (store: QueueStore) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

interface Outcome {
  ok: boolean;
  value: unknown;
}

/** A unit whose value is a failed Result rolls back: bad input changes nothing. */
const isFailedResult = (v: unknown): boolean =>
  typeof v === 'object' && v !== null && 'ok' in v && (v).ok === false;

const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';

/**
 * Group commit. Units of work queued during one turn of the event loop run together in one
 * IMMEDIATE transaction, one after another, each inside its own savepoint (a unit that throws or
 * returns a failed Result is rolled back alone), then the transaction commits — one fsync under
 * `synchronous=FULL` for the whole group — and only then is each caller answered and each event
 * published. Nothing is acknowledged before it is durable.
 *
 * Units are async (the ports return promises), so BEGIN, the savepoints and COMMIT are driven
 * here rather than by better-sqlite3's transaction(), which cannot wait. The SQLite ports answer
 * with settled promises: awaiting them only runs microtasks, so a group still runs whole within
 * one turn of the event loop. Units that arrive while a group is open wait for the next group;
 * a store's own write from outside the unit under way waits for the next group (WriteGate), and
 * a transaction started by a stranger while a group is open is a bug and throws.
 */
export class GroupCommitUnitOfWork implements QueueRuntime, WriteGate {
  private queue: Pending[] = [];
  private scheduled = false;
  /** BEGIN … COMMIT of a group is under way. */
  private groupOpen = false;
  /** A unit (or the group's closing writes) is running inside the open group. */
  private unitOpen = false;
  /**
   * Who is running: the unit under way carries its group's token through every await (its own
   * promises, and any real I/O it should not do but might), so its store writes join it; code of
   * anyone else that happens to run between the unit's awaits carries no token, and its writes wait
   * for the next group instead of joining (and maybe rolling back with) a stranger's unit.
   */
  private readonly running = new AsyncLocalStorage<object>();
  private groupToken: object | null = null;
  private readonly store: SqliteQueueStore;
  private readonly staged: LoggedEvent[] = [];
  /** Offices whose lines changed in the current group (in order of first change), with the time. */
  private readonly dirtyOffices: { officeId: string; at: number }[] = [];
  private readonly listeners = new Set<(events: readonly LoggedEvent[]) => void>();
  private readonly sp: { begin: Statement; release: Statement; rollback: Statement };
  private readonly tx: { begin: Statement; commit: Statement; rollback: Statement };
  /** Rows changed on the connection so far (by any statement or trigger, rolled back or not). */
  private readonly totalChanges: Statement<[], number>;
  /** Tells the connection's read caches of every rollback (store/read-cache.ts). */
  private readonly rollbacks: { rolledBack(): void };

  constructor(private readonly db: Database) {
    this.sp = { begin: db.prepare('SAVEPOINT unit'), release: db.prepare('RELEASE unit'), rollback: db.prepare('ROLLBACK TO unit') };
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
    this.rollbacks = countRollbacks(db);
    this.tx = { begin: db.prepare('BEGIN IMMEDIATE'), commit: db.prepare('COMMIT'), rollback: db.prepare('ROLLBACK') };
    this.store = new SqliteQueueStore(
      db,
      (e) => this.staged.push(e),
      (officeId, at) => {
        const seen = this.dirtyOffices.find((d) => d.officeId === officeId);
        if (seen === undefined) this.dirtyOffices.push({ officeId, at });
        else seen.at = Math.max(seen.at, at);
      },
    );
    registerWriteGate(db, this);
    this.guardTransactions();
  }

  run<T>(work: (store: QueueStore) => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
      this.schedule();
    });
  }

  /** A store's own write (WriteGate): joins the unit under way, or becomes a unit of its own. */
  write<T>(work: () => T): Promise<T> {
    if (this.inUnit()) {
      try {
        return Promise.resolve(work());
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
    return this.run(() => work());
  }

  /** Reads without a write lock (WAL readers never block): for snapshots and lookups. */
  read<T>(work: (store: QueueStore) => T | Promise<T>): Promise<T> {
    this.store.refresh();
    try {
      return Promise.resolve(work(this.store));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** Called after each durable commit with the events it appended, in id order. */
  onCommit(listener: (events: readonly LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs whatever is queued now (also used at shutdown); resolves when that group is answered. */
  async flush(): Promise<void> {
    this.scheduled = false;
    if (this.groupOpen) return;
    const batch = this.queue;
    if (batch.length === 0) return;
    this.queue = [];
    this.groupOpen = true;
    this.groupToken = {};
    try {
      await this.flushBatch(batch);
    } finally {
      this.closeGroup();
      if (this.queue.length > 0) this.schedule();
    }
  }

  private closeGroup(): void {
    this.groupOpen = false;
    this.groupToken = null;
    this.unitOpen = false;
  }

  private schedule(): void {
    if (this.scheduled || this.groupOpen) return;
    this.scheduled = true;
    setImmediate(() => void this.flush());
  }

  /** Whether the caller is the unit under way (or the group's closing writes), not a stranger. */
  private inUnit(): boolean {
    return this.unitOpen && this.groupToken !== null && this.running.getStore() === this.groupToken;
  }

  private assertNoGroup(): void {
    if (this.groupOpen) throw new Error('a write reached the write connection outside a unit while a group commit was open');
  }

  /**
   * better-sqlite3's transaction() nests as a savepoint when a transaction is open: a store's
   * own transaction started mid-group outside a unit would silently join the group. Refuse it.
   */
  private guardTransactions(): void {
    const original = this.db.transaction.bind(this.db);
    const guard = <F extends (...args: never[]) => unknown>(f: F): F =>
      ((...args: Parameters<F>) => {
        if (!this.inUnit()) this.assertNoGroup();
        try {
          return f(...args);
        } catch (error) {
          // better-sqlite3 rolled the transaction (or its savepoint) back: the read caches must know.
          this.rollbacks.rolledBack();
          throw error;
        }
      }) as F;
    this.db.transaction = ((fn: (...args: never[]) => unknown) => {
      const t = original(fn);
      const of = (mode: 'default' | 'deferred' | 'immediate' | 'exclusive') => guard((...args: never[]) => t[mode](...args));
      return Object.assign(guard(t), { default: of('default'), deferred: of('deferred'), immediate: of('immediate'), exclusive: of('exclusive') });
    }) as Database['transaction'];
  }

  private async flushBatch(batch: Pending[]): Promise<void> {
    const outcomes: Outcome[] = [];
    this.staged.length = 0;
    this.dirtyOffices.length = 0;
    try {
      this.tx.begin.run();
      try {
        // Inside the write lock: nobody else can commit between this look and our COMMIT.
        this.store.refresh();
        for (const item of batch) outcomes.push(await this.unit(item));
        this.unitOpen = true;
        await this.running.run(this.groupToken!, () => this.appendQueueChanges());
        this.unitOpen = false;
        this.tx.commit.run();
      } catch (error) {
        if (this.db.inTransaction) this.tx.rollback.run();
        this.rollbacks.rolledBack();
        throw error;
      }
    } catch (error) {
      // The commit itself failed (disk full, I/O error): nobody in the group is acknowledged.
      this.closeGroup();
      this.staged.length = 0;
      this.store.invalidateCache();
      this.store.liveDrop();
      for (const item of batch) item.reject(error);
      return;
    }
    // Closed before anyone is answered: what a caller does next is never inside this group.
    this.closeGroup();
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
  private async appendQueueChanges(): Promise<void> {
    for (const { officeId, at } of this.dirtyOffices) {
      const office = await this.store.getOffice(officeId);
      if (office === null) continue;
      await this.store.appendEvent({ type: 'queue:changed', officeId, payload: { services: await officeLoad(this.store, office) } }, at);
    }
    this.dirtyOffices.length = 0;
  }

  /**
   * Runs one unit in its own savepoint: kept if it succeeds, rolled back alone if it throws or
   * returns a failed Result. Plain statements rather than a nested better-sqlite3 transaction,
   * which signals a rollback by throwing: during a release rush most units are refusals, and an
   * exception (with its stack trace) per refusal cost more than the refusal itself.
   */
  private async unit(item: Pending): Promise<Outcome> {
    const mark = this.staged.length;
    const dirtyMark = this.dirtyOffices.length;
    const changesMark = this.totalChanges.get()!;
    this.sp.begin.run();
    const liveMark = this.store.liveMark();
    this.unitOpen = true;
    let value: unknown;
    let ok = true;
    try {
      value = this.running.run(this.groupToken!, () => item.work(this.store));
      if (isThenable(value)) value = await value;
    } catch (error) {
      value = error;
      ok = false;
    }
    this.unitOpen = false;
    if (!this.db.inTransaction) {
      // SQLite ended the whole transaction itself (SQLITE_FULL while a page was being found, an
      // I/O error): the group is lost, and fails with that cause (a full disk is 503), not with
      // the savepoint that no longer exists (a 500).
      throw ok ? new Error('the transaction ended inside a unit of work') : value;
    }
    if (ok && !isFailedResult(value)) {
      this.sp.release.run();
      return { ok, value };
    }
    // A refusal that wrote nothing (most units of a release rush) leaves nothing to undo: what the
    // caches hold still stands, and the next unit need not read the configuration again.
    const wrote = this.totalChanges.get() !== changesMark;
    if (wrote) {
      this.sp.rollback.run();
      this.rollbacks.rolledBack();
    }
    this.sp.release.run();
    this.store.liveRollbackTo(liveMark);
    this.staged.length = mark;
    this.dirtyOffices.length = dirtyMark;
    if (wrote) this.store.invalidateCache();
    return { ok, value };
  }
}

import type { Database, Statement } from 'better-sqlite3';
import { dataVersion, rollbackCount } from './data-version.ts';

/**
 * Values read from a connection, kept while nothing in the file can have changed: no connection
 * wrote since (`total_changes()` of this one, which counts every row any statement or trigger on
 * it changed, rolled back or not; `PRAGMA data_version` for the others). Asking costs a
 * statement that reads no table (a microsecond), instead of the lookup it replaces.
 *
 * What a transaction sees may still roll back, and a value read from it must not outlive it. On a
 * connection with a unit of work every rollback is counted (data-version.ts), and the count is
 * part of what the cache checks: in a release rush the thousands of attempts refused inside one
 * group commit, after its successful holds, read the full slots once. On other connections
 * (the CLI) the cache is neither read nor filled inside a transaction.
 *
 * Cached values are shared: callers treat them as immutable, as they do domain objects.
 */
export class ReadCache {
  private readonly entries = new Map<string, unknown>();
  private version = -1;
  private changes = -1;
  private rollbacks: number | undefined = -1;
  private readonly totalChanges: Statement<[], number>;

  constructor(
    private readonly db: Database,
    /** Entries kept at most (then all go): keys come from what readers ask, which they choose. */
    private readonly max = 10_000,
  ) {
    this.totalChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  }

  get<T>(key: string, load: () => T): T {
    const rollbacks = rollbackCount(this.db);
    if (rollbacks === undefined && this.db.inTransaction) return load();
    const version = dataVersion(this.db);
    const changes = this.totalChanges.get()!;
    if (version !== this.version || changes !== this.changes || rollbacks !== this.rollbacks) {
      this.entries.clear();
      this.version = version;
      this.changes = changes;
      this.rollbacks = rollbacks;
    }
    const hit = this.entries.get(key);
    if (hit !== undefined || this.entries.has(key)) return hit as T;
    if (this.entries.size >= this.max) this.entries.clear();
    const value = load();
    this.entries.set(key, value);
    return value;
  }
}

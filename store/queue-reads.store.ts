import type { Database, Statement } from 'better-sqlite3';
import type { BookingPolicy } from '../core/booking/model.ts';
import type { ServiceLoad } from '../core/queue/ports.ts';
import { readDataVersion } from './data-version.ts';
import { LiveTickets } from './live-tickets.ts';
import { queueStatements } from './queue.statements.ts';
import {
  counterFromRow,
  departmentFromRow,
  officeFromRow,
  serviceFromRow,
  ticketFromRow,
  type CounterRow,
  type DepartmentRow,
  type OfficeRow,
  type ServiceRow,
  type TicketRow,
} from './rows.ts';

/**
 * What the SQLite queue store reads: the configuration (cached while its version stands), the
 * live tickets in memory and the lists read from them, averages and closures; and how those
 * caches follow the unit of work (refresh, savepoints, rollback). The writes and the atomic
 * claims are SqliteQueueStore's (queue.store.ts), which extends this.
 */
export abstract class SqliteQueueReads {
  protected readonly s: Record<string, Statement>;
  /** Moving averages of service time, read on every estimate; written only through this store. */
  protected readonly averages = new Map<string, number | null>();
  /** Parsed configuration, valid while `config_version` (bumped by triggers) stays the same. */
  private readonly configCache = new Map<string, unknown>();
  private configCacheVersion = -1;
  /**
   * Whether `configCacheVersion` was compared with the table since the last `refresh()` (once per
   * group or read, not per lookup). Config written through this store clears the cache on the
   * spot; config written by another connection shows at the next refresh.
   */
  private configChecked = false;
  /** `total_changes()` and the data version when `configCacheVersion` was last read. */
  private versionChanges = -1;
  private versionDataVersion = -1;
  /** Services closed per office and day (`officeId day` → ids): asked at every issue, changed by a supervisor. */
  protected readonly closures = new Map<string, readonly string[]>();
  /** The live tickets in memory (live-tickets.ts); null until first needed, or after it was dropped. */
  protected live: LiveTickets | null = null;
  /** `PRAGMA data_version` when the image was last known good: it moves when another connection commits. */
  private dataVersion = -1;

  constructor(protected readonly db: Database) {
    this.s = queueStatements(db);
  }

  /**
   * Configuration (offices, departments, services, counters) is read on every call but changes
   * rarely; parsing it each time cost more than the call itself. Cached objects are shared:
   * callers treat domain objects as immutable.
   */
  protected cached<T>(key: string, load: () => T): T {
    if (!this.configChecked) {
      // No row changed on this connection (rolled back or not) nor a commit by another since the last look: the version stands.
      const changes = this.s['totalChanges']!.get() as number;
      if (changes !== this.versionChanges || this.dataVersion !== this.versionDataVersion || this.configCacheVersion === -1) {
        const version = this.s['configVersion']!.get() as number;
        if (version !== this.configCacheVersion) {
          this.configCache.clear();
          this.configCacheVersion = version;
        }
        this.versionChanges = changes;
        this.versionDataVersion = this.dataVersion;
      }
      this.configChecked = true;
    }
    if (this.configCache.has(key)) return this.configCache.get(key) as T;
    const value = load();
    this.configCache.set(key, value);
    return value;
  }

  /** This store wrote configuration: later lookups in the same unit must see it. */
  protected configChanged(): void {
    this.configCache.clear();
    this.configChecked = false;
  }

  /**
   * After a rollback the version can return to a number the cache saw with other contents (a
   * change, rolled back, then another change): forget everything.
   */
  invalidateCache(): void {
    this.configCache.clear();
    this.averages.clear();
    this.configCacheVersion = -1;
    this.configChecked = false;
    this.closures.clear();
  }

  /** The live image, built from the table when missing. */
  protected image(): LiveTickets {
    if (this.live === null) this.live = new LiveTickets(this.all<TicketRow>('live').map(ticketFromRow));
    return this.live;
  }

  /** Before a unit or a read: another connection's commit (the CLI, another process) may leave the live image stale. */
  refresh(): void {
    this.configChecked = false;
    const v = readDataVersion(this.db);
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.live = null;
      this.closures.clear();
    }
  }

  /** A savepoint of the live image (see LiveTickets.mark). */
  liveMark(): number {
    return this.live?.mark() ?? 0;
  }

  /** The unit rolled back to its savepoint: so does the live image. */
  liveRollbackTo(mark: number): void {
    this.live?.rollbackTo(mark);
  }

  /** The transaction committed: the image's undo log goes. */
  liveCommit(): void {
    this.live?.commit();
  }

  /** The transaction failed as a whole: rebuild the image from the table when next needed. */
  liveDrop(): void {
    this.live = null;
  }

  protected one<R>(name: string, ...args: unknown[]): R | undefined {
    return this.s[name]!.get(...args) as R | undefined;
  }

  protected all<R>(name: string, ...args: unknown[]): R[] {
    return this.s[name]!.all(...args) as R[];
  }

  async getOffice(id: string) {
    return this.cached(`office:${id}`, () => {
      const r = this.one<OfficeRow>('office', id);
      return r === undefined ? null : officeFromRow(r);
    });
  }

  async listOffices() {
    return this.cached('offices', () => this.all<OfficeRow>('offices').map(officeFromRow));
  }

  async listDepartments(officeId: string) {
    return this.cached(`departments:${officeId}`, () => this.all<DepartmentRow>('departments', officeId).map(departmentFromRow));
  }

  async getService(id: string) {
    return this.cached(`service:${id}`, () => {
      const r = this.one<ServiceRow>('service', id);
      return r === undefined ? null : serviceFromRow(r);
    });
  }

  async listServices(officeId: string) {
    return this.cached(`services:${officeId}`, () => this.all<ServiceRow>('services', officeId).map(serviceFromRow));
  }

  async getCounter(id: string) {
    return this.cached(`counter:${id}`, () => {
      const r = this.one<CounterRow>('counter', id);
      return r === undefined ? null : counterFromRow(r);
    });
  }

  async listCounters(officeId: string) {
    return this.cached(`counters:${officeId}`, () => this.all<CounterRow>('counters', officeId).map(counterFromRow));
  }

  async countersOfUser(userId: string) {
    return this.all<CounterRow>('countersOfUser', userId).map(counterFromRow);
  }

  async getTicket(id: string) {
    const live = this.image().get(id);
    if (live !== undefined) return live;
    const r = this.one<TicketRow>('ticket', id);
    return r === undefined ? null : ticketFromRow(r);
  }

  async countIssued(serviceId: string, day: string): Promise<number> {
    return this.one<{ n: number }>('countIssued', serviceId, day)?.n ?? 0;
  }

  async currentTicket(counterId: string) {
    return this.image().current(counterId);
  }

  async waitingTickets(officeId: string) {
    return this.image().waiting(officeId);
  }

  async printingTickets(officeId: string) {
    return this.image().printing(officeId);
  }

  async serviceLoad(officeId: string): Promise<ServiceLoad[]> {
    return this.image().load(officeId);
  }

  async waitingCount(serviceId: string): Promise<number> {
    return this.image().waitingCount(serviceId);
  }

  async averageServiceMs(serviceId: string): Promise<number | null> {
    let v = this.averages.get(serviceId);
    if (v === undefined) {
      v = this.one<{ v: number }>('avg', serviceId)?.v ?? null;
      this.averages.set(serviceId, v);
    }
    return v;
  }

  async closedServices(officeId: string, day: string): Promise<readonly string[]> {
    const key = `${officeId} ${day}`;
    let closed = this.closures.get(key);
    if (closed === undefined) {
      closed = this.all<{ service_id: string }>('closedServices', officeId, day).map((r) => r.service_id);
      this.closures.set(key, closed);
    }
    return closed;
  }

  async bookingPolicy(serviceId: string): Promise<BookingPolicy | null> {
    const r = this.one<{ policy: string }>('bookingPolicy', serviceId);
    return r === undefined ? null : (JSON.parse(r.policy) as BookingPolicy);
  }
}

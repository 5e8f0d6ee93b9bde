import type { LoggedEvent } from '../shared/events.ts';
import type { BookingAtTime } from './affected-bookings.ts';
import type { AuditEntryData, ConfigPatchData, ConfigSectionName, ConfigVia, FieldChangeData, OfficeConfigData } from './model.ts';
import type { LiveUse } from './validate.ts';

/**
 * Where an office's configuration lives. Async (a database server, or SQLite in a worker, can
 * implement it); every write is one call with plain JSON arguments. `version` moves with every
 * change of configuration tables by anyone: a commit made against an older version is refused
 * (`stale`) and the caller applies its change again to what is there now.
 */
export interface ConfigStore {
  load(officeId: string): Promise<{ config: OfficeConfigData; version: number } | null>;
  /** Tickets still in the office per service, and counters with a client at them. */
  liveUse(officeId: string): Promise<LiveUse>;
  /** Held and confirmed bookings of the office on `fromDay` and after. */
  activeBookings(officeId: string, fromDay: string): Promise<BookingAtTime[]>;
  /**
   * Writes the sections of `next` named in `sections`, the audit record and one `config:changed`
   * event, in one transaction. Refused when the version moved (`stale`) or when, inside the
   * transaction, a removed service has tickets or a removed counter a client (`busy`).
   */
  commit(c: ConfigCommit): Promise<ConfigCommitted>;
  /** Newest first; `before` pages back (ids below it). */
  audit(officeId: string, limit: number, before?: number): Promise<AuditEntryData[]>;
  auditEntry(officeId: string, id: number): Promise<AuditEntryData | null>;
}

export interface ConfigCommit {
  officeId: string;
  version: number;
  next: OfficeConfigData;
  sections: ConfigSectionName[];
  changes: FieldChangeData[];
  before: ConfigPatchData;
  after: ConfigPatchData;
  userId: string | null;
  via: ConfigVia;
  undoOf: number | null;
  at: number;
  removedServiceIds: string[];
  removedCounterIds: string[];
}

export type ConfigCommitted =
  | { kind: 'committed'; changeId: number; event: LoggedEvent }
  | { kind: 'stale' }
  | { kind: 'busy'; live: LiveUse }
  /** A new department, service or counter took an id another office already uses (ids are unique per install). */
  | { kind: 'id-taken'; section: 'departments' | 'services' | 'counters'; id: string };

/** The port in memory, for core tests: one office map, its audit, what is live, its bookings. */
export class MemoryConfigStore implements ConfigStore {
  readonly offices = new Map<string, { config: OfficeConfigData; version: number }>();
  readonly entries: AuditEntryData[] = [];
  live: LiveUse = { ticketsByService: {}, busyCounterIds: [] };
  bookings: BookingAtTime[] = [];
  private eventId = 0;

  async load(officeId: string) {
    return this.offices.get(officeId) ?? null;
  }
  async liveUse() {
    return this.live;
  }
  async activeBookings(_officeId: string, fromDay: string) {
    return this.bookings.filter((b) => b.day >= fromDay);
  }
  async commit(c: ConfigCommit): Promise<ConfigCommitted> {
    const cur = this.offices.get(c.officeId);
    if (cur === undefined || cur.version !== c.version) return { kind: 'stale' };
    const busy = c.removedServiceIds.some((id) => (this.live.ticketsByService[id] ?? 0) > 0) || c.removedCounterIds.some((id) => this.live.busyCounterIds.includes(id));
    if (busy) return { kind: 'busy', live: this.live };
    const others = new Set([...this.offices.values()].filter((o) => o.config.id !== c.officeId).flatMap((o) => [...o.config.departments, ...o.config.services, ...o.config.counters].map((x) => x.id)));
    for (const section of ['departments', 'services', 'counters'] as const) {
      const taken = c.sections.includes(section) ? c.next[section].find((x) => others.has(x.id)) : undefined;
      if (taken !== undefined) return { kind: 'id-taken', section, id: taken.id };
    }
    this.offices.set(c.officeId, { config: c.next, version: cur.version + 1 });
    const changeId = this.entries.length + 1;
    this.entries.push({ id: changeId, officeId: c.officeId, at: c.at, userId: c.userId, username: c.userId, via: c.via, undoOf: c.undoOf, sections: c.sections, changes: c.changes, before: c.before, after: c.after });
    return { kind: 'committed', changeId, event: { type: 'config:changed', officeId: c.officeId, payload: { changeId, sections: c.sections }, id: ++this.eventId, at: c.at } };
  }
  async audit(officeId: string, limit: number, before?: number) {
    return this.entries.filter((e) => e.officeId === officeId && (before === undefined || e.id < before)).reverse().slice(0, limit);
  }
  async auditEntry(officeId: string, id: number) {
    return this.entries.find((e) => e.officeId === officeId && e.id === id) ?? null;
  }
}

import type { LoggedEvent } from '../shared/events.ts';
import { rowMatches, WHOLE_DAY } from './groups.ts';
import type { DayCount, GroupRow, StatsFilter, TicketFact } from './model.ts';
import type { DayRollup, FactKey, StatsStore } from './ports.ts';

/** In-memory statistics store for core unit tests: events and table counts are what the test puts in. */
export class FakeStatsStore implements StatsStore {
  readonly events: LoggedEvent[] = [];
  readonly tables: DayCount[] = [];
  private readonly facts = new Map<string, TicketFact[]>();
  private readonly counts = new Map<string, DayCount[]>();
  private readonly groups = new Map<string, GroupRow[]>();
  private readonly closed = new Set<string>();

  closedDays(officeId: string, from: string, to: string): Promise<string[]> {
    const days = [...this.closed].filter((k) => k.startsWith(`${officeId}|`)).map((k) => k.slice(officeId.length + 1));
    return Promise.resolve(days.filter((d) => d >= from && d <= to).sort());
  }

  eventsBetween(officeId: string, fromAt: number, toAt: number): Promise<LoggedEvent[]> {
    return Promise.resolve(this.events.filter((e) => e.officeId === officeId && e.at >= fromAt && e.at < toAt).sort((a, b) => a.id - b.id));
  }

  tableCounts(_officeId: string, day: string): Promise<DayCount[]> {
    return Promise.resolve(this.tables.filter((c) => c.day === day));
  }

  saveDay(officeId: string, day: string, rollup: DayRollup): Promise<void> {
    const key = `${officeId}|${day}`;
    this.facts.set(key, structuredClone(rollup.facts));
    this.counts.set(key, structuredClone(rollup.counts));
    this.groups.set(key, structuredClone(rollup.groups));
    this.closed.add(key);
    return Promise.resolve();
  }

  private rolled<T extends { day: string }>(m: Map<string, T[]>, officeId: string, from: string, to: string): T[] {
    return [...m.entries()]
      .filter(([k]) => k.startsWith(`${officeId}|`))
      .flatMap(([, v]) => v)
      .filter((x) => x.day >= from && x.day <= to);
  }

  groupRows(officeId: string, from: string, to: string, filter: StatsFilter, byHour: boolean): Promise<GroupRow[]> {
    return Promise.resolve(this.rolled(this.groups, officeId, from, to).filter((r) => rowMatches(r, filter) && (r.hour === WHOLE_DAY) !== byHour));
  }

  dayCounts(officeId: string, from: string, to: string): Promise<DayCount[]> {
    return Promise.resolve(this.rolled(this.counts, officeId, from, to));
  }

  visitFacts(officeId: string, from: string, to: string, after: FactKey | null, limit: number, visit: (f: Readonly<TicketFact>) => void): Promise<FactKey | null> {
    const all = this.rolled(this.facts, officeId, from, to).sort((a, b) => (a.day === b.day ? (a.ticketId < b.ticketId ? -1 : 1) : a.day < b.day ? -1 : 1));
    const rest = after === null ? all : all.filter((f) => f.day > after.day || (f.day === after.day && f.ticketId > after.ticketId));
    const page = rest.slice(0, limit);
    page.forEach(visit);
    const last = page[page.length - 1];
    return Promise.resolve(page.length < limit || last === undefined ? null : { day: last.day, ticketId: last.ticketId });
  }
}

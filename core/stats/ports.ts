import type { LoggedEvent } from '../shared/events.ts';
import type { DayCount, GroupRow, StatsFilter, TicketFact } from './model.ts';

/** What a day's rollup holds: one fact per ticket (the per-ticket export), the day's counts, the group rows (reports). */
export interface DayRollup {
  facts: TicketFact[];
  counts: DayCount[];
  groups: GroupRow[];
}

/**
 * The statistics store. Every method answers a promise (a database server can implement it);
 * arguments are plain JSON data. Days are office-local `YYYY-MM-DD`, inclusive ranges; instants
 * are epoch ms, half-open `[fromAt, toAt)`.
 */
export interface StatsStore {
  /** Days of `[from, to]` whose rollup exists. */
  closedDays(officeId: string, from: string, to: string): Promise<string[]>;
  /** The events statistics read (ticket, counter and printer changes) appended in `[fromAt, toAt)`, in log order. */
  eventsBetween(officeId: string, fromAt: number, toAt: number): Promise<LoggedEvent[]>;
  /** A day's booking, draw and message counts, read from their own tables (`fromAt`/`toAt`: the day's bounds). */
  tableCounts(officeId: string, day: string, fromAt: number, toAt: number): Promise<DayCount[]>;
  /** Replaces a day's rollup with these facts, counts and group rows and marks it closed, in one transaction. */
  saveDay(officeId: string, day: string, rollup: DayRollup, closedAt: number): Promise<void>;
  /** Rolled-up group rows of `[from, to]` matching the filter: the whole-day rows, or those by hour of arrival. */
  groupRows(officeId: string, from: string, to: string, filter: StatsFilter, byHour: boolean): Promise<GroupRow[]>;
  /** Rolled-up counts of `[from, to]`. */
  dayCounts(officeId: string, from: string, to: string): Promise<DayCount[]>;
  /**
   * Hands the rolled-up facts of `[from, to]` in (day, ticket id) order to `visit`, at most `limit`
   * after `after` (null: from the start); answers where the next page starts, or null after the
   * last. One fact object is refilled for every row (a year is some 730,000): `visit` reads it
   * and keeps nothing.
   */
  visitFacts(officeId: string, from: string, to: string, after: FactKey | null, limit: number, visit: (f: Readonly<TicketFact>) => void): Promise<FactKey | null>;
}

export interface FactKey {
  day: string;
  ticketId: string;
}

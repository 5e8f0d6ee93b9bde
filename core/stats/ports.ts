import type { LoggedEvent } from '../shared/events.ts';
import type { DayCount, StatsFilter, TicketFact } from './model.ts';

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
  /** Replaces a day's rollup with these facts and counts and marks it closed, in one transaction. */
  saveDay(officeId: string, day: string, facts: TicketFact[], counts: DayCount[], closedAt: number): Promise<void>;
  /** Rolled-up facts of `[from, to]` matching the filter. */
  ticketFacts(officeId: string, from: string, to: string, filter: StatsFilter): Promise<TicketFact[]>;
  /** Rolled-up counts of `[from, to]`. */
  dayCounts(officeId: string, from: string, to: string): Promise<DayCount[]>;
  /** Rolled-up facts in (day, ticket id) order, `limit` at a time after `after` (null: from the start). */
  factsPage(officeId: string, from: string, to: string, after: { day: string; ticketId: string } | null, limit: number): Promise<TicketFact[]>;
}

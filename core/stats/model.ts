/**
 * Statistics, as the office reads them. Every figure is derived from the event log (ticket and
 * counter changes, printer reports) plus the booking and outbox tables; closed days are kept as
 * rollups (one fact row per ticket and a few counters per day), today is folded from the events.
 * Instants are epoch milliseconds (UTC); days are office-local `YYYY-MM-DD`. Definitions: docs/statistics.md.
 */

import type { TicketOrigin } from '../shared/events.ts';

/** How a ticket came: a kiosk walk-in, a booked arrival that checked in, or issued by a clerk at reception. */
export type Channel = TicketOrigin['channel'];
export const CHANNELS = ['walk_in', 'booked', 'reception'] as const satisfies readonly Channel[];

/** How a ticket ended: served (done), no-show, void (failed print), or still in the office (open). */
export const OUTCOMES = ['served', 'no_show', 'void', 'open'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/**
 * One ticket's life, reduced to what statistics need. Nothing personal: numbers, ids of
 * services, counters, kiosks and the clerk (staff), and instants.
 */
export interface TicketFact {
  ticketId: string;
  officeId: string;
  day: string;
  number: string;
  /** The service the ticket was issued for: every ticket figure counts here (a transfer is counted as `transfers`). */
  serviceId: string;
  /** The service it was in when it ended (differs after a transfer). */
  finalServiceId: string;
  channel: Channel;
  /** The kiosk that printed it (void tickets are counted per kiosk), else null. */
  kioskId: string | null;
  /** Office-local hour (0–23) of arrival. */
  hour: number;
  arrivedAt: number;
  bookedAt: number | null;
  /** The call the client answered on their first visit (its last call, when recalled); null if never answered. */
  answeredAt: number | null;
  /** Counter and clerk of the ticket's last call. */
  counterId: string | null;
  clerkId: string | null;
  /** Time at counters (from the start of service, or the answered call, to done, transfer or park), summed; null if never served. */
  serviceMs: number | null;
  endedAt: number | null;
  outcome: Outcome;
  recalls: number;
  transfers: number;
}

/** Day counters that are not per ticket, keyed by what they count (a counter, a kiosk, a channel, a service). */
export const COUNT_METRICS = [
  'counter_open_ms',
  'counter_paused_ms',
  'counter_serving_ms',
  'kiosk_print_failures',
  'messages_sent',
  'messages_failed',
  'messages_retried',
  'slots_offered',
  'bookings_made',
  'bookings_checked_in',
  'bookings_lapsed',
  'bookings_cancelled',
  'bookings_no_show',
  'draw_allocated',
  'draw_not_allocated',
] as const;
export type CountMetric = (typeof COUNT_METRICS)[number];

/**
 * A day's tickets summed per combination of what a report filters and groups by (service,
 * counter, clerk, channel; the kiosk of a voided ticket; with or without the hour of arrival).
 * A month's report reads some hundreds of these rows instead of every ticket. Counts and sums
 * add up across rows; medians and p90 do not, so each row keeps its waiting and service times
 * (exact milliseconds), and the report takes its quantiles over the rows it merges: the figures
 * are exactly those computed from the tickets.
 */
export interface GroupRow {
  day: string;
  /** Office-local hour of arrival (0–23), or -1 for the row that sums the whole day. */
  hour: number;
  serviceId: string;
  /** '' where there is none (never called). */
  counterId: string;
  clerkId: string;
  channel: Channel;
  /** The kiosk of voided tickets ('' for the others: only voided tickets are counted per kiosk). */
  kioskId: string;
  /** Not voided. */
  issued: number;
  served: number;
  noShow: number;
  voided: number;
  open: number;
  transferred: number;
  /** Waiting times and times at counters (ms) of the tickets that have one. */
  waits: ArrayLike<number>;
  services: ArrayLike<number>;
  /** Booked arrivals that checked in, by punctuality, and the sum of (arrival − booked time), ms. */
  early: number;
  onTime: number;
  late: number;
  lateSumMs: number;
  /** Whole-day rows only: people waiting at each full hour (24 values; hours after `now` are 0). */
  waitingAt: number[] | null;
}

export interface DayCount {
  day: string;
  metric: CountMetric;
  key: string;
  value: number;
}

export const GROUP_BY = ['day', 'week', 'month', 'service', 'counter', 'clerk', 'hour', 'channel'] as const;
export type GroupBy = (typeof GROUP_BY)[number];

export interface StatsFilter {
  serviceId?: string | undefined;
  counterId?: string | undefined;
  clerkId?: string | undefined;
  /** Walk-in, booked or reception tickets only. */
  channel?: Channel | undefined;
}

/** Minutes, rounded to 0.1; null when there is no sample. */
export interface Distribution {
  count: number;
  mean: number | null;
  median: number | null;
  p90: number | null;
  max: number | null;
}

export interface Figures {
  issued: number;
  served: number;
  noShow: number;
  voided: number;
  transferred: number;
  /** Still in the office at the end of the range (today: waiting or at a counter now). */
  open: number;
  wait: Distribution;
  service: Distribution;
}

export interface Group {
  key: string;
  figures: Figures;
}

export interface HourLoad {
  hour: number;
  /** People waiting at the full hour, mean over the days of the range that had tickets (0.1). */
  mean: number;
  max: number;
}

export interface BookingRow {
  serviceId: string;
  offered: number;
  booked: number;
  checkedIn: number;
  lapsed: number;
  cancelled: number;
  noShow: number;
  drawAllocated: number;
  drawNotAllocated: number;
}

export interface Punctuality {
  /** Booked arrivals that checked in more than 5 minutes early, within ±5 minutes, later. */
  early: number;
  onTime: number;
  late: number;
  /** Mean of arrival − booked time, minutes (negative = early), 0.1; null without arrivals. */
  meanMin: number | null;
}

export interface MessageRow {
  channel: string;
  sent: number;
  failed: number;
  retried: number;
}

export interface KioskRow {
  kioskId: string;
  printFailures: number;
  voided: number;
}

export interface CounterUse {
  counterId: string;
  /** Minutes signed in and not paused, paused, and with a client (called or serving), 0.1. */
  openMin: number;
  pausedMin: number;
  servingMin: number;
  /** servingMin ÷ (openMin + pausedMin), percent 0.1; null when never signed in. */
  utilisationPct: number | null;
}

export interface StatsReport {
  officeId: string;
  from: string;
  to: string;
  groupBy: GroupBy;
  filter: StatsFilter;
  totals: Figures;
  groups: Group[];
  waitingByHour: HourLoad[];
  bookings: BookingRow[];
  punctuality: Punctuality;
  messages: MessageRow[];
  kiosks: KioskRow[];
  counters: CounterUse[];
  /** The clerks whose calls the figures hold (for the clerk filter's choices). */
  clerkIds: string[];
}

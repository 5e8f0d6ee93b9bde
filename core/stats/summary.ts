import { zonedInstant } from '../booking/release.ts';
import type {
  BookingRow,
  CounterUse,
  DayCount,
  Distribution,
  Figures,
  GroupBy,
  HourLoad,
  KioskRow,
  MessageRow,
  Punctuality,
  StatsFilter,
  TicketFact,
} from './model.ts';

/** Minutes rounded to 0.1 — the unit of every duration the page, the CSV and the XLSX show. */
export const minutes = (ms: number): number => Math.round(ms / 6000) / 10;
const round1 = (x: number): number => Math.round(x * 10) / 10;

/**
 * Mean, median (middle value; mean of the two middle ones for an even count), p90 (nearest rank:
 * the smallest sample with at least 90 % of samples at or below it) and max, in minutes.
 */
export function distribution(samplesMs: number[]): Distribution {
  const n = samplesMs.length;
  if (n === 0) return { count: 0, mean: null, median: null, p90: null, max: null };
  const s = Float64Array.from(samplesMs).sort();
  let sum = 0;
  for (const v of s) sum += v;
  const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  return { count: n, mean: minutes(sum / n), median: minutes(median), p90: minutes(s[Math.ceil(0.9 * n) - 1]!), max: minutes(s[n - 1]!) };
}

/** From the later of arrival and booked time to the answered call; null when never answered. */
export function waitMs(f: TicketFact): number | null {
  if (f.answeredAt === null || f.outcome === 'void') return null;
  return Math.max(0, f.answeredAt - Math.max(f.arrivedAt, f.bookedAt ?? f.arrivedAt));
}

export function figures(facts: readonly TicketFact[]): Figures {
  const fig = { issued: 0, served: 0, noShow: 0, voided: 0, transferred: 0, open: 0 };
  const waits: number[] = [];
  const services: number[] = [];
  for (const f of facts) {
    if (f.outcome === 'void') {
      fig.voided++;
      continue;
    }
    fig.issued++;
    if (f.outcome === 'served') fig.served++;
    if (f.outcome === 'no_show') fig.noShow++;
    if (f.outcome === 'open') fig.open++;
    fig.transferred += f.transfers;
    const w = waitMs(f);
    if (w !== null) waits.push(w);
    if (f.serviceMs !== null) services.push(f.serviceMs);
  }
  return { ...fig, wait: distribution(waits), service: distribution(services) };
}

export function matches(f: TicketFact, filter: StatsFilter): boolean {
  return (
    (filter.serviceId === undefined || f.serviceId === filter.serviceId) &&
    (filter.counterId === undefined || f.counterId === filter.counterId) &&
    (filter.clerkId === undefined || f.clerkId === filter.clerkId)
  );
}

/** ISO 8601 week of an office-local day: `2026-W48`. */
export function isoWeek(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = Date.UTC(y, m - 1, d);
  const weekday = (new Date(date).getUTCDay() + 6) % 7;
  const thursday = date + (3 - weekday) * 86_400_000;
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * 86_400_000)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The group a fact falls in; '' for "none" (a ticket never called has no counter or clerk). */
export function groupKey(f: TicketFact, by: GroupBy): string {
  switch (by) {
    case 'day':
      return f.day;
    case 'week':
      return isoWeek(f.day);
    case 'month':
      return f.day.slice(0, 7);
    case 'service':
      return f.serviceId;
    case 'counter':
      return f.counterId ?? '';
    case 'clerk':
      return f.clerkId ?? '';
    case 'hour':
      return String(f.hour).padStart(2, '0');
    case 'channel':
      return f.channel;
    default: {
      const unknown: never = by;
      throw new Error(`unknown grouping ${String(unknown)}`);
    }
  }
}

/**
 * People waiting at each full hour (office time): arrived at or before it, and not yet answered
 * (or ended) — for each day of the range that had tickets, then the mean and the max over those days.
 * `now` cuts today: an hour still to come is no sample.
 */
export function waitingByHour(facts: readonly TicketFact[], timeZone: string, now: number): HourLoad[] {
  const byDay = new Map<string, TicketFact[]>();
  for (const f of facts) {
    if (f.outcome === 'void') continue;
    const list = byDay.get(f.day);
    if (list === undefined) byDay.set(f.day, [f]);
    else list.push(f);
  }
  const sums = new Array<number>(24).fill(0);
  const maxes = new Array<number>(24).fill(0);
  for (const [day, list] of byDay) {
    for (let h = 0; h < 24; h++) {
      const at = zonedInstant(timeZone, day, h * 60);
      if (at > now) break;
      let n = 0;
      for (const f of list) if (f.arrivedAt <= at && at < (f.answeredAt ?? f.endedAt ?? Number.POSITIVE_INFINITY)) n++;
      sums[h]! += n;
      maxes[h] = Math.max(maxes[h]!, n);
    }
  }
  const days = Math.max(1, byDay.size);
  return sums.map((sum, hour) => ({ hour, mean: round1(sum / days), max: maxes[hour]! }));
}

/** Booked arrivals that checked in: more than 5 minutes early, within ±5 minutes, later. */
export function punctuality(facts: readonly TicketFact[]): Punctuality {
  const p = { early: 0, onTime: 0, late: 0 };
  let sum = 0;
  let n = 0;
  for (const f of facts) {
    if (f.channel !== 'booked' || f.bookedAt === null || f.outcome === 'void') continue;
    const d = f.arrivedAt - f.bookedAt;
    if (d < -5 * 60_000) p.early++;
    else if (d > 5 * 60_000) p.late++;
    else p.onTime++;
    sum += d;
    n++;
  }
  return { ...p, meanMin: n === 0 ? null : minutes(sum / n) };
}

/** Sums a metric's values per key. */
function totals(counts: readonly DayCount[], metric: DayCount['metric']): Map<string, number> {
  const m = new Map<string, number>();
  for (const c of counts) if (c.metric === metric) m.set(c.key, (m.get(c.key) ?? 0) + c.value);
  return m;
}

const keysOf = (counts: readonly DayCount[], metrics: readonly DayCount['metric'][]): string[] =>
  [...new Set(counts.filter((c) => metrics.includes(c.metric)).map((c) => c.key))].sort();

export function bookingRows(counts: readonly DayCount[]): BookingRow[] {
  const get = (metric: DayCount['metric']) => totals(counts, metric);
  const [offered, booked, checkedIn, lapsed, cancelled, noShow, drawAllocated, drawNotAllocated] = (
    ['slots_offered', 'bookings_made', 'bookings_checked_in', 'bookings_lapsed', 'bookings_cancelled', 'bookings_no_show', 'draw_allocated', 'draw_not_allocated'] as const
  ).map(get) as [Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>, Map<string, number>];
  return keysOf(counts, ['slots_offered', 'bookings_made', 'draw_allocated', 'draw_not_allocated']).map((serviceId) => ({
    serviceId,
    offered: offered.get(serviceId) ?? 0,
    booked: booked.get(serviceId) ?? 0,
    checkedIn: checkedIn.get(serviceId) ?? 0,
    lapsed: lapsed.get(serviceId) ?? 0,
    cancelled: cancelled.get(serviceId) ?? 0,
    noShow: noShow.get(serviceId) ?? 0,
    drawAllocated: drawAllocated.get(serviceId) ?? 0,
    drawNotAllocated: drawNotAllocated.get(serviceId) ?? 0,
  }));
}

export function messageRows(counts: readonly DayCount[]): MessageRow[] {
  const [sent, failed, retried] = (['messages_sent', 'messages_failed', 'messages_retried'] as const).map((m) => totals(counts, m)) as [
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
  ];
  return keysOf(counts, ['messages_sent', 'messages_failed', 'messages_retried']).map((channel) => ({
    channel,
    sent: sent.get(channel) ?? 0,
    failed: failed.get(channel) ?? 0,
    retried: retried.get(channel) ?? 0,
  }));
}

export function kioskRows(counts: readonly DayCount[], facts: readonly TicketFact[]): KioskRow[] {
  const failures = totals(counts, 'kiosk_print_failures');
  const voided = new Map<string, number>();
  for (const f of facts) if (f.outcome === 'void' && f.kioskId !== null) voided.set(f.kioskId, (voided.get(f.kioskId) ?? 0) + 1);
  return [...new Set([...failures.keys(), ...voided.keys()])].sort().map((kioskId) => ({
    kioskId,
    printFailures: failures.get(kioskId) ?? 0,
    voided: voided.get(kioskId) ?? 0,
  }));
}

export function counterUse(counts: readonly DayCount[]): CounterUse[] {
  const [open, paused, serving] = (['counter_open_ms', 'counter_paused_ms', 'counter_serving_ms'] as const).map((m) => totals(counts, m)) as [
    Map<string, number>,
    Map<string, number>,
    Map<string, number>,
  ];
  return keysOf(counts, ['counter_open_ms', 'counter_paused_ms', 'counter_serving_ms']).map((counterId) => {
    const o = open.get(counterId) ?? 0;
    const p = paused.get(counterId) ?? 0;
    const s = serving.get(counterId) ?? 0;
    // Of the time a clerk was signed in (open or paused), the share with a client at the counter.
    return { counterId, openMin: minutes(o), pausedMin: minutes(p), servingMin: minutes(s), utilisationPct: o + p === 0 ? null : round1((100 * s) / (o + p)) };
  });
}

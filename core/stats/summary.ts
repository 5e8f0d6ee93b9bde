import type {
  BookingRow,
  CounterUse,
  DayCount,
  Distribution,
  Figures,
  GroupBy,
  GroupRow,
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
export function distribution(samplesMs: ArrayLike<number>): Distribution {
  const n = samplesMs.length;
  if (n === 0) return { count: 0, mean: null, median: null, p90: null, max: null };
  // Reordered in place: a typed array handed in is the caller's scratch copy.
  const s = samplesMs instanceof Float64Array ? samplesMs : Float64Array.from(samplesMs);
  let sum = 0;
  let max = s[0]!;
  for (let i = 0; i < n; i++) {
    sum += s[i]!;
    if (s[i]! > max) max = s[i]!;
  }
  const median = n % 2 === 1 ? kth(s, (n - 1) / 2) : (kth(s, n / 2 - 1) + kth(s, n / 2)) / 2;
  return { count: n, mean: minutes(sum / n), median: minutes(median), p90: minutes(kth(s, Math.ceil(0.9 * n) - 1)), max: minutes(max) };
}

/**
 * The k-th smallest value (0-based), exactly as a full sort would place it, in linear expected time
 * (Wirth's selection; the array is reordered, its values kept). A month's report takes quantiles
 * over some 60,000 samples per figure: sorting them all cost more than the rest of the report.
 */
export function kth(a: Float64Array, k: number): number {
  let l = 0;
  let r = a.length - 1;
  while (l < r) {
    const x = a[k]!;
    let i = l;
    let j = r;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
  return a[k]!;
}

/** From the later of arrival and booked time to the answered call; null when never answered. */
export function waitMs(f: TicketFact): number | null {
  if (f.answeredAt === null || f.outcome === 'void') return null;
  return Math.max(0, f.answeredAt - Math.max(f.arrivedAt, f.bookedAt ?? f.arrivedAt));
}

/** Concatenates the samples of many rows (typed: a month holds some 60,000). */
function samples(rows: readonly GroupRow[], pick: (r: GroupRow) => ArrayLike<number>): Float64Array {
  let n = 0;
  for (const r of rows) n += pick(r).length;
  const out = new Float64Array(n);
  let i = 0;
  for (const r of rows) {
    const a = pick(r);
    if (a instanceof Float64Array) out.set(a, i);
    else for (let j = 0; j < a.length; j++) out[i + j] = a[j]!;
    i += a.length;
  }
  return out;
}

export function figures(rows: readonly GroupRow[]): Figures {
  const fig = { issued: 0, served: 0, noShow: 0, voided: 0, transferred: 0, open: 0 };
  for (const r of rows) {
    fig.issued += r.issued;
    fig.served += r.served;
    fig.noShow += r.noShow;
    fig.voided += r.voided;
    fig.transferred += r.transferred;
    fig.open += r.open;
  }
  return { ...fig, wait: distribution(samples(rows, (r) => r.waits)), service: distribution(samples(rows, (r) => r.services)) };
}

export function matches(f: TicketFact, filter: StatsFilter): boolean {
  return (
    (filter.serviceId === undefined || f.serviceId === filter.serviceId) &&
    (filter.counterId === undefined || f.counterId === filter.counterId) &&
    (filter.clerkId === undefined || f.clerkId === filter.clerkId) &&
    (filter.channel === undefined || f.channel === filter.channel)
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

/** The group a row falls in; '' for "none" (a ticket never called has no counter or clerk). For `hour`, rows by hour. */
export function groupKey(f: GroupRow, by: GroupBy): string {
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
      return f.counterId;
    case 'clerk':
      return f.clerkId;
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
 * (or ended) — summed per day over the rows, then the mean over the days of the range that had
 * tickets, and the max. Today's hours still to come hold 0 (see `groupRows`).
 */
export function waitingByHour(rows: readonly GroupRow[]): HourLoad[] {
  const byDay = new Map<string, number[]>();
  for (const r of rows) {
    if (r.issued === 0 || r.waitingAt === null) continue;
    let day = byDay.get(r.day);
    if (day === undefined) byDay.set(r.day, (day = new Array<number>(24).fill(0)));
    for (let h = 0; h < 24; h++) day[h]! += r.waitingAt[h] ?? 0;
  }
  const sums = new Array<number>(24).fill(0);
  const maxes = new Array<number>(24).fill(0);
  for (const day of byDay.values()) {
    for (let h = 0; h < 24; h++) {
      sums[h]! += day[h]!;
      maxes[h] = Math.max(maxes[h]!, day[h]!);
    }
  }
  const days = Math.max(1, byDay.size);
  return sums.map((sum, hour) => ({ hour, mean: round1(sum / days), max: maxes[hour]! }));
}

/** Booked arrivals that checked in: more than 5 minutes early, within ±5 minutes, later. */
export function punctuality(rows: readonly GroupRow[]): Punctuality {
  const p = { early: 0, onTime: 0, late: 0 };
  let sum = 0;
  for (const r of rows) {
    p.early += r.early;
    p.onTime += r.onTime;
    p.late += r.late;
    sum += r.lateSumMs;
  }
  const n = p.early + p.onTime + p.late;
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

export function kioskRows(counts: readonly DayCount[], rows: readonly GroupRow[]): KioskRow[] {
  const failures = totals(counts, 'kiosk_print_failures');
  const voided = new Map<string, number>();
  for (const r of rows) if (r.voided > 0 && r.kioskId !== '') voided.set(r.kioskId, (voided.get(r.kioskId) ?? 0) + r.voided);
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

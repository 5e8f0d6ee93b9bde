import { addDays, daysBetween, isDay, zonedInstant } from '../booking/release.ts';
import { localTime } from '../shared/office-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { foldDay } from './fold.ts';
import { groupRows, rowMatches } from './groups.ts';
import type { DayCount, GroupBy, GroupRow, StatsFilter, StatsReport, TicketFact } from './model.ts';
import type { FactKey, StatsStore } from './ports.ts';
import { bookingRows, counterUse, figures, groupKey, kioskRows, messageRows, punctuality, waitingByHour } from './summary.ts';

/**
 * Statistics use cases: a day is rolled up once it is over (its facts and counts stored), and a
 * report reads the rollups of past days and folds today's events as they are. Pure: the store,
 * the office's time zone and `now` are inputs.
 */

export interface StatsOffice {
  id: string;
  timeZone: string;
}

/** The longest range a report or export covers (a year and a bit, for year-on-year views). */
export const MAX_RANGE_DAYS = 400;

const dayBounds = (tz: string, day: string): [number, number] => [zonedInstant(tz, day, 0), zonedInstant(tz, addDays(day, 1), 0)];

/** Folds a day's events as they stand (up to `endAt`) with the booking and message tables. */
async function foldedDay(stats: StatsStore, office: StatsOffice, day: string, endAt: number): Promise<{ facts: TicketFact[]; counts: DayCount[] }> {
  const [startAt, dayEnd] = dayBounds(office.timeZone, day);
  const until = Math.min(dayEnd, endAt);
  const events = await stats.eventsBetween(office.id, startAt, until);
  const folded = foldDay({ officeId: office.id, day, timeZone: office.timeZone, startAt, endAt: until }, events);
  const tables = await stats.tableCounts(office.id, day, startAt, dayEnd);
  return { facts: folded.facts, counts: [...folded.counts, ...tables] };
}

/** Rolls a finished day up (again, when asked to rebuild it): its facts and counts replace what was stored. */
export async function closeDay(stats: StatsStore, office: StatsOffice, day: string, now: number): Promise<Result<{ tickets: number }>> {
  if (!isDay(day)) return fail('STATS_RANGE_INVALID', { max: MAX_RANGE_DAYS });
  if (day >= localTime(office.timeZone, now).date) return fail('STATS_DAY_NOT_OVER');
  const { facts, counts } = await foldedDay(stats, office, day, Number.POSITIVE_INFINITY);
  const { rows, hourly } = groupRows(facts, office.timeZone, now);
  await stats.saveDay(office.id, day, { facts, counts, groups: [...rows, ...hourly] }, now);
  return ok({ tickets: facts.length });
}

/** Rolls up every finished day of `[from, to]` not rolled up yet (the host does it each night; a report catches up). */
export async function closeMissingDays(stats: StatsStore, office: StatsOffice, from: string, to: string, now: number): Promise<number> {
  const yesterday = addDays(localTime(office.timeZone, now).date, -1);
  const last = to < yesterday ? to : yesterday;
  if (last < from) return 0;
  const closed = new Set(await stats.closedDays(office.id, from, last));
  let n = 0;
  for (let day = from; day <= last; day = addDays(day, 1)) {
    if (closed.has(day)) continue;
    await closeDay(stats, office, day, now);
    n++;
  }
  return n;
}

export interface RangeQuery {
  from: string;
  to: string;
}

function checkRange(q: RangeQuery): Result<RangeQuery> {
  if (!isDay(q.from) || !isDay(q.to) || q.to < q.from || daysBetween(q.from, q.to) >= MAX_RANGE_DAYS) return fail('STATS_RANGE_INVALID', { max: MAX_RANGE_DAYS });
  return ok(q);
}

/**
 * Group rows and counts of a range: the rollups of past days, today's events folded now. Rows by
 * hour of arrival only when the report is grouped by hour (the whole-day rows feed the rest).
 */
async function rangeData(
  stats: StatsStore,
  office: StatsOffice,
  q: RangeQuery,
  filter: StatsFilter,
  byHour: boolean,
  now: number,
): Promise<{ rows: GroupRow[]; hourly: GroupRow[]; counts: DayCount[] }> {
  await closeMissingDays(stats, office, q.from, q.to, now);
  const today = localTime(office.timeZone, now).date;
  const lastClosed = q.to < today ? q.to : addDays(today, -1);
  const closed = lastClosed >= q.from;
  const rows = closed ? await stats.groupRows(office.id, q.from, lastClosed, filter, false) : [];
  const hourly = closed && byHour ? await stats.groupRows(office.id, q.from, lastClosed, filter, true) : [];
  const counts = closed ? await stats.dayCounts(office.id, q.from, lastClosed) : [];
  if (q.from <= today && today <= q.to) {
    const live = await foldedDay(stats, office, today, now);
    const groups = groupRows(live.facts, office.timeZone, now);
    for (const r of groups.rows) if (rowMatches(r, filter)) rows.push(r);
    if (byHour) for (const r of groups.hourly) if (rowMatches(r, filter)) hourly.push(r);
    counts.push(...live.counts);
  }
  return { rows, hourly, counts };
}

export async function statsReport(
  stats: StatsStore,
  office: StatsOffice,
  q: RangeQuery & { groupBy: GroupBy; filter: StatsFilter },
  now: number,
): Promise<Result<StatsReport>> {
  const range = checkRange(q);
  if (!range.ok) return range;
  const byHour = q.groupBy === 'hour';
  const { rows, hourly, counts } = await rangeData(stats, office, q, q.filter, byHour, now);
  const groups = new Map<string, GroupRow[]>();
  for (const r of byHour ? hourly : rows) {
    const key = groupKey(r, q.groupBy);
    const list = groups.get(key);
    if (list === undefined) groups.set(key, [r]);
    else list.push(r);
  }
  const byCounter = q.filter.counterId;
  return ok({
    officeId: office.id,
    from: q.from,
    to: q.to,
    groupBy: q.groupBy,
    filter: q.filter,
    totals: figures(rows),
    groups: [...groups.keys()].sort().map((key) => ({ key, figures: figures(groups.get(key)!) })),
    waitingByHour: waitingByHour(rows),
    bookings: bookingRows(counts).filter((b) => q.filter.serviceId === undefined || b.serviceId === q.filter.serviceId),
    punctuality: punctuality(rows),
    messages: messageRows(counts),
    kiosks: kioskRows(counts, rows),
    counters: counterUse(counts).filter((c) => byCounter === undefined || c.counterId === byCounter),
    clerkIds: [...new Set(rows.map((r) => r.clerkId).filter((id) => id !== ''))].sort(),
  });
}

/**
 * Every ticket of a range as export text, a chunk per page of `pageSize` tickets: rolled-up days
 * read page by page (memory stays flat over a year, and the store is free between pages), then
 * today's. `line` turns a fact into its line; nothing personal is in a fact.
 */
export async function* ticketChunks(
  stats: StatsStore,
  office: StatsOffice,
  q: RangeQuery,
  now: number,
  line: (f: Readonly<TicketFact>) => string,
  filter: StatsFilter = {},
  pageSize = 500,
): AsyncGenerator<string> {
  const pick = (f: Readonly<TicketFact>): string => (rowMatches(f, filter) ? line(f) : '');
  await closeMissingDays(stats, office, q.from, q.to, now);
  const today = localTime(office.timeZone, now).date;
  const lastClosed = q.to < today ? q.to : addDays(today, -1);
  let after: FactKey | null = null;
  let more = lastClosed >= q.from;
  while (more) {
    let chunk = '';
    after = await stats.visitFacts(office.id, q.from, lastClosed, after, pageSize, (f) => (chunk += pick(f)));
    more = after !== null;
    if (chunk !== '') yield chunk;
  }
  if (q.from <= today && today <= q.to) {
    let chunk = '';
    for (const f of (await foldedDay(stats, office, today, now)).facts) chunk += pick(f);
    if (chunk !== '') yield chunk;
  }
}

/** Checks a range for an export before any byte is sent. */
export const exportRange = checkRange;

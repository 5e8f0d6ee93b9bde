import type { BookingPolicy } from '../booking/model.ts';
import type { ChangedDay, OpeningInterval, WeeklyHours } from '../shared/model.ts';
import { WEEKDAYS, type CalendarData, type DayHoursData, type OnlineBookingData, type WeekHoursData } from './model.ts';

/**
 * Between the configuration's shapes (a day as open, close and breaks) and the engine's (a day as
 * intervals; a booking policy with its service id). Both directions are exact: a day read back
 * from its intervals gives the same open, close and breaks.
 */

const byFrom = (a: { from: string }, b: { from: string }): number => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0);

/** Open 08:00, close 17:00, break 12:00–13:00 → [08:00, 12:00], [13:00, 17:00]. */
export function dayToIntervals(d: DayHoursData | null): OpeningInterval[] {
  if (d === null) return [];
  const out: OpeningInterval[] = [];
  let start = d.open;
  for (const b of [...d.breaks].sort(byFrom)) {
    if (b.from > start) out.push([start, b.from]);
    start = b.to;
  }
  if (d.close > start) out.push([start, d.close]);
  return out;
}

export function intervalsToDay(intervals: readonly OpeningInterval[]): DayHoursData | null {
  if (intervals.length === 0) return null;
  const sorted = [...intervals].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const breaks = sorted.slice(1).map((iv, i) => ({ from: sorted[i]![1], to: iv[0] }));
  return { open: sorted[0]![0], close: sorted[sorted.length - 1]![1], breaks };
}

export const weekToIntervals = (w: WeekHoursData): WeeklyHours => WEEKDAYS.map((k) => dayToIntervals(w[k]));

export function intervalsToWeek(h: WeeklyHours): WeekHoursData {
  const day = (i: number): DayHoursData | null => intervalsToDay(h[i] ?? []);
  return { mon: day(0), tue: day(1), wed: day(2), thu: day(3), fri: day(4), sat: day(5), sun: day(6) };
}

/** The engine's view of the calendar: the closed dates, and the changed days as intervals. */
export function calendarToEngine(c: CalendarData): { closedDays: string[]; changedDays: ChangedDay[] } {
  return {
    closedDays: c.closedDays.map((d) => d.date),
    changedDays: c.changedDays.map((d) => ({ date: d.date, hours: dayToIntervals(d.hours), ...(d.serviceIds === undefined ? {} : { serviceIds: d.serviceIds }) })),
  };
}

export function policyOf(serviceId: string, o: OnlineBookingData): BookingPolicy {
  return {
    serviceId,
    dayCapacity: o.dayCapacity,
    onlineSharePct: o.onlineSharePct,
    onlinePlaces: o.onlinePlaces,
    slotMin: o.slotMin,
    placesPerSlot: o.placesPerSlot,
    horizonDays: o.horizonDays,
    earliestDays: o.earliestDays,
    release: o.release,
    allocation: o.allocation,
    drawWindowMin: o.drawWindowMin,
    holdMin: o.holdMin,
    confirmBy: o.confirmBy,
    counterWeights: o.counterWeights,
    identityKey: o.identityKey,
  };
}

export function onlineOf(p: BookingPolicy): OnlineBookingData {
  return {
    dayCapacity: p.dayCapacity,
    onlineSharePct: p.onlineSharePct,
    onlinePlaces: p.onlinePlaces,
    slotMin: p.slotMin,
    placesPerSlot: p.placesPerSlot ?? null,
    horizonDays: p.horizonDays,
    earliestDays: p.earliestDays,
    release: p.release,
    allocation: p.allocation,
    drawWindowMin: p.drawWindowMin,
    holdMin: p.holdMin,
    confirmBy: p.confirmBy,
    counterWeights: p.counterWeights,
    identityKey: p.identityKey ?? null,
  };
}

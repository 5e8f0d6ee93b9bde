import { weekdayOf } from '../booking/release.ts';
import { formatHhMm, parseHhMm } from '../shared/office-time.ts';
import { WEEKDAYS, type OfficeConfigData } from './model.ts';
import { dayToIntervals } from './engine.ts';

/**
 * Which bookings a configuration change leaves stranded: their day closed, their time outside
 * the new hours (a break, a short day), their service gone, no longer booked online or served at
no counter (its last counter gave it up: nobody would call the client). The
 * office-change flow (moving or cancelling them, telling each client) starts from this list; the
 * preview of a change shows it first.
 */

/** An active booking as the check needs it: no name, no contact. */
export interface BookingAtTime {
  id: string;
  number: string;
  serviceId: string;
  /** Office-local day and minute of the booked time. */
  day: string;
  startMin: number;
  startAt: number;
  state: 'held' | 'awaiting_payment' | 'confirmed';
}

export type AffectedReason = 'day-closed' | 'outside-hours' | 'service-removed' | 'online-off' | 'no-counter';

export interface AffectedBooking {
  bookingId: string;
  number: string;
  serviceId: string;
  day: string;
  time: string;
  startAt: number;
  state: 'held' | 'awaiting_payment' | 'confirmed';
  reason: AffectedReason;
}

/** Open intervals (minutes) of a service on a day under a configuration: the same rule as the engine's dayIntervals. */
export function serviceDayIntervals(c: OfficeConfigData, serviceId: string, day: string): [number, number][] {
  if (c.calendar.closedDays.some((d) => d.date === day)) return [];
  const changed = c.calendar.changedDays.find((d) => d.date === day && (d.serviceIds === undefined || d.serviceIds.includes(serviceId)));
  const service = c.services.find((s) => s.id === serviceId);
  const hours = changed?.hours ?? (service?.hours ?? c.hours)[WEEKDAYS[weekdayOf(day)]!];
  return dayToIntervals(hours).map(([a, b]) => [parseHhMm(a), parseHhMm(b)]);
}

function reasonUnder(c: OfficeConfigData, b: BookingAtTime, slotMin: number): AffectedReason | null {
  const service = c.services.find((s) => s.id === b.serviceId);
  if (service === undefined) return 'service-removed';
  if (service.online === null) return 'online-off';
  if (!c.counters.some((x) => x.serviceIds.includes(b.serviceId))) return 'no-counter';
  if (c.calendar.closedDays.some((d) => d.date === b.day)) return 'day-closed';
  const end = b.startMin + slotMin;
  return serviceDayIntervals(c, b.serviceId, b.day).some(([x, y]) => b.startMin >= x && end <= y) ? null : 'outside-hours';
}

/**
 * The bookings `next` strands that `current` did not (one already outside the hours is not news
 * of this change). A booking's length is its service's slot length before the change.
 */
export function affectedBookings(current: OfficeConfigData, next: OfficeConfigData, bookings: readonly BookingAtTime[]): AffectedBooking[] {
  const out: AffectedBooking[] = [];
  for (const b of bookings) {
    const slotMin = current.services.find((s) => s.id === b.serviceId)?.online?.slotMin ?? 0;
    const reason = reasonUnder(next, b, slotMin);
    if (reason === null || reasonUnder(current, b, slotMin) !== null) continue;
    out.push({ bookingId: b.id, number: b.number, serviceId: b.serviceId, day: b.day, time: formatHhMm(b.startMin), startAt: b.startAt, state: b.state, reason });
  }
  return out.sort((a, b) => a.startAt - b.startAt);
}

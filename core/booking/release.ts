import type { BookingPolicy } from './model.ts';
import type { Office, Service } from '../shared/model.ts';
import { dayIntervals, localTime, parseHhMm } from '../shared/office-time.ts';

/** Office-local calendar days as plain strings: arithmetic through UTC dates, no time zone involved. */

// A memo, not state: slot and release arithmetic asks for the same few days thousands of times.
const dayUtcMemo = new Map<string, number>();

/** Midnight UTC of the calendar day: a day number in milliseconds, not an instant of the office. */
export function dayUtc(day: string): number {
  const hit = dayUtcMemo.get(day);
  if (hit !== undefined) return hit;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const v = Date.UTC(y, m - 1, d);
  if (dayUtcMemo.size >= 4096) dayUtcMemo.clear();
  dayUtcMemo.set(day, v);
  return v;
}

export function addDays(day: string, n: number): string {
  return new Date(dayUtc(day) + n * 86_400_000).toISOString().slice(0, 10);
}

/** 0 = Monday … 6 = Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(dayUtc(day)).getUTCDay() + 6) % 7;
}

export function daysBetween(from: string, to: string): number {
  return Math.round((dayUtc(to) - dayUtc(from)) / 86_400_000);
}

export const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s) && addDays(s, 0) === s;

/**
 * The instant at which it is `minute` past midnight on `day` in `timeZone`. Around a DST gap the
 * result is the first instant after the gap; in an overlap, the earlier of the two.
 */
export function zonedInstant(timeZone: string, day: string, minute: number): number {
  const wall = dayUtc(day) + minute * 60_000;
  let guess = wall;
  for (let i = 0; i < 3; i++) {
    const lt = localTime(timeZone, guess);
    const seen = dayUtc(lt.date) + lt.minute * 60_000;
    const diff = wall - seen;
    if (diff === 0) return guess;
    guess += diff;
  }
  return guess;
}

/** Opening minutes of an office (or of one service, with its own hours) on a day: none on closed days. */
export function openIntervals(office: Office, day: string, service?: Service | null): [number, number][] {
  return dayIntervals(office, day, weekdayOf(day), service);
}

/**
 * When `day` opens for online booking, or null if it never does (a scheduled release with no
 * release day for it). Rolling: `horizonDays` before, at `openAt`. Scheduled: `daysAhead`
 * before, if that day is a release weekday.
 */
export function releaseInstant(policy: BookingPolicy, office: Office, day: string): number | null {
  const r = policy.release;
  switch (r.kind) {
    case 'rolling':
      return zonedInstant(office.timeZone, addDays(day, -policy.horizonDays), parseHhMm(r.openAt));
    case 'scheduled': {
      const releaseDay = addDays(day, -r.daysAhead);
      if (!r.weekdays.includes(weekdayOf(releaseDay))) return null;
      return zonedInstant(office.timeZone, releaseDay, parseHhMm(r.openAt));
    }
  }
}

export type DayStatus =
  | { kind: 'open'; releasedAt: number }
  | { kind: 'not-yet'; opensAt: number }
  | { kind: 'never' }
  | { kind: 'closed' }
  | { kind: 'past' }
  | { kind: 'too-soon' }
  | { kind: 'beyond-horizon' };

/** Whether `day` can be booked online at `now`, and if not, why. */
export function dayStatus(policy: BookingPolicy, office: Office, day: string, now: number, service?: Service | null): DayStatus {
  const today = localTime(office.timeZone, now).date;
  const ahead = daysBetween(today, day);
  if (ahead < 0) return { kind: 'past' };
  if (openIntervals(office, day, service).length === 0) return { kind: 'closed' };
  if (ahead < policy.earliestDays) return { kind: 'too-soon' };
  if (ahead > policy.horizonDays) return { kind: 'beyond-horizon' };
  const at = releaseInstant(policy, office, day);
  if (at === null) return { kind: 'never' };
  if (now < at) return { kind: 'not-yet', opensAt: at };
  return { kind: 'open', releasedAt: at };
}

import type { Office, Service } from './model.ts';

/**
 * Office-local calendar arithmetic on top of Intl (a JS built-in, no I/O). Every rule that
 * speaks of "today", "opening hours" or "HH:MM" goes through here, with `now` passed in.
 */

export interface LocalTime {
  /** `YYYY-MM-DD` */
  date: string;
  /** 0 = Monday … 6 = Sunday */
  weekday: number;
  /** Minutes since local midnight. */
  minute: number;
}

// A memo, not state: building an Intl formatter costs ~20 µs and every issue asks for "today".
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

const WEEKDAYS: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };

// A memo too: every ticket asks "what day and minute is it" and formatToParts costs ~10 µs.
// Keyed per time zone and UTC minute (every zone's offset is a whole number of minutes).
const minuteCache = new Map<string, LocalTime>();
const MINUTE_CACHE_LIMIT = 4096;

export function localTime(timeZone: string, at: number): LocalTime {
  const minute = Math.floor(at / 60_000);
  const key = `${timeZone}|${minute}`;
  const hit = minuteCache.get(key);
  if (hit !== undefined) return hit;
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(minute * 60_000)) parts[p.type] = p.value;
  const value: LocalTime = {
    date: `${parts['year']}-${parts['month']}-${parts['day']}`,
    weekday: WEEKDAYS[parts['weekday'] ?? ''] ?? 0,
    minute: Number(parts['hour']) * 60 + Number(parts['minute']),
  };
  if (minuteCache.size >= MINUTE_CACHE_LIMIT) minuteCache.clear();
  minuteCache.set(key, value);
  return value;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** `HH:MM` → minutes; "24:00" → 1440. Returns NaN for anything else. */
export function parseHhMm(value: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(value);
  if (m === null) return Number.NaN;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 1440 ? minutes : Number.NaN;
}

export function formatHhMm(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/**
 * The opening intervals of a day (office-local minutes, end exclusive), the one place that reads
 * hours: a closed day has none; a changed day (for this service, or for all) has its own; else the
 * service's own weekly hours, else the office's. Breaks are the gaps between intervals.
 */
export function dayIntervals(office: Office, day: string, weekday: number, service?: Service | null): [number, number][] {
  if (office.closedDays.includes(day)) return [];
  const sid = service?.id;
  const changed = office.changedDays?.find((c) => c.date === day && (c.serviceIds === undefined || (sid !== undefined && c.serviceIds.includes(sid))));
  const hours = changed?.hours ?? (service?.hours ?? office.hours)[weekday] ?? [];
  return hours.map(([a, b]) => [parseHhMm(a), parseHhMm(b)] as [number, number]).filter(([a, b]) => b > a);
}

/** Whether the office (or one service of it, with its own hours) is open at an instant. */
export function isOfficeOpen(office: Office, at: number, service?: Service | null): boolean {
  const t = localTime(office.timeZone, at);
  return dayIntervals(office, t.date, t.weekday, service).some(([from, to]) => t.minute >= from && t.minute < to);
}

import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { MAX_BREAKS_PER_DAY, MAX_CALENDAR_DAYS, MAX_SERVICES } from '../core/config/limits.ts';

/** Primitives, opening hours and calendar of the office configuration (see office-config.ts). */

// ——— primitives ———

/** Ids of departments, services, counters, categories: chosen by the admin or generated, never reused for something else. */
export const ConfigId = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
/** One line of text a person reads (a name, a street): trimmed, no control characters. */
export const line = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasControl(s), 'no control characters');

export const Language = z.enum(LANGUAGES);
/** Text per language, `{ cs?, en?, ro?, 'zh-CN'? }`; at least one. A missing language falls back to the office's first. */
export const LocalizedName = z.partialRecord(Language, line(120)).refine((n) => Object.keys(n).length > 0, 'at least one language');
export const LocalizedNote = z.partialRecord(Language, line(200));

/** Office-local `HH:MM`; `24:00` only as an end. */
export const Time = z.string().regex(/^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'HH:MM (00:00 to 24:00)');
export const Day = z.string().regex(/^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])$/, 'YYYY-MM-DD');

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};
/** An IANA time zone (`Europe/Prague`); every rule of the office runs on it. */
export const TimeZone = z.string().min(1).max(64).refine(isTimeZone, 'an IANA time zone such as Europe/Prague');

export const uniqueLanguages = (l: readonly string[]): boolean => new Set(l).size === l.length;

// ——— opening hours ———

/** A pause inside a day's hours (lunch): no ticket is called and no slot offered from `from` to `to`. */
export const Break = z.strictObject({ from: Time, to: Time });
/** One day's hours: open from `open` to `close` (end exclusive), minus its breaks. */
export const DayHours = z.strictObject({
  open: Time,
  close: Time,
  breaks: z.array(Break).max(MAX_BREAKS_PER_DAY).default([]),
});
/** Hours of each weekday; `null` = closed that weekday. */
export const WeekHours = z.strictObject({
  mon: DayHours.nullable(),
  tue: DayHours.nullable(),
  wed: DayHours.nullable(),
  thu: DayHours.nullable(),
  fri: DayHours.nullable(),
  sat: DayHours.nullable(),
  sun: DayHours.nullable(),
});
export const WEEKDAY_KEYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayKey = (typeof WEEKDAY_KEYS)[number];

/** A day the office is closed all day (a holiday); the note is shown on the portal and kiosk. */
export const ClosedDay = z.strictObject({ date: Day, note: LocalizedNote.optional() });
/** A day with other hours than its weekday's (a short day before a holiday); `serviceIds` limits it to some services (absent: all). */
export const ChangedDay = z.strictObject({
  date: Day,
  hours: DayHours,
  note: LocalizedNote.optional(),
  serviceIds: z.array(ConfigId).min(1).max(MAX_SERVICES).optional(),
});
/** Closed and changed days (supervisors may edit them). A date appears once in all of it. */
export const Calendar = z.strictObject({
  closedDays: z.array(ClosedDay).max(MAX_CALENDAR_DAYS),
  changedDays: z.array(ChangedDay).max(MAX_CALENDAR_DAYS),
});

import type { HoldCheck } from '../booking/deps.ts';
import { fail, ok } from '../shared/result.ts';

/**
 * National ID numbers where the office forbids them (Bihor: "Este INTERZISĂ utilizarea CNP-ului"):
 * a Romanian personal numeric code (CNP), a Czech birth number (rodné číslo) or a Chinese resident
 * identity number in any field the client types freely is refused, whatever the office's language
 * (a Romanian may book in Prague). The phone field is never searched: it has its own validation,
 * and phone numbers read as dates and pass check digits often enough to refuse real clients.
 */

const CNP_WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9] as const;

const isDate = (year: number, month: number, day: number): boolean =>
  month >= 1 && month <= 12 && day >= 1 && day <= [31, year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;

/** A CNP: 13 digits, sex/century digit 1–9, a month and day that can exist, and its check digit. */
export function isCnp(digits: string): boolean {
  if (!/^[1-9]\d{12}$/.test(digits)) return false;
  const month = Number(digits.slice(3, 5));
  const day = Number(digits.slice(5, 7));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const sum = CNP_WEIGHTS.reduce((n, w, i) => n + w * Number(digits[i]), 0);
  return (sum % 11 === 10 ? 1 : sum % 11) === Number(digits[12]);
}

/**
 * A Czech birth number, digits only. Ten digits (born 1954 or later): the whole number divisible
 * by 11, or — the exception of numbers whose first nine digits leave 10 — check digit 0. Nine
 * digits: born before 1954, no check digit (the caller accepts this form only written with `/`).
 * The date part must exist: month 01–12, or 51–62 for women, and from 2004 also +20 (21–32) and
 * +70 (71–82) when a day's numbers ran out.
 */
export function isRodneCislo(digits: string): boolean {
  if (!/^\d{9,10}$/.test(digits)) return false;
  const yy = Number(digits.slice(0, 2));
  const mm = Number(digits.slice(2, 4));
  const dd = Number(digits.slice(4, 6));
  let year: number;
  if (digits.length === 9) {
    if (yy >= 54) return false;
    year = 1900 + yy;
  } else {
    year = yy >= 54 ? 1900 + yy : 2000 + yy;
    const first9 = Number(digits.slice(0, 9));
    if (Number(digits) % 11 !== 0 && !(first9 % 11 === 10 && digits[9] === '0')) return false;
  }
  const month = mm > 70 ? mm - 70 : mm > 50 ? mm - 50 : mm > 20 ? mm - 20 : mm;
  if ((mm > 20 && mm <= 32) || mm > 70) {
    if (year < 2004) return false;
  }
  return (mm <= 12 || (mm >= 21 && mm <= 32) || (mm >= 51 && mm <= 62) || (mm >= 71 && mm <= 82)) && isDate(year, month, dd);
}

const GB_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;

/** A Chinese resident identity number (GB 11643): 17 digits, a birth date that exists, an ISO 7064 MOD 11-2 check character (0–9 or X). */
export function isChineseId(id: string): boolean {
  const s = id.toUpperCase();
  if (!/^[1-9]\d{16}[\dX]$/.test(s)) return false;
  const year = Number(s.slice(6, 10));
  if (year < 1900 || year > 2099 || !isDate(year, Number(s.slice(10, 12)), Number(s.slice(12, 14)))) return false;
  const sum = GB_WEIGHTS.reduce((n, w, i) => n + w * Number(s[i]), 0);
  return '10X98765432'[sum % 11] === s[17];
}

/** Runs of digits, spaces, dots and dashes between digits ignored (`1 850101 123451` is one run). */
const digitRuns = (text: string): string[] => text.replace(/(?<=\d)[\s.-]+(?=\d)/g, '').match(/\d+/g) ?? [];

/** Whether a text holds a CNP: a run of exactly 13 digits. */
export const holdsCnp = (text: string): boolean => digitRuns(text.replace(/\//g, '')).some((r) => r.length === 13 && isCnp(r));

/** Whether a text holds a rodné číslo: ten digits with or without the `/`, or nine only written as `YYMMDD/NNN`. */
export function holdsRodneCislo(text: string): boolean {
  if (digitRuns(text.replace(/(?<=\d)\s*\/\s*(?=\d)/g, '')).some((r) => r.length === 10 && isRodneCislo(r))) return true;
  return [...text.matchAll(/(?<!\d)(\d{6})\s*\/\s*(\d{3})(?![\d\s.-]*\d)/g)].some((m) => isRodneCislo(m[1]! + m[2]!));
}

/** Whether a text holds a Chinese resident identity number: 18 characters, the last a digit or X. */
export const holdsChineseId = (text: string): boolean =>
  [...text.replace(/(?<=\d)[\s.-]+(?=[\dXx])/g, '').matchAll(/(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])/g)].some((m) => isChineseId(m[0]));

/** Any national ID number Fronta recognises (CNP, rodné číslo, Chinese resident identity number). */
export const holdsNationalId = (text: string): boolean => holdsCnp(text) || holdsRodneCislo(text) || holdsChineseId(text);

/** Refuses, where the office forbids national ID numbers, a name, e-mail (its local part) or identity key holding one. */
export const nationalIdCheck: HoldCheck = async (ctx, deps) => {
  if (!(await deps.bookings.officeSettings(ctx.office.id)).rules.forbidNationalIds) return ok(undefined);
  const fields: [string, string | null][] = [
    ['name', ctx.name],
    ['email', ctx.email?.split('@')[0] ?? null],
    ['identityKey', ctx.identityKey],
  ];
  const field = fields.find(([, value]) => value !== null && holdsNationalId(value))?.[0];
  return field === undefined ? ok(undefined) : fail('NATIONAL_ID_FORBIDDEN', { field });
};

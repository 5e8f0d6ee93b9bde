/** Shapes, normalisation and timing of the secrets a citizen handles. Pure. */

export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A booking number as typed: case-insensitive, I/L read as 1, O as 0, spaces and dashes ignored. */
export function normaliseBookingNumber(input: string): string | null {
  const s = input
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, '1')
    .replace(/O/g, '0');
  return /^[0-9A-HJKMNP-TV-Z]{10}$/.test(s) ? s : null;
}

export function normaliseEmail(input: string): string | null {
  const s = input.trim().toLowerCase();
  return /^[^\s@<>()[\]\\,;:"]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}$/.test(s) && !s.includes('..') ? s : null;
}

/** E.164: `+` then 8–15 digits; spaces, dots, dashes and brackets ignored; `00` read as `+`. */
export function normalisePhone(input: string): string | null {
  let s = input.trim().replace(/[\s().-]/g, '');
  if (s.startsWith('00')) s = '+' + s.slice(2);
  return /^\+[1-9]\d{7,14}$/.test(s) ? s : null;
}

/** Names as written in documents, normalised for case: "JAN NOVÁK" → "Jan Novák"; mixed case is kept. */
export function normaliseName(input: string): string {
  const s = input.trim().replace(/\s+/g, ' ');
  const letters = s.replace(/[^\p{L}]/gu, '');
  const allUpper = letters.length > 1 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
  const allLower = letters.length > 1 && letters === letters.toLowerCase() && letters !== letters.toUpperCase();
  if (!allUpper && !allLower) return s;
  return s.toLowerCase().replace(/(^|[\s'-])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toUpperCase());
}

/** An identity key (chassis serial, passport number) as typed: trimmed, upper case, spaces and dashes ignored. */
export const normaliseIdentityKey = (input: string): string => input.trim().toUpperCase().replace(/[\s-]/g, '');

export const SMS_CODE_TTL_MS = 10 * 60_000;
export const SMS_CODE_TRIES = 5;
/** Codes sent at most this many times per hold; the wait before the next grows: 60 s, 120 s, 240 s… */
export const SMS_MAX_SENDS = 4;
export const resendCooldownMs = (sends: number): number => 60_000 * 2 ** Math.max(0, sends - 1);

/** Outbox back-off: 5 s, 10 s, 20 s … capped at 5 minutes. */
export const retryDelayMs = (attempts: number): number => Math.min(5 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));

import type { HoldCheck } from '../booking.ts';
import { fail, ok } from '../result.ts';

/**
 * National ID numbers where the office forbids them (Bihor: "Este INTERZISĂ utilizarea CNP-ului"):
 * a Romanian personal numeric code (CNP) in any field the client fills in is refused.
 */

const CNP_WEIGHTS = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9] as const;

/** A CNP: 13 digits, sex/century digit 1–9, a month and day that can exist, and its check digit. */
export function isCnp(digits: string): boolean {
  if (!/^[1-9]\d{12}$/.test(digits)) return false;
  const month = Number(digits.slice(3, 5));
  const day = Number(digits.slice(5, 7));
  if (month < 1 || month > 12 || day < 1 || day > 31) return false;
  const sum = CNP_WEIGHTS.reduce((n, w, i) => n + w * Number(digits[i]), 0);
  return (sum % 11 === 10 ? 1 : sum % 11) === Number(digits[12]);
}

/** Whether a text holds a CNP: a run of exactly 13 digits (spaces, dots, dashes and slashes between digits ignored). */
export function holdsCnp(text: string): boolean {
  const runs = text.replace(/(?<=\d)[\s./-]+(?=\d)/g, '').match(/\d+/g) ?? [];
  return runs.some((r) => r.length === 13 && isCnp(r));
}

/** Refuses, where the office forbids national ID numbers, a name, e-mail (its local part), phone or identity key holding one. */
export const nationalIdCheck: HoldCheck = (ctx, deps) => {
  if (!deps.bookings.officeSettings(ctx.office.id).rules.forbidNationalIds) return ok(undefined);
  const fields: [string, string | null][] = [
    ['name', ctx.name],
    ['email', ctx.email?.split('@')[0] ?? null],
    ['phone', ctx.phone],
    ['identityKey', ctx.identityKey],
  ];
  const field = fields.find(([, value]) => value !== null && holdsCnp(value))?.[0];
  return field === undefined ? ok(undefined) : fail('NATIONAL_ID_FORBIDDEN', { field });
};

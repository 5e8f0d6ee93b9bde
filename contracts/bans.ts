import { z } from 'zod';
import { BookingOfficeParams, text } from './booking.ts';

/** Bans and the record of rule decisions (issue 6): the supervisor's API. */

const reason = text(500).pipe(z.string().trim().min(1));

export const BanParams = BookingOfficeParams.extend({ banId: z.string().min(1).max(80).regex(/^[A-Za-z0-9_.-]+$/) });

/** Who to bar: a booking number and/or the contact or identity key as the person gave them; at least one. */
export const BanBody = z.object({
  number: z.string().min(1).max(20).optional(),
  email: text(254).optional(),
  phone: text(32).optional(),
  identityKey: text(64).optional(),
  reason,
  /** Length of the ban; default the office's period for fictitious data (180 days). */
  days: z.number().int().min(1).max(3650).optional(),
});

export const LiftBody = z.object({ reason });

export const BanView = z.object({
  id: z.string(),
  kind: z.enum(['fictitious', 'no-show']),
  startsAt: z.number(),
  endsAt: z.number(),
  /** Office-local end, `YYYY-MM-DD HH:MM`. */
  until: z.string(),
  reason: z.string(),
  /** The booking not used (no-show bans). */
  bookingNumber: z.string().nullable(),
});

export const BansResponse = z.object({ bans: z.array(BanView) });
export const BanResponse = z.object({ ban: BanView, cancelled: z.array(z.string()) });

export const DecisionsQuery = z.object({ ref: z.string().trim().min(1).max(40).regex(/^[A-Za-z0-9_. -]+$/) });

export const DecisionsResponse = z.object({
  /** The booking the reference named, if it is a booking number of the office. */
  bookingNumber: z.string().nullable(),
  decisions: z.array(
    z.object({
      id: z.string(),
      at: z.number(),
      serviceId: z.string().nullable(),
      /** The refusal's error code, or the rule that acted. */
      rule: z.string(),
      outcome: z.enum(['refused', 'cancelled', 'ban-applied', 'ban-lifted']),
      bookingNumber: z.string().nullable(),
      applicationId: z.string().nullable(),
      /** Non-personal detail as JSON (a refusal's message parameters, a ban's end, the numbers cancelled). */
      detail: z.string(),
    }),
  ),
});

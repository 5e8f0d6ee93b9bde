import { z } from 'zod';
import { TicketView } from './api.ts';
import { text } from './booking.ts';

/** A booked client checks in at the kiosk: the 8-digit code typed on the keypad or scanned from the QR. */
export const KioskCheckInBody = z.object({
  code: z.string().max(32),
  /** Past the window, where the office offers it: the client takes a walk-in ticket instead. */
  walkIn: z.boolean().optional(),
});
export type KioskCheckInBodyT = z.infer<typeof KioskCheckInBody>;

export const CheckInResponse = z.object({
  ticket: TicketView,
  /** Booked arrivals of the same service booked earlier and still waiting. */
  ahead: z.number().int(),
  /** Minutes until the booked time (0 when it has come); walk-in tickets: the usual estimate. */
  estimatedWaitMin: z.number().nullable(),
  /** Office-local `HH:MM` of the booking. */
  bookedTime: z.string(),
  /** True when a late client took a walk-in ticket instead. */
  walkIn: z.boolean(),
});
export type CheckInResponseT = z.infer<typeof CheckInResponse>;

/** A clerk checks a booked client in by booking number. */
export const CounterCheckInBody = z.object({ number: z.string().min(1).max(32) });

export const CounterCheckInResponse = CheckInResponse.extend({
  serviceName: z.string(),
  /** What the clerk verifies: the name as booked, the last digits of the phone, the identity document the service asks for. */
  name: z.string(),
  phoneEnd: z.string().nullable(),
  identityLabel: z.string().nullable(),
});

/** A clerk looks up today's bookings by name (and the time the client remembers). */
export const BookingSearchQuery = z.object({
  /** Part of the name as booked (every word must occur; case and accents ignored). */
  name: text(120).pipe(z.string().trim().min(2)),
  /** Office-local `HH:MM`; bookings within ±30 minutes of it. Absent: the whole day. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM').optional(),
});
export type BookingSearchQueryT = z.infer<typeof BookingSearchQuery>;

export const BookingCandidate = z.object({
  /** The booking number: check in with it (`POST /counters/:counterId/check-in`). */
  number: z.string(),
  serviceId: z.string(),
  serviceName: z.string(),
  /** Office-local `HH:MM` of the booking. */
  time: z.string(),
  startAt: z.number(),
  /** What the clerk verifies: the name as booked, the last digits of the phone, the identity document the service asks for. */
  name: z.string(),
  phoneEnd: z.string().nullable(),
  identityLabel: z.string().nullable(),
});
export type BookingCandidateT = z.infer<typeof BookingCandidate>;

export const BookingSearchResponse = z.object({ bookings: z.array(BookingCandidate) });

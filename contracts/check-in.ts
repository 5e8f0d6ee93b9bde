import { z } from 'zod';
import { TicketView } from './api.ts';

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
  /** What the clerk verifies: the name as booked and the last digits of the phone. */
  name: z.string(),
  phoneEnd: z.string().nullable(),
});

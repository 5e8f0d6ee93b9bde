import { z } from 'zod';

/**
 * The office changes bookings it cannot keep (a closed day, shorter hours, a service removed from
 * a counter): `POST /offices/:officeId/office-change` moves them to the nearest free time of the
 * same service or cancels them; each client is told, with a calendar update and links to accept
 * the new time (`POST /booking/accept-change`) or cancel it (`POST /booking/cancel`).
 */
export const OfficeChangeParams = z.object({ officeId: z.string().min(1).max(64) });
export const OfficeChangeBody = z.strictObject({
  /** The affected bookings (as the configuration change listed them). */
  bookingIds: z.array(z.string().min(1).max(80)).max(1000),
  action: z.enum(['move', 'cancel']),
});
/**
 * Changed details: the office moves a booking to another of its services at the client's request
 * (`POST /offices/:officeId/office-change/service`); the fee follows the service — a paid one goes
 * back and, when the new service has a fee, the booking waits for it under a new order.
 */
export const ChangeServiceBody = z.strictObject({
  bookingId: z.string().min(1).max(80),
  serviceId: z.string().min(1).max(64),
});
export const ChangeServiceResponse = z.object({
  number: z.string(),
  state: z.string(),
  serviceId: z.string(),
  startAt: z.number(),
  /** The new order to pay, null when the new service is free. */
  orderNo: z.string().nullable(),
  /** The order the change closed (refunded if it was paid), null when the booking had none. */
  closedOrderNo: z.string().nullable(),
});
export const OfficeChangeResponse = z.object({
  bookings: z.array(
    z.object({
      bookingId: z.string(),
      number: z.string(),
      outcome: z.enum(['moved', 'cancelled', 'kept']),
      reason: z.enum(['not-active', 'no-free-time']).nullable(),
      fromStartAt: z.number(),
      toStartAt: z.number().nullable(),
    }),
  ),
});
export const AcceptChangeBody = z.strictObject({ token: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a valid link') });
export const AcceptChangeResponse = z.object({ number: z.string(), startAt: z.number(), acceptedAt: z.number() });
export const AcceptChangeParams = z.object({ token: AcceptChangeBody.shape.token });
/** `GET /booking/accept-change/:token`: the booking the link names, with its new time (reads only). */
export const AcceptChangePeekResponse = z.object({
  number: z.string(),
  serviceName: z.string(),
  officeName: z.string(),
  /** The new start (ms since epoch), shown in the office's time zone. */
  startAt: z.number(),
  timeZone: z.string(),
  /** When the client accepted it already, else null. */
  acceptedAt: z.number().nullable(),
});

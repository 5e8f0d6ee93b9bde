import type { BookingDeps } from './deps.ts';
import type { Booking, BookingStatusView } from './model.ts';
import { normaliseBookingNumber, normaliseEmail, normalisePhone } from './codes.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { contactHash } from './applicant.ts';
import { endBooking } from './hold.ts';
import { refundPaidOrderOf } from './fee-effects.ts';
import { message } from './notify.ts';

/**
 * A rule cancels a hold or a booking (cancel-all of an identity key, a ban for fictitious data),
 * one awaiting its payment included (the caller then closes its order, or refunds a paid one: the
 * office's rule, not the client's choice). `notify`: its contact is told, with the rule named so
 * the message can say why (only contacts that were confirmed: an unconfirmed hold's contact may
 * not be the person's).
 */
export async function cancelByRule(deps: BookingDeps, b: Booking, rule: string, now: number, notify: boolean): Promise<Booking | null> {
  if (b.state !== 'held' && b.state !== 'confirmed' && b.state !== 'awaiting_payment') return null;
  const moved = await endBooking(deps, b, b.state, now);
  if (moved !== null) await refundPaidOrderOf(deps, b.id, now);
  if (moved !== null && notify) await message(deps, moved, 'cancelled', { number: moved.number, rule }, now);
  return moved;
}

export type CancelRequest = { token: string } | { number: string; contact: string };

/** confirmed → cancelled, final; the place returns at once and the client is told. */
export async function cancelBooking(deps: BookingDeps, req: CancelRequest): Promise<Result<Booking>> {
  let b: Booking | null;
  if ('token' in req) {
    b = await deps.bookings.bookingByCancelHash(deps.keyed.hashToken(req.token));
    if (b === null) return fail('TOKEN_INVALID');
  } else {
    const number = normaliseBookingNumber(req.number);
    b = number === null ? null : await deps.bookings.bookingByNumber(number);
    const email = normaliseEmail(req.contact);
    const phone = normalisePhone(req.contact);
    const matches =
      b !== null &&
      ((email !== null && b.emailHash !== null && deps.keyed.equal(contactHash(deps.keyed, 'email', email), b.emailHash)) ||
        (phone !== null && b.phoneHash !== null && deps.keyed.equal(contactHash(deps.keyed, 'phone', phone), b.phoneHash)));
    // Number and contact must both match; which one did not is not said.
    if (b === null || !matches || b.state === 'held' || b.state === 'expired') return fail('BOOKING_NOT_FOUND');
  }
  const now = deps.clock.now();
  if (b.state === 'cancelled') return fail('BOOKING_ALREADY_CANCELLED');
  if (b.state !== 'confirmed' || b.startAt <= now) return fail('BOOKING_NOT_CANCELLABLE');
  const moved = await endBooking(deps, b, 'confirmed', now);
  if (moved === null) return fail('BOOKING_NOT_CANCELLABLE');
  await message(deps, moved, 'cancelled', { number: moved.number }, now);
  return ok(moved);
}

/** Public status by booking number: state and time, no personal data. A hold has no public number yet. */
export async function lookupBooking(deps: Pick<BookingDeps, 'bookings'>, input: string): Promise<Result<BookingStatusView>> {
  const number = normaliseBookingNumber(input);
  const b = number === null ? null : await deps.bookings.bookingByNumber(number);
  if (b === null || b.state === 'held' || b.state === 'expired') return fail('BOOKING_NOT_FOUND');
  return ok({ number: b.number, officeId: b.officeId, serviceId: b.serviceId, day: b.day, startAt: b.startAt, state: b.state });
}

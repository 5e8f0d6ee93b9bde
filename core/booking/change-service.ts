import type { BookingDeps } from './deps.ts';
import type { Booking } from './model.ts';
import { finishConfirm } from './confirm.ts';
import { reserveNearest } from './office-change.ts';
import { refundPaidOrder } from './fee-effects.ts';
import { openNextOrder } from '../fees/orders.ts';
import type { StoredOrder } from '../fees/ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * Changed details (seed 003: a registration changed after payment is refunded, then paid again):
 * the office, at the client's request, moves a booking to another of its services, and the fee
 * follows the service. The booking takes the nearest free time of that service. The order it had
 * is closed by the caller once this unit commits (refunded if paid, withdrawn if not); when the new
 * service has a fee the booking waits for it again under a new order (its own number, the
 * deadline counted from now), so a confirmed booking never stands on a fee that went back. A new
 * service without a fee leaves the booking confirmed (a waiting one is confirmed now).
 */
export interface ChangedService {
  booking: Booking;
  /** The order this change closes; null when the booking had none. */
  previous: StoredOrder | null;
  /** The new order to pay; null when the new service is free. */
  order: StoredOrder | null;
}

export async function changeBookingService(deps: BookingDeps, input: { officeId: string; bookingId: string; serviceId: string }): Promise<Result<ChangedService>> {
  const now = deps.clock.now();
  const b = await deps.bookings.booking(input.bookingId);
  if (b === null || b.officeId !== input.officeId) return fail('BOOKING_NOT_FOUND');
  if ((b.state !== 'confirmed' && b.state !== 'awaiting_payment') || b.startAt <= now) return fail('BOOKING_NOT_CHANGEABLE');
  if (b.serviceId === input.serviceId) return fail('VALIDATION_FAILED', { detail: 'serviceId' });
  const target = await deps.store.getService(input.serviceId);
  if (target === null || target.officeId !== b.officeId) return fail('SERVICE_NOT_FOUND');
  const slot = await reserveNearest(deps, input.serviceId, b, now);
  if (slot === null) return fail('DAY_SOLD_OUT');
  const fees = deps.fees;
  const previous = fees === undefined ? null : await fees.orders.byBooking(b.id);
  const fee = fees === undefined ? null : await fees.feeOf(input.serviceId);
  const to = fee === null ? b.state : 'awaiting_payment';
  const place = { serviceId: input.serviceId, slotId: slot.id, day: slot.day, startAt: slot.startAt, sequence: b.sequence + 1 };
  // Waiting for a payment again: no kiosk code, and the place held until the new deadline.
  const waiting = fee === null ? {} : { kioskCode: null, holdExpiresAt: now + fee.deadlineMin * 60_000 };
  const moved = await deps.bookings.transition(b.id, b.state, to, { ...place, ...waiting });
  if (moved === null) return fail('BOOKING_NOT_CHANGEABLE');
  await deps.bookings.free(b.slotId);
  await deps.bookings.dropReminders(b.id);
  // A paid fee goes back in this unit (the caller asks the provider after the commit).
  const closed = (await refundPaidOrder(deps, previous, now)) ?? previous;
  if (fee !== null && fees !== undefined) {
    const order = await openNextOrder(fees, { bookingId: b.id, officeId: b.officeId, serviceId: input.serviceId, fee, confirmedAt: now });
    return order.ok ? ok({ booking: moved, previous: closed, order: order.value }) : order;
  }
  if (moved.state === 'awaiting_payment') {
    const confirmed = await finishConfirm(deps, moved, 'awaiting_payment', now, {});
    return confirmed.ok ? ok({ booking: confirmed.value.booking, previous: closed, order: null }) : confirmed;
  }
  return ok({ booking: moved, previous: closed, order: null });
}

import type { BookingDeps } from './deps.ts';
import type { Booking } from './model.ts';
import { confirmPaid } from './confirm.ts';
import { message } from './notify.ts';
import { observe } from '../fees/machine.ts';
import { commitOrderStep } from '../fees/payment-events.ts';
import type { Action, Order, RefundReason } from '../fees/model.ts';
import type { StoredOrder } from '../fees/ports.ts';
import { missingCase } from '../shared/result.ts';

/**
 * The booking's part of an order's committed step, run in one unit of work: a paid order confirms
 * its booking (the confirmation carries the order number), an order whose deadline passed gives
 * the place back at once, and money that went back is told to the client with the provider's
 * references. `refund` is true when a payment came for a booking that no longer waits for it (the
 * client gave it up while the payment was under way): the caller refunds the order.
 */
export async function applyFeeEffects(deps: BookingDeps, stored: StoredOrder, effects: readonly Action[], now: number): Promise<{ refund: boolean }> {
  let refund = false;
  const order = stored.order;
  // Only the booking's newest order moves the booking: one that changed details replaced is closed,
  // and a payment still landing on it goes back (the booking waits for the new one).
  const current = deps.fees === undefined || (await deps.fees.orders.byBooking(stored.bookingId))?.order.orderNo === order.orderNo;
  for (const e of effects) {
    if (!current && (e.kind === 'confirm_booking' || e.kind === 'release_slot')) {
      if (e.kind === 'confirm_booking') refund = true;
      continue;
    }
    switch (e.kind) {
      case 'confirm_booking': {
        const confirmed = await confirmPaid(deps, stored.bookingId, order, now);
        if (confirmed === null) refund = (await deps.bookings.booking(stored.bookingId))?.state !== 'confirmed';
        break;
      }
      case 'release_slot':
        await expireUnpaid(deps, stored.bookingId, now);
        break;
      case 'notify': {
        const b = await deps.bookings.booking(stored.bookingId);
        if (b !== null) await tellRefund(deps, b, order, e.about, e.references, now);
        break;
      }
      case 'create_payment':
      case 'cancel_payment':
      case 'query_payment':
      case 'refund':
        // The provider's actions were run by processObservation; only the booking's come here.
        break;
      default:
        missingCase(e);
    }
  }
  return { refund };
}

/** The payment deadline passed unpaid: awaiting_payment → expired, the place back at once ("treated as giving up"). */
async function expireUnpaid(deps: Pick<BookingDeps, 'bookings'>, bookingId: string, now: number): Promise<void> {
  const moved = await deps.bookings.transition(bookingId, 'awaiting_payment', 'expired', { expiredAt: now });
  if (moved !== null) await deps.bookings.free(moved.slotId);
}

async function tellRefund(deps: BookingDeps, b: Booking, order: Order, about: RefundReason, references: readonly string[], now: number): Promise<void> {
  const amount = order.attempts.flatMap((a) => a.refunds).filter((r) => r.reason === about && r.state !== 'failed').reduce((s, r) => s + r.amount, 0);
  await message(deps, b, 'fee-refunded', { orderNo: order.orderNo, amount, currency: order.currency, reason: about, references: references.join(', ') }, now);
}

/**
 * The office ended or changed a paid booking (a ban, a rule, its own change): in the same unit of
 * work the order becomes refunded, its refund `requested`, and the client is told. The provider
 * is asked after the commit (the caller's reconcile), and should that never happen (a crash), the
 * reconciliation job sends the requested refund under its own key: the fee goes back exactly
 * once. Null when there was no paid order, or another writer moved it first (the caller then
 * refunds it after the commit, as before).
 */
export async function refundPaidOrder(deps: BookingDeps, stored: StoredOrder | null, now: number): Promise<StoredOrder | null> {
  if (deps.fees === undefined || stored === null || stored.order.state !== 'paid') return null;
  const step = observe(stored.order, { kind: 'office_refund', at: now });
  if (!(await commitOrderStep(deps.fees.orders, deps.store, stored, step.order, now))) return null;
  const done = { ...stored, order: step.order, version: stored.version + 1 };
  await applyFeeEffects(deps, done, step.actions.filter((a) => a.kind === 'notify'), now);
  return done;
}

/** `refundPaidOrder` for the booking's newest order. */
export async function refundPaidOrderOf(deps: BookingDeps, bookingId: string, now: number): Promise<StoredOrder | null> {
  return deps.fees === undefined ? null : refundPaidOrder(deps, await deps.fees.orders.byBooking(bookingId), now);
}

import type { BookingDeps, BookingFees } from './deps.ts';
import type { Booking } from './model.ts';
import { resendCooldownMs, SMS_MAX_SENDS } from './codes.ts';
import type { FeeData } from '../config/model.ts';
import { openOrder } from '../fees/orders.ts';
import type { Order } from '../fees/model.ts';
import type { StoredOrder } from '../fees/ports.ts';
import { localTime } from '../shared/office-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { liveHold, logBookingChange } from './hold.ts';
import { codeHash, message, sendCode } from './notify.ts';

export interface ConfirmedBooking {
  booking: Booking;
  /** Null when a rule cancelled the booking instead of confirming it, or while it awaits its payment. */
  cancelToken: string | null;
  /** Set when a confirm rule cancelled bookings instead (this one first), each told by message. */
  cancelledByRule?: readonly Booking[];
  /** A fee-paying booking's order, opened at this confirmation: the booking is `awaiting_payment`. */
  order?: StoredOrder;
}

/**
 * The contact is confirmed: a free service's booking is confirmed now; a fee-paying one waits for
 * its payment (`awaiting_payment`), its place held until the order's deadline instead of the
 * hold's, and its order opened in the same unit of work.
 */
async function confirm(deps: BookingDeps, b: Booking, now: number): Promise<Result<ConfirmedBooking>> {
  for (const rule of deps.onConfirm ?? []) {
    const cancelled = await rule(b, deps, now);
    if (cancelled !== null && cancelled.length > 0) return ok({ booking: cancelled[0]!, cancelToken: null, cancelledByRule: cancelled });
  }
  const fee = deps.fees === undefined ? null : await deps.fees.feeOf(b.serviceId);
  if (fee !== null && deps.fees !== undefined) return awaitPayment(deps, deps.fees, b, fee, now);
  return finishConfirm(deps, b, 'held', now, {});
}

async function awaitPayment(deps: BookingDeps, fees: BookingFees, b: Booking, fee: FeeData, now: number): Promise<Result<ConfirmedBooking>> {
  // The hold's expiry no longer applies (the sweep of lapsed holds looks at `held` only); the deadline is shown in its place.
  const moved = await deps.bookings.transition(b.id, 'held', 'awaiting_payment', { holdExpiresAt: now + fee.deadlineMin * 60_000 });
  if (moved === null) return fail('HOLD_NOT_HELD');
  await deps.bookings.deleteSmsCode(b.id);
  const order = await openOrder({ orders: fees.orders, ids: fees.ids }, { bookingId: b.id, officeId: b.officeId, serviceId: b.serviceId, fee, confirmedAt: now });
  if (!order.ok) return order;
  return ok({ booking: moved, cancelToken: null, order: order.value });
}

/**
 * → confirmed: booking number shown, kiosk code drawn, confirmation and reminder queued. From
 * `held` for a free service; from `awaiting_payment` once its order is paid (`orderNo` then rides
 * in the messages, so the client can trace the payment).
 */
export async function finishConfirm(deps: BookingDeps, b: Booking, from: 'held' | 'awaiting_payment', now: number, extra: Record<string, string | number>): Promise<Result<ConfirmedBooking>> {
  // A code stays reserved until the end of its booking's day, used or not: a code typed today names one booking.
  const office = await deps.store.getOffice(b.officeId);
  const today = office === null ? b.day : localTime(office.timeZone, now).date;
  let kioskCode = deps.secrets.digits(8);
  while (await deps.bookings.kioskCodeInUse(b.officeId, kioskCode, today)) kioskCode = deps.secrets.digits(8);
  const cancelToken = deps.secrets.token();
  const moved = await deps.bookings.transition(b.id, from, 'confirmed', {
    confirmedAt: now,
    kioskCode,
    cancelHash: deps.keyed.hashToken(cancelToken),
  });
  if (moved === null) return fail('HOLD_NOT_HELD');
  await deps.bookings.deleteSmsCode(b.id);
  await logBookingChange(deps, moved, now);
  const cancelUrl = `${deps.publicUrl}/portal/?cancel=${cancelToken}`;
  const lookupUrl = `${deps.publicUrl}/portal/?number=${moved.number}`;
  const params = { number: moved.number, kioskCode, cancelUrl, lookupUrl, bookingId: moved.id, ...extra };
  for (const channel of ['email', 'sms'] as const) {
    await message(deps, moved, 'confirmed', params, now, channel);
    const dayBefore = moved.startAt - 24 * 3600_000;
    if (dayBefore > now) await message(deps, moved, 'reminder', params, dayBefore, channel);
  }
  return ok({ booking: moved, cancelToken });
}

/** The booking's order was paid: awaiting_payment → confirmed. Null when the booking no longer waits (it was given up meanwhile). */
export async function confirmPaid(deps: BookingDeps, bookingId: string, order: Pick<Order, 'orderNo' | 'amount' | 'currency'>, now: number): Promise<Booking | null> {
  const b = await deps.bookings.booking(bookingId);
  if (b?.state !== 'awaiting_payment') return null;
  const r = await finishConfirm(deps, b, 'awaiting_payment', now, { orderNo: order.orderNo, amount: order.amount, currency: order.currency });
  return r.ok ? r.value.booking : null;
}

export type TokenPeek =
  | { kind: 'valid'; serviceId: string; startAt: number }
  /**
   * The link did its work. `booking` is the booking it confirmed while that booking stands
   * (awaiting its payment, confirmed, checked in, done): a double tap or a re-opened link shows it again to the link's
   * holder, the same details the first confirmation answered. Null otherwise.
   */
  | { kind: 'used'; booking: Booking | null }
  | { kind: 'expired' }
  | { kind: 'unknown' };

const STANDING: ReadonlySet<Booking['state']> = new Set(['awaiting_payment', 'confirmed', 'checked_in', 'done']);

/** What the e-mail link's page shows before the client presses Confirm (nothing consumed). */
export async function peekConfirmToken(deps: BookingDeps, token: string): Promise<TokenPeek> {
  const now = deps.clock.now();
  const t = await deps.bookings.peekToken(deps.keyed.hashToken(token), 'confirm', now);
  if (t.kind === 'expired' || t.kind === 'unknown') return t;
  const b = await deps.bookings.booking(t.bookingId);
  if (b === null) return { kind: 'unknown' };
  if (t.kind === 'used' || STANDING.has(b.state)) return { kind: 'used', booking: STANDING.has(b.state) ? b : null };
  if (b.state !== 'held' || b.holdExpiresAt <= now) return { kind: 'expired' };
  return { kind: 'valid', serviceId: b.serviceId, startAt: b.startAt };
}

/** The POST behind the e-mail link's Confirm button: consumes the single-use token. */
export async function confirmByLink(deps: BookingDeps, token: string): Promise<Result<ConfirmedBooking>> {
  const now = deps.clock.now();
  const t = await deps.bookings.consumeToken(deps.keyed.hashToken(token), 'confirm', now);
  switch (t.kind) {
    case 'unknown':
      return fail('TOKEN_INVALID');
    case 'used':
      return fail('TOKEN_USED');
    case 'expired':
      return fail('TOKEN_EXPIRED');
    case 'valid':
      break;
  }
  const b = await deps.bookings.booking(t.bookingId);
  if (b === null) return fail('TOKEN_INVALID');
  if (b.state !== 'held' || b.holdExpiresAt <= now) return fail('HOLD_EXPIRED');
  return confirm(deps, b, now);
}

/** A code check: a wrong code is a committed outcome (the try is spent), not a rolled-back failure. */
export type CodeOutcome = { kind: 'confirmed'; confirmed: ConfirmedBooking } | { kind: 'wrong'; triesLeft: number };

export async function confirmByCode(deps: BookingDeps, holdKey: string, code: string): Promise<Result<CodeOutcome>> {
  const r = await liveHold(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  const now = deps.clock.now();
  const c = await deps.bookings.smsCode(b.id);
  if (c === null) return fail('CODE_EXPIRED');
  if (c.triesLeft <= 0) return fail('CODE_LOCKED');
  if (c.expiresAt <= now) return fail('CODE_EXPIRED');
  if (!/^\d{6}$/.test(code) || !deps.keyed.equal(codeHash(deps.keyed, b.id, code), c.codeHash)) {
    return ok({ kind: 'wrong', triesLeft: await deps.bookings.spendTry(b.id) });
  }
  const confirmed = await confirm(deps, b, now);
  if (!confirmed.ok) return confirmed;
  return ok({ kind: 'confirmed', confirmed: confirmed.value });
}

/** A new code, after a growing cool-down, a few times per hold. */
export async function resendCode(deps: BookingDeps, holdKey: string): Promise<Result<{ resendAfter: number; }>> {
  const r = await liveHold(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.channel !== 'sms') return fail('CONFIRM_CHANNEL_UNAVAILABLE');
  const now = deps.clock.now();
  const c = await deps.bookings.smsCode(b.id);
  const sends = c?.sends ?? 1;
  if (c !== null && c.resendAfter > now) return fail('CODE_RESEND_TOO_SOON', { seconds: Math.ceil((c.resendAfter - now) / 1000) });
  if (sends >= SMS_MAX_SENDS) return fail('CODE_LOCKED');
  await sendCode(deps, b, sends + 1, now);
  return ok({ resendAfter: now + resendCooldownMs(sends + 1) });
}

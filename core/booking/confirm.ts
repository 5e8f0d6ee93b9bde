import type { BookingDeps } from './deps.ts';
import type { Booking } from './model.ts';
import { resendCooldownMs, SMS_MAX_SENDS } from './codes.ts';
import { localTime } from '../shared/office-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { liveHold, logBookingChange } from './hold.ts';
import { codeHash, message, sendCode } from './notify.ts';

export interface ConfirmedBooking {
  booking: Booking;
  /** Null when a rule cancelled the booking instead of confirming it. */
  cancelToken: string | null;
  /** Set when a confirm rule cancelled bookings instead (this one first), each told by message. */
  cancelledByRule?: readonly Booking[];
}

/** held → confirmed: booking number shown, kiosk code drawn, confirmation and reminder queued. */
async function confirm(deps: BookingDeps, b: Booking, now: number): Promise<Result<ConfirmedBooking>> {
  for (const rule of deps.onConfirm ?? []) {
    const cancelled = await rule(b, deps, now);
    if (cancelled !== null && cancelled.length > 0) return ok({ booking: cancelled[0]!, cancelToken: null, cancelledByRule: cancelled });
  }
  // A code stays reserved until the end of its booking's day, used or not: a code typed today names one booking.
  const office = await deps.store.getOffice(b.officeId);
  const today = office === null ? b.day : localTime(office.timeZone, now).date;
  let kioskCode = deps.secrets.digits(8);
  while (await deps.bookings.kioskCodeInUse(b.officeId, kioskCode, today)) kioskCode = deps.secrets.digits(8);
  const cancelToken = deps.secrets.token();
  const moved = await deps.bookings.transition(b.id, 'held', 'confirmed', {
    confirmedAt: now,
    kioskCode,
    cancelHash: deps.keyed.hashToken(cancelToken),
  });
  if (moved === null) return fail('HOLD_NOT_HELD');
  await deps.bookings.deleteSmsCode(b.id);
  await logBookingChange(deps, moved, now);
  const cancelUrl = `${deps.publicUrl}/portal/?cancel=${cancelToken}`;
  const lookupUrl = `${deps.publicUrl}/portal/?number=${moved.number}`;
  const params = { number: moved.number, kioskCode, cancelUrl, lookupUrl, bookingId: moved.id };
  for (const channel of ['email', 'sms'] as const) {
    await message(deps, moved, 'confirmed', params, now, channel);
    const dayBefore = moved.startAt - 24 * 3600_000;
    if (dayBefore > now) await message(deps, moved, 'reminder', params, dayBefore, channel);
  }
  return ok({ booking: moved, cancelToken });
}

export type TokenPeek =
  | { kind: 'valid'; serviceId: string; startAt: number }
  /**
   * The link did its work. `booking` is the booking it confirmed while that booking stands
   * (confirmed, checked in, done): a double tap or a re-opened link shows it again to the link's
   * holder, the same details the first confirmation answered. Null otherwise.
   */
  | { kind: 'used'; booking: Booking | null }
  | { kind: 'expired' }
  | { kind: 'unknown' };

const STANDING: ReadonlySet<Booking['state']> = new Set(['confirmed', 'checked_in', 'done']);

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

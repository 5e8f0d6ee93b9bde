import type { BookingDeps, HoldRequest } from './deps.ts';
import { NOTHING_HAPPENED_YET, type Booking, type BookingState, type Slot } from './model.ts';
import type { Language } from '../shared/model.ts';
import { dayStatus } from './release.ts';
import { fail, ok, type DomainError, type Result } from '../shared/result.ts';
import { bookable, daySlots, dayStatusError, offeredAt, parseSlotId, type Bookable } from './availability.ts';
import { sealedContact, vetApplicant } from './applicant.ts';
import { sendConfirmation } from './notify.ts';

export interface HeldBooking {
  booking: Booking;
  /** The client's secret for this hold (confirm by code, extend, release, see the result). */
  holdKey: string;
}

export async function newBookingNumber(deps: BookingDeps): Promise<string> {
  for (;;) {
    const n = deps.secrets.bookingNumber();
    if (await deps.bookings.bookingByNumber(n) === null) return n;
  }
}

/** Ends a hold that ran out: the slot's place returns at once. */
export async function expireHold(deps: Pick<BookingDeps, 'bookings'>, b: Booking, now: number): Promise<boolean> {
  const moved = await deps.bookings.transition(b.id, 'held', 'expired', { expiredAt: now });
  if (moved === null) return false;
  await deps.bookings.free(b.slotId);
  await deps.bookings.deleteSmsCode(b.id);
  return true;
}

/** The sweep: expires holds that ran out (the host runs it every few seconds). */
export async function sweepLapsedHolds(deps: Pick<BookingDeps, 'bookings' | 'clock'>, limit = 500): Promise<number> {
  const now = deps.clock.now();
  let n = 0;
  for (const b of await deps.bookings.lapsedHolds(now, limit)) if (await expireHold(deps, b, now)) n++;
  return n;
}

/**
 * Whether the day still has a free place on offer: the store's answer first (one cached read, and
 * during a release rush it is mostly "no"), then, only when it says yes, whether that place lies
 * inside the hours in force rather than in a slot stored under older hours.
 */
async function anyFreePlace(deps: BookingDeps, b: Bookable, day: string): Promise<boolean> {
  if (!(await deps.bookings.hasFreePlace(b.service.id, day))) return false;
  return (await daySlots(deps, b, day)).some((s) => s.taken < s.places);
}

/** What a hold attempt is for, once the service, day and slot have been found open. */
interface HoldTarget extends Bookable {
  day: string;
  slot: Slot | null;
  now: number;
}

/**
 * The checks of an attempt that need nothing but reads: the service takes bookings, the day is
 * open, the channel is offered, and the slot exists (null before the day's first hold, when its
 * slots are not stored yet). A full slot whose holds have not run out is refused here too.
 */
async function holdTarget(deps: BookingDeps, req: Pick<HoldRequest, 'slotId' | 'channel'> & { language?: Language }): Promise<Result<HoldTarget>> {
  const parsed = parseSlotId(req.slotId);
  if (parsed === null) return fail('SLOT_NOT_FOUND');
  const bk = await bookable(deps, parsed.serviceId, req.language);
  if (!bk.ok) return bk;
  const { office, policy, service } = bk.value;
  if (policy.allocation === 'draw') return fail('BOOKING_BY_DRAW');
  const now = deps.clock.now();
  const status = dayStatus(policy, office, parsed.day, now, service);
  if (status.kind !== 'open') return dayStatusError(status, office, policy);
  if (!policy.confirmBy.includes(req.channel)) return fail('CONFIRM_CHANNEL_UNAVAILABLE');
  const slot = await deps.bookings.slot(req.slotId);
  // A time stored before the hours changed is no longer sold, though its row remains.
  if (!offeredAt(bk.value, parsed.day, parsed.startMin, slot)) return fail('SLOT_OUTSIDE_HOURS');
  if (slot !== null && (slot.startAt <= now || slot.serviceId !== parsed.serviceId)) return fail('SLOT_NOT_FOUND');
  if (slot !== null && slot.taken >= slot.places && !await deps.bookings.hasLapsedHold(slot.id, now)) {
    return fail(await anyFreePlace(deps, bk.value, parsed.day) ? 'SLOT_TAKEN' : 'DAY_SOLD_OUT');
  }
  return ok({ ...bk.value, day: parsed.day, slot, now });
}

/**
 * The refusal a hold attempt would get for reasons that need no write (closed day, unknown or
 * full slot, sold-out day), or null. Read outside the unit of work: during a release rush most
 * attempts end here, answered without waiting for a group commit. Whatever passes is checked
 * again, atomically, by `holdSlot`.
 */
export async function holdRefusal(deps: BookingDeps, req: Pick<HoldRequest, 'slotId' | 'channel'> & { language?: Language }): Promise<DomainError | null> {
  const t = await holdTarget(deps, req);
  return t.ok ? null : t.error;
}

/**
 * Holds a place (first come, first served): checks the service, day and contact, runs the
 * checks, then takes the place with one conditional update. The confirmation (link or code)
 * goes to the outbox in the same transaction.
 */
export async function holdSlot(deps: BookingDeps, req: HoldRequest): Promise<Result<HeldBooking>> {
  const target = await holdTarget(deps, req);
  if (!target.ok) return target;
  const { office, service, policy, day, now } = target.value;

  const vetted = await vetApplicant(deps, { office, service, policy, day, slotId: req.slotId, now }, req);
  if (!vetted.ok) return vetted;
  const ctx = vetted.value;

  let slot = target.value.slot;
  if (slot === null) {
    // The day's first hold stores its slots (from then on their places are fixed), and so does
    // the first hold in time opened since: only the missing slots are added.
    await deps.bookings.ensureSlots(service.id, day, await daySlots(deps, target.value, day));
    slot = await deps.bookings.slot(req.slotId);
    if (slot === null || slot.startAt <= now) return fail('SLOT_NOT_FOUND');
  }
  let reserved = await deps.bookings.reserve(slot.id);
  if (!reserved) {
    // Lazily: holds of this slot that ran out free their places before we say it is taken.
    let freed = false;
    for (const b of await deps.bookings.lapsedHolds(now, 1000, slot.id)) freed = await expireHold(deps, b, now) || freed;
    reserved = freed && await deps.bookings.reserve(slot.id);
  }
  if (!reserved) return fail(await anyFreePlace(deps, target.value, day) ? 'SLOT_TAKEN' : 'DAY_SOLD_OUT');

  const holdKey = deps.secrets.token();
  const holdMs = policy.holdMin * 60_000;
  const booking: Booking = {
    id: deps.secrets.id(),
    number: await newBookingNumber(deps),
    officeId: office.id,
    serviceId: service.id,
    slotId: slot.id,
    day,
    startAt: slot.startAt,
    state: 'held',
    language: req.language,
    channel: req.channel,
    ...sealedContact(deps, ctx),
    holdKeyHash: deps.keyed.hashToken(holdKey),
    holdExpiresAt: now + holdMs,
    holdExtended: false,
    createdAt: now,
    ...NOTHING_HAPPENED_YET,
  };
  await deps.bookings.insertBooking(booking);
  await sendConfirmation(deps, booking, now);
  return ok({ booking, holdKey });
}

export async function heldBy(deps: BookingDeps, holdKey: string): Promise<Result<Booking>> {
  const b = await deps.bookings.bookingByHoldKey(deps.keyed.hashToken(holdKey));
  if (b === null) return fail('HOLD_NOT_FOUND');
  return ok(b);
}

export async function liveHold(deps: BookingDeps, holdKey: string): Promise<Result<Booking>> {
  const r = await heldBy(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.state === 'expired' || (b.state === 'held' && b.holdExpiresAt <= deps.clock.now())) return fail('HOLD_EXPIRED');
  if (b.state !== 'held') return fail('HOLD_NOT_HELD');
  return ok(b);
}

/**
 * Ends a live hold or a confirmed booking: the place returns at once, any code dies (its reminders
 * go with the move out of `confirmed`). Null when it was no longer in `from`.
 */
export async function endBooking(deps: Pick<BookingDeps, 'bookings' | 'store'>, b: Booking, from: BookingState, now: number): Promise<Booking | null> {
  const moved = await deps.bookings.transition(b.id, from, 'cancelled', { cancelledAt: now });
  if (moved === null) return null;
  await deps.bookings.free(moved.slotId);
  await deps.bookings.deleteSmsCode(moved.id);
  // A hold that ends was never a booking anyone else was told about.
  if (from === 'confirmed') await logBookingChange(deps, moved, now);
  return moved;
}

/** `booking:changed` in the log of the booking's office: what other systems hear of (webhooks). */
export async function logBookingChange(deps: Pick<BookingDeps, 'store'>, b: Booking, now: number): Promise<void> {
  if (b.state !== 'confirmed' && b.state !== 'cancelled') return;
  await deps.store.appendEvent({ type: 'booking:changed', officeId: b.officeId, payload: { bookingId: b.id, number: b.number, serviceId: b.serviceId, startAt: b.startAt, state: b.state } }, now);
}

/** One extension of the hold, by its full length, while it is still live. */
export async function extendHold(deps: BookingDeps, holdKey: string): Promise<Result<Booking>> {
  const r = await liveHold(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.holdExtended) return fail('HOLD_ALREADY_EXTENDED');
  const policy = await deps.bookings.policy(b.serviceId);
  const holdMs = (policy?.holdMin ?? 15) * 60_000;
  const moved = await deps.bookings.transition(b.id, 'held', 'held', { holdExtended: true, holdExpiresAt: b.holdExpiresAt + holdMs });
  return moved === null ? fail('HOLD_NOT_HELD') : ok(moved);
}

/**
 * The client gives the hold up (leaves the form), or a booking still awaiting its payment (the
 * caller then closes its order): the place returns at once.
 */
export async function releaseHold(deps: BookingDeps, holdKey: string): Promise<Result<Booking>> {
  const waiting = await heldBy(deps, holdKey);
  if (waiting.ok && waiting.value.state === 'awaiting_payment') {
    const moved = await endBooking(deps, waiting.value, 'awaiting_payment', deps.clock.now());
    return moved === null ? fail('HOLD_NOT_HELD') : ok(moved);
  }
  const r = await liveHold(deps, holdKey);
  if (!r.ok) return r;
  const moved = await endBooking(deps, r.value, 'held', deps.clock.now());
  return moved === null ? fail('HOLD_NOT_HELD') : ok(moved);
}

/** The hold as its holder sees it (the confirmed booking, kiosk code included, once confirmed). */
export async function holdView(deps: BookingDeps, holdKey: string): Promise<Result<Booking>> {
  const r = await heldBy(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.state === 'held' && b.holdExpiresAt <= deps.clock.now()) return ok({ ...b, state: 'expired' });
  return ok(b);
}

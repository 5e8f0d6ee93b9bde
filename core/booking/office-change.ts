import type { BookingDeps } from './deps.ts';
import type { Booking, Slot } from './model.ts';
import { bookable, daySlots } from './availability.ts';
import { endBooking } from './hold.ts';
import { refundPaidOrderOf } from './fee-effects.ts';
import { message } from './notify.ts';
import { addDays, dayStatus } from './release.ts';
import { freePlaces } from '../queue/capacity.ts';
import { localTime } from '../shared/office-time.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * The office changes bookings it can no longer keep (a day closed, hours shortened, a counter's
 * service removed): the admin moves them to the nearest free time of the same service, or cancels
 * them. Each client is told in their language with a calendar update (same event, SEQUENCE + 1;
 * a cancellation cancels the event) and links to accept the new time or cancel it. The list of
 * bookings comes from the caller (the configuration change that affects them).
 */

export type OfficeChangeAction = 'move' | 'cancel';

export interface OfficeChangeOutcome {
  bookingId: string;
  number: string;
  /** `kept`: nothing done (not an active booking of this office, or no free time to move it to). */
  outcome: 'moved' | 'cancelled' | 'kept';
  reason: 'not-active' | 'no-free-time' | null;
  fromStartAt: number;
  toStartAt: number | null;
}

/**
 * The free slot of `serviceId` nearest in time to `b`, on a day open for booking now, inside the
 * service's own hours (`daySlots` offers none of a day's stored slots that lie outside them).
 * `claimed`: places a preview has already promised to other bookings, by slot id.
 */
async function nearestFreeSlot(deps: BookingDeps, serviceId: string, b: Booking, now: number, claimed: ReadonlyMap<string, number> = new Map()): Promise<Slot | null> {
  const found = await bookable(deps, serviceId);
  if (!found.ok) return null;
  const { office, policy, service } = found.value;
  const today = localTime(office.timeZone, now).date;
  let best: Slot | null = null;
  for (let ahead = 0; ahead <= policy.horizonDays; ahead++) {
    const day = addDays(today, ahead);
    if (dayStatus(policy, office, day, now, service).kind !== 'open') continue;
    for (const s of await daySlots(deps, found.value, day)) {
      if (s.id === b.slotId || s.startAt <= now || freePlaces(s) - (claimed.get(s.id) ?? 0) <= 0) continue;
      if (best === null || Math.abs(s.startAt - b.startAt) < Math.abs(best.startAt - b.startAt)) best = s;
    }
  }
  return best;
}

/**
 * `previousStartAt` rides in the accept link (the booking keeps only its new time), so the page
 * shows what changed; so does the client's language, which the page then speaks.
 */
function links(deps: BookingDeps, b: Booking, cancelToken: string, previousStartAt: number): Record<string, string> {
  return {
    cancelUrl: `${deps.publicUrl}/portal/?cancel=${cancelToken}`,
    acceptUrl: `${deps.publicUrl}/portal/?accept=${cancelToken}&was=${previousStartAt}&lang=${b.language}`,
    lookupUrl: `${deps.publicUrl}/portal/?number=${b.number}`,
  };
}

/** Takes a place in the free slot of `serviceId` nearest in time to `b` (stored first if it is not yet: a new day, or time opened since); null when there is none. */
export async function reserveNearest(deps: BookingDeps, serviceId: string, b: Booking, now: number): Promise<Slot | null> {
  const slot = await nearestFreeSlot(deps, serviceId, b, now);
  if (slot === null) return null;
  if ((await deps.bookings.slot(slot.id)) === null) {
    const found = await bookable(deps, serviceId);
    if (found.ok) await deps.bookings.ensureSlots(slot.serviceId, slot.day, await daySlots(deps, found.value, slot.day));
  }
  return (await deps.bookings.reserve(slot.id)) ? slot : null;
}

async function move(deps: BookingDeps, b: Booking, now: number): Promise<OfficeChangeOutcome> {
  const kept: OfficeChangeOutcome = { bookingId: b.id, number: b.number, outcome: 'kept', reason: 'no-free-time', fromStartAt: b.startAt, toStartAt: null };
  const slot = await reserveNearest(deps, b.serviceId, b, now);
  if (slot === null) return kept;
  // A new link: the old one (in mails already sent) names the old time.
  const cancelToken = deps.secrets.token();
  let kioskCode = b.kioskCode ?? deps.secrets.digits(8);
  if (slot.day !== b.day) while (await deps.bookings.kioskCodeInUse(b.officeId, kioskCode, slot.day)) kioskCode = deps.secrets.digits(8);
  const moved = await deps.bookings.transition(b.id, 'confirmed', 'confirmed', {
    slotId: slot.id,
    day: slot.day,
    startAt: slot.startAt,
    kioskCode,
    cancelHash: deps.keyed.hashToken(cancelToken),
    sequence: b.sequence + 1,
    changeAcceptedAt: null,
  });
  if (moved === null) {
    await deps.bookings.free(slot.id);
    return { ...kept, reason: 'not-active' };
  }
  await deps.bookings.free(b.slotId);
  await deps.bookings.dropReminders(b.id);
  // A paid fee moves with the booking (same booking, same order); only the office's cancellation refunds it.
  const params = { number: moved.number, kioskCode, bookingId: moved.id, sequence: moved.sequence, previousStartAt: b.startAt, ...links(deps, moved, cancelToken, b.startAt) };
  const dayBefore = moved.startAt - 24 * 3600_000;
  for (const channel of ['email', 'sms'] as const) {
    await message(deps, moved, 'changed', params, now, channel);
    if (dayBefore > now) await message(deps, moved, 'reminder', params, dayBefore, channel);
  }
  return { ...kept, outcome: 'moved', reason: null, toStartAt: moved.startAt };
}

async function cancel(deps: BookingDeps, b: Booking, now: number): Promise<OfficeChangeOutcome> {
  const ended = await endBooking(deps, b, 'confirmed', now);
  const base = { bookingId: b.id, number: b.number, fromStartAt: b.startAt, toStartAt: null };
  if (ended === null) return { ...base, outcome: 'kept', reason: 'not-active' };
  await refundPaidOrderOf(deps, b.id, now);
  const sequence = b.sequence + 1;
  await deps.bookings.transition(b.id, 'cancelled', 'cancelled', { sequence });
  for (const channel of ['email', 'sms'] as const) {
    await message(deps, { ...ended, sequence }, 'cancelled', { number: b.number, rule: 'office', bookingId: b.id, sequence }, now, channel);
  }
  return { ...base, outcome: 'cancelled', reason: null };
}

/** What `move` or `cancel` would do, writing nothing: the time a move would take (two bookings are never promised one last place). */
async function propose(deps: BookingDeps, b: Booking, action: OfficeChangeAction, now: number, claimed: Map<string, number>): Promise<OfficeChangeOutcome> {
  const base = { bookingId: b.id, number: b.number, fromStartAt: b.startAt };
  if (action === 'cancel') return { ...base, outcome: 'cancelled', reason: null, toStartAt: null };
  const slot = await nearestFreeSlot(deps, b.serviceId, b, now, claimed);
  if (slot === null) return { ...base, outcome: 'kept', reason: 'no-free-time', toStartAt: null };
  claimed.set(slot.id, (claimed.get(slot.id) ?? 0) + 1);
  return { ...base, outcome: 'moved', reason: null, toStartAt: slot.startAt };
}

/**
 * Moves or cancels the given bookings of an office, in one transaction (`preview`: says what it
 * would do, and writes nothing). Only confirmed bookings
 * of this office are changed (others are reported `kept`, `not-active`); a live hold is simply
 * ended (its contact is not confirmed yet, so it is not written to). A booking with no free time
 * left within the horizon stays as it is (`no-free-time`): the admin may cancel it instead.
 */
export async function changeBookingsByOffice(
  deps: BookingDeps,
  input: { officeId: string; bookingIds: readonly string[]; action: OfficeChangeAction; preview?: boolean },
): Promise<Result<OfficeChangeOutcome[]>> {
  const now = deps.clock.now();
  const out: OfficeChangeOutcome[] = [];
  const claimed = new Map<string, number>();
  for (const id of new Set(input.bookingIds)) {
    const b = await deps.bookings.booking(id);
    if (b === null || b.officeId !== input.officeId) {
      out.push({ bookingId: id, number: '', outcome: 'kept', reason: 'not-active', fromStartAt: 0, toStartAt: null });
      continue;
    }
    // Not a booking yet (its contact or its payment still to come): simply ended; the caller closes a waiting order.
    if ((b.state === 'held' && b.holdExpiresAt > now) || b.state === 'awaiting_payment') {
      const ended = input.preview === true ? b : await endBooking(deps, b, b.state, now);
      out.push({ bookingId: b.id, number: b.number, outcome: ended === null ? 'kept' : 'cancelled', reason: ended === null ? 'not-active' : null, fromStartAt: b.startAt, toStartAt: null });
      continue;
    }
    if (b.state !== 'confirmed') {
      out.push({ bookingId: b.id, number: b.number, outcome: 'kept', reason: 'not-active', fromStartAt: b.startAt, toStartAt: null });
      continue;
    }
    if (input.preview === true) out.push(await propose(deps, b, input.action, now, claimed));
    else out.push(input.action === 'move' ? await move(deps, b, now) : await cancel(deps, b, now));
  }
  return ok(out);
}

/** The booking an office-change link names, while its new time can still be accepted (reads only: mail scanners open links). */
export async function peekOfficeChange(deps: Pick<BookingDeps, 'bookings' | 'keyed'>, token: string): Promise<Result<Booking>> {
  const b = await deps.bookings.bookingByCancelHash(deps.keyed.hashToken(token));
  if (b === null) return fail('TOKEN_INVALID');
  if (b.state !== 'confirmed' || b.sequence === 0) return fail('BOOKING_NOT_CANCELLABLE');
  return ok(b);
}

/** The client accepts the office's change through the link of its message (the booking's cancel token). */
export async function acceptOfficeChange(deps: BookingDeps, token: string): Promise<Result<Booking>> {
  const peek = await peekOfficeChange(deps, token);
  if (!peek.ok) return peek;
  const b = peek.value;
  const accepted = await deps.bookings.transition(b.id, 'confirmed', 'confirmed', { changeAcceptedAt: deps.clock.now() });
  return accepted === null ? fail('BOOKING_NOT_CANCELLABLE') : ok(accepted);
}

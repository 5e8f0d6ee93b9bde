import type { Booking, RuleDecision } from '../booking/model.ts';
import { cancelByRule } from '../booking/cancel.ts';
import type { BookingDeps } from '../booking/deps.ts';
import { normaliseBookingNumber } from '../booking/codes.ts';

/**
 * The record of what rules decided about people (issue 6): refusals (recorded by the edge from the
 * refused attempt, see `runChecks`), cancellations, bans applied and lifted. Hashes only, never
 * clear personal data; staff read it to answer "why was I refused?".
 */

/** The fields of a decision that name a booking and its person. */
export const aboutBooking = (b: Booking): Pick<RuleDecision, 'officeId' | 'serviceId' | 'bookingId' | 'applicationId' | 'emailHash' | 'phoneHash' | 'identityHash'> => ({
  officeId: b.officeId,
  serviceId: b.serviceId,
  bookingId: b.id,
  applicationId: null,
  emailHash: b.emailHash,
  phoneHash: b.phoneHash,
  identityHash: b.identityHash,
});

/**
 * A rule cancels bookings: each is ended (its place returns), its contact told by message when
 * `notify` says so, and the cancellation recorded with `detail`. Returns those it cancelled.
 */
export async function cancelForRule(
  deps: BookingDeps,
  bookings: readonly Booking[],
  rule: string,
  now: number,
  notify: (b: Booking) => boolean,
  detail: (cancelled: readonly Booking[]) => string,
): Promise<Booking[]> {
  const cancelled: Booking[] = [];
  for (const b of bookings) {
    const c = await cancelByRule(deps, b, rule, now, notify(b));
    if (c !== null) cancelled.push(c);
  }
  const text = detail(cancelled);
  for (const b of cancelled) await deps.bookings.recordDecision({ id: deps.secrets.id(), ...aboutBooking(b), rule, outcome: 'cancelled', detail: text, at: now });
  return cancelled;
}

/**
 * What rules decided about a booking (by its number) or an attempt (the reference a refused client
 * was given, or a draw application's id), oldest first; only decisions of the staff member's office.
 */
export async function decisionsAbout(deps: Pick<BookingDeps, 'bookings'>, officeId: string, ref: string): Promise<{ bookingNumber: string | null; decisions: RuleDecision[]; }> {
  const number = normaliseBookingNumber(ref);
  const booking = number === null ? null : await deps.bookings.bookingByNumber(number);
  const own = booking !== null && booking.officeId === officeId ? booking : null;
  const decisions = (await deps.bookings
    .decisionsAbout({ ...(own === null ? {} : { bookingId: own.id }), attemptId: number ?? ref.trim() }))
    .filter((d) => d.officeId === officeId);
  return { bookingNumber: own?.number ?? null, decisions };
}

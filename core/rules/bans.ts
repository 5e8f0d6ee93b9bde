import type { Ban, Booking, NoShowRecord, PersonHashes } from '../booking/model.ts';
import { contactHash, identityHashes, personOf } from '../booking/applicant.ts';
import { formatLocal } from '../booking/availability.ts';
import { message } from '../booking/notify.ts';
import type { BookingDeps, HoldCheck } from '../booking/deps.ts';
import { normaliseBookingNumber, normaliseEmail, normaliseIdentityKey, normalisePhone } from '../booking/codes.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { aboutBooking, cancelForRule } from './decisions.ts';

/**
 * Bans (Bihor: a no-show may not book online for 30 days, fictitious data for 180 days and loses
 * every booking). A ban is per person: it matches by e-mail, phone or identity-key hash, in one
 * office. No-show bans follow from the recorded no-shows and the office's period (0 = off);
 * fictitious-data bans are set by staff with a reason. A banned attempt is refused with the end.
 */

export const DAY_MS = 86_400_000;
export const BAN_RULE = 'ban';
export const NO_SHOW_BAN_RULE = 'no-show-ban';
/** Id of the ban a no-show causes (lifting it excuses the no-show). */
export const NO_SHOW_BAN_PREFIX = 'no-show.';

/** The end of the latest ban on the person in force at `now`, or null when they may book. */
export async function banEnd(deps: Pick<BookingDeps, 'bookings'>, officeId: string, person: PersonHashes, now: number): Promise<number | null> {
  let end: number | null = null;
  for (const b of await deps.bookings.bansOf(officeId, person, now)) end = Math.max(end ?? 0, b.endsAt);
  const period = (await deps.bookings.officeSettings(officeId)).rules.noShowBanDays * DAY_MS;
  const latest = period > 0 ? (await deps.bookings.noShowsOf(officeId, person, now - period))[0] : undefined;
  if (latest !== undefined) end = Math.max(end ?? 0, latest.at + period);
  return end;
}

/** Refuses a banned person, saying until when (office time). */
export const banCheck: HoldCheck = async (ctx, deps) => {
  const end = await banEnd(deps, ctx.office.id, ctx, ctx.now);
  return end === null ? ok(undefined) : fail('BOOKING_BANNED', { until: formatLocal(ctx.office, end) });
};

/**
 * A booked client did not come (a lapse or a clerk's no-show): the no-show is recorded with the
 * person's hashes and, where the office bans no-shows, the ban it causes enters the record.
 */
export async function recordNoShowBan(deps: Pick<BookingDeps, 'bookings'>, b: Booking, reason: NoShowRecord['reason'], at: number): Promise<void> {
  await deps.bookings.recordNoShow({ bookingId: b.id, officeId: b.officeId, serviceId: b.serviceId, ...personHashesOf(b), reason, at });
  const days = (await deps.bookings.officeSettings(b.officeId)).rules.noShowBanDays;
  if (days <= 0) return;
  await deps.bookings.recordDecision({
    id: NO_SHOW_BAN_PREFIX + b.id,
    ...aboutBooking(b),
    rule: NO_SHOW_BAN_RULE,
    outcome: 'ban-applied',
    detail: JSON.stringify({ reason, endsAt: at + days * DAY_MS }),
    at,
  });
}

/**
 * Tells each client recorded as a no-show (a lapse, or a clerk's no-show) that they missed their
 * booking, and until when they cannot book online where the office bans no-shows. Run by the
 * sweep, once per no-show.
 */
export async function noticeNoShows(deps: BookingDeps, limit = 200): Promise<number> {
  const now = deps.clock.now();
  let sent = 0;
  for (const r of await deps.bookings.noShowsToNotice(limit)) {
    const b = await deps.bookings.booking(r.bookingId);
    const office = await deps.store.getOffice(r.officeId);
    // message() sends nothing where the contact was purged.
    if (b !== null && office !== null) {
      const days = (await deps.bookings.officeSettings(r.officeId)).rules.noShowBanDays;
      await message(deps, b, 'no-show', { number: b.number, until: days > 0 ? formatLocal(office, r.at + days * DAY_MS) : '' }, now);
      sent++;
    }
    await deps.bookings.markNoShowNoticed(r.bookingId, now);
  }
  return sent;
}

const personHashesOf = (b: Booking) => ({ emailHash: b.emailHash, phoneHash: b.phoneHash, identityKeyId: b.identityKeyId, identityHash: b.identityHash });

/** Who staff bar: a booking (by number) and/or the person's contact or identity key as they gave it. */
export interface BanTarget {
  number?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  identityKey?: string | undefined;
}

/** The person's hashes from a booking and what staff typed (typed values win). Null when nothing names anyone. */
async function personOfTarget(deps: BookingDeps, officeId: string, t: BanTarget): Promise<PersonHashes | null> {
  const number = t.number === undefined ? null : normaliseBookingNumber(t.number);
  const booking = number === null ? null : await deps.bookings.bookingByNumber(number);
  if (t.number !== undefined && (booking === null || booking.officeId !== officeId)) return null;
  const base = booking === null ? { emailHash: null, phoneHash: null, identity: [] } : personOf(booking);
  const email = t.email === undefined ? null : normaliseEmail(t.email);
  const phone = t.phone === undefined ? null : normalisePhone(t.phone);
  const key = t.identityKey === undefined ? '' : normaliseIdentityKey(t.identityKey);
  const person: PersonHashes = {
    emailHash: email === null ? base.emailHash : contactHash(deps.keyed, 'email', email),
    phoneHash: phone === null ? base.phoneHash : contactHash(deps.keyed, 'phone', phone),
    identity: key === '' ? base.identity : identityHashes(deps.keyed, key),
  };
  return person.emailHash === null && person.phoneHash === null && person.identity.length === 0 ? null : person;
}

/**
 * Staff bar a person for fictitious data (default: the office's period, 180 days): the ban is
 * recorded and every live hold and confirmed booking of the person in the office is cancelled,
 * each confirmed contact told by message.
 */
export async function banForFictitiousData(
  deps: BookingDeps,
  req: { officeId: string; target: BanTarget; reason: string; days?: number | undefined; by: string },
): Promise<Result<{ ban: Ban; cancelled: Booking[]; }>> {
  const person = await personOfTarget(deps, req.officeId, req.target);
  if (person === null) return fail(req.target.number === undefined ? 'BAN_TARGET_REQUIRED' : 'BOOKING_NOT_FOUND');
  const now = deps.clock.now();
  const days = req.days ?? (await deps.bookings.officeSettings(req.officeId)).rules.fictitiousBanDays;
  const ban: Ban = {
    id: deps.secrets.id(),
    officeId: req.officeId,
    kind: 'fictitious',
    emailHash: person.emailHash,
    phoneHash: person.phoneHash,
    identityKeyId: person.identity[0]?.keyId ?? null,
    identityHash: person.identity[0]?.hash ?? null,
    reason: req.reason,
    startsAt: now,
    endsAt: now + days * DAY_MS,
    createdBy: req.by,
    liftedAt: null,
    liftedBy: null,
    liftReason: null,
  };
  await deps.bookings.insertBan(ban);
  const detail = JSON.stringify({ banId: ban.id, endsAt: ban.endsAt });
  await deps.bookings.recordDecision({
    id: deps.secrets.id(),
    officeId: req.officeId,
    serviceId: null,
    bookingId: null,
    applicationId: null,
    emailHash: ban.emailHash,
    phoneHash: ban.phoneHash,
    identityHash: ban.identityHash,
    rule: BAN_RULE,
    outcome: 'ban-applied',
    detail,
    at: now,
  });
  const bookings = await deps.bookings.cancellableBookingsOf(req.officeId, person, now);
  const cancelled = await cancelForRule(deps, bookings, BAN_RULE, now, (b) => b.state === 'confirmed', () => detail);
  return ok({ ban, cancelled });
}

/** A ban in force as staff see it: a staff ban, or the ban a no-show causes. */
export interface BanView {
  id: string;
  kind: 'fictitious' | 'no-show';
  startsAt: number;
  endsAt: number;
  reason: string;
  /** The booking that was not used (no-show bans). */
  bookingId: string | null;
}

/** Every ban in force in the office, latest end first. */
export async function bansInForce(deps: Pick<BookingDeps, 'bookings'>, officeId: string, now: number): Promise<BanView[]> {
  const period = (await deps.bookings.officeSettings(officeId)).rules.noShowBanDays * DAY_MS;
  const staff: BanView[] = (await deps.bookings
    .bansInForce(officeId, now))
    .map((b) => ({ id: b.id, kind: 'fictitious', startsAt: b.startsAt, endsAt: b.endsAt, reason: b.reason, bookingId: null }));
  const noShows: BanView[] =
    period <= 0
      ? []
      : (await deps.bookings
          .noShowsSince(officeId, now - period))
          .map((n) => ({ id: NO_SHOW_BAN_PREFIX + n.bookingId, kind: 'no-show', startsAt: n.at, endsAt: n.at + period, reason: n.reason, bookingId: n.bookingId }));
  return [...staff, ...noShows].sort((a, b) => b.endsAt - a.endsAt);
}

/** A supervisor lifts a ban with a reason: a staff ban ends; a no-show's ban is lifted by excusing the no-show. */
export async function liftBan(deps: BookingDeps, req: { officeId: string; banId: string; reason: string; by: string }): Promise<Result<BanView>> {
  const now = deps.clock.now();
  const view = (await bansInForce(deps, req.officeId, now)).find((b) => b.id === req.banId);
  if (view === undefined) return fail('BAN_NOT_FOUND');
  let about: Pick<Ban, 'emailHash' | 'phoneHash' | 'identityHash'> & { bookingId: string | null; serviceId: string | null };
  if (view.bookingId !== null) {
    await deps.bookings.excuseNoShow(view.bookingId, now);
    const b = (await deps.bookings.booking(view.bookingId))!;
    about = { ...personHashesOf(b), bookingId: b.id, serviceId: b.serviceId };
  } else {
    const b = await deps.bookings.liftBan(view.id, now, req.by, req.reason);
    if (b === null) return fail('BAN_NOT_FOUND');
    about = { emailHash: b.emailHash, phoneHash: b.phoneHash, identityHash: b.identityHash, bookingId: null, serviceId: null };
  }
  await deps.bookings.recordDecision({
    id: deps.secrets.id(),
    officeId: req.officeId,
    serviceId: about.serviceId,
    bookingId: about.bookingId,
    applicationId: null,
    emailHash: about.emailHash,
    phoneHash: about.phoneHash,
    identityHash: about.identityHash,
    rule: view.kind === 'no-show' ? NO_SHOW_BAN_RULE : BAN_RULE,
    outcome: 'ban-lifted',
    detail: JSON.stringify({ banId: view.id, reason: req.reason, by: req.by }),
    at: now,
  });
  return ok(view);
}

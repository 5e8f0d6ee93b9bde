import type { BookingStore, Keyed } from './ports.ts';
import type { Booking, CheckInSettings } from './model.ts';
import { walkInCapacity } from '../queue/capacity.ts';
import { normaliseBookingNumber } from './codes.ts';
import { allocateTicket, type IssuedTicket } from '../queue/issue-ticket.ts';
import type { Localized, Office, Service, Ticket } from '../shared/model.ts';
import { formatHhMm, isOfficeOpen, localTime, parseHhMm } from '../shared/office-time.ts';
import type { Clock, Ids, QueueStore } from '../queue/ports.ts';
import { zonedInstant } from './release.ts';
import { fail, ok, type DomainError, type Result } from '../shared/result.ts';
import { recordNoShowBan } from '../rules/bans.ts';
import { announceIssued, newTicket } from '../queue/ticket-state.ts';

/**
 * Check-in of booked clients (issue 7): at the kiosk by the 8-digit code, or by hand at a counter
 * by booking number. Accepted iff `startAt − earlyMin ≤ now ≤ startAt + lateMin` (office setting).
 * The ticket carries the booked time (`bookedAt`), so the call policy calls it at that time ahead
 * of walk-ins; the booking moves to `checked_in` in the same transaction as the ticket.
 *
 * Refusals that must be remembered (a wrong code counts towards the kiosk's lock; a late code
 * lapses its booking) are committed outcomes (`kind: 'refused'`), not failed Results, because a
 * failed Result rolls its unit of work back.
 */

export interface CheckInDeps {
  store: QueueStore;
  bookings: BookingStore;
  clock: Clock;
  ids: Ids;
}

/** Five wrong codes within a minute lock the kiosk's code entry for a minute. */
export const CODE_FAILURE_WINDOW_MS = 60_000;
export const CODE_FAILURES_TO_LOCK = 5;
export const CODE_LOCK_MS = 60_000;

export interface KioskCheckInInput {
  officeId: string;
  /** The kiosk typing the code: wrong codes are counted per kiosk. */
  deviceId: string;
  code: string;
  /** A client past the window accepts the walk-in ticket offered instead. */
  walkIn?: boolean | undefined;
  /** `printing` for a kiosk with a print agent (the ticket joins the queue once printed). */
  state: 'waiting' | 'printing';
}

export type CheckInOutcome =
  | {
      kind: 'checked-in';
      issued: IssuedTicket;
      booking: Booking;
      /** True when a late client took a walk-in ticket instead of their booking. */
      walkIn: boolean;
    }
  | { kind: 'refused'; error: DomainError };

const refused = (code: DomainError['code'], params?: Record<string, string | number>): Result<CheckInOutcome> =>
  ok({ kind: 'refused', error: params === undefined ? { code } : { code, params } });

const hhmm = (office: Office, at: number): string => formatHhMm(localTime(office.timeZone, at).minute);

/** A client at the kiosk types (or scans) their code. */
export async function checkInAtKiosk(deps: CheckInDeps, input: KioskCheckInInput): Promise<Result<CheckInOutcome>> {
  const now = deps.clock.now();
  const office = await deps.store.getOffice(input.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const lockedUntil = await deps.bookings.codeEntryLockedUntil(input.deviceId, now);
  if (lockedUntil !== null) return refused('CHECK_IN_LOCKED', { seconds: Math.ceil((lockedUntil - now) / 1000) });

  const code = input.code.replace(/[\s-]/g, '');
  const today = localTime(office.timeZone, now).date;
  const booking = /^\d{8}$/.test(code) ? await deps.bookings.bookingByKioskCode(office.id, code, today) : null;
  if (booking === null) {
    const failures = await deps.bookings.recordCodeFailure(input.deviceId, now, CODE_FAILURE_WINDOW_MS);
    if (failures >= CODE_FAILURES_TO_LOCK) {
      await deps.bookings.lockCodeEntry(input.deviceId, now + CODE_LOCK_MS);
      return refused('CHECK_IN_LOCKED', { seconds: CODE_LOCK_MS / 1000 });
    }
    return refused('BOOKING_CODE_UNKNOWN');
  }
  return checkInBooking(deps, office, booking, { walkIn: input.walkIn === true, state: input.state, allowEarly: false });
}

/**
 * A clerk checks a booked client in by booking number (the client cannot use the kiosk, or its
 * printer is down). The clerk may check in early on the booking's day; the late end is the same.
 */
export async function checkInAtCounter(deps: CheckInDeps, input: { officeId: string; number: string }): Promise<Result<CheckInOutcome>> {
  const office = await deps.store.getOffice(input.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const number = normaliseBookingNumber(input.number);
  const booking = number === null ? null : await deps.bookings.bookingByNumber(number);
  if (booking === null || booking.officeId !== office.id || booking.state === 'held' || booking.state === 'expired') return fail('BOOKING_NOT_FOUND');
  return checkInBooking(deps, office, booking, { walkIn: false, state: 'waiting', allowEarly: true });
}

async function checkInBooking(
  deps: CheckInDeps,
  office: Office,
  booking: Booking,
  opts: { walkIn: boolean; state: 'waiting' | 'printing'; allowEarly: boolean },
): Promise<Result<CheckInOutcome>> {
  const now = deps.clock.now();
  const settings = (await deps.bookings.officeSettings(office.id)).checkIn;
  switch (booking.state) {
    case 'checked_in':
    case 'done':
    case 'no_show':
      return refused('BOOKING_ALREADY_CHECKED_IN');
    case 'cancelled':
      return refused('BOOKING_ALREADY_CANCELLED');
    // Not confirmed until its fee is paid: the client is told, not sent to the queue.
    case 'awaiting_payment':
      return refused('BOOKING_NOT_PAID');
    case 'held':
    case 'expired':
      return refused('BOOKING_CODE_UNKNOWN');
    case 'lapsed':
      return late(deps, office, booking, settings, opts, now);
    case 'confirmed':
      break;
  }
  const opensAt = booking.startAt - settings.earlyMin * 60_000;
  if (now > booking.startAt + settings.lateMin * 60_000) {
    const lapsed = await lapseBooking(deps, booking, now) ?? booking;
    return late(deps, office, lapsed, settings, opts, now);
  }
  const today = localTime(office.timeZone, now).date;
  if (now < opensAt && !(opts.allowEarly && booking.day === today)) return refused('CODE_TOO_EARLY', { time: hhmm(office, opensAt) });

  const service = await deps.store.getService(booking.serviceId);
  if (service === null) return fail('SERVICE_NOT_FOUND');
  if (!isOfficeOpen(office, now)) return refused('OFFICE_CLOSED');
  if ((await deps.store.closedServices(office.id, today)).includes(service.id)) return refused('SERVICE_CLOSED');

  const ticket = await bookedTicket(deps, office, service, booking, settings, opts.state, now, today);
  const moved = await deps.bookings.transition(booking.id, 'confirmed', 'checked_in', { checkedInAt: now, ticketId: ticket.id });
  if (moved === null) return fail('BOOKING_ALREADY_CHECKED_IN');
  await deps.store.insertTicket(ticket);
  if (opts.state === 'waiting') await announceIssued(deps.store, ticket, now);
  const ahead = (await deps.store.waitingTickets(office.id))
    .filter((w) => w.serviceId === service.id && w.bookedAt !== null && w.bookedAt < booking.startAt).length;
  return ok({
    kind: 'checked-in',
    issued: { ticket, ahead, estimatedWaitMin: Math.max(0, Math.ceil((booking.startAt - now) / 60_000)) },
    booking: moved,
    walkIn: false,
  });
}

/** Past the window: refused, or (per office) a walk-in ticket while walk-in capacity remains. */
async function late(
  deps: CheckInDeps,
  office: Office,
  booking: Booking,
  settings: CheckInSettings,
  opts: { walkIn: boolean; state: 'waiting' | 'printing' },
  now: number,
): Promise<Result<CheckInOutcome>> {
  if (settings.late === 'refuse') return refused('BOOKING_LAPSED');
  if (booking.ticketId !== null) return refused('BOOKING_ALREADY_CHECKED_IN');
  const service = await deps.store.getService(booking.serviceId);
  if (service === null) return fail('SERVICE_NOT_FOUND');
  const today = localTime(office.timeZone, now).date;
  const canWalkIn =
    booking.day === today &&
    isOfficeOpen(office, now) &&
    !(await deps.store.closedServices(office.id, today)).includes(service.id) &&
    (await deps.store.countIssued(service.id, today)) < (await walkInCapacity(deps.store, office, service, today));
  if (!canWalkIn) return refused('BOOKING_LAPSED');
  if (!opts.walkIn) return refused('BOOKING_LATE_WALK_IN', { service: service.prefix });
  const issued = await allocateTicket(deps, { serviceId: service.id, language: booking.language }, opts.state);
  if (!issued.ok) return refused(issued.error.code, issued.error.params);
  const moved = await deps.bookings.transition(booking.id, 'lapsed', 'lapsed', { ticketId: issued.value.ticket.id });
  if (moved === null) return fail('BOOKING_ALREADY_CHECKED_IN');
  // They came: the lapse bans nobody.
  await deps.bookings.excuseNoShow(booking.id, now);
  if (opts.state === 'waiting') await announceIssued(deps.store, issued.value.ticket, now);
  return ok({ kind: 'checked-in', issued: issued.value, booking: moved, walkIn: true });
}

async function bookedTicket(
  deps: CheckInDeps,
  office: Office,
  service: Service,
  booking: Booking,
  settings: CheckInSettings,
  state: 'waiting' | 'printing',
  now: number,
  day: string,
): Promise<Ticket> {
  const prefix = settings.prefix ?? service.prefix;
  const seq = await deps.store.nextNumber(office.id, prefix, day);
  return newTicket({
    id: deps.ids.ticketId(),
    officeId: office.id,
    serviceId: service.id,
    prefix,
    seq,
    day,
    state,
    categoryId: null,
    priorityWeight: 0,
    bookedAt: booking.startAt,
    now,
    language: booking.language,
  });
}


/** confirmed → lapsed, recorded as a no-show. Null when it was no longer confirmed. */
async function lapseBooking(deps: Pick<CheckInDeps, 'bookings'>, b: Booking, now: number): Promise<Booking | null> {
  const moved = await deps.bookings.transition(b.id, 'confirmed', 'lapsed', { lapsedAt: now });
  if (moved === null) return null;
  await recordNoShowBan(deps, b, 'lapsed', now);
  return moved;
}

/**
 * The lapse job: bookings not checked in by their booked time + the office's late minutes lapse
 * and count as no-shows. The host runs it with the booking sweep.
 */
export async function lapseOverdueBookings(deps: Pick<CheckInDeps, 'store' | 'bookings' | 'clock'>, limit = 500): Promise<Booking[]> {
  const now = deps.clock.now();
  const lapsed: Booking[] = [];
  for (const office of await deps.store.listOffices()) {
    const { lateMin } = (await deps.bookings.officeSettings(office.id)).checkIn;
    for (const b of await deps.bookings.bookingsToLapse(office.id, now - lateMin * 60_000, limit)) {
      const moved = await lapseBooking(deps, b, now);
      if (moved !== null) lapsed.push(moved);
    }
  }
  return lapsed;
}

/**
 * A ticket became a no-show at the counter (the clerk's "no-show", or one recall too many): a
 * booked arrival's booking becomes a no-show too, recorded like a lapse. No-op for walk-ins.
 */
export async function recordTicketNoShow(deps: Pick<CheckInDeps, 'bookings'>, ticket: Ticket, now: number): Promise<Booking | null> {
  if (ticket.state !== 'no_show' || ticket.bookedAt === null) return null;
  const b = await deps.bookings.bookingByTicket(ticket.id);
  if (b === null) return null;
  const moved = await deps.bookings.transition(b.id, 'checked_in', 'no_show', { noShowAt: now });
  if (moved === null) return null;
  await recordNoShowBan(deps, b, 'clerk', now);
  return moved;
}

/**
 * The ticket of a check-in was never printed (void): the booking is as before, so the client can
 * try again (or be checked in at the counter).
 */
export async function undoCheckIn(deps: Pick<CheckInDeps, 'bookings'>, ticketId: string): Promise<void> {
  const b = await deps.bookings.bookingByTicket(ticketId);
  if (b === null) return;
  if (b.state === 'checked_in') await deps.bookings.transition(b.id, 'checked_in', 'confirmed', { checkedInAt: null, ticketId: null });
  else if (b.state === 'lapsed') await deps.bookings.transition(b.id, 'lapsed', 'lapsed', { ticketId: null });
}

/** checked_in → done: the ticket of a booked arrival was served. Null for walk-ins and anything else. */
export async function recordTicketDone(deps: Pick<CheckInDeps, 'bookings'>, ticket: Ticket): Promise<Booking | null> {
  if (ticket.state !== 'done' || ticket.bookedAt === null) return null;
  const b = await deps.bookings.bookingByTicket(ticket.id);
  return b === null ? null : await deps.bookings.transition(b.id, 'checked_in', 'done', {});
}

/**
 * The booking follows its ticket: a counter action ended a booked arrival's ticket (served, or a
 * no-show). Walk-in tickets cost nothing here: no lookup without a booked time.
 */
export async function followEndedTicket(deps: Pick<CheckInDeps, 'bookings'>, ended: Ticket | undefined, now: number): Promise<Booking | null> {
  if (ended === undefined || ended.bookedAt === null) return null;
  return ended.state === 'done' ? await recordTicketDone(deps, ended) : await recordTicketNoShow(deps, ended, now);
}

/** What a clerk checks against the client's documents before a manual check-in. */
export interface ToVerify {
  /** The name as booked. */
  name: string;
  /** The last three digits of the phone booked with, null without a phone. */
  phoneEnd: string | null;
  /**
   * The document the service's identity key comes from ("Chassis serial (VIN)"), when the service
   * asks for one: the key itself is kept only as a keyed hash, so the clerk sees what to ask for.
   */
  identityLabel: Localized | null;
}

export async function whatToVerify(deps: { keyed: Pick<Keyed, 'open'>; bookings: Pick<BookingStore, 'policy'> }, b: Booking): Promise<ToVerify> {
  const phone = b.phoneSealed === null ? null : deps.keyed.open(b.phoneSealed);
  return {
    name: deps.keyed.open(b.nameSealed) ?? '',
    phoneEnd: phone === null ? null : phone.slice(-3),
    identityLabel: (await deps.bookings.policy(b.serviceId))?.identityKey?.label ?? null,
  };
}

/** A name+time search looks this far either side of the time the client remembers. */
export const SEARCH_AROUND_MIN = 30;
export const SEARCH_LIMIT = 20;

export interface BookingSearch {
  officeId: string;
  /** Part of the name as booked: every word must occur in it (case and accents ignored). */
  name: string;
  /** Office-local `HH:MM` the client booked for; absent = the whole day. */
  time?: string | undefined;
}

/** Folded for matching: no case, no accents, single spaces. */
const fold = (s: string): string => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();

/**
 * The clerk's search for a client who has no booking number to hand: bookings of today in the
 * clerk's office that can still be checked in (confirmed), whose name matches, starting within
 * ±30 minutes of the time given (nearest first), with what to verify. Names are sealed at rest,
 * so they are opened here, for the day's confirmed bookings of the office only.
 */
export async function findBookingsForCheckIn(
  deps: Pick<CheckInDeps, 'store' | 'bookings' | 'clock'> & { keyed: Pick<Keyed, 'open'> },
  input: BookingSearch,
): Promise<Result<{ booking: Booking; verify: ToVerify; }[]>> {
  const office = await deps.store.getOffice(input.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const words = fold(input.name).split(' ').filter((w) => w !== '');
  if (words.length === 0) return ok([]);
  const today = localTime(office.timeZone, deps.clock.now()).date;
  const dayStart = zonedInstant(office.timeZone, today, 0);
  const dayEnd = zonedInstant(office.timeZone, today, 1440) - 1;
  let from = dayStart;
  let to = dayEnd;
  let around: number | null = null;
  if (input.time !== undefined && input.time !== '') {
    const minute = parseHhMm(input.time);
    if (Number.isNaN(minute)) return fail('VALIDATION_FAILED');
    around = zonedInstant(office.timeZone, today, minute);
    from = Math.max(dayStart, around - SEARCH_AROUND_MIN * 60_000);
    to = Math.min(dayEnd, around + SEARCH_AROUND_MIN * 60_000);
  }
  const found: { booking: Booking; verify: ToVerify }[] = [];
  for (const booking of await deps.bookings.confirmedBookingsBetween(office.id, from, to)) {
    const verify = await whatToVerify(deps, booking);
    const name = fold(verify.name);
    if (words.every((w) => name.includes(w))) found.push({ booking, verify });
  }
  if (around !== null) {
    const at = around;
    found.sort((a, b) => Math.abs(a.booking.startAt - at) - Math.abs(b.booking.startAt - at) || a.booking.startAt - b.booking.startAt);
  }
  return ok(found.slice(0, SEARCH_LIMIT));
}

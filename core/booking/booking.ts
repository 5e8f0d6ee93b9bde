import type { BookingStore, Keyed, Secrets } from './ports.ts';
import {
  NOTHING_HAPPENED_YET,
  type Booking,
  type BookingPolicy,
  type BookingState,
  type BookingStatusView,
  type ConfirmChannel,
  type KeyedHash,
  type MessageKind,
  type PersonHashes,
  type RuleDecision,
  type Slot,
} from './model.ts';
import { cutSlots, dayCapacity, freePlaces } from '../queue/capacity.ts';
import {
  normaliseBookingNumber,
  normaliseEmail,
  normaliseIdentityKey,
  normaliseName,
  normalisePhone,
  resendCooldownMs,
  SMS_CODE_TRIES,
  SMS_CODE_TTL_MS,
  SMS_MAX_SENDS,
} from './codes.ts';
import type { Language, Localized, Office, Service } from '../shared/model.ts';
import { formatHhMm, localTime } from '../shared/office-time.ts';
import type { Clock, QueueStore } from '../queue/ports.ts';
import { addDays, dayStatus, isDay, type DayStatus } from './release.ts';
import { fail, ok, type DomainError, type Result } from '../shared/result.ts';

export interface BookingDeps {
  /** Offices, services, counters (and the event log) come from the queue store of the same unit of work. */
  store: QueueStore;
  bookings: BookingStore;
  clock: Clock;
  secrets: Secrets;
  keyed: Keyed;
  /** Base of links in messages (configured public address). */
  publicUrl: string;
  /** Rules that may refuse a hold before a place is taken (identity keys, bans, rosters, eligibility). */
  checks: readonly HoldCheck[];
  /** Rules run when a hold's contact is confirmed, before it becomes a booking (cancel-all of an identity key). */
  onConfirm?: readonly ConfirmRule[];
}

/** Who asks for a place, as typed in the portal: the same for a hold and a draw application. */
export interface ApplicantFields {
  name: string;
  email?: string | null | undefined;
  phone?: string | null | undefined;
  channel: ConfirmChannel;
  language: Language;
  /** The service's identity key (chassis serial, passport holder) when it requires one. */
  identityKey?: string | null | undefined;
}

export interface HoldRequest extends ApplicantFields {
  slotId: string;
}

/**
 * What a check sees: everything about the attempt, contacts already normalised and hashed. At a
 * draw's allocation the context is rebuilt from the application: `identityKey` is null there (only
 * its hash was kept), so rules match on the hashes.
 */
export interface HoldContext extends PersonHashes {
  office: Office;
  service: Service;
  policy: BookingPolicy;
  day: string;
  slotId: string;
  name: string;
  email: string | null;
  phone: string | null;
  emailHash: string | null;
  phoneHash: string | null;
  /** Normalised (see `normaliseIdentityKey`); `identity` holds its keyed hashes, current key first. */
  identityKey: string | null;
  language: Language;
  now: number;
}

/** A rule run before a hold is granted; a failure refuses the attempt and nothing is taken. */
export type HoldCheck = (ctx: HoldContext, deps: BookingDeps) => Result<void>;

/**
 * A rule run when a held booking's contact is confirmed: the bookings it cancelled instead, the
 * confirming one first, or null to let the confirmation go ahead.
 */
export type ConfirmRule = (held: Booking, deps: BookingDeps, now: number) => readonly Booking[] | null;

export const pickText = (names: Localized, lang: Language, office: Office): string =>
  names[lang] ?? names[office.languages[0] ?? 'en'] ?? Object.values(names)[0] ?? '';

export function parseSlotId(slotId: string): { serviceId: string; day: string; startMin: number } | null {
  const m = /^(.+)~(\d{4}-\d{2}-\d{2})~(\d{2})(\d{2})$/.exec(slotId);
  if (m === null || !isDay(m[2]!)) return null;
  const startMin = Number(m[3]) * 60 + Number(m[4]);
  return startMin < 1440 ? { serviceId: m[1]!, day: m[2]!, startMin } : null;
}

export function formatLocal(office: Office, at: number): string {
  const t = localTime(office.timeZone, at);
  return `${t.date} ${formatHhMm(t.minute)}`;
}

function dayStatusError<T>(status: Exclude<DayStatus, { kind: 'open' }>, office: Office, policy: BookingPolicy): Result<T> {
  switch (status.kind) {
    case 'not-yet':
      return fail('DAY_NOT_RELEASED', { time: formatLocal(office, status.opensAt) });
    case 'never':
      return fail('DAY_NOT_OFFERED');
    case 'closed':
      return fail('DAY_CLOSED');
    case 'past':
    case 'too-soon':
      return fail('DAY_TOO_SOON');
    case 'beyond-horizon':
      return fail('DAY_BEYOND_HORIZON', { days: policy.horizonDays });
  }
}

interface Bookable {
  office: Office;
  service: Service;
  policy: BookingPolicy;
}

/** `language`: the caller's, for the crisis message (default the office's first). */
function bookable(deps: BookingDeps, serviceId: string, language?: Language): Result<Bookable> {
  const service = deps.store.getService(serviceId);
  if (service === null) return fail('SERVICE_NOT_FOUND');
  const office = deps.store.getOffice(service.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const settings = deps.bookings.officeSettings(office.id);
  if (settings.suspended) return fail('BOOKING_SUSPENDED', { message: pickText(settings.suspendedMessage, language ?? office.languages[0] ?? 'en', office) });
  const policy = deps.bookings.policy(service.id);
  if (policy === null) return fail('BOOKING_NOT_OFFERED');
  return ok({ office, service, policy });
}

/** The slots of a day as configured now (nothing written): their places, with what is taken so far. */
export function daySlots(deps: Pick<BookingDeps, 'store' | 'bookings'>, b: Bookable, day: string): Slot[] {
  // Once a day is materialised its stored places rule (a capacity change later adds no ghosts),
  // and nothing needs computing: during a release rush every request after the first lands here.
  const stored = deps.bookings.slots(b.service.id, day);
  if (stored.length > 0) return [...stored].sort((x, y) => x.startMin - y.startMin);
  const counters = deps.store.listCounters(b.office.id);
  const policyOf = (id: string): BookingPolicy | null => (id === b.service.id ? b.policy : deps.bookings.policy(id));
  const cap = dayCapacity(b.office, b.service, b.policy, counters, policyOf, day);
  return cutSlots(b.office, b.policy, day, cap.online, b.service).map((s) => ({ ...s, serviceId: b.service.id, day, taken: 0 }));
}

/** How long before a day opens the sweep stores its slots (and so fixes its places). */
export const STORE_DAYS_AHEAD_OF_RELEASE_MS = 60_000;

/**
 * Stores the slots of first-come days that are open, or open within the next minute, and are
 * not stored yet (the host's sweep runs this every few seconds). At a release instant every hold
 * attempt then finds its slot stored, and a full one is refused by a read instead of the first
 * thousand attempts all queueing for the write that would store the day. Returns how many days
 * it stored.
 */
export function storeOpeningDays(deps: Pick<BookingDeps, 'store' | 'bookings' | 'clock'>): number {
  const now = deps.clock.now();
  let stored = 0;
  for (const office of deps.store.listOffices()) {
    const today = localTime(office.timeZone, now).date;
    for (const service of deps.store.listServices(office.id)) {
      const policy = deps.bookings.policy(service.id);
      if (policy === null || policy.allocation !== 'fcfs') continue;
      const b: Bookable = { office, service, policy };
      for (let ahead = policy.earliestDays; ahead <= policy.horizonDays; ahead++) {
        const day = addDays(today, ahead);
        const status = dayStatus(policy, office, day, now, service);
        const soon = status.kind === 'open' || (status.kind === 'not-yet' && status.opensAt - now <= STORE_DAYS_AHEAD_OF_RELEASE_MS);
        if (!soon || deps.bookings.slots(service.id, day).length > 0) continue;
        deps.bookings.ensureSlots(service.id, day, daySlots(deps, b, day));
        stored++;
      }
    }
  }
  return stored;
}

export interface Availability {
  serviceId: string;
  day: string;
  status: DayStatus;
  allocation: BookingPolicy['allocation'];
  slots: { id: string; startAt: number; startMin: number; free: number }[];
}

/** Free places of a day for the portal; closed or unreleased days say why. Read-only. */
export function availability(deps: Pick<BookingDeps, 'store' | 'bookings' | 'clock'>, serviceId: string, day: string): Result<Availability> {
  const b = bookable(deps as BookingDeps, serviceId);
  if (!b.ok) return b;
  const now = deps.clock.now();
  const status = dayStatus(b.value.policy, b.value.office, day, now, b.value.service);
  const slots =
    status.kind === 'open'
      ? daySlots(deps, b.value, day)
          .filter((s) => s.startAt > now)
          .map((s) => ({ id: s.id, startAt: s.startAt, startMin: s.startMin, free: freePlaces(s) }))
      : [];
  return ok({ serviceId, day, status, allocation: b.value.policy.allocation, slots });
}

export interface HeldBooking {
  booking: Booking;
  /** The client's secret for this hold (confirm by code, extend, release, see the result). */
  holdKey: string;
}

export const contactHash = (keyed: Keyed, kind: 'email' | 'phone', value: string): string => keyed.hmac(`contact:${kind}`, value);

/** An identity key's keyed hashes (normalise it first), current key first. */
export const identityHashes = (keyed: Keyed, key: string): readonly KeyedHash[] => keyed.hmacAll('identity', key);

/** The hashes rules match a booking's person by. */
export const personOf = (b: Pick<Booking, 'emailHash' | 'phoneHash' | 'identityKeyId' | 'identityHash'>): PersonHashes => ({
  emailHash: b.emailHash,
  phoneHash: b.phoneHash,
  identity: b.identityHash === null || b.identityKeyId === null ? [] : [{ keyId: b.identityKeyId, hash: b.identityHash }],
});

const codeHash = (keyed: Keyed, bookingId: string, code: string): string => keyed.hmac('sms-code', `${bookingId}:${code}`);

function newBookingNumber(deps: BookingDeps): string {
  for (;;) {
    const n = deps.secrets.bookingNumber();
    if (deps.bookings.bookingByNumber(n) === null) return n;
  }
}

/** Queues a message about a booking to its contact (sealed at rest in the outbox), in the booking's language. */
export function message(deps: BookingDeps, b: Booking, kind: MessageKind, params: Record<string, string | number>, notBefore: number, channel: ConfirmChannel = b.channel): void {
  const sealed = channel === 'email' ? b.emailSealed : b.phoneSealed;
  if (sealed === null) return;
  const to = deps.keyed.open(sealed);
  if (to === null) throw new Error(`contact of booking ${b.id} cannot be opened`);
  const office = deps.store.getOffice(b.officeId);
  const service = deps.store.getService(b.serviceId);
  const now = deps.clock.now();
  deps.bookings.enqueue(
    {
      bookingId: b.id,
      officeId: b.officeId,
      channel,
      kind,
      to,
      language: b.language,
      params: {
        office: office?.name ?? '',
        service: service !== null && office !== null ? pickText(service.names, b.language, office) : '',
        timeZone: office?.timeZone ?? 'UTC',
        startAt: b.startAt,
        ...params,
      },
      notBefore,
    },
    deps.secrets.id(),
    now,
  );
}

/** Ends a hold that ran out: the slot's place returns at once. */
export function expireHold(deps: Pick<BookingDeps, 'bookings'>, b: Booking, now: number): boolean {
  const moved = deps.bookings.transition(b.id, 'held', 'expired', { expiredAt: now });
  if (moved === null) return false;
  deps.bookings.free(b.slotId);
  deps.bookings.deleteSmsCode(b.id);
  return true;
}

/** The sweep: expires holds that ran out (the host runs it every few seconds). */
export function sweepLapsedHolds(deps: Pick<BookingDeps, 'bookings' | 'clock'>, limit = 500): number {
  const now = deps.clock.now();
  let n = 0;
  for (const b of deps.bookings.lapsedHolds(now, limit)) if (expireHold(deps, b, now)) n++;
  return n;
}

/** The contact as stored: sealed for delivery, keyed hashes for matching (the identity key only as its hash). */
export function sealedContact(deps: Pick<BookingDeps, 'keyed'>, ctx: HoldContext) {
  return {
    nameSealed: deps.keyed.seal(ctx.name),
    emailSealed: ctx.email === null ? null : deps.keyed.seal(ctx.email),
    phoneSealed: ctx.phone === null ? null : deps.keyed.seal(ctx.phone),
    emailHash: ctx.emailHash,
    phoneHash: ctx.phoneHash,
    identityKeyId: ctx.identity[0]?.keyId ?? null,
    identityHash: ctx.identity[0]?.hash ?? null,
  };
}

/** The rule checks of an attempt, in order; the first refusal wins and carries its attempt id and decision (see `refusedByRule`). */
export function runChecks(deps: BookingDeps, ctx: HoldContext, applicationId: string | null = null): Result<HoldContext> {
  for (const check of deps.checks) {
    const r = check(ctx, deps);
    if (!r.ok) return refusedByRule(deps, ctx, r.error, applicationId);
  }
  return ok(ctx);
}

/**
 * A rule's refusal of an attempt: the client is given an attempt id to quote (`params.attempt`),
 * and the decision travels with the error for the edge to record after the rollback.
 */
function refusedByRule(deps: BookingDeps, ctx: HoldContext, error: DomainError, applicationId: string | null): Result<never> {
  const decision: RuleDecision = {
    id: deps.secrets.bookingNumber(),
    officeId: ctx.office.id,
    serviceId: ctx.service.id,
    rule: error.code,
    outcome: 'refused',
    bookingId: null,
    applicationId,
    emailHash: ctx.emailHash,
    phoneHash: ctx.phoneHash,
    identityHash: ctx.identity[0]?.hash ?? null,
    detail: JSON.stringify(error.params ?? {}),
    at: ctx.now,
  };
  return { ok: false, error: { code: error.code, params: { ...error.params, attempt: decision.id }, decision } };
}

/**
 * The contact and rules check shared by a hold (first come, first served) and an application
 * to a draw: normalised, valid contacts for the chosen channel, a name, then every rule check
 * (issue 6's identity, ban, roster and eligibility rules slot in here), before any place is
 * taken or any application recorded.
 */
export function vetApplicant(
  deps: BookingDeps,
  base: Pick<HoldContext, 'office' | 'service' | 'policy' | 'day' | 'slotId' | 'now'>,
  req: ApplicantFields,
): Result<HoldContext> {
  const email = req.email == null || req.email === '' ? null : normaliseEmail(req.email);
  const phone = req.phone == null || req.phone === '' ? null : normalisePhone(req.phone);
  if (req.email != null && req.email !== '' && email === null) return fail('CONTACT_INVALID', { field: 'email' });
  if (req.phone != null && req.phone !== '' && phone === null) return fail('CONTACT_INVALID', { field: 'phone' });
  if ((req.channel === 'email' ? email : phone) === null) return fail('CONTACT_REQUIRED');
  const name = normaliseName(req.name);
  if (name === '') return fail('CONTACT_REQUIRED');
  const identityKey = req.identityKey == null ? '' : normaliseIdentityKey(req.identityKey);
  const ctx: HoldContext = {
    ...base,
    name,
    email,
    phone,
    emailHash: email === null ? null : contactHash(deps.keyed, 'email', email),
    phoneHash: phone === null ? null : contactHash(deps.keyed, 'phone', phone),
    identityKey: identityKey === '' ? null : identityKey,
    identity: identityKey === '' ? [] : identityHashes(deps.keyed, identityKey),
    contactHashes: [
      ...(email === null ? [] : deps.keyed.hmacAll('contact:email', email)),
      ...(phone === null ? [] : deps.keyed.hmacAll('contact:phone', phone)),
    ].map((k) => k.hash),
    language: req.language,
  };
  return runChecks(deps, ctx);
}

/**
 * Holds a place (first come, first served): checks the service, day and contact, runs the
 * checks, then takes the place with one conditional update. The confirmation (link or code)
 * goes to the outbox in the same transaction.
 */
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
function holdTarget(deps: BookingDeps, req: Pick<HoldRequest, 'slotId' | 'channel'> & { language?: Language }): Result<HoldTarget> {
  const parsed = parseSlotId(req.slotId);
  if (parsed === null) return fail('SLOT_NOT_FOUND');
  const bk = bookable(deps, parsed.serviceId, req.language);
  if (!bk.ok) return bk;
  const { office, policy, service } = bk.value;
  if (policy.allocation === 'draw') return fail('BOOKING_BY_DRAW');
  const now = deps.clock.now();
  const status = dayStatus(policy, office, parsed.day, now, service);
  if (status.kind !== 'open') return dayStatusError(status, office, policy);
  if (!policy.confirmBy.includes(req.channel)) return fail('CONFIRM_CHANNEL_UNAVAILABLE');
  const slot = deps.bookings.slot(req.slotId);
  if (slot !== null && (slot.startAt <= now || slot.serviceId !== parsed.serviceId)) return fail('SLOT_NOT_FOUND');
  if (slot !== null && slot.taken >= slot.places && !deps.bookings.hasLapsedHold(slot.id, now)) {
    return fail(deps.bookings.hasFreePlace(slot.serviceId, parsed.day) ? 'SLOT_TAKEN' : 'DAY_SOLD_OUT');
  }
  return ok({ ...bk.value, day: parsed.day, slot, now });
}

/**
 * The refusal a hold attempt would get for reasons that need no write (closed day, unknown or
 * full slot, sold-out day), or null. Read outside the unit of work: during a release rush most
 * attempts end here, answered without waiting for a group commit. Whatever passes is checked
 * again, atomically, by `holdSlot`.
 */
export function holdRefusal(deps: BookingDeps, req: Pick<HoldRequest, 'slotId' | 'channel'> & { language?: Language }): DomainError | null {
  const t = holdTarget(deps, req);
  return t.ok ? null : t.error;
}

/**
 * Holds a place (first come, first served): checks the service, day and contact, runs the
 * checks, then takes the place with one conditional update. The confirmation (link or code)
 * goes to the outbox in the same transaction.
 */
export function holdSlot(deps: BookingDeps, req: HoldRequest): Result<HeldBooking> {
  const target = holdTarget(deps, req);
  if (!target.ok) return target;
  const { office, service, policy, day, now } = target.value;

  const vetted = vetApplicant(deps, { office, service, policy, day, slotId: req.slotId, now }, req);
  if (!vetted.ok) return vetted;
  const ctx = vetted.value;

  let slot = target.value.slot;
  if (slot === null) {
    // The day's first hold stores its slots; from then on their places are fixed.
    deps.bookings.ensureSlots(service.id, day, daySlots(deps, target.value, day));
    slot = deps.bookings.slot(req.slotId);
    if (slot === null || slot.startAt <= now) return fail('SLOT_NOT_FOUND');
  }
  let reserved = deps.bookings.reserve(slot.id);
  if (!reserved) {
    // Lazily: holds of this slot that ran out free their places before we say it is taken.
    let freed = false;
    for (const b of deps.bookings.lapsedHolds(now, 1000, slot.id)) freed = expireHold(deps, b, now) || freed;
    reserved = freed && deps.bookings.reserve(slot.id);
  }
  if (!reserved) return fail(deps.bookings.hasFreePlace(service.id, day) ? 'SLOT_TAKEN' : 'DAY_SOLD_OUT');

  const holdKey = deps.secrets.token();
  const holdMs = policy.holdMin * 60_000;
  const booking: Booking = {
    id: deps.secrets.id(),
    number: newBookingNumber(deps),
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
  deps.bookings.insertBooking(booking);
  sendConfirmation(deps, booking, now);
  return ok({ booking, holdKey });
}

/** Queues the confirmation request of a held booking: an e-mail link or an SMS code. */
export function sendConfirmation(deps: BookingDeps, booking: Booking, now: number): void {
  if (booking.channel === 'email') {
    const token = deps.secrets.token();
    const minutes = Math.max(1, Math.round((booking.holdExpiresAt - now) / 60_000));
    // Valid as long as the hold can last (with its one extension); the hold decides in the end.
    deps.bookings.insertToken(deps.keyed.hashToken(token), booking.id, 'confirm', now + 2 * (booking.holdExpiresAt - now));
    message(deps, booking, 'confirm-link', { url: `${deps.publicUrl}/portal/?confirm=${token}`, minutes }, now);
  } else {
    sendCode(deps, booking, 1, now);
  }
}

function sendCode(deps: BookingDeps, b: Booking, sends: number, now: number): void {
  const code = deps.secrets.digits(6);
  deps.bookings.putSmsCode({
    bookingId: b.id,
    codeHash: codeHash(deps.keyed, b.id, code),
    expiresAt: now + SMS_CODE_TTL_MS,
    triesLeft: SMS_CODE_TRIES,
    sends,
    resendAfter: now + resendCooldownMs(sends),
  });
  const host = /^https?:\/\/([^/:]+)/.exec(deps.publicUrl)?.[1] ?? 'localhost';
  message(deps, b, 'confirm-code', { code, minutes: SMS_CODE_TTL_MS / 60_000, host }, now, 'sms');
}

function heldBy(deps: BookingDeps, holdKey: string): Result<Booking> {
  const b = deps.bookings.bookingByHoldKey(deps.keyed.hashToken(holdKey));
  if (b === null) return fail('HOLD_NOT_FOUND');
  return ok(b);
}

function liveHold(deps: BookingDeps, holdKey: string): Result<Booking> {
  const r = heldBy(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.state === 'expired' || (b.state === 'held' && b.holdExpiresAt <= deps.clock.now())) return fail('HOLD_EXPIRED');
  if (b.state !== 'held') return fail('HOLD_NOT_HELD');
  return ok(b);
}

export interface ConfirmedBooking {
  booking: Booking;
  /** Null when a rule cancelled the booking instead of confirming it. */
  cancelToken: string | null;
  /** Set when a confirm rule cancelled bookings instead (this one first), each told by message. */
  cancelledByRule?: readonly Booking[];
}

/**
 * Ends a live hold or a confirmed booking: the place returns at once, any code dies (its reminders
 * go with the move out of `confirmed`). Null when it was no longer in `from`.
 */
function endBooking(deps: Pick<BookingDeps, 'bookings'>, b: Booking, from: BookingState, now: number): Booking | null {
  const moved = deps.bookings.transition(b.id, from, 'cancelled', { cancelledAt: now });
  if (moved === null) return null;
  deps.bookings.free(moved.slotId);
  deps.bookings.deleteSmsCode(moved.id);
  return moved;
}

/**
 * A rule cancels a hold or a booking (cancel-all of an identity key, a ban for fictitious data).
 * `notify`: its contact is told, with the rule named so the message can say why (only contacts
 * that were confirmed: an unconfirmed hold's contact may not be the person's).
 */
export function cancelByRule(deps: BookingDeps, b: Booking, rule: string, now: number, notify: boolean): Booking | null {
  if (b.state !== 'held' && b.state !== 'confirmed') return null;
  const moved = endBooking(deps, b, b.state, now);
  if (moved !== null && notify) message(deps, moved, 'cancelled', { number: moved.number, rule }, now);
  return moved;
}

/** held → confirmed: booking number shown, kiosk code drawn, confirmation and reminder queued. */
function confirm(deps: BookingDeps, b: Booking, now: number): Result<ConfirmedBooking> {
  for (const rule of deps.onConfirm ?? []) {
    const cancelled = rule(b, deps, now);
    if (cancelled !== null && cancelled.length > 0) return ok({ booking: cancelled[0]!, cancelToken: null, cancelledByRule: cancelled });
  }
  // A code stays reserved until the end of its booking's day, used or not: a code typed today names one booking.
  const office = deps.store.getOffice(b.officeId);
  const today = office === null ? b.day : localTime(office.timeZone, now).date;
  let kioskCode = deps.secrets.digits(8);
  while (deps.bookings.kioskCodeInUse(b.officeId, kioskCode, today)) kioskCode = deps.secrets.digits(8);
  const cancelToken = deps.secrets.token();
  const moved = deps.bookings.transition(b.id, 'held', 'confirmed', {
    confirmedAt: now,
    kioskCode,
    cancelHash: deps.keyed.hashToken(cancelToken),
  });
  if (moved === null) return fail('HOLD_NOT_HELD');
  deps.bookings.deleteSmsCode(b.id);
  const cancelUrl = `${deps.publicUrl}/portal/?cancel=${cancelToken}`;
  const lookupUrl = `${deps.publicUrl}/portal/?number=${moved.number}`;
  const params = { number: moved.number, kioskCode, cancelUrl, lookupUrl, bookingId: moved.id };
  for (const channel of ['email', 'sms'] as const) {
    message(deps, moved, 'confirmed', params, now, channel);
    const dayBefore = moved.startAt - 24 * 3600_000;
    if (dayBefore > now) message(deps, moved, 'reminder', params, dayBefore, channel);
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
export function peekConfirmToken(deps: BookingDeps, token: string): TokenPeek {
  const now = deps.clock.now();
  const t = deps.bookings.peekToken(deps.keyed.hashToken(token), 'confirm', now);
  if (t.kind === 'expired' || t.kind === 'unknown') return t;
  const b = deps.bookings.booking(t.bookingId);
  if (b === null) return { kind: 'unknown' };
  if (t.kind === 'used' || STANDING.has(b.state)) return { kind: 'used', booking: STANDING.has(b.state) ? b : null };
  if (b.state !== 'held' || b.holdExpiresAt <= now) return { kind: 'expired' };
  return { kind: 'valid', serviceId: b.serviceId, startAt: b.startAt };
}

/** The POST behind the e-mail link's Confirm button: consumes the single-use token. */
export function confirmByLink(deps: BookingDeps, token: string): Result<ConfirmedBooking> {
  const now = deps.clock.now();
  const t = deps.bookings.consumeToken(deps.keyed.hashToken(token), 'confirm', now);
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
  const b = deps.bookings.booking(t.bookingId);
  if (b === null) return fail('TOKEN_INVALID');
  if (b.state !== 'held' || b.holdExpiresAt <= now) return fail('HOLD_EXPIRED');
  return confirm(deps, b, now);
}

/** A code check: a wrong code is a committed outcome (the try is spent), not a rolled-back failure. */
export type CodeOutcome = { kind: 'confirmed'; confirmed: ConfirmedBooking } | { kind: 'wrong'; triesLeft: number };

export function confirmByCode(deps: BookingDeps, holdKey: string, code: string): Result<CodeOutcome> {
  const r = liveHold(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  const now = deps.clock.now();
  const c = deps.bookings.smsCode(b.id);
  if (c === null) return fail('CODE_EXPIRED');
  if (c.triesLeft <= 0) return fail('CODE_LOCKED');
  if (c.expiresAt <= now) return fail('CODE_EXPIRED');
  if (!/^\d{6}$/.test(code) || !deps.keyed.equal(codeHash(deps.keyed, b.id, code), c.codeHash)) {
    return ok({ kind: 'wrong', triesLeft: deps.bookings.spendTry(b.id) });
  }
  const confirmed = confirm(deps, b, now);
  if (!confirmed.ok) return confirmed;
  return ok({ kind: 'confirmed', confirmed: confirmed.value });
}

/** A new code, after a growing cool-down, a few times per hold. */
export function resendCode(deps: BookingDeps, holdKey: string): Result<{ resendAfter: number }> {
  const r = liveHold(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.channel !== 'sms') return fail('CONFIRM_CHANNEL_UNAVAILABLE');
  const now = deps.clock.now();
  const c = deps.bookings.smsCode(b.id);
  const sends = c?.sends ?? 1;
  if (c !== null && c.resendAfter > now) return fail('CODE_RESEND_TOO_SOON', { seconds: Math.ceil((c.resendAfter - now) / 1000) });
  if (sends >= SMS_MAX_SENDS) return fail('CODE_LOCKED');
  sendCode(deps, b, sends + 1, now);
  return ok({ resendAfter: now + resendCooldownMs(sends + 1) });
}

/** One extension of the hold, by its full length, while it is still live. */
export function extendHold(deps: BookingDeps, holdKey: string): Result<Booking> {
  const r = liveHold(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.holdExtended) return fail('HOLD_ALREADY_EXTENDED');
  const policy = deps.bookings.policy(b.serviceId);
  const holdMs = (policy?.holdMin ?? 15) * 60_000;
  const moved = deps.bookings.transition(b.id, 'held', 'held', { holdExtended: true, holdExpiresAt: b.holdExpiresAt + holdMs });
  return moved === null ? fail('HOLD_NOT_HELD') : ok(moved);
}

/** The client gives the hold up (leaves the form): the place returns at once. */
export function releaseHold(deps: BookingDeps, holdKey: string): Result<Booking> {
  const r = liveHold(deps, holdKey);
  if (!r.ok) return r;
  const moved = endBooking(deps, r.value, 'held', deps.clock.now());
  return moved === null ? fail('HOLD_NOT_HELD') : ok(moved);
}

/** The hold as its holder sees it (the confirmed booking, kiosk code included, once confirmed). */
export function holdView(deps: BookingDeps, holdKey: string): Result<Booking> {
  const r = heldBy(deps, holdKey);
  if (!r.ok) return r;
  const b = r.value;
  if (b.state === 'held' && b.holdExpiresAt <= deps.clock.now()) return ok({ ...b, state: 'expired' });
  return ok(b);
}

export type CancelRequest = { token: string } | { number: string; contact: string };

/** confirmed → cancelled, final; the place returns at once and the client is told. */
export function cancelBooking(deps: BookingDeps, req: CancelRequest): Result<Booking> {
  let b: Booking | null;
  if ('token' in req) {
    b = deps.bookings.bookingByCancelHash(deps.keyed.hashToken(req.token));
    if (b === null) return fail('TOKEN_INVALID');
  } else {
    const number = normaliseBookingNumber(req.number);
    b = number === null ? null : deps.bookings.bookingByNumber(number);
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
  const moved = endBooking(deps, b, 'confirmed', now);
  if (moved === null) return fail('BOOKING_NOT_CANCELLABLE');
  message(deps, moved, 'cancelled', { number: moved.number }, now);
  return ok(moved);
}

/** Public status by booking number: state and time, no personal data. A hold has no public number yet. */
export function lookupBooking(deps: Pick<BookingDeps, 'bookings'>, input: string): Result<BookingStatusView> {
  const number = normaliseBookingNumber(input);
  const b = number === null ? null : deps.bookings.bookingByNumber(number);
  if (b === null || b.state === 'held' || b.state === 'expired') return fail('BOOKING_NOT_FOUND');
  return ok({ number: b.number, officeId: b.officeId, serviceId: b.serviceId, day: b.day, startAt: b.startAt, state: b.state });
}

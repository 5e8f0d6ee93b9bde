import type { SlotSpec } from '../queue/capacity.ts';
import type {
  Application,
  Ban,
  Booking,
  BookingOfficeSettings,
  BookingPolicy,
  BookingState,
  DrawRecord,
  KeyedHash,
  NoShowRecord,
  OutgoingMessage,
  PersonHashes,
  RuleDecision,
  Slot,
} from './model.ts';

/**
 * Randomness for secrets. Implemented on the host with a CSPRNG; tests may pass a seeded fake.
 * Every value is uniformly random over its alphabet.
 */
export interface Secrets {
  /** 256 bits, base64url (43 characters): e-mail link tokens, hold keys. */
  token(): string;
  /** `n` decimal digits (SMS codes: 6, kiosk codes: 8). */
  digits(n: number): string;
  /** 10 characters of Crockford base32 (50 bits): booking numbers. */
  bookingNumber(): string;
  /** An opaque unique id (bookings, messages, applications). */
  id(): string;
}

/**
 * Keyed cryptography with keys from configuration (core cannot reach node:crypto). Hashes are
 * lowercase hex.
 */
export interface Keyed {
  /** HMAC-SHA-256 with the server secret, domain-separated by `purpose` (contacts, SMS codes). */
  hmac(purpose: string, value: string): string;
  /**
   * The same HMAC under the current key and under each previous key still configured (current
   * first), each with its key id: what is stored keeps matching after the key rotates.
   */
  hmacAll(purpose: string, value: string): readonly KeyedHash[];
  /** SHA-256 of a random high-entropy token (no key needed: it cannot be enumerated). */
  hashToken(token: string): string;
  /** AES-256-GCM with the contact key; the key id travels inside the sealed string. */
  seal(plain: string): string;
  /** Null when the sealed text is not authentic (tampered, or sealed with an unknown key). */
  open(sealed: string): string | null;
  /** Constant-time equality of two hex strings. */
  equal(a: string, b: string): boolean;
  /** Plain SHA-256 (the draw's public commitment). */
  sha256(value: string): string;
  /** HMAC-SHA-256 keyed by `key` (the draw's tie-break: HMAC(seed, application id)). */
  hmacWith(key: string, value: string): string;
}

export interface SmsCode {
  bookingId: string;
  codeHash: string;
  expiresAt: number;
  triesLeft: number;
  /** Codes sent so far for this booking (resend cool-down grows with it). */
  sends: number;
  resendAfter: number;
}

export type TokenPurpose = 'confirm';

/** A used token still names its booking: a re-opened confirm link shows the booking it confirmed. */
export type TokenLookup = { kind: 'valid'; bookingId: string } | { kind: 'used'; bookingId: string } | { kind: 'expired' } | { kind: 'unknown' };

/*
 * Online booking's store, split by what it stores: each port small enough that an in-memory fake of
 * it is a page. Asynchronous so that a database server can implement them; each use case still runs
 * inside one unit of work (a named command, in the same transaction as the
 * queue store), so a check and the write that depends on it cannot be separated by another request.
 */

/** Booking configuration: a service's policy, an office's switches. */
export interface BookingSettingsStore {
  policy(serviceId: string): Promise<BookingPolicy | null>;
  officeSettings(officeId: string): Promise<BookingOfficeSettings>;
  /** Stores an office's booking switches whole (crisis switch and message, check-in, rules). */
  putOfficeSettings(settings: BookingOfficeSettings): Promise<void>;
}

/** A day's slots and their places. `reserve` is the one atomic step a rush contends on. */
export interface SlotStore {
  /** Stores those of `slots` the day does not have yet (idempotent: a slot once stored keeps its places). */
  ensureSlots(serviceId: string, day: string, slots: readonly SlotSpec[]): Promise<void>;
  /** The day's slots, earliest first. */
  slots(serviceId: string, day: string): Promise<Slot[]>;
  slot(id: string): Promise<Slot | null>;
  /** `taken + 1` if a place is free: true when it was reserved. Never more than `places`. */
  reserve(slotId: string): Promise<boolean>;
  /** Gives a place back (`taken − 1`, never below 0). */
  free(slotId: string): Promise<void>;
  /** Whether any slot of the day still has a free place (without counting lapsed holds). */
  hasFreePlace(serviceId: string, day: string): Promise<boolean>;
}

/** The bookings themselves (holds included), found by each of their keys. Times are epoch ms. */
export interface BookingRecordStore {
  insertBooking(b: Booking): Promise<void>;
  booking(id: string): Promise<Booking | null>;
  bookingByNumber(number: string): Promise<Booking | null>;
  bookingByHoldKey(hash: string): Promise<Booking | null>;
  bookingByCancelHash(hash: string): Promise<Booking | null>;
  /**
   * Compare-and-set on the state, like tickets: null when it was no longer in `from`. A move to any
   * state but `confirmed` drops the booking's reminders not sent yet, in the same transaction (a
   * reminder of a booking checked in, lapsed or cancelled misleads).
   */
  transition(id: string, from: BookingState, to: BookingState, patch: Partial<Booking>): Promise<Booking | null>;
  /** Drops the booking's reminders not sent yet (the office moved it: they name the old time). */
  dropReminders(id: string): Promise<void>;
  /** Held bookings whose hold ran out at `now` (oldest first, at most `limit`). */
  lapsedHolds(now: number, limit: number, slotId?: string): Promise<Booking[]>;
  /** Whether a hold of the slot has run out at `now` (a full slot may have a place to give back). */
  hasLapsedHold(slotId: string, now: number): Promise<boolean>;
  /**
   * Whether a kiosk code is taken in the office: by an active booking (confirmed, checked in), or
   * by any booking of `day` or later (a code stays reserved until the end of its day, used or not).
   */
  kioskCodeInUse(officeId: string, code: string, day: string): Promise<boolean>;
  /** The booking a kiosk code names on `day`: the active one, else the latest of that day; null when none. */
  bookingByKioskCode(officeId: string, code: string, day: string): Promise<Booking | null>;
  /** The booking a ticket was issued for (check-in), null for a walk-in ticket. */
  bookingByTicket(ticketId: string): Promise<Booking | null>;
  /** Confirmed bookings of an office that started before `startedBefore` (oldest first, at most `limit`). */
  bookingsToLapse(officeId: string, startedBefore: number, limit: number): Promise<Booking[]>;
  /** Confirmed bookings of an office starting in `[from, to]` (epoch ms), earliest first: a clerk's search. */
  confirmedBookingsBetween(officeId: string, from: number, to: number): Promise<Booking[]>;
  /** Active bookings (live holds, awaiting payment, confirmed, checked in) of a service made with this identity key, under any of its hashes. */
  activeBookingsByIdentity(serviceId: string, identity: readonly KeyedHash[], now: number): Promise<Booking[]>;
  /** Live holds and confirmed bookings of an office (any service) matching any of the person's hashes. */
  cancellableBookingsOf(officeId: string, person: PersonHashes, now: number): Promise<Booking[]>;
}

/** Confirmation secrets: single-use e-mail link tokens and SMS codes (hashes only). */
export interface ConfirmationStore {
  insertToken(hash: string, bookingId: string, purpose: TokenPurpose, expiresAt: number): Promise<void>;
  /** Looks a token up without consuming it (the page that shows the Confirm button). */
  peekToken(hash: string, purpose: TokenPurpose, now: number): Promise<TokenLookup>;
  /** Marks the token used if it is valid: single use. */
  consumeToken(hash: string, purpose: TokenPurpose, now: number): Promise<TokenLookup>;

  smsCode(bookingId: string): Promise<SmsCode | null>;
  /** Replaces the booking's code (a resend). */
  putSmsCode(code: SmsCode): Promise<void>;
  /** One wrong try: returns the tries left (never below 0). */
  spendTry(bookingId: string): Promise<number>;
  deleteSmsCode(bookingId: string): Promise<void>;
}

/** A kiosk's guard against guessed codes (epoch ms from the injected clock). */
export interface CodeEntryGuardStore {
  /** Until when the kiosk's code entry is locked, or null when it is not locked at `now`. */
  codeEntryLockedUntil(deviceId: string, now: number): Promise<number | null>;
  /** One wrong code at `at`: returns the wrong codes of this kiosk in `(at − windowMs, at]`. */
  recordCodeFailure(deviceId: string, at: number, windowMs: number): Promise<number>;
  lockCodeEntry(deviceId: string, until: number): Promise<void>;
}

/** Rules about people: no-shows, staff bans, and the record of what rules decided. */
export interface PersonRuleStore {
  /** Records that a booked client did not come (idempotent per booking). */
  recordNoShow(r: NoShowRecord): Promise<void>;
  /** The client came after all (late, took a walk-in ticket): the no-show bans nobody. */
  excuseNoShow(bookingId: string, at: number): Promise<void>;
  noShows(officeId: string): Promise<(NoShowRecord & { excusedAt: number | null })[]>;
  /** No-shows whose client has not been told yet, oldest first (at most `limit`). */
  noShowsToNotice(limit: number): Promise<NoShowRecord[]>;
  markNoShowNoticed(bookingId: string, at: number): Promise<void>;
  /** Unexcused no-shows of an office since `since` matching any of the person's hashes, latest first. */
  noShowsOf(officeId: string, person: PersonHashes, since: number): Promise<NoShowRecord[]>;
  /** Unexcused no-shows of an office since `since`, latest first (the bans they cause). */
  noShowsSince(officeId: string, since: number): Promise<NoShowRecord[]>;
  insertBan(ban: Ban): Promise<void>;
  /** Staff bans of an office in force at `now` matching any of the person's hashes. */
  bansOf(officeId: string, person: PersonHashes, now: number): Promise<Ban[]>;
  /** Staff bans of an office in force at `now` (all of them), latest end first. */
  bansInForce(officeId: string, now: number): Promise<Ban[]>;
  /** Null when there is no such ban or it was lifted already. */
  liftBan(id: string, at: number, by: string, reason: string): Promise<Ban | null>;
  /** Idempotent per decision id. */
  recordDecision(d: RuleDecision): Promise<void>;
  /** Decisions about a booking or an attempt (its id), oldest first. */
  decisionsAbout(ref: { bookingId?: string; attemptId?: string }): Promise<RuleDecision[]>;
}

/** The application window of a draw day, and its applications. */
export interface DrawStore {
  draw(serviceId: string, day: string): Promise<DrawRecord | null>;
  /** Creates the draw, or records its run (seed, state, time) when it exists. */
  putDraw(d: DrawRecord): Promise<void>;
  /** False when the same contact already applied for that service and day. */
  insertApplication(a: Application): Promise<boolean>;
  /** Applications of a day, by id. */
  applications(serviceId: string, day: string): Promise<Application[]>;
  setApplicationResult(id: string, state: Application['state'], bookingId: string | null): Promise<void>;
  /** Draws whose window closed at `now` and that have not run yet. */
  drawsDue(now: number): Promise<DrawRecord[]>;
}

/** The writing side of the outbox. */
export interface OutboxWriter {
  /** Adds a message to the outbox (sealed at rest), in the current transaction; sent from `notBefore` on. */
  enqueue(message: OutgoingMessage, id: string, now: number): Promise<void>;
}

/** Every booking port together: what a use case of the unit of work is given. */
export type BookingStore = BookingSettingsStore &
  SlotStore &
  BookingRecordStore &
  ConfirmationStore &
  CodeEntryGuardStore &
  PersonRuleStore &
  DrawStore &
  OutboxWriter;

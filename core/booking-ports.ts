import type { SlotSpec } from './capacity.ts';
import type { Booking, BookingOfficeSettings, BookingPolicy, BookingState, OutgoingMessage, Slot } from './booking-model.ts';
import type { Application, DrawRecord } from './draw.ts';

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

export type TokenLookup = { kind: 'valid'; bookingId: string } | { kind: 'used' } | { kind: 'expired' } | { kind: 'unknown' };

/**
 * Online booking's store. Synchronous: each use case runs inside one unit of work (the same
 * transaction as the queue store), so a check and the write that depends on it cannot be
 * separated by another request. `reserve` is the one atomic step a rush contends on.
 */
export interface BookingStore {
  policy(serviceId: string): BookingPolicy | null;
  officeSettings(officeId: string): BookingOfficeSettings;
  /** Creates the day's slots if they do not exist yet (idempotent). */
  ensureSlots(serviceId: string, day: string, slots: readonly SlotSpec[]): void;
  slots(serviceId: string, day: string): Slot[];
  slot(id: string): Slot | null;
  /** `taken + 1` if a place is free: true when it was reserved. Never more than `places`. */
  reserve(slotId: string): boolean;
  /** Gives a place back (`taken − 1`). */
  free(slotId: string): void;
  /** Whether any slot of the day still has a free place (without counting lapsed holds). */
  hasFreePlace(serviceId: string, day: string): boolean;

  insertBooking(b: Booking): void;
  booking(id: string): Booking | null;
  bookingByNumber(number: string): Booking | null;
  bookingByHoldKey(hash: string): Booking | null;
  bookingByCancelHash(hash: string): Booking | null;
  /** Compare-and-set on the state, like tickets: null when it was no longer in `from`. */
  transition(id: string, from: BookingState, to: BookingState, patch: Partial<Booking>): Booking | null;
  /** Held bookings whose hold ran out at `now` (oldest first, at most `limit`). */
  lapsedHolds(now: number, limit: number, slotId?: string): Booking[];
  /** Confirmed bookings of the office holding this kiosk code. */
  kioskCodeInUse(officeId: string, code: string): boolean;

  insertToken(hash: string, bookingId: string, purpose: TokenPurpose, expiresAt: number): void;
  /** Looks a token up without consuming it (the page that shows the Confirm button). */
  peekToken(hash: string, purpose: TokenPurpose, now: number): TokenLookup;
  /** Marks the token used if it is valid: single use. */
  consumeToken(hash: string, purpose: TokenPurpose, now: number): TokenLookup;

  smsCode(bookingId: string): SmsCode | null;
  putSmsCode(code: SmsCode): void;
  /** One wrong try: returns the tries left. */
  spendTry(bookingId: string): number;
  deleteSmsCode(bookingId: string): void;

  /** Adds a message to the outbox (sealed at rest), in the current transaction. */
  enqueue(message: OutgoingMessage, id: string, now: number): void;

  // The application window (draw)
  draw(serviceId: string, day: string): DrawRecord | null;
  putDraw(d: DrawRecord): void;
  insertApplication(a: Application): boolean;
  applications(serviceId: string, day: string): Application[];
  setApplicationResult(id: string, state: Application['state'], bookingId: string | null): void;
  /** Draws whose window closed at `now` and that have not run yet. */
  drawsDue(now: number): DrawRecord[];
}

import type { BookingStore, Keyed, Secrets } from './ports.ts';
import type { Booking, BookingPolicy, ConfirmChannel, PersonHashes } from './model.ts';
import type { Language, Office, Service } from '../shared/model.ts';
import type { Clock, Ids, QueueStore } from '../queue/ports.ts';
import type { FeeData } from '../config/model.ts';
import type { OrderStore } from '../fees/ports.ts';
import type { Result } from '../shared/result.ts';

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
  /** Fees paid online before a booking counts; absent (no payment provider) = every service is free. */
  fees?: BookingFees;
}

/** What the booking flow needs of fees: the service's fee, and where its order is opened (in the same unit of work). */
export interface BookingFees {
  /** The service's fee as configured (`services[].online.fee`); null when it is free. */
  feeOf(serviceId: string): Promise<FeeData | null>;
  /** Orders written inside the caller's unit of work (not wrapped in one of their own). */
  orders: OrderStore;
  ids: Ids;
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
export type HoldCheck = (ctx: HoldContext, deps: BookingDeps) => Promise<Result<void>>;

/**
 * A rule run when a held booking's contact is confirmed: the bookings it cancelled instead, the
 * confirming one first, or null to let the confirmation go ahead.
 */
export type ConfirmRule = (held: Booking, deps: BookingDeps, now: number) => Promise<readonly Booking[] | null>;

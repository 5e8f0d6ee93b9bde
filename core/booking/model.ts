import type { Language, Localized } from '../shared/model.ts';

/**
 * Online booking data. Instants are epoch milliseconds (UTC); days are office-local
 * `YYYY-MM-DD`; minutes of day are office-local minutes since midnight.
 */

/** How a day's capacity in clients is set: a number, or the counter time allotted divided by the service time. */
export type DayCapacityRule =
  | { kind: 'explicit'; clients: number }
  /** Counter-minutes of the day (opening hours × counters serving the service, split by weights) ÷ `serviceMin`. */
  | { kind: 'counter-minutes'; serviceMin: number };

/**
 * When a day opens for booking. Rolling: each day opens when it enters the horizon, at `openAt`
 * office time. Scheduled: on the listed weekdays at `openAt`, the day `daysAhead` later opens
 * (Qujing: Mon–Thu 09:00 → +7 days); other days never open online.
 */
export type ReleaseRule =
  | { kind: 'rolling'; openAt: string }
  | { kind: 'scheduled'; weekdays: readonly number[]; openAt: string; daysAhead: number };

export type AllocationKind = 'fcfs' | 'draw';

export type ConfirmChannel = 'email' | 'sms';

/** A service's online-booking settings. No policy = no online booking; the whole day is walk-in. */
export interface BookingPolicy {
  serviceId: string;
  dayCapacity: DayCapacityRule;
  /** Percentage (0–100) of the day's capacity offered online; the rest is the kiosk's walk-in cap. */
  onlineSharePct: number;
  /**
   * Online places of a day regardless of the share (Qujing: 120 per subject); null = by share.
   * Never more than the day's capacity.
   */
  onlinePlaces: number | null;
  /** Length of one timed slot (minutes). */
  slotMin: number;
  /** Places of each slot; absent or null = the day's online places spread evenly over its slots. */
  placesPerSlot?: number | null;
  /** Furthest day bookable, in days after today (30 in Kostelec). */
  horizonDays: number;
  /** Nearest day bookable, in days after today (0 = today). */
  earliestDays: number;
  release: ReleaseRule;
  allocation: AllocationKind;
  /** Draw only: minutes the application window stays open after the release instant. */
  drawWindowMin: number;
  /** How long a slot is held while the client confirms (minutes); one extension of the same length. */
  holdMin: number;
  confirmBy: readonly ConfirmChannel[];
  /**
   * Weight of this service in the time of each counter that serves it (counter id → weight,
   * default 1): a counter serving several services splits its minutes by these weights.
   */
  counterWeights: Readonly<Record<string, number>>;
  /**
   * The service's identity key (vehicle chassis serial, passport holder): asked for in the form,
   * kept only as a keyed hash; one active booking per key (office rule `identityDuplicates`).
   * Absent = none asked for.
   */
  identityKey?: IdentityKeyPolicy | null;
}

export interface IdentityKeyPolicy {
  /** Whether a hold or application without one is refused. */
  required: boolean;
  /** What the field is called in the form ("Chassis serial (VIN)"). */
  label: Localized;
}

/** Office-wide booking switches. */
export interface BookingOfficeSettings {
  officeId: string;
  /** Crisis mode: all online booking stopped, with a message to the public. */
  suspended: boolean;
  suspendedMessage: Localized;
  checkIn: CheckInSettings;
  rules: BookingRules;
}

/** The office's rules about people who book (issue 6). */
export interface BookingRules {
  /**
   * A second active booking of a service with the same identity key: refused, or allowed to hold
   * and then, once its contact is confirmed, every active booking of that key for the service is
   * cancelled, the new one included (Bihor: duplicates lose all their bookings).
   */
  identityDuplicates: 'refuse' | 'cancelAll';
  /** Days a no-show (lapse or a clerk's no-show) bars its contacts and identity key from booking (0 = off). */
  noShowBanDays: number;
  /** Default length of a staff ban for fictitious data (days). */
  fictitiousBanDays: number;
  /** Refuse a national ID number (Romanian CNP, Czech rodné číslo, Chinese resident ID) in the name, e-mail or identity key. */
  forbidNationalIds: boolean;
}

export const DEFAULT_RULES: BookingRules = { identityDuplicates: 'refuse', noShowBanDays: 0, fictitiousBanDays: 180, forbidNationalIds: false };

/**
 * How booked clients check in at this office's kiosks. The window is
 * `startAt − earlyMin ≤ now ≤ startAt + lateMin` (minutes, both ends included).
 */
export interface CheckInSettings {
  earlyMin: number;
  lateMin: number;
  /** A client past the window: refused, or offered a walk-in ticket while walk-in capacity remains. */
  late: 'refuse' | 'walk-in';
  /** Prefix printed on booked arrivals' tickets (`R`); null = the service's own prefix. */
  prefix: string | null;
}

export const DEFAULT_CHECK_IN: CheckInSettings = { earlyMin: 15, lateMin: 15, late: 'refuse', prefix: null };

export interface Slot {
  /** `<serviceId>~<day>~<HHMM>`: deterministic, so materialising a day twice is a no-op. */
  id: string;
  serviceId: string;
  day: string;
  startMin: number;
  startAt: number;
  places: number;
  taken: number;
  /** Its length when stored; null for a slot stored before lengths were kept (read as the length in force). */
  minutes: number | null;
}

export const BOOKING_STATES = [
  'held',
  /** A fee-paying booking whose contact is confirmed: its place held until its order's payment deadline. */
  'awaiting_payment',
  'confirmed',
  'expired',
  'cancelled',
  'checked_in',
  'done',
  'lapsed',
  'no_show',
] as const;
export type BookingState = (typeof BOOKING_STATES)[number];

/** States that occupy a place in their slot. */
export const ACTIVE_BOOKING_STATES: readonly BookingState[] = ['held', 'awaiting_payment', 'confirmed', 'checked_in'];

/** Who a booking or a draw application is for: contacts sealed for delivery, hashed for matching. */
export interface SealedApplicant {
  language: Language;
  channel: ConfirmChannel;
  /** Sealed (AES-256-GCM) for delivery; null when not given. */
  nameSealed: string;
  emailSealed: string | null;
  phoneSealed: string | null;
  /** Keyed hashes (HMAC) of the normalised contacts, for matching (bans, lookups). */
  emailHash: string | null;
  phoneHash: string | null;
  /** The identity key's keyed hash and the id of the key it was made with (keys rotate); null without one. */
  identityKeyId: string | null;
  identityHash: string | null;
}

export interface Booking extends SealedApplicant {
  id: string;
  /** 10 characters of Crockford base32; shown only once confirmed. */
  number: string;
  officeId: string;
  serviceId: string;
  slotId: string;
  day: string;
  startAt: number;
  state: BookingState;
  /** Hash of the secret the client holds while confirming (hold key). */
  holdKeyHash: string;
  holdExpiresAt: number;
  holdExtended: boolean;
  /** Set at confirmation: unique among the office's active bookings. */
  kioskCode: string | null;
  /** Hash of the cancel token sent in the confirmation and the reminder. */
  cancelHash: string | null;
  createdAt: number;
  confirmedAt: number | null;
  expiredAt: number | null;
  cancelledAt: number | null;
  /** confirmed → checked_in: when, and the ticket it became (a late client's walk-in ticket on a lapsed booking). */
  checkedInAt: number | null;
  ticketId: string | null;
  lapsedAt: number | null;
  noShowAt: number | null;
  /**
   * How often the office changed the booking (moved or cancelled it): the iCalendar SEQUENCE of
   * its event, so a calendar replaces the old one. 0 as booked.
   */
  sequence: number;
  /** When the client accepted the office's latest change (its link), null until then. */
  changeAcceptedAt: number | null;
}

/**
 * A booked client who did not come: recorded when a booking lapses or a clerk marks its ticket
 * a no-show. Bans (issue 6) are derived from these by contact hash; an excused one (the client
 * came late and took a walk-in ticket) bans nobody.
 */
export interface NoShowRecord {
  bookingId: string;
  officeId: string;
  serviceId: string;
  emailHash: string | null;
  phoneHash: string | null;
  identityKeyId: string | null;
  identityHash: string | null;
  reason: 'lapsed' | 'clerk';
  at: number;
}

/** A keyed hash with the id of the key that made it. */
export interface KeyedHash {
  keyId: string;
  hash: string;
}

/** Who a rule looks at: keyed hashes only (an identity key under every key still known). */
export interface PersonHashes {
  emailHash: string | null;
  phoneHash: string | null;
  identity: readonly KeyedHash[];
  /**
   * An attempt's contacts hashed under every configured key, current first: records made before
   * a key rotation (bans, no-shows, bookings) still match them. Stored records have only their
   * own `emailHash`/`phoneHash`.
   */
  contactHashes?: readonly string[];
}

/**
 * A ban set by staff (fictitious data): the person's hashes, why, until when. No-show bans are
 * not stored as bans: they follow from the recorded no-shows and the office's period.
 */
export interface Ban {
  id: string;
  officeId: string;
  kind: 'fictitious';
  emailHash: string | null;
  phoneHash: string | null;
  identityKeyId: string | null;
  identityHash: string | null;
  reason: string;
  startsAt: number;
  endsAt: number;
  createdBy: string;
  liftedAt: number | null;
  liftedBy: string | null;
  liftReason: string | null;
}

/**
 * What a rule decided about a person, kept so staff can answer "why was I refused?": which rule,
 * what it did, to which booking or attempt, and the person's hashes (never clear data).
 */
export interface RuleDecision {
  /** Unique; for a refusal, the attempt id the client is told (10 characters of Crockford base32). */
  id: string;
  officeId: string;
  serviceId: string | null;
  /** The refusal's error code, or the rule that acted (`identity-cancel-all`, `ban`, `no-show-ban`). */
  rule: string;
  outcome: 'refused' | 'cancelled' | 'ban-applied' | 'ban-lifted';
  bookingId: string | null;
  /** A draw application's id, when the decision was about one. */
  applicationId: string | null;
  emailHash: string | null;
  phoneHash: string | null;
  identityHash: string | null;
  /** Non-personal detail: the ban's end, the booking numbers cancelled, a staff reason. */
  detail: string;
  at: number;
}

/** What a public status lookup shows: no personal data. */
export interface BookingStatusView {
  number: string;
  officeId: string;
  serviceId: string;
  day: string;
  startAt: number;
  state: BookingState;
}

/** `alert`: to staff, not about a booking (an office's alerts, to its supervisors who gave an address). */
/** `fee-refunded`: money of a booking's order went back (a second charge, a late payment, a refunded order), with the provider's references. */
export type MessageKind = 'confirm-link' | 'confirm-code' | 'confirmed' | 'reminder' | 'cancelled' | 'changed' | 'draw-result' | 'no-show' | 'alert' | 'fee-refunded' | 'rating';

/**
 * Whether a reminder of this booking still tells the truth: the booking is confirmed and its time
 * is ahead. Checked when the reminder is about to be sent (a host that was off may wake after the
 * booking); the store also drops reminders with every move out of `confirmed`.
 */
export const reminderHolds = (b: Pick<Booking, 'state' | 'startAt'>, now: number): boolean => b.state === 'confirmed' && now < b.startAt;

/** Lower goes first: codes before confirmations before reminders. */
export const MESSAGE_PRIORITY: Readonly<Record<MessageKind, number>> = {
  'confirm-code': 0,
  'confirm-link': 0,
  confirmed: 1,
  cancelled: 1,
  changed: 1,
  'no-show': 1,
  alert: 1,
  'fee-refunded': 1,
  'draw-result': 2,
  reminder: 3,
  rating: 3,
};

/**
 * A message to deliver, as the core asks for it: the worker renders it in `language` at send
 * time. `params` may hold secrets (a code, a link token): the store keeps the whole message
 * sealed.
 */
export interface OutgoingMessage {
  bookingId: string | null;
  officeId: string;
  channel: ConfirmChannel;
  kind: MessageKind;
  /** E-mail address or phone number (E.164). */
  to: string;
  language: Language;
  params: Record<string, string | number>;
  /** Not before this instant (reminders: the day before). */
  notBefore: number;
}

/** What staff see of a message: its state, never its content. */
export interface OutboxView {
  id: string;
  bookingId: string | null;
  channel: ConfirmChannel;
  kind: MessageKind;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  sentAt: number | null;
}

/** The lifecycle fields of a booking just held: no code, no confirmation, nothing after. */
export const NOTHING_HAPPENED_YET = {
  kioskCode: null,
  cancelHash: null,
  confirmedAt: null,
  expiredAt: null,
  cancelledAt: null,
  checkedInAt: null,
  ticketId: null,
  lapsedAt: null,
  noShowAt: null,
  sequence: 0,
  changeAcceptedAt: null,
} as const satisfies Partial<Booking>;

/** A day applied for by draw (commit, then reveal): see draw.ts. */
export interface Application extends SealedApplicant {
  id: string;
  officeId: string;
  serviceId: string;
  day: string;
  state: 'applied' | 'allocated' | 'not_allocated';
  appliedAt: number;
  /** The service's ranking rule as a number, lower first (0 for everyone = a pure lottery). */
  rankKey: number;
  /** One application per contact per service and day. */
  contactKey: string;
  holdKeyHash: string;
  bookingId: string | null;
}

export interface DrawRecord {
  officeId: string;
  serviceId: string;
  day: string;
  opensAt: number;
  closesAt: number;
  /** SHA-256(seed), hex: public from the start. */
  commitment: string;
  /** The seed, sealed until the run. */
  seedSealed: string;
  /** Published after the run. */
  seed: string | null;
  state: 'open' | 'done';
  ranAt: number | null;
}

export type { SettingValue, SettingChange, SettingsChangeVia } from './settings-change.ts';

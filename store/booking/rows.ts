import type { Booking, BookingState, KeyedHash, PersonHashes, Slot } from '../../core/booking/model.ts';

export interface BookingRow {
  id: string;
  number: string;
  office_id: string;
  service_id: string;
  slot_id: string;
  day: string;
  start_at: number;
  state: BookingState;
  language: string;
  channel: 'email' | 'sms';
  name_sealed: string;
  email_sealed: string | null;
  phone_sealed: string | null;
  email_hash: string | null;
  phone_hash: string | null;
  identity_key_id: string | null;
  identity_hash: string | null;
  hold_key_hash: string;
  hold_expires_at: number;
  hold_extended: number;
  kiosk_code: string | null;
  cancel_hash: string | null;
  created_at: number;
  confirmed_at: number | null;
  expired_at: number | null;
  cancelled_at: number | null;
  checked_in_at: number | null;
  ticket_id: string | null;
  lapsed_at: number | null;
  no_show_at: number | null;
  sequence: number;
  change_accepted_at: number | null;
}

export const BOOKING_COLUMNS: Readonly<Record<keyof Booking, keyof BookingRow>> = {
  id: 'id',
  number: 'number',
  officeId: 'office_id',
  serviceId: 'service_id',
  slotId: 'slot_id',
  day: 'day',
  startAt: 'start_at',
  state: 'state',
  language: 'language',
  channel: 'channel',
  nameSealed: 'name_sealed',
  emailSealed: 'email_sealed',
  phoneSealed: 'phone_sealed',
  emailHash: 'email_hash',
  phoneHash: 'phone_hash',
  identityKeyId: 'identity_key_id',
  identityHash: 'identity_hash',
  holdKeyHash: 'hold_key_hash',
  holdExpiresAt: 'hold_expires_at',
  holdExtended: 'hold_extended',
  kioskCode: 'kiosk_code',
  cancelHash: 'cancel_hash',
  createdAt: 'created_at',
  confirmedAt: 'confirmed_at',
  expiredAt: 'expired_at',
  cancelledAt: 'cancelled_at',
  checkedInAt: 'checked_in_at',
  ticketId: 'ticket_id',
  lapsedAt: 'lapsed_at',
  noShowAt: 'no_show_at',
  sequence: 'sequence',
  changeAcceptedAt: 'change_accepted_at',
};
export const BOOKING_FIELDS = Object.keys(BOOKING_COLUMNS) as (keyof Booking)[];

export const toSql = (v: unknown): unknown => (typeof v === 'boolean' ? (v ? 1 : 0) : (v ?? null));

export function bookingFromRow(r: BookingRow): Booking {
  const b = {} as Record<keyof Booking, unknown>;
  for (const f of BOOKING_FIELDS) b[f] = r[BOOKING_COLUMNS[f]];
  b.holdExtended = r.hold_extended === 1;
  return b as Booking;
}

export interface SlotRow {
  id: string;
  service_id: string;
  day: string;
  start_min: number;
  start_at: number;
  places: number;
  taken: number;
  minutes: number | null;
}

export const slotFromRow = (r: SlotRow): Slot => ({
  id: r.id,
  serviceId: r.service_id,
  day: r.day,
  startMin: r.start_min,
  startAt: r.start_at,
  places: r.places,
  taken: r.taken,
  minutes: r.minutes,
});

/**
 * SQL matching a person by any of their hashes: `@contacts` and `@ids` are JSON arrays of contact
 * hashes (e-mail and phone, every configured key; the purposes differ, so an e-mail hash can never
 * equal a phone hash) and of identity hashes.
 */
export const MATCHES_PERSON = `(email_hash IN (SELECT value FROM json_each(@contacts)) OR phone_hash IN (SELECT value FROM json_each(@contacts))
  OR identity_hash IN (SELECT value FROM json_each(@ids)))`;
export const identityIds = (identity: readonly KeyedHash[]): string => JSON.stringify(identity.map((k) => k.hash));
export const personParams = (p: PersonHashes) => ({
  contacts: JSON.stringify([...new Set([p.emailHash, p.phoneHash, ...(p.contactHashes ?? [])].filter((h): h is string => h !== null))]),
  ids: identityIds(p.identity),
});
/** A booking that takes a place and can still change: a live hold, one awaiting its payment, or a confirmed booking. */
export const LIVE = `(state IN ('awaiting_payment', 'confirmed') OR (state = 'held' AND hold_expires_at > @now))`;

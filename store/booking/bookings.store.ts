import type { Database, Statement } from 'better-sqlite3';
import type { BookingRecordStore, SlotStore } from '../../core/booking/ports.ts';
import type { Booking, BookingState, KeyedHash, PersonHashes, Slot } from '../../core/booking/model.ts';
import type { SlotSpec } from '../../core/queue/capacity.ts';
import { ReadCache } from '../read-cache.ts';
import {
  BOOKING_COLUMNS,
  BOOKING_FIELDS,
  bookingFromRow,
  identityIds,
  LIVE,
  MATCHES_PERSON,
  personParams,
  slotFromRow,
  toSql,
  type BookingRow,
  type SlotRow,
} from './rows.ts';

const slotStatements = (db: Database) => ({
  ensureSlot: db.prepare<[string, string, string, number, number, number, number | null]>(`INSERT INTO slots (id, service_id, day, start_min, start_at, places, minutes)
    VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`),
  slots: db.prepare<[string, string], SlotRow>('SELECT * FROM slots WHERE service_id = ? AND day = ? ORDER BY start_min'),
  slot: db.prepare<[string], SlotRow>('SELECT * FROM slots WHERE id = ?'),
  reserve: db.prepare<[string]>('UPDATE slots SET taken = taken + 1 WHERE id = ? AND taken < places'),
  free: db.prepare<[string]>('UPDATE slots SET taken = taken - 1 WHERE id = ? AND taken > 0'),
  hasFree: db.prepare<[string, string]>('SELECT 1 AS y FROM slots WHERE service_id = ? AND day = ? AND taken < places LIMIT 1'),
});

/**
 * The SQLite adapter of a day's slots. The one contended write, `reserve`, is a single conditional
 * UPDATE; the CHECK (taken <= places) stands behind it.
 *
 * Reads outside a transaction come from a cache while nothing was written (read-cache.ts: any
 * write on this connection — reserve, free, ensureSlots, a rollback's — or a commit by another
 * one empties it): in a release rush thousands of clients look at the same day and are refused
 * from the same full slots between two group commits.
 */
export class SqliteSlotStore implements SlotStore {
  private readonly s: ReturnType<typeof slotStatements>;
  private readonly cache: ReadCache;

  constructor(db: Database) {
    this.s = slotStatements(db);
    this.cache = new ReadCache(db);
  }

  async ensureSlots(serviceId: string, day: string, slots: readonly SlotSpec[]): Promise<void> {
    // A slot once stored keeps its places: only the slots missing are added (time opened since
    // the day was stored), in the caller's unit of work.
    for (const s of slots) this.s.ensureSlot.run(s.id, serviceId, day, s.startMin, s.startAt, s.places, s.minutes ?? null);
  }

  async slots(serviceId: string, day: string): Promise<Slot[]> {
    return [...this.cache.get(`day:${serviceId}\u0000${day}`, () => this.s.slots.all(serviceId, day).map(slotFromRow))];
  }

  async slot(id: string): Promise<Slot | null> {
    return this.cache.get(`slot:${id}`, () => {
      const r = this.s.slot.get(id);
      return r === undefined ? null : slotFromRow(r);
    });
  }

  async reserve(slotId: string): Promise<boolean> {
    return this.s.reserve.run(slotId).changes === 1;
  }

  async free(slotId: string): Promise<void> {
    this.s.free.run(slotId);
  }

  async hasFreePlace(serviceId: string, day: string): Promise<boolean> {
    return this.cache.get(`free:${serviceId}\u0000${day}`, () => this.s.hasFree.get(serviceId, day) !== undefined);
  }
}

type ByKioskCode = [{ office: string; code: string; day: string }];
type ByPerson = [{ office: string; contacts: string; ids: string; now: number }];

const bookingStatements = (db: Database) => ({
  insertBooking: db.prepare<[Record<string, unknown>]>(`INSERT INTO bookings (${Object.values(BOOKING_COLUMNS).join(', ')})
    VALUES (${Object.values(BOOKING_COLUMNS).map((c) => '@' + c).join(', ')})`),
  booking: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE id = ?'),
  byNumber: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE number = ?'),
  byHoldKey: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE hold_key_hash = ?'),
  byCancel: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE cancel_hash = ?'),
  byTicket: db.prepare<[string], BookingRow>('SELECT * FROM bookings WHERE ticket_id = ?'),
  lapsed: db.prepare<[number, number], BookingRow>(`SELECT * FROM bookings WHERE state = 'held' AND hold_expires_at <= ? ORDER BY hold_expires_at LIMIT ?`),
  lapsedOfSlot: db.prepare<[string, number, number], BookingRow>(
    `SELECT * FROM bookings WHERE state = 'held' AND slot_id = ? AND hold_expires_at <= ? ORDER BY hold_expires_at LIMIT ?`,
  ),
  // A literal LIMIT: with a bound one this ran 20 times slower (measured), and a release rush
  // asks it of every attempt on a full slot.
  anyLapsedOfSlot: db.prepare<[string, number]>(`SELECT 1 FROM bookings WHERE state = 'held' AND slot_id = ? AND hold_expires_at <= ? LIMIT 1`),
  // What the cache keeps instead: the first hold of the slot to run out (bookings_slot_held).
  firstHoldEnd: db.prepare<[string], number | null>(`SELECT min(hold_expires_at) FROM bookings WHERE state = 'held' AND slot_id = ?`).pluck(),
  kioskCode: db.prepare<ByKioskCode>(`SELECT 1 AS y FROM bookings WHERE office_id = @office AND kiosk_code = @code
    AND (state IN ('confirmed', 'checked_in') OR day >= @day) LIMIT 1`),
  byKioskCode: db.prepare<ByKioskCode, BookingRow>(`SELECT * FROM bookings WHERE office_id = @office AND kiosk_code = @code
    AND (state IN ('confirmed', 'checked_in') OR day = @day)
    ORDER BY state IN ('confirmed', 'checked_in') DESC, start_at DESC LIMIT 1`),
  toLapse: db.prepare<[string, number, number], BookingRow>(
    `SELECT * FROM bookings WHERE state = 'confirmed' AND office_id = ? AND start_at < ? ORDER BY start_at LIMIT ?`,
  ),
  confirmedBetween: db.prepare<[string, number, number], BookingRow>(
    `SELECT * FROM bookings WHERE state = 'confirmed' AND office_id = ? AND start_at BETWEEN ? AND ? ORDER BY start_at, id`,
  ),
  activeByIdentity: db.prepare<[{ ids: string; service: string; now: number }], BookingRow>(`SELECT * FROM bookings
    WHERE identity_hash IN (SELECT value FROM json_each(@ids)) AND service_id = @service
    AND (state IN ('awaiting_payment', 'confirmed', 'checked_in') OR (state = 'held' AND hold_expires_at > @now)) ORDER BY created_at, id`),
  cancellableOf: db.prepare<ByPerson, BookingRow>(`SELECT * FROM bookings WHERE office_id = @office AND ${MATCHES_PERSON} AND ${LIVE} ORDER BY created_at, id`),
  dropReminders: db.prepare<[string]>(`DELETE FROM outbox WHERE booking_id = ? AND kind = 'reminder' AND state = 'pending'`),
});

const orNull = (r: BookingRow | undefined): Booking | null => (r === undefined ? null : bookingFromRow(r));

/** The SQLite adapter of the bookings (holds included). */
export class SqliteBookingRecords implements BookingRecordStore {
  private readonly s: ReturnType<typeof bookingStatements>;
  /** `transition` statements by the fields they set (a patch names a handful of them). */
  private readonly transitions = new Map<string, Statement<[Record<string, unknown>], BookingRow>>();

  /** When the first hold of a slot runs out, read outside transactions (see SqliteSlotStore). */
  private readonly cache: ReadCache;

  constructor(private readonly db: Database) {
    this.s = bookingStatements(db);
    this.cache = new ReadCache(db);
  }

  async insertBooking(b: Booking): Promise<void> {
    const row: Record<string, unknown> = {};
    for (const f of BOOKING_FIELDS) row[BOOKING_COLUMNS[f]] = toSql(b[f]);
    this.s.insertBooking.run(row);
  }

  async booking(id: string): Promise<Booking | null> {
    return orNull(this.s.booking.get(id));
  }

  async bookingByNumber(number: string): Promise<Booking | null> {
    return orNull(this.s.byNumber.get(number));
  }

  async bookingByHoldKey(hash: string): Promise<Booking | null> {
    return orNull(this.s.byHoldKey.get(hash));
  }

  async bookingByCancelHash(hash: string): Promise<Booking | null> {
    return orNull(this.s.byCancel.get(hash));
  }

  async transition(id: string, from: BookingState, to: BookingState, patch: Partial<Booking>): Promise<Booking | null> {
    const fields = (Object.keys(patch) as (keyof Booking)[]).filter((f) => f !== 'state' && f !== 'id');
    const key = fields.join(',');
    let stmt = this.transitions.get(key);
    if (stmt === undefined) {
      const sets = ['state = @__to', ...fields.map((f) => `${BOOKING_COLUMNS[f]} = @${BOOKING_COLUMNS[f]}`)];
      stmt = this.db.prepare<[Record<string, unknown>], BookingRow>(`UPDATE bookings SET ${sets.join(', ')} WHERE id = @__id AND state = @__from RETURNING *`);
      this.transitions.set(key, stmt);
    }
    const params: Record<string, unknown> = { __id: id, __from: from, __to: to };
    for (const f of fields) params[BOOKING_COLUMNS[f]] = toSql(patch[f]);
    const row = stmt.get(params);
    if (row === undefined) return null;
    if (row.state !== 'confirmed') this.s.dropReminders.run(id);
    return bookingFromRow(row);
  }

  async dropReminders(id: string): Promise<void> {
    this.s.dropReminders.run(id);
  }

  async lapsedHolds(now: number, limit: number, slotId?: string): Promise<Booking[]> {
    const rows = slotId === undefined ? this.s.lapsed.all(now, limit) : this.s.lapsedOfSlot.all(slotId, now, limit);
    return rows.map(bookingFromRow);
  }

  async hasLapsedHold(slotId: string, now: number): Promise<boolean> {
    // A rush asks this of every attempt on a full slot; the answer moves with the clock, the first end does not.
    const end = this.cache.get(`held:${slotId}`, () => this.s.firstHoldEnd.get(slotId) ?? null);
    return end !== null && end <= now;
  }

  async kioskCodeInUse(officeId: string, code: string, day: string): Promise<boolean> {
    return this.s.kioskCode.get({ office: officeId, code, day }) !== undefined;
  }

  async bookingByKioskCode(officeId: string, code: string, day: string): Promise<Booking | null> {
    return orNull(this.s.byKioskCode.get({ office: officeId, code, day }));
  }

  async bookingByTicket(ticketId: string): Promise<Booking | null> {
    return orNull(this.s.byTicket.get(ticketId));
  }

  async bookingsToLapse(officeId: string, startedBefore: number, limit: number): Promise<Booking[]> {
    return this.s.toLapse.all(officeId, startedBefore, limit).map(bookingFromRow);
  }

  async confirmedBookingsBetween(officeId: string, from: number, to: number): Promise<Booking[]> {
    return this.s.confirmedBetween.all(officeId, from, to).map(bookingFromRow);
  }

  async activeBookingsByIdentity(serviceId: string, identity: readonly KeyedHash[], now: number): Promise<Booking[]> {
    if (identity.length === 0) return [];
    return this.s.activeByIdentity.all({ ids: identityIds(identity), service: serviceId, now }).map(bookingFromRow);
  }

  async cancellableBookingsOf(officeId: string, person: PersonHashes, now: number): Promise<Booking[]> {
    return this.s.cancellableOf.all({ office: officeId, ...personParams(person), now }).map(bookingFromRow);
  }
}

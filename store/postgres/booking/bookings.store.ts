import type { BookingRecordStore, SlotStore } from '../../../core/booking/ports.ts';
import type { Booking, BookingState, KeyedHash, PersonHashes, Slot } from '../../../core/booking/model.ts';
import type { SlotSpec } from '../../../core/queue/capacity.ts';
import { BOOKING_COLUMNS, BOOKING_FIELDS, toSql } from '../../booking/rows.ts';
import { changes, columnsOf, fieldsOf, placeholders, lockKeys, LOCK, personArrays, personMatch, row, rows, type Async, type Sql } from './sql.ts';

const SLOT = fieldsOf(['id', 'serviceId', 'day', 'startMin', 'startAt', 'places', 'taken', 'minutes']);

/**
 * The PostgreSQL adapter of a day's slots. `reserve` is one conditional UPDATE: under READ
 * COMMITTED a writer that waited on the row re-checks `taken < places` against the committed
 * value, so concurrent holds on any number of hosts never take more than `places` (and the
 * CHECK (taken <= places) stands behind it).
 */
export class PgSlotStore implements Async<SlotStore> {
  constructor(private readonly sql: Sql) {}

  async ensureSlots(serviceId: string, day: string, slots: readonly SlotSpec[]): Promise<void> {
    // Two hosts creating the same day at once: the second waits, then adds nothing. A slot once
    // stored keeps its places: only the slots missing are added (time opened since the day was stored).
    await lockKeys(this.sql, LOCK.slotDay, [JSON.stringify([serviceId, day])]);
    for (const s of slots) {
      await this.sql.query(`INSERT INTO slots (id, service_id, day, start_min, start_at, places, minutes) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (id) DO NOTHING`, [s.id, serviceId, day, s.startMin, s.startAt, s.places, s.minutes ?? null]);
    }
  }

  slots(serviceId: string, day: string): Promise<Slot[]> {
    return rows<Slot>(this.sql, `SELECT ${SLOT} FROM slots WHERE service_id = $1 AND day = $2 ORDER BY start_min`, [serviceId, day]);
  }

  slot(id: string): Promise<Slot | null> {
    return row<Slot>(this.sql, `SELECT ${SLOT} FROM slots WHERE id = $1`, [id]);
  }

  async reserve(slotId: string): Promise<boolean> {
    return (await changes(this.sql, 'UPDATE slots SET taken = taken + 1 WHERE id = $1 AND taken < places', [slotId])) === 1;
  }

  async free(slotId: string): Promise<void> {
    await this.sql.query('UPDATE slots SET taken = taken - 1 WHERE id = $1 AND taken > 0', [slotId]);
  }

  async hasFreePlace(serviceId: string, day: string): Promise<boolean> {
    return (await row(this.sql, 'SELECT 1 FROM slots WHERE service_id = $1 AND day = $2 AND taken < places LIMIT 1', [serviceId, day])) !== null;
  }
}

const BOOKING = fieldsOf(BOOKING_FIELDS, { holdExtended: '(hold_extended = 1)' });
const INSERT = `INSERT INTO bookings (${columnsOf(BOOKING_FIELDS)}) VALUES (${placeholders(BOOKING_FIELDS.length)})`;
const DROP_REMINDERS = `DELETE FROM outbox WHERE booking_id = $1 AND kind = 'reminder' AND state = 'pending'`;
const ACTIVE = `(state IN ('awaiting_payment', 'confirmed', 'checked_in') OR (state = 'held' AND hold_expires_at > $3))`;
/** A booking that takes a place and can still change: a live hold, one awaiting its payment, or a confirmed booking (`$4` is now). */
const LIVE = `(state IN ('awaiting_payment', 'confirmed') OR (state = 'held' AND hold_expires_at > $4))`;

/** The PostgreSQL adapter of the bookings (holds included). */
export class PgBookingRecords implements Async<BookingRecordStore> {
  constructor(private readonly sql: Sql) {}

  private one(where: string, values: readonly unknown[]): Promise<Booking | null> {
    return row<Booking>(this.sql, `SELECT ${BOOKING} FROM bookings WHERE ${where}`, values);
  }

  private many(where: string, values: readonly unknown[]): Promise<Booking[]> {
    return rows<Booking>(this.sql, `SELECT ${BOOKING} FROM bookings WHERE ${where}`, values);
  }

  async insertBooking(b: Booking): Promise<void> {
    await this.sql.query(INSERT, BOOKING_FIELDS.map((f) => toSql(b[f])));
  }

  booking(id: string): Promise<Booking | null> {
    return this.one('id = $1', [id]);
  }

  bookingByNumber(number: string): Promise<Booking | null> {
    return this.one('number = $1', [number]);
  }

  bookingByHoldKey(hash: string): Promise<Booking | null> {
    return this.one('hold_key_hash = $1', [hash]);
  }

  bookingByCancelHash(hash: string): Promise<Booking | null> {
    return this.one('cancel_hash = $1', [hash]);
  }

  async transition(id: string, from: BookingState, to: BookingState, patch: Partial<Booking>): Promise<Booking | null> {
    const fields = (Object.keys(patch) as (keyof Booking)[]).filter((f) => f !== 'state' && f !== 'id');
    const sets = ['state = $3', ...fields.map((f, i) => `${BOOKING_COLUMNS[f]} = $${i + 4}`)];
    const moved = await row<Booking>(
      this.sql,
      `UPDATE bookings SET ${sets.join(', ')} WHERE id = $1 AND state = $2 RETURNING ${BOOKING}`,
      [id, from, to, ...fields.map((f) => toSql(patch[f]))],
    );
    if (moved !== null && moved.state !== 'confirmed') await this.sql.query(DROP_REMINDERS, [id]);
    return moved;
  }

  async dropReminders(id: string): Promise<void> {
    await this.sql.query(DROP_REMINDERS, [id]);
  }

  lapsedHolds(now: number, limit: number, slotId?: string): Promise<Booking[]> {
    return slotId === undefined
      ? this.many(`state = 'held' AND hold_expires_at <= $1 ORDER BY hold_expires_at LIMIT $2`, [now, limit])
      : this.many(`state = 'held' AND hold_expires_at <= $1 AND slot_id = $3 ORDER BY hold_expires_at LIMIT $2`, [now, limit, slotId]);
  }

  async hasLapsedHold(slotId: string, now: number): Promise<boolean> {
    return (await row(this.sql, `SELECT 1 FROM bookings WHERE state = 'held' AND slot_id = $1 AND hold_expires_at <= $2 LIMIT 1`, [slotId, now])) !== null;
  }

  async kioskCodeInUse(officeId: string, code: string, day: string): Promise<boolean> {
    const hit = await row(
      this.sql,
      `SELECT 1 FROM bookings WHERE office_id = $1 AND kiosk_code = $2 AND (state IN ('confirmed', 'checked_in') OR day >= $3) LIMIT 1`,
      [officeId, code, day],
    );
    return hit !== null;
  }

  bookingByKioskCode(officeId: string, code: string, day: string): Promise<Booking | null> {
    return this.one(
      `office_id = $1 AND kiosk_code = $2 AND (state IN ('confirmed', 'checked_in') OR day = $3)
      ORDER BY state IN ('confirmed', 'checked_in') DESC, start_at DESC LIMIT 1`,
      [officeId, code, day],
    );
  }

  bookingByTicket(ticketId: string): Promise<Booking | null> {
    return this.one('ticket_id = $1', [ticketId]);
  }

  bookingsToLapse(officeId: string, startedBefore: number, limit: number): Promise<Booking[]> {
    return this.many(`state = 'confirmed' AND office_id = $1 AND start_at < $2 ORDER BY start_at LIMIT $3`, [officeId, startedBefore, limit]);
  }

  confirmedBookingsBetween(officeId: string, from: number, to: number): Promise<Booking[]> {
    return this.many(`state = 'confirmed' AND office_id = $1 AND start_at BETWEEN $2 AND $3 ORDER BY start_at, id COLLATE "C"`, [officeId, from, to]);
  }

  /**
   * Also locks the identity key until the transaction ends: a use case checks "no active booking
   * with this key" here and then inserts one, and on SQLite the single writer keeps the two
   * together. Here a second host's check of the same key waits for the first transaction, then
   * (READ COMMITTED: each statement sees what committed before it) sees its booking.
   */
  async activeBookingsByIdentity(serviceId: string, identity: readonly KeyedHash[], now: number): Promise<Booking[]> {
    if (identity.length === 0) return [];
    const hashes = identity.map((k) => k.hash);
    await lockKeys(this.sql, LOCK.identity, hashes.map((h) => JSON.stringify([serviceId, h])));
    return this.many(`identity_hash = ANY($1::text[]) AND service_id = $2 AND ${ACTIVE} ORDER BY created_at, id COLLATE "C"`, [hashes, serviceId, now]);
  }

  cancellableBookingsOf(officeId: string, person: PersonHashes, now: number): Promise<Booking[]> {
    return this.many(`office_id = $1 AND ${personMatch(2)} AND ${LIVE} ORDER BY created_at, id COLLATE "C"`, [officeId, ...personArrays(person), now]);
  }
}

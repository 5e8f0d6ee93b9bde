import type { BookingStore, Keyed } from '../../../core/booking/ports.ts';
import { PgBookingRecords, PgSlotStore } from './bookings.store.ts';
import { PgCodeEntryGuard, PgConfirmationStore } from './codes.store.ts';
import { PgDrawStore, PgOutboxWriter } from './draws.store.ts';
import { PgPersonRuleStore } from './person-rules.store.ts';
import { PgBookingSettings } from './settings.store.ts';
import { combine } from '../../combine.ts';
import type { Async, Sql } from './sql.ts';

/**
 * The PostgreSQL booking store: one adapter per port, all on the unit of work's client (one
 * transaction of `inTransaction`), so they share its transaction as SQLite's share the connection.
 * Made per transaction: cheap (no prepared state), and a client belongs to one transaction at a time.
 */
export function pgBookingStore(sql: Sql, keyed: Pick<Keyed, 'seal'>): Async<BookingStore> {
  return combine(
    new PgBookingSettings(sql),
    new PgSlotStore(sql),
    new PgBookingRecords(sql),
    new PgConfirmationStore(sql),
    new PgCodeEntryGuard(sql),
    new PgPersonRuleStore(sql),
    new PgDrawStore(sql),
    new PgOutboxWriter(sql, keyed),
  );
}


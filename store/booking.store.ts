import type { Database } from 'better-sqlite3';
import type { BookingStore, Keyed } from '../core/booking/ports.ts';
import { SqliteBookingSettings } from './booking/settings.store.ts';
import { SqliteBookingRecords, SqliteSlotStore } from './booking/bookings.store.ts';
import { SqliteCodeEntryGuard, SqliteConfirmationStore } from './booking/codes.store.ts';
import { SqlitePersonRuleStore } from './booking/person-rules.store.ts';
import { SqliteDrawStore, SqliteOutboxWriter } from './booking/draws.store.ts';
import { combine } from './combine.ts';

/**
 * The SQLite booking store: one adapter per port (settings, slots, bookings, confirmation secrets,
 * code-entry guard, rules about people, draws, outbox), all on the unit of work's connection so
 * that they share its transaction.
 */
export function sqliteBookingStore(db: Database, keyed: Pick<Keyed, 'seal'>): BookingStore {
  return combine(
    new SqliteBookingSettings(db),
    new SqliteSlotStore(db),
    new SqliteBookingRecords(db),
    new SqliteConfirmationStore(db),
    new SqliteCodeEntryGuard(db),
    new SqlitePersonRuleStore(db),
    new SqliteDrawStore(db),
    new SqliteOutboxWriter(db, keyed),
  );
}

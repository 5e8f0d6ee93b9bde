import type { Database } from 'better-sqlite3';
import type { BookingStore, Keyed } from '../core/booking/ports.ts';
import { SqliteBookingSettings } from './booking/settings.store.ts';
import { SqliteBookingRecords, SqliteSlotStore } from './booking/bookings.store.ts';
import { SqliteCodeEntryGuard, SqliteConfirmationStore } from './booking/codes.store.ts';
import { SqlitePersonRuleStore } from './booking/person-rules.store.ts';
import { SqliteDrawStore, SqliteOutboxWriter } from './booking/draws.store.ts';

type Intersection<T extends readonly object[]> = T extends readonly [infer H, ...infer R extends readonly object[]] ? H & Intersection<R> : unknown;

/**
 * One object with every method of the parts, each bound to its part. The parts' ports do not
 * overlap; a name two parts share is a bug and throws at construction.
 */
function combine<T extends readonly object[]>(...parts: T): Intersection<T> {
  const all: Record<string, unknown> = {};
  for (const part of parts) {
    const proto = Object.getPrototypeOf(part) as object;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const method: unknown = Reflect.get(part, name);
      if (name === 'constructor' || typeof method !== 'function') continue;
      if (name in all) throw new Error(`booking store: two parts implement ${name}`);
      all[name] = (method as (...args: unknown[]) => unknown).bind(part);
    }
  }
  return all as Intersection<T>;
}

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

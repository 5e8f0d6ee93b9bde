import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { BookingStore } from '../../core/booking/ports.ts';
import { NOTHING_HAPPENED_YET, type Booking, type BookingPolicy } from '../../core/booking/model.ts';
import { memoryBookingStore } from '../../core/booking/fakes/booking-store.fake.ts';
import { slotId } from '../../core/queue/capacity.ts';
import { sqliteBookingStore } from '../../store/booking.store.ts';
import { saveBookingPolicy } from '../../store/booking/settings.store.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase } from '../../store/database.ts';
import { pgBookingStore } from '../../store/postgres/booking/index.ts';
import { pendingReminders, savePgOfficeConfig } from '../../store/postgres/booking/fixtures-config.ts';
import { savePgBookingPolicy } from '../../store/postgres/booking/settings.store.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { testKeyed } from '../helpers/booking.ts';
import { testOffice } from '../helpers/office.ts';
import type { Async } from '../../core/shared/async.ts';

export type { Async };

/** One booking store under contract: the port, what configuration writes stand for, what the outbox holds. */
export interface Subject {
  store: Async<BookingStore>;
  savePolicy(p: BookingPolicy): Promise<void>;
  /** Pending reminders queued for a booking. */
  reminders(bookingId: string): Promise<number>;
  close(): Promise<void>;
}

/** The SQLite adapter on a real temp file, with office `o1` and its services `o1-s1`…`o1-s3`. */
function sqliteSubject(): Subject {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-contract-'));
  const db = openDatabase(join(dir, 'f.db'));
  saveOfficeConfig(db, testOffice());
  const count = db.prepare<[string], number>(`SELECT count(*) FROM outbox WHERE booking_id = ? AND kind = 'reminder' AND state = 'pending'`).pluck();
  return {
    store: sqliteBookingStore(db, testKeyed()),
    savePolicy: async (p) => saveBookingPolicy(db, p),
    reminders: async (id) => count.get(id) ?? 0,
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function memorySubject(): Subject {
  const m = memoryBookingStore();
  return {
    store: m.store,
    savePolicy: async (p) => m.savePolicy(p),
    reminders: async (id) => m.outbox.filter((x) => x.bookingId === id && x.kind === 'reminder').length,
    close: async () => undefined,
  };
}

/**
 * The PostgreSQL adapter on a real server: the test file's own database (migrated), each case in
 * one transaction rolled back at its end, as the unit of work gives the store one transaction.
 */
function pgSubjects(): { setUp: () => Promise<void>; tearDown: () => Promise<void>; make: () => Promise<Subject> } {
  let database: TestDatabase | null = null;
  let pool: PgPool | null = null;
  return {
    setUp: async () => {
      database = await testDatabase({ migrated: true });
      pool = createPool(database.url, { max: 2 });
    },
    tearDown: async () => {
      await pool?.end();
      await database?.drop();
    },
    make: async () => {
      const client = await pool!.connect();
      await client.query('BEGIN');
      await savePgOfficeConfig(client, testOffice());
      return {
        store: pgBookingStore(client, testKeyed()),
        savePolicy: (p) => savePgBookingPolicy(client, p),
        reminders: (id) => pendingReminders(client, id),
        close: async () => {
          await client.query('ROLLBACK');
          client.release();
        },
      };
    },
  };
}

const always = { setUp: async () => undefined, tearDown: async () => undefined };
const SUBJECTS = [
  { name: 'SQLite adapter', ...always, make: async () => sqliteSubject() },
  { name: 'in-memory fake', ...always, make: async () => memorySubject() },
  { name: 'PostgreSQL adapter', ...pgSubjects() },
];

/** Runs the same cases against every booking store; `s()` is a fresh one per case. */
export function eachBookingStore(suite: (s: () => Subject) => void): void {
  describe.each(SUBJECTS)('$name', ({ setUp, tearDown, make }) => {
    let subject: Subject | null = null;
    beforeAll(setUp);
    afterAll(tearDown);
    beforeEach(async () => {
      subject = await make();
    });
    afterEach(async () => {
      await subject?.close();
      subject = null;
    });
    suite(() => subject!);
  });
}

export const OFFICE = 'o1';
export const SERVICE = 'o1-s1';
export const DAY = '2026-11-24';
/** Epoch ms of the day's 09:00 slot (the contract cares for order only, not the office's clock). */
export const NINE = Date.UTC(2026, 10, 24, 8, 0, 0);
export const slotAt = (minute: number): string => slotId(SERVICE, DAY, minute);

/** The day's slots at 09:00, 09:30, 10:00 with `places` each. */
export async function seedSlots(store: BookingStore, places = 1): Promise<string[]> {
  const specs = [540, 570, 600].map((m) => ({ id: slotAt(m), startMin: m, startAt: NINE + (m - 540) * 60_000, places }));
  await store.ensureSlots(SERVICE, DAY, specs);
  return specs.map((s) => s.id);
}

let serial = 0;
/** A held booking of the 09:00 slot (seed the slots first), its fields overridable. */
export function aBooking(over: Partial<Booking> = {}): Booking {
  const n = ++serial;
  return {
    id: `b${n}`,
    number: `N${String(n).padStart(9, '0')}`,
    officeId: OFFICE,
    serviceId: SERVICE,
    slotId: slotAt(540),
    day: DAY,
    startAt: NINE,
    state: 'held',
    language: 'en',
    channel: 'email',
    nameSealed: 'sealed-name',
    emailSealed: 'sealed-email',
    phoneSealed: null,
    emailHash: `e${n}`,
    phoneHash: null,
    identityKeyId: null,
    identityHash: null,
    holdKeyHash: `hold${n}`,
    holdExpiresAt: NINE - 3600_000,
    holdExtended: false,
    createdAt: NINE - 7200_000 + n,
    ...NOTHING_HAPPENED_YET,
    ...over,
  };
}

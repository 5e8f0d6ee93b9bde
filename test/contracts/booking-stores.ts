import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe } from 'vitest';
import type { BookingStore } from '../../core/booking/ports.ts';
import { NOTHING_HAPPENED_YET, type Booking, type BookingPolicy } from '../../core/booking/model.ts';
import { memoryBookingStore } from '../../core/booking/fakes/booking-store.fake.ts';
import { slotId } from '../../core/queue/capacity.ts';
import { sqliteBookingStore } from '../../store/booking.store.ts';
import { saveBookingPolicy } from '../../store/booking/settings.store.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase } from '../../store/database.ts';
import { testKeyed } from '../helpers/booking.ts';
import { testOffice } from '../helpers/office.ts';

/** One booking store under contract: the port, what configuration writes stand for, what the outbox holds. */
export interface Subject {
  store: BookingStore;
  savePolicy(p: BookingPolicy): void;
  /** Pending reminders queued for a booking. */
  reminders(bookingId: string): number;
  close(): void;
}

/** The SQLite adapter on a real temp file, with office `o1` and its services `o1-s1`…`o1-s3`. */
function sqliteSubject(): Subject {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-contract-'));
  const db = openDatabase(join(dir, 'f.db'));
  saveOfficeConfig(db, testOffice());
  const count = db.prepare<[string], number>(`SELECT count(*) FROM outbox WHERE booking_id = ? AND kind = 'reminder' AND state = 'pending'`).pluck();
  return {
    store: sqliteBookingStore(db, testKeyed()),
    savePolicy: (p) => saveBookingPolicy(db, p),
    reminders: (id) => count.get(id) ?? 0,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function memorySubject(): Subject {
  const m = memoryBookingStore();
  return {
    store: m.store,
    savePolicy: m.savePolicy,
    reminders: (id) => m.outbox.filter((x) => x.bookingId === id && x.kind === 'reminder').length,
    close: () => undefined,
  };
}

const SUBJECTS = [
  { name: 'SQLite adapter', make: sqliteSubject },
  { name: 'in-memory fake', make: memorySubject },
];

/** Runs the same cases against every booking store; `s()` is a fresh one per case. */
export function eachBookingStore(suite: (s: () => Subject) => void): void {
  describe.each(SUBJECTS)('$name', ({ make }) => {
    let subject: Subject | null = null;
    beforeEach(() => {
      subject = make();
    });
    afterEach(() => {
      subject?.close();
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

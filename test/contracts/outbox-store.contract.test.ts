import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxCounts, OutboxStore } from '../../core/booking/outbox.ts';
import type { BookingStore } from '../../core/booking/ports.ts';
import type { MessageKind, OutgoingMessage } from '../../core/booking/model.ts';
import { sqliteBookingStore } from '../../store/booking.store.ts';
import { outboxCounts } from '../../store/outbox-counts.ts';
import { SqliteOutbox } from '../../store/outbox.store.ts';
import { pgBookingStore } from '../../store/postgres/booking/index.ts';
import { PgOutbox, pgOutboxCounts } from '../../store/postgres/outbox.store.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { testKeyed } from '../helpers/booking.ts';
import { aBooking, seedSlots } from './booking-stores.ts';
import { postgresDatabase, sqliteDatabase } from './databases.ts';

/**
 * The delivery side of the outbox, the same cases on SQLite and PostgreSQL. What a user would
 * notice: a message goes out once, the urgent first; a reminder of a cancelled booking never
 * arrives; a failed send is tried again later, or at once when staff say so. On PostgreSQL the
 * outbox is a pool's (each call its own transaction), as a host's background work uses it, and
 * `second` is another host's pool on the same database.
 */
interface Subject {
  outbox: OutboxStore;
  second: OutboxStore;
  counts: OutboxCounts;
  bookings: BookingStore;
  close(): void | Promise<void>;
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = sqliteDatabase();
      return { outbox: new SqliteOutbox(db), second: new SqliteOutbox(db), counts: outboxCounts(db), bookings: sqliteBookingStore(db, testKeyed()), close };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const d = await postgresDatabase();
      const other = createPool(d.url, { max: 4 });
      return {
        outbox: new PgOutbox(d.pool),
        second: new PgOutbox(other),
        counts: pgOutboxCounts(d.pool),
        bookings: pgBookingStore(d.pool, testKeyed()),
        close: async () => {
          await other.end();
          await d.close();
        },
      };
    },
  ],
  [
    'PostgreSQL, inside one transaction',
    async () => {
      // As a unit of work gives it: claims are savepoints of the caller's transaction, its locks held to its end.
      const d = await postgresDatabase();
      const other = createPool(d.url, { max: 4 });
      const client = await d.pool.connect();
      await client.query('BEGIN');
      return {
        outbox: new PgOutbox(client),
        second: new PgOutbox(other),
        counts: pgOutboxCounts(client),
        bookings: pgBookingStore(client, testKeyed()),
        close: async () => {
          await client.query('COMMIT');
          client.release();
          await other.end();
          await d.close();
        },
      };
    },
  ],
];

const message = (kind: MessageKind, over: Partial<OutgoingMessage> = {}): OutgoingMessage => ({
  bookingId: null,
  officeId: 'o1',
  channel: 'email',
  kind,
  to: 'a@example.org',
  language: 'en',
  params: {},
  notBefore: 0,
  ...over,
});

describe.each(subjects)('outbox (%s)', (_name, make) => {
  let s: Subject;
  beforeEach(async () => {
    s = await make();
  });
  afterEach(() => s.close());

  it('hands a due message out once, the most urgent first, and keeps back what is not due yet', async () => {
    await s.bookings.enqueue(message('draw-result'), 'm1', 100);
    await s.bookings.enqueue(message('confirm-code'), 'm2', 200);
    await s.bookings.enqueue(message('confirmed', { notBefore: 5000 }), 'm3', 300);
    await s.bookings.enqueue(message('confirmed', { channel: 'sms', to: '+420777000111' }), 'm4', 300);
    const first = await s.outbox.claim('email', 1000, 10);
    expect(first.map((m) => [m.id, m.kind, m.attempts])).toEqual([
      ['m2', 'confirm-code', 1],
      ['m1', 'draw-result', 1],
    ]);
    expect(JSON.parse(testKeyed().open(first[0]!.sealed)!)).toMatchObject({ to: 'a@example.org' });
    expect(await s.outbox.claim('email', 1000, 10)).toEqual([]);
    expect((await s.outbox.claim('email', 5000, 10)).map((m) => m.id)).toEqual(['m3']);
    expect((await s.outbox.claim('sms', 5000, 10)).map((m) => m.id)).toEqual(['m4']);
  });

  it('two hosts picking at once never get the same message, and together get them all', async () => {
    for (let i = 0; i < 30; i++) await s.bookings.enqueue(message('confirmed'), `m${String(i).padStart(2, '0')}`, i);
    const rounds = await Promise.all([s.outbox.claim('email', 1000, 20), s.second.claim('email', 1000, 20), s.outbox.claim('email', 1000, 20)]);
    const rest = await s.second.claim('email', 1000, 30);
    const ids = [...rounds.flat(), ...rest].map((m) => m.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `m${String(i).padStart(2, '0')}`));
  });

  it('drops a reminder whose booking is no longer confirmed or whose time has passed, instead of sending it', async () => {
    await seedSlots(s.bookings, 3);
    const kept = aBooking({ state: 'confirmed' });
    const cancelled = aBooking({ state: 'confirmed' });
    const past = aBooking({ state: 'confirmed', startAt: 500 });
    for (const b of [kept, cancelled, past]) await s.bookings.insertBooking(b);
    await s.bookings.enqueue(message('reminder', { bookingId: kept.id }), 'r-kept', 0);
    await s.bookings.enqueue(message('reminder', { bookingId: cancelled.id }), 'r-cancelled', 0);
    await s.bookings.enqueue(message('reminder', { bookingId: past.id }), 'r-past', 0);
    await s.bookings.transition(cancelled.id, 'confirmed', 'cancelled', { cancelledAt: 10 });
    expect((await s.outbox.claim('email', 1000, 10)).map((m) => m.id)).toEqual(['r-kept']);
    expect(await s.outbox.ofBooking(past.id)).toEqual([]);
  });

  it('a sent message stays sent; a failed one is tried again at its time, or at once when staff send it now', async () => {
    await s.bookings.enqueue(message('confirmed'), 'm1', 100);
    await s.bookings.enqueue(message('confirmed'), 'm2', 100);
    await s.outbox.claim('email', 1000, 10);
    await s.outbox.recordSent('m1', 1100, 'smtp-1');
    await s.outbox.recordFailed('m2', 'mailbox full', 60_000);
    expect(await s.outbox.claim('email', 2000, 10)).toEqual([]);
    expect(await s.counts()).toEqual([{ officeId: 'o1', channel: 'email', state: 'retrying', count: 1 }]);
    await s.outbox.sendNow('m2', 3000);
    expect((await s.outbox.claim('email', 3000, 10)).map((m) => [m.id, m.attempts])).toEqual([['m2', 2]]);
    const list = await s.outbox.list('o1', 10);
    expect(list.map((m) => [m.id, m.state, m.attempts, m.sentAt, m.lastError])).toEqual([
      ['m1', 'sent', 1, 1100, null],
      ['m2', 'sending', 2, null, 'mailbox full'],
    ]);
    // A sent message's content is gone: it cannot be sent again.
    expect(await s.outbox.candidate('o1', 'm1')).toMatchObject({ hasContent: false, message: { id: 'm1', state: 'sent' } });
    expect(await s.outbox.candidate('o1', 'm2')).toMatchObject({ hasContent: true, message: { nextAttemptAt: 3000 } });
    expect(await s.outbox.candidate('o2', 'm2')).toBeNull();
    expect(await s.outbox.list('o2', 10)).toEqual([]);
  });

  it('after a crash, what was being sent goes out again; the backlog counts each state by office and channel', async () => {
    await s.bookings.enqueue(message('confirmed'), 'm1', 100);
    await s.bookings.enqueue(message('confirmed'), 'm2', 100);
    await s.bookings.enqueue(message('confirmed', { officeId: 'o2', channel: 'sms' }), 'm3', 100);
    await s.outbox.claim('email', 1000, 1);
    expect(await s.counts()).toEqual([
      { officeId: 'o1', channel: 'email', state: 'pending', count: 1 },
      { officeId: 'o1', channel: 'email', state: 'sending', count: 1 },
      { officeId: 'o2', channel: 'sms', state: 'pending', count: 1 },
    ]);
    expect(await s.outbox.recoverInterrupted()).toBe(1);
    expect((await s.outbox.claim('email', 1000, 10)).map((m) => [m.id, m.attempts])).toEqual([
      ['m1', 2],
      ['m2', 1],
    ]);
  });
});

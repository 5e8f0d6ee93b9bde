import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxStore } from '../../core/booking/outbox.ts';
import type { BookingStore } from '../../core/booking/ports.ts';
import { slotId } from '../../core/queue/capacity.ts';
import { zonedInstant } from '../../core/booking/release.ts';
import type { DomainEvent, TicketView } from '../../core/shared/events.ts';
import { FakeStatsStore } from '../../core/stats/fake.ts';
import type { StatsStore } from '../../core/stats/ports.ts';
import { closeDay, closeMissingDays, statsReport, ticketChunks } from '../../core/stats/report.ts';
import { sqliteBookingStore } from '../../store/booking.store.ts';
import { SqliteOutbox } from '../../store/outbox.store.ts';
import { pgBookingStore } from '../../store/postgres/booking/index.ts';
import { PgOutbox } from '../../store/postgres/outbox.store.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { PgQueueStore } from '../../store/postgres/queue.store.ts';
import { PgStatsStore } from '../../store/postgres/stats.store.ts';
import { inTransaction } from '../../store/postgres/transaction.ts';
import { SqliteQueueStore } from '../../store/queue.store.ts';
import { SqliteStatsStore } from '../../store/stats.store.ts';
import { testKeyed } from '../helpers/booking.ts';
import { aBooking } from './booking-stores.ts';
import { postgresDatabase, sqliteDatabase } from './databases.ts';

/**
 * The statistics store, the same cases on SQLite, PostgreSQL and the in-memory fake: a day is the
 * office's day (Prague, not UTC), rolled up once it is over, read back as it was folded, exported
 * page by page with every ticket once. The table figures (slots, bookings, messages) are read
 * from the booking tables, which the fake does not have. `second` is another host's pool.
 */
interface Subject {
  stats: StatsStore;
  second: StatsStore;
  append(e: DomainEvent, at: number): Promise<void>;
  tables: { bookings: BookingStore; outbox: OutboxStore } | null;
  close(): void | Promise<void>;
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = sqliteDatabase();
      const queue = new SqliteQueueStore(db, () => undefined, () => undefined);
      const stats = new SqliteStatsStore(db);
      return {
        stats,
        second: stats,
        append: async (e, at) => void (await queue.appendEvent(e, at)),
        tables: { bookings: sqliteBookingStore(db, testKeyed()), outbox: new SqliteOutbox(db) },
        close,
      };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const d = await postgresDatabase();
      const other = createPool(d.url, { max: 2 });
      return {
        stats: new PgStatsStore(d.pool),
        second: new PgStatsStore(other),
        append: (e, at) => inTransaction(d.pool, async (c) => void (await new PgQueueStore(c, () => undefined, () => undefined).appendEvent(e, at))),
        tables: { bookings: pgBookingStore(d.pool, testKeyed()), outbox: new PgOutbox(d.pool) },
        close: async () => {
          await other.end();
          await d.close();
        },
      };
    },
  ],
  [
    'fake',
    async () => {
      const stats = new FakeStatsStore();
      return { stats, second: stats, append: async (e, at) => void stats.events.push({ ...e, id: stats.events.length + 1, at }), tables: null, close: () => undefined };
    },
  ],
];

const TZ = 'Europe/Prague';
const office = { id: 'o1', timeZone: TZ };
/** An instant of Prague's clock on a day of November 2026 (CET, UTC+1). */
const prague = (day: string, hhmm: string): number => zonedInstant(TZ, day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)));
const ticket = (id: string, arrivedAt: number, serviceId = 'o1-s1'): TicketView => ({
  id, number: id.toUpperCase(), serviceId, state: 'waiting', counterId: null, categoryId: null, arrivedAt, bookedAt: null, recallCount: 0,
});
const issued = (t: TicketView): DomainEvent => ({ type: 'ticket:issued', officeId: 'o1', payload: { ticket: t, origin: { channel: 'walk_in' } } });
const called = (t: TicketView): DomainEvent => ({ type: 'ticket:called', officeId: 'o1', payload: { ticket: { ...t, state: 'called' }, counterId: 'o1-c1', counterNumber: '1', recall: false, userId: 'u1' } });
const done = (t: TicketView): DomainEvent => ({ type: 'ticket:changed', officeId: 'o1', payload: { ticket: { ...t, state: 'done' }, previous: 'called' } });

/** A served ticket: issued at `hhmm` on `day` (Prague), called 10 minutes later, done 5 after that. */
async function served(s: Subject, id: string, day: string, hhmm: string, serviceId = 'o1-s1'): Promise<void> {
  const t = ticket(id, prague(day, hhmm), serviceId);
  await s.append(issued(t), t.arrivedAt);
  await s.append(called(t), t.arrivedAt + 600_000);
  await s.append(done(t), t.arrivedAt + 900_000);
}

const MONDAY = '2026-11-23';
const TUESDAY = '2026-11-24';
const THURSDAY_MORNING = prague('2026-11-26', '09:00');
const report = (s: StatsStore, from: string, to: string, now = THURSDAY_MORNING) => statsReport(s, office, { from, to, groupBy: 'hour', filter: {} }, now);

describe.each(subjects)('statistics store (%s)', (_name, make) => {
  let s: Subject;
  beforeEach(async () => {
    s = await make();
  });
  afterEach(() => s.close());

  it('counts a ticket in the office’s day: 00:30 in Prague is the next day, though still the day before in UTC', async () => {
    await served(s, 'a1', MONDAY, '23:30');
    await served(s, 'b1', TUESDAY, '00:30');
    await served(s, 'b2', TUESDAY, '10:00', 'o1-s2');
    expect(new Date(prague(TUESDAY, '00:30')).toISOString().slice(0, 10)).toBe(MONDAY);
    const monday = await report(s.stats, MONDAY, MONDAY);
    const tuesday = await report(s.stats, TUESDAY, TUESDAY);
    expect(monday.ok && monday.value.totals).toMatchObject({ issued: 1, served: 1, wait: { count: 1, mean: 10 } });
    expect(tuesday.ok && tuesday.value.totals).toMatchObject({ issued: 2, served: 2, service: { count: 2, mean: 5 } });
    // By hour of arrival, in office time.
    expect(tuesday.ok && tuesday.value.groups.map((g) => [g.key, g.figures.issued])).toEqual([
      ['00', 1],
      ['10', 1],
    ]);
    expect(await s.stats.closedDays('o1', '2026-11-01', '2026-11-30')).toEqual([MONDAY, TUESDAY]);
    // Read again from the rollups (nothing folded now): the same, and filtered by service.
    expect(await report(s.stats, MONDAY, TUESDAY)).toEqual(await report(s.stats, MONDAY, TUESDAY));
    const s2 = await statsReport(s.stats, office, { from: MONDAY, to: TUESDAY, groupBy: 'service', filter: { serviceId: 'o1-s2' } }, THURSDAY_MORNING);
    expect(s2.ok && s2.value.totals.issued).toBe(1);
    // And by channel, from the rollups: all three walked in.
    const byChannel = async (channel: 'walk_in' | 'booked') => await statsReport(s.stats, office, { from: MONDAY, to: TUESDAY, groupBy: 'service', filter: { channel } }, THURSDAY_MORNING);
    const walkIns = await byChannel('walk_in');
    const booked = await byChannel('booked');
    expect([walkIns.ok && walkIns.value.totals.issued, booked.ok && booked.value.totals.issued]).toEqual([3, 0]);
  });

  it('a day is not rolled up before it is over; rolled up again, or by two hosts at once, it is stored once', async () => {
    await served(s, 'a1', MONDAY, '09:00');
    expect(await closeDay(s.stats, office, MONDAY, prague(MONDAY, '18:00'))).toEqual({ ok: false, error: { code: 'STATS_DAY_NOT_OVER' } });
    expect(await s.stats.closedDays('o1', MONDAY, MONDAY)).toEqual([]);
    const now = prague(TUESDAY, '00:10');
    await Promise.all([closeDay(s.stats, office, MONDAY, now), closeDay(s.second, office, MONDAY, now)]);
    expect(await closeMissingDays(s.stats, office, MONDAY, MONDAY, now)).toBe(0);
    const r = await report(s.stats, MONDAY, MONDAY, now);
    expect(r.ok && r.value.totals).toMatchObject({ issued: 1, served: 1 });
    const lines: string[] = [];
    for await (const chunk of ticketChunks(s.stats, office, { from: MONDAY, to: MONDAY }, now, (f) => `${f.ticketId}\n`)) lines.push(chunk);
    expect(lines.join('')).toBe('a1\n');
  });

  it('exports every ticket of a range once, in day and ticket order, page by page', async () => {
    const ids = { [MONDAY]: ['a3', 'a1', 'a2'], [TUESDAY]: ['b2', 'B1', 'b1'] };
    for (const [day, list] of Object.entries(ids)) for (const [i, id] of list.entries()) await served(s, id, day, `1${i}:00`);
    const pages: string[] = [];
    for await (const chunk of ticketChunks(s.stats, office, { from: MONDAY, to: TUESDAY }, THURSDAY_MORNING, (f) => `${f.day} ${f.ticketId};`, {}, 2)) pages.push(chunk);
    // Ids byte-wise, as SQLite compares them: capitals first.
    expect(pages).toEqual([`${MONDAY} a1;${MONDAY} a2;`, `${MONDAY} a3;${TUESDAY} B1;`, `${TUESDAY} b1;${TUESDAY} b2;`]);
  });

  it('reads the day’s slots, bookings and messages from their tables, within the office’s day', async () => {
    const t = s.tables;
    if (t === null) return;
    await t.bookings.ensureSlots('o1-s1', TUESDAY, [540, 570].map((m) => ({ id: slotId('o1-s1', TUESDAY, m), startMin: m, startAt: prague(TUESDAY, '09:00'), places: 3 })));
    const slot = slotId('o1-s1', TUESDAY, 540);
    const made = [aBooking({ day: TUESDAY, slotId: slot, state: 'confirmed' }), aBooking({ day: TUESDAY, slotId: slot, state: 'cancelled' }), aBooking({ day: TUESDAY, slotId: slot, state: 'held' })];
    for (const b of made) await t.bookings.insertBooking(b);
    const msg = { bookingId: null, officeId: 'o1', channel: 'email' as const, kind: 'confirmed' as const, to: 'a@example.org', language: 'en' as const, params: {}, notBefore: 0 };
    // Queued just before Tuesday began in Prague (Monday 23:50), then three during it.
    await t.bookings.enqueue(msg, 'm0', prague(MONDAY, '23:50'));
    for (const id of ['m1', 'm2', 'm3']) await t.bookings.enqueue(msg, id, prague(TUESDAY, '08:00'));
    await t.outbox.claim('email', prague(TUESDAY, '08:01'), 10);
    await t.outbox.recordSent('m1', prague(TUESDAY, '08:01'), 'p1');
    await t.outbox.recordFailed('m2', 'refused', prague(TUESDAY, '08:02'));
    await t.outbox.claim('email', prague(TUESDAY, '08:02'), 10);
    await t.outbox.recordSent('m2', prague(TUESDAY, '08:02'), 'p2');
    const counts = await s.stats.tableCounts('o1', TUESDAY, zonedInstant(TZ, TUESDAY, 0), zonedInstant(TZ, '2026-11-25', 0));
    // A metric may come once per booking state: summed, as the rollup stores it.
    const byMetric: Record<string, number> = {};
    for (const c of counts) byMetric[`${c.metric}:${c.key}`] = (byMetric[`${c.metric}:${c.key}`] ?? 0) + c.value;
    expect(byMetric).toEqual({
      'slots_offered:o1-s1': 6,
      'bookings_made:o1-s1': 2,
      'bookings_cancelled:o1-s1': 1,
      'messages_sent:email': 2,
      'messages_retried:email': 1,
    });
  });
});

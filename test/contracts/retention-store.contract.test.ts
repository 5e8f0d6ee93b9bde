import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboxStore } from '../../core/booking/outbox.ts';
import type { BookingStore } from '../../core/booking/ports.ts';
import type { Application, Ban, OutgoingMessage } from '../../core/booking/model.ts';
import { DEFAULT_RETENTION_DAYS, type PurgeCutoff, type RetentionStore } from '../../core/booking/retention.ts';
import { slotId } from '../../core/queue/capacity.ts';
import { sqliteBookingStore } from '../../store/booking.store.ts';
import { SqliteOutbox } from '../../store/outbox.store.ts';
import { pgBookingStore } from '../../store/postgres/booking/index.ts';
import { PgOutbox } from '../../store/postgres/outbox.store.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { PgRetentionStore } from '../../store/postgres/retention.store.ts';
import { SqliteRetentionStore } from '../../store/retention.store.ts';
import { testKeyed } from '../helpers/booking.ts';
import { aBooking, OFFICE, SERVICE } from './booking-stores.ts';
import { postgresDatabase, sqliteDatabase } from './databases.ts';

/**
 * The retention purge, the same cases on SQLite and PostgreSQL: past the office's period the
 * personal data of old bookings, applications, messages, no-shows, decisions and staff bans is
 * gone; everything younger is untouched; a purge run again, or by two hosts at once, purges
 * nothing twice. `second` is another host's pool on PostgreSQL.
 */
interface Subject {
  retention: RetentionStore;
  second: RetentionStore;
  bookings: BookingStore;
  outbox: OutboxStore;
  close(): void | Promise<void>;
}

const subjects: [string, () => Promise<Subject>][] = [
  [
    'SQLite',
    async () => {
      const { db, close } = sqliteDatabase();
      const r = new SqliteRetentionStore(db);
      return { retention: r, second: r, bookings: sqliteBookingStore(db, testKeyed()), outbox: new SqliteOutbox(db), close };
    },
  ],
  [
    'PostgreSQL',
    async () => {
      const d = await postgresDatabase();
      const other = createPool(d.url, { max: 2 });
      return {
        retention: new PgRetentionStore(d.pool),
        second: new PgRetentionStore(other),
        bookings: pgBookingStore(d.pool, testKeyed()),
        outbox: new PgOutbox(d.pool),
        close: async () => {
          await other.end();
          await d.close();
        },
      };
    },
  ],
];

const OLD = '2026-10-01';
const NEW = '2026-11-24';
/** Prague's midnight starting 1 November 2026 (CET, UTC+1). */
const NOVEMBER = Date.UTC(2026, 9, 31, 23);
const NOW = Date.UTC(2026, 11, 1, 12);
const CUTOFF: PurgeCutoff = { officeId: OFFICE, beforeDay: '2026-11-01', beforeInstant: NOVEMBER, noShowsUntil: NOVEMBER };

const at = (day: string): number => Date.parse(`${day}T08:00:00Z`);
const message = (bookingId: string | null): OutgoingMessage => ({
  bookingId,
  officeId: OFFICE,
  channel: 'email',
  kind: bookingId === null ? 'draw-result' : 'confirmed',
  to: 'jana@example.org',
  language: 'en',
  params: {},
  notBefore: 0,
});
const application = (id: string, day: string): Application => ({
  id,
  officeId: OFFICE,
  serviceId: SERVICE,
  day,
  state: 'not_allocated',
  appliedAt: at(day) - 86_400_000,
  rankKey: 0,
  contactKey: `contact-${id}`,
  holdKeyHash: `hold-${id}`,
  bookingId: null,
  language: 'en',
  channel: 'email',
  nameSealed: 'sealed-name',
  emailSealed: 'sealed-email',
  phoneSealed: null,
  emailHash: `e-${id}`,
  phoneHash: null,
  identityKeyId: null,
  identityHash: null,
});
const ban = (id: string, endsAt: number): Ban => ({
  id,
  officeId: OFFICE,
  kind: 'fictitious',
  emailHash: `e-${id}`,
  phoneHash: null,
  identityKeyId: null,
  identityHash: null,
  reason: 'made-up name',
  startsAt: 0,
  endsAt,
  createdBy: 'u1',
  liftedAt: null,
  liftedBy: null,
  liftReason: null,
});

/** Two old bookings and one of the period, each with a link, a code and a message; applications, no-shows, decisions and bans either side of the cutoff. */
async function seed(s: BookingStore): Promise<{ old: string[]; young: string }> {
  for (const day of [OLD, NEW]) await s.ensureSlots(SERVICE, day, [{ id: slotId(SERVICE, day, 540), startMin: 540, startAt: at(day), places: 5 }]);
  const old = [aBooking({ day: OLD, slotId: slotId(SERVICE, OLD, 540), startAt: at(OLD), state: 'confirmed', cancelHash: 'c-old1' }), aBooking({ day: OLD, slotId: slotId(SERVICE, OLD, 540), startAt: at(OLD), state: 'confirmed' })];
  const young = aBooking({ day: NEW, slotId: slotId(SERVICE, NEW, 540), startAt: at(NEW), state: 'confirmed', cancelHash: 'c-young' });
  for (const b of [...old, young]) {
    await s.insertBooking(b);
    await s.insertToken(`tok-${b.id}`, b.id, 'confirm', at(NEW));
    await s.putSmsCode({ bookingId: b.id, codeHash: `code-${b.id}`, expiresAt: at(NEW), triesLeft: 3, sends: 1, resendAfter: 0 });
    await s.enqueue(message(b.id), `m-${b.id}`, at(b.day) - 86_400_000);
  }
  await s.enqueue(message(null), 'm-loose-old', at(OLD));
  await s.enqueue(message(null), 'm-loose-young', at(NEW));
  for (const day of [OLD, NEW]) {
    await s.putDraw({ officeId: OFFICE, serviceId: SERVICE, day, opensAt: 0, closesAt: at(day) - 86_400_000, commitment: 'c', seedSealed: 's', seed: 'x', state: 'done', ranAt: at(day) - 86_400_000 });
  }
  await s.insertApplication(application('a-old', OLD));
  await s.insertApplication(application('a-young', NEW));
  const noShow = { officeId: OFFICE, serviceId: SERVICE, phoneHash: null, identityKeyId: null, identityHash: null, reason: 'lapsed' as const };
  await s.recordNoShow({ ...noShow, bookingId: old[0]!.id, emailHash: old[0]!.emailHash, at: at(OLD) });
  await s.recordNoShow({ ...noShow, bookingId: young.id, emailHash: young.emailHash, at: at(NEW) });
  const decision = { officeId: OFFICE, serviceId: SERVICE, rule: 'ban', outcome: 'refused' as const, applicationId: null, phoneHash: null, identityHash: null, detail: '' };
  await s.recordDecision({ ...decision, id: 'd-old', bookingId: old[0]!.id, emailHash: 'e-d-old', at: at(OLD) });
  await s.recordDecision({ ...decision, id: 'd-young', bookingId: young.id, emailHash: 'e-d-young', at: at(NEW) });
  await s.insertBan(ban('ban-ended', at(OLD)));
  await s.insertBan(ban('ban-lifted', at(NEW) + 86_400_000 * 60));
  await s.liftBan('ban-lifted', at(OLD), 'u1', 'mistake');
  await s.insertBan(ban('ban-young', at(NEW)));
  return { old: old.map((b) => b.id), young: young.id };
}

describe.each(subjects)('retention (%s)', (_name, make) => {
  let s: Subject;
  beforeEach(async () => {
    s = await make();
  });
  afterEach(() => s.close());

  it('keeps the office’s period, the default until it sets one', async () => {
    expect(await s.retention.retentionDays(OFFICE)).toBe(DEFAULT_RETENTION_DAYS);
    await s.retention.setRetentionDays(OFFICE, 45);
    await s.retention.setRetentionDays('o2', 60);
    expect(await s.retention.retentionDays(OFFICE)).toBe(45);
    expect(await s.retention.retentionDays('o2')).toBe(60);
  });

  it('removes the personal data of what is past the period, and only that', async () => {
    const { old, young } = await seed(s.bookings);
    expect(await s.retention.purge(CUTOFF, NOW, 100)).toEqual({ bookings: 2, applications: 1, messages: 3, bans: 2 });
    for (const id of old) {
      expect(await s.bookings.booking(id)).toMatchObject({ nameSealed: '', emailSealed: null, emailHash: null, holdKeyHash: `purged:${id}`, cancelHash: null, state: 'confirmed', day: OLD });
      expect(await s.bookings.peekToken(`tok-${id}`, 'confirm', NOW - 86_400_000 * 30)).toEqual({ kind: 'unknown' });
      expect(await s.bookings.smsCode(id)).toBeNull();
      expect(await s.outbox.candidate(OFFICE, `m-${id}`)).toMatchObject({ hasContent: false, message: { state: 'failed', lastError: 'purged' } });
    }
    expect(await s.bookings.bookingByCancelHash('c-old1')).toBeNull();
    expect(await s.outbox.candidate(OFFICE, 'm-loose-old')).toMatchObject({ hasContent: false });
    // What is younger than the period is untouched.
    expect(await s.bookings.bookingByCancelHash('c-young')).toMatchObject({ id: young, nameSealed: 'sealed-name' });
    expect(await s.bookings.smsCode(young)).not.toBeNull();
    expect(await s.outbox.candidate(OFFICE, `m-${young}`)).toMatchObject({ hasContent: true, message: { state: 'pending' } });
    expect(await s.outbox.candidate(OFFICE, 'm-loose-young')).toMatchObject({ hasContent: true });
    expect((await s.bookings.applications(SERVICE, OLD))[0]).toMatchObject({ nameSealed: '', emailHash: null, contactKey: 'purged:a-old' });
    expect((await s.bookings.applications(SERVICE, NEW))[0]).toMatchObject({ nameSealed: 'sealed-name', emailHash: 'e-a-young' });
    const noShows = await s.bookings.noShows(OFFICE);
    expect(noShows.find((n) => n.bookingId === old[0])?.emailHash).toBeNull();
    expect(noShows.find((n) => n.bookingId === young)?.emailHash).not.toBeNull();
    expect((await s.bookings.decisionsAbout({ bookingId: old[0]! }))[0]).toMatchObject({ id: 'd-old', emailHash: null, rule: 'ban' });
    expect((await s.bookings.decisionsAbout({ bookingId: young }))[0]).toMatchObject({ emailHash: 'e-d-young' });
    expect((await s.bookings.bansInForce(OFFICE, at(OLD) - 1)).map((b) => b.id)).toEqual(['ban-young']);
    // Run again: nothing is left to purge.
    expect(await s.retention.purge(CUTOFF, NOW + 1, 100)).toEqual({ bookings: 0, applications: 0, messages: 0, bans: 0 });
  });

  it('purges a batch at a time; two hosts purging at once purge each booking once', async () => {
    await seed(s.bookings);
    const [a, b] = await Promise.all([s.retention.purge(CUTOFF, NOW, 1), s.second.purge(CUTOFF, NOW, 1)]);
    expect(a.bookings + b.bookings).toBe(2);
    expect(a.applications + b.applications).toBe(1);
    expect(a.messages + b.messages).toBe(3);
    expect(a.bans + b.bans).toBe(2);
    expect((await s.retention.purge(CUTOFF, NOW, 1)).bookings).toBe(0);
  });
});

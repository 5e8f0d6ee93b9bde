import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseFile } from '../host/paths.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import { openDatabase } from '../store/database.ts';
import { SqliteEventLog } from '../store/event-log.ts';
import { SqliteRetentionStore } from '../store/retention.store.ts';
import { policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { MONDAY_0900_PRAGUE } from './helpers/fakes.ts';
import { testOffice } from './helpers/office.ts';
import { bookAndConfirm, firstSlot, holdAt, idPolicy } from './helpers/rules.ts';

/**
 * The retention purge (privacy notice: personal data kept 30 days after the appointment): past
 * the period no personal field of an old booking is left anywhere in the database — scanned
 * column by column — while the statistics (counts per service, day and state) still add up and
 * the public status by booking number still answers.
 */

let h: BookingTestHost;
beforeAll(async () => {
  h = await startBookingHost({
    policies: [
      idPolicy('o1-s1'),
      policy('o1-s2'),
      // Applications for a day two days ahead, the window open all day.
      policy('o1-s3', { allocation: 'draw', horizonDays: 2, earliestDays: 2, drawWindowMin: 24 * 60 }),
    ],
  });
});
afterAll(async () => {
  await h.close();
});

const DAY_MS = 86_400_000;
interface Person {
  name: string;
  email: string;
  phone: string;
  identityKey?: string;
}
const PEOPLE: [Person, Person, Person, Person, Person] = [
  { name: 'Jana Nováková', email: 'jana.novakova@example.org', phone: '+420601000123', identityKey: 'VIN1HGBH41JXMN109186' },
  { name: 'Ion Popescu', email: 'ion.popescu@example.org', phone: '+40721000456' },
  { name: '王小明', email: 'wang.xiaoming@example.org', phone: '+8613800001234' },
  { name: 'Eva Malá', email: 'eva.mala@example.org', phone: '+420601000789' },
  { name: 'Petr Dvořák', email: 'petr.dvorak@example.org', phone: '+420601000321' },
];

/** Every table and column of the database, as text. */
function dump(): { table: string; column: string; value: string }[] {
  const tables = h.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  return tables.flatMap((table) =>
    (h.db.prepare(`SELECT * FROM "${table}"`).all() as Record<string, unknown>[]).flatMap((row) =>
      Object.entries(row).flatMap(([column, v]) => (v === null ? [] : [{ table, column, value: typeof v === 'string' ? v : JSON.stringify(v) }])),
    ),
  );
}

const stats = () => ({
  bookings: h.db.prepare('SELECT service_id, day, state, count(*) AS n FROM bookings GROUP BY service_id, day, state ORDER BY 1, 2, 3').all(),
  applications: h.db.prepare('SELECT service_id, day, state, count(*) AS n FROM applications GROUP BY service_id, day, state ORDER BY 1, 2, 3').all(),
  tickets: h.db.prepare('SELECT service_id, day, state, count(*) AS n FROM tickets GROUP BY service_id, day, state ORDER BY 1, 2, 3').all(),
  messages: h.db.prepare('SELECT kind, count(*) AS n FROM outbox GROUP BY kind ORDER BY 1').all(),
});

describe('retention purge of personal data', () => {
  it('after the retention period leaves no personal field of past bookings, and the statistics still add up', async () => {
    const [jana, ion, wang, eva, petr] = PEOPLE;
    // Monday 23 Nov: bookings in every state, with their links, codes, messages and a refusal.
    const today = '2026-11-23';
    const confirmed = await bookAndConfirm(h, await firstSlot(h, 'o1-s1', '2026-11-25'), jana);
    const lapsing = await bookAndConfirm(h, await firstSlot(h, 'o1-s2', today), ion);
    const cancelled = await holdAt(h, await firstSlot(h, 'o1-s2', '2026-11-26'), eva);
    await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${cancelled.json().holdKey}/release` });
    const sms = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: await firstSlot(h, 'o1-s2', '2026-11-25'), channel: 'sms', name: wang.name, phone: wang.phone } });
    expect(sms.statusCode, sms.body).toBe(201);
    const refused = await holdAt(h, await firstSlot(h, 'o1-s1', '2026-11-25'), { name: petr.name, email: petr.email });
    expect(refused.json().error.code).toBe('IDENTITY_KEY_REQUIRED');
    // A supervisor bars a fictitious e-mail for one day, with a reason that names the person.
    const ban = await h.app.inject({
      method: 'POST',
      url: '/api/v1/booking/offices/o1/bans',
      headers: { cookie: h.cookie('admin') },
      payload: { email: eva.email, reason: `Fictitious: ${eva.name} is not a real person`, days: 1 },
    });
    expect(ban.statusCode, ban.body).toBe(201);
    const applied = await h.app.inject({ method: 'POST', url: '/api/v1/booking/applications', payload: { serviceId: 'o1-s3', day: '2026-11-25', channel: 'email', name: petr.name, email: petr.email, phone: petr.phone } });
    expect(applied.statusCode, applied.body).toBe(201);
    // The day goes on: the SMS hold expires, the booked client who did not come lapses (a no-show).
    h.clock.set(MONDAY_0900_PRAGUE + 3 * 3600_000);
    await h.booking.sweep();
    expect(h.db.prepare('SELECT count(*) FROM no_shows WHERE email_hash IS NOT NULL').pluck().get()).toBe(1);
    expect(h.db.prepare('SELECT count(*) FROM rule_decisions').pluck().get()).toBeGreaterThan(0);

    // Five weeks later. Everything due has happened: the draw ran, the confirmed booking lapsed.
    h.clock.set(MONDAY_0900_PRAGUE + 35 * DAY_MS);
    await h.booking.sweep();
    const old = h.db.prepare('SELECT id FROM bookings').pluck().all() as string[];
    // A booking made now is within its period and must be left alone.
    const recent = { name: 'Ota Nový', email: 'ota.novy@example.org', phone: '+420601000999', identityKey: 'VIN2FTRX18W1XCA12345' };
    const recentNumber = await bookAndConfirm(h, await firstSlot(h, 'o1-s1', '2026-12-29'), recent);

    const secrets = new Set<string>();
    for (const p of PEOPLE) for (const v of Object.values(p)) secrets.add(v);
    // …and every stored form of them: sealed values and keyed hashes of the old bookings.
    const personal = ['name_sealed', 'email_sealed', 'phone_sealed', 'email_hash', 'phone_hash', 'identity_hash', 'hold_key_hash', 'cancel_hash'];
    for (const id of old) {
      const row = h.db.prepare('SELECT * FROM bookings WHERE id = ?').get(id) as Record<string, string | null>;
      for (const c of personal) if (row[c] !== null && row[c] !== '') secrets.add(row[c]!);
    }
    for (const r of h.db.prepare('SELECT name_sealed, email_sealed, phone_sealed, email_hash, phone_hash, contact_key FROM applications').all() as Record<string, string | null>[]) {
      for (const v of Object.values(r)) if (v !== null) secrets.add(v);
    }
    // The ended ban: its keyed hash and the supervisor's reason.
    for (const r of h.db.prepare('SELECT email_hash, reason FROM bans').all() as Record<string, string | null>[]) {
      for (const v of Object.values(r)) if (v !== null) secrets.add(v);
    }
    expect(h.db.prepare('SELECT count(*) FROM bans').pluck().get()).toBe(1);
    const before = stats();
    const leaks = (): string[] =>
      dump()
        .filter((cell) => [...secrets].some((s) => s !== '' && cell.value.includes(s)))
        .map((cell) => `${cell.table}.${cell.column}`);
    expect(leaks().length).toBeGreaterThan(10);

    // A longer period set by the office: nothing is old enough yet.
    const retention = new SqliteRetentionStore(h.db);
    await retention.setRetentionDays('o1', 40);
    await h.booking.purge();
    expect(h.db.prepare('SELECT count(*) FROM bookings WHERE purged_at IS NOT NULL').pluck().get()).toBe(0);
    await retention.setRetentionDays('o1', 30);
    // The table itself refuses fewer than 10 days, whoever writes.
    await expect(retention.setRetentionDays('o1', 9)).rejects.toThrow(/CHECK/);

    // A no-show bans for the office's period: while that lasts, its hashes stay (the bookings are purged).
    h.db.prepare(`UPDATE booking_offices SET rules = '{"noShowBanDays":60}' WHERE office_id = 'o1'`).run();
    await h.booking.purge();
    expect([...new Set(leaks())].sort()).toEqual(['no_shows.email_hash', 'no_shows.identity_hash', 'no_shows.phone_hash']);
    h.db.prepare(`UPDATE booking_offices SET rules = '{}' WHERE office_id = 'o1'`).run();
    await h.booking.purge();
    expect([...new Set(leaks())]).toEqual([]);
    expect(stats()).toEqual(before);
    const purged = h.db.prepare(`SELECT * FROM bookings WHERE id IN (SELECT value FROM json_each(?))`).all(JSON.stringify(old)) as Record<string, unknown>[];
    expect(purged).toHaveLength(old.length);
    for (const b of purged) {
      expect(b).toMatchObject({ name_sealed: '', email_sealed: null, phone_sealed: null, email_hash: null, phone_hash: null, identity_hash: null, identity_key_id: null, cancel_hash: null, kiosk_code: null, purged_at: h.clock.now() });
    }
    expect(h.db.prepare(`SELECT count(*) FROM outbox WHERE sealed IS NOT NULL AND booking_id IN (SELECT value FROM json_each(?))`).pluck().get(JSON.stringify(old))).toBe(0);
    expect(h.db.prepare('SELECT count(*) FROM booking_tokens WHERE booking_id IN (SELECT value FROM json_each(?))').pluck().get(JSON.stringify(old))).toBe(0);

    // The public status still answers for a purged booking (state and time only); the recent one is whole.
    const status = await h.app.inject({ url: `/api/v1/booking/bookings/${confirmed}` });
    expect(status.statusCode, status.body).toBe(200);
    expect(status.json()).toMatchObject({ number: confirmed, state: 'lapsed', day: '2026-11-25' });
    expect((await h.app.inject({ url: `/api/v1/booking/bookings/${lapsing}` })).json()).toMatchObject({ state: 'lapsed', day: today });
    const mine = h.db.prepare('SELECT * FROM bookings WHERE number = ?').get(recentNumber) as Record<string, unknown>;
    expect(mine).toMatchObject({ purged_at: null });
    expect(mine['email_hash']).not.toBeNull();
    expect(mine['name_sealed']).not.toBe('');

    // Purging again finds nothing; the outbox worker is not upset by purged messages.
    await h.booking.purge();
    expect(stats()).toEqual(before);
    await h.booking.worker.tick();
    await h.booking.worker.idle();
  });

  it('an office sets its period from the command line; fewer than 10 days is refused', async () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-retention-'));
    const db = openDatabase(databaseFile(data));
    saveOfficeConfig(db, testOffice({ id: 'demo' }));
    db.close();
    const fronta = (...args: string[]) => spawnSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'fronta.js'), ...args, '--data', data], { encoding: 'utf8', timeout: 30_000 });
    expect(fronta('retention', 'set', '--days', '45').status).toBe(0);
    expect(fronta('retention', 'set', '--days', '9').stderr).toContain('at least 10');
    expect(fronta('retention', 'set', '--days', '60', '--office', 'nope').status).toBe(2);
    const again = openDatabase(databaseFile(data));
    expect(await new SqliteRetentionStore(again).retentionDays('demo')).toBe(45);
    // It is in the office's settings history, as a change from the command line.
    const history = await new SqliteEventLog(again).latestOfType('demo', 'booking:settings-changed', 20);
    expect(history.map((e) => e.payload)).toEqual([{ userId: 'cli', via: 'cli', changes: [{ field: 'retentionDays', from: 30, to: 45 }] }]);
    again.close();
  });
});

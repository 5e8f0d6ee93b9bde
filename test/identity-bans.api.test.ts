import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { BookingPolicy, BookingRules, IdentityKeyPolicy } from '../core/booking/model.ts';
import { policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES, PASSWORD } from './helpers/harness.ts';
import { firstSlot, holdAt, type Applicant } from './helpers/rules.ts';

/**
 * Rules about people through the API (issue 6, part A): identity keys, one active booking per key
 * and service (refuse or cancel-all), no-show and fictitious-data bans, national ID numbers, the
 * record of decisions staff read to say why; messages through the real SMTP and SMPP sinks.
 */

let h: BookingTestHost;
afterEach(async () => {
  sessions = {};
  await h.close();
});

const TODAY = '2026-11-23'; // the fake clock: Monday 23 Nov 2026 09:00 Prague
const DAY = '2026-11-25';
const MIN = 60_000;
const VIN = 'WVWZZZ1JZXW000001';
const CHASSIS: IdentityKeyPolicy = {
  required: true,
  label: { en: 'Chassis serial (VIN)', ro: 'Seria șasiului', cs: 'Číslo karoserie (VIN)', 'zh-CN': '车架号' },
};

/** Delivers everything due through the loopback SMTP and SMPP servers. */
async function drain() {
  for (let i = 0; i < 20 && (await h.booking.worker.tick()) > 0; i++) await h.booking.worker.idle();
  await h.booking.worker.idle();
}

/** Holds, and POSTs the token of the confirmation link that arrives for it (not an earlier one to the same address). */
async function confirmByMail(slotId: string, a: Applicant, lang = 'en') {
  const seen = new Set(h.booking.mailSink!.messages);
  const held = await holdAt(h, slotId, a, lang);
  expect(held.statusCode, held.body).toBe(201);
  await drain();
  const mail = await h.booking.mailSink!.next((m) => !seen.has(m) && m.to.includes(a.email) && /confirm=/.test(m.text));
  const token = /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  return h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', headers: { 'accept-language': lang }, payload: { token } });
}

/** A confirmed booking's number. */
async function book(slotId: string, a: Applicant): Promise<string> {
  const res = await confirmByMail(slotId, a);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().number as string;
}

let sessions: Record<string, string> = {};
async function signInAgain(username = 'admin') {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  sessions = { ...sessions, [username]: `fronta_session=${res.cookies.find((c) => c.name === 'fronta_session')!.value}` };
}

// Booking numbers, ids and the test's own values are letters, digits and dashes: safe in a statement's text.
const state = async (number: string) => (await h.sql<{ state: string }>(`SELECT state FROM bookings WHERE number = '${number}'`))[0]?.state ?? null;
/** A count, as a number on both stores (PostgreSQL's sum of BIGINTs is a NUMERIC, read as text). */
const count = async (select: string): Promise<number> => Number((await h.sql<{ n: unknown }>(select))[0]!.n);
const staff = (method: 'GET' | 'POST', url: string, payload?: object, who = 'admin') =>
  h.app.inject({ method, url: `/api/v1/booking/offices/o1${url}`, headers: { cookie: sessions[who] ?? h.cookie(who) }, ...(payload === undefined ? {} : { payload }) });
const decisions = async (ref: string) => {
  const res = await staff('GET', `/decisions?ref=${encodeURIComponent(ref)}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json().decisions as { rule: string; outcome: string; bookingNumber: string | null; applicationId: string | null; detail: string }[];
};
/** The reference a refused client is given, from the end of the message. */
const attemptOf = (message: string): string => /([0-9A-HJKMNP-TV-Z]{10})\s*$/.exec(message)![1]!;

describe.each(BOTH_STORES)('on %s', (store) => {
  async function start(rules: Partial<BookingRules> = {}, policies: BookingPolicy[] = [policy('o1-s1', { identityKey: CHASSIS }), policy('o1-s2')]) {
    h = await startBookingHost({ store, policies, configure: (stores) => stores.seed.bookingOffice({ officeId: 'o1', suspended: false, suspendedMessage: {}, rules }) });
  }

  describe('identity keys', () => {
    it('a service that requires one says so in the public API and refuses an attempt without it, in the caller’s language', async () => {
      await start();
      const services = (await h.app.inject({ url: '/api/v1/booking/offices/o1/services', headers: { 'accept-language': 'ro' } })).json().services;
      expect(services.find((s: { id: string }) => s.id === 'o1-s1').policy.identityKey).toEqual({ required: true, label: 'Seria șasiului' });
      expect(services.find((s: { id: string }) => s.id === 'o1-s2').policy.identityKey).toBeNull();
      const res = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'Ion Pop', email: 'ion@example.org' }, 'ro');
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'IDENTITY_KEY_REQUIRED']);
      expect(res.json().error.message).toMatch(/^Acest serviciu necesită: Seria șasiului\. Referință: [0-9A-Z]{10}$/);
      // Staff find the refusal by the reference the client quotes.
      expect(await decisions(attemptOf(res.json().error.message).toLowerCase())).toMatchObject([{ rule: 'IDENTITY_KEY_REQUIRED', outcome: 'refused' }]);
    });

    it('refuse: a second booking of the same key (typed differently) is refused while the first is active; after it is cancelled the key is free', async () => {
      await start({ identityDuplicates: 'refuse' });
      const slot = await firstSlot(h, 'o1-s1', DAY);
      const first = await book(slot, { name: 'Ion Pop', email: 'ion@example.org', identityKey: VIN });
      const again = await holdAt(h, slot, { name: 'Ana Pop', email: 'ana@example.org', identityKey: ' wvw-zzz1jz xw000001 ' });
      expect([again.statusCode, again.json().error.code]).toEqual([409, 'IDENTITY_KEY_HAS_BOOKING']);
      expect(await decisions(attemptOf(again.json().error.message))).toMatchObject([{ rule: 'IDENTITY_KEY_HAS_BOOKING', outcome: 'refused', bookingNumber: null }]);
      // Another service does not care about the key; the same service takes it once the first is gone.
      expect((await holdAt(h, await firstSlot(h, 'o1-s2', DAY), { name: 'Ana Pop', email: 'ana@example.org', identityKey: VIN })).statusCode).toBe(201);
      await drain();
      const mail = await h.booking.mailSink!.next((m) => m.subject.includes(first));
      const cancel = /[?&]cancel=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/booking/cancel', payload: { token: cancel } })).statusCode).toBe(200);
      expect((await holdAt(h, slot, { name: 'Ana Pop', email: 'ana@example.org', identityKey: VIN })).statusCode).toBe(201);
    });

    it('Bihor: the same chassis serial booked twice with cancel-all → once the second is confirmed both bookings are cancelled and both messages sent', async () => {
      await start({ identityDuplicates: 'cancelAll' });
      const slot = await firstSlot(h, 'o1-s1', DAY);
      const free = () => count(`SELECT sum(places - taken) AS n FROM slots WHERE service_id = 'o1-s1'`);
      const first = await book(slot, { name: 'Ion Pop', email: 'ion@example.org', identityKey: VIN });
      // Knowing the chassis serial is not enough to cancel someone's booking: the second attempt holds…
      const held = await h.app.inject({
        method: 'POST',
        url: '/api/v1/booking/holds',
        headers: { 'accept-language': 'ro' },
        payload: { slotId: slot, name: 'ANA POP', phone: '+40 722 000 111', channel: 'sms', identityKey: 'wvw zzz 1jz xw 000001' },
      });
      expect(held.statusCode, held.body).toBe(201);
      expect(await state(first)).toBe('confirmed');
      const placesBefore = await free();
      // …and only its confirmation cancels.
      await drain();
      const sms = await h.booking.smsSink!.next((m) => m.to === '+40722000111');
      const code = /#(\d{6})$/.exec(sms.text)![1]!;
      const confirmed = await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${held.json().holdKey}/code`, headers: { 'accept-language': 'ro' }, payload: { code } });
      expect([confirmed.statusCode, confirmed.json().error.code]).toEqual([409, 'IDENTITY_BOOKINGS_CANCELLED']);
      const second = (await h.sql<{ number: string }>(`SELECT number FROM bookings WHERE number <> '${first}'`))[0]!.number;
      expect(confirmed.json().error.message).toContain(`${second}, ${first}`);
      expect(confirmed.json().error.message).toContain('Seria șasiului');
      expect([await state(first), await state(second)]).toEqual(['cancelled', 'cancelled']);
      expect(await free()).toBe(placesBefore + 2);
      // The holder's page says so too.
      expect((await h.app.inject({ url: `/api/v1/booking/holds/${held.json().holdKey}` })).json()).toMatchObject({ state: 'cancelled', number: second });

      await drain();
      const mail = await h.booking.mailSink!.next((m) => m.to.includes('ion@example.org') && m.subject.includes(first) && /cancelled/i.test(m.subject));
      expect(mail.text).toContain('identity key');
      const text = await h.booking.smsSink!.next((m) => m.to === '+40722000111' && m.text.includes(second) && m.text.includes('anulat'));
      expect(text.text).toContain('cheie de identitate');
      // No reminder of a cancelled booking will follow.
      expect(await count(`SELECT count(*) AS n FROM outbox WHERE kind = 'reminder' AND state = 'pending'`)).toBe(0);
      // Staff see why, by either booking number.
      expect(await decisions(first)).toMatchObject([{ rule: 'identity-cancel-all', outcome: 'cancelled', bookingNumber: first }]);
      expect(JSON.parse((await decisions(second))[0]!.detail)).toEqual({ numbers: [second, first] });
      // And the key is free again: a booking of it alone is confirmed as usual.
      expect(await state(await book(slot, { name: 'Ion Pop', email: 'ion@example.org', identityKey: VIN }))).toBe('confirmed');
    });

    it('a draw re-checks at allocation: two applications with one key (different contacts) get one place; the other is recorded as refused', async () => {
      await start({ identityDuplicates: 'refuse' }, [policy('o1-s3', { allocation: 'draw', horizonDays: 2, earliestDays: 2, drawWindowMin: 24 * 60, identityKey: CHASSIS })]);
      const ids: string[] = [];
      for (const email of ['a@example.org', 'b@example.org']) {
        const res = await h.app.inject({ method: 'POST', url: '/api/v1/booking/applications', payload: { serviceId: 'o1-s3', day: DAY, channel: 'email', name: 'A B', email, identityKey: VIN } });
        expect(res.statusCode, res.body).toBe(201);
        ids.push(res.json().applicationId);
      }
      h.clock.advance(24 * 3600_000);
      await h.booking.sweep();
      await signInAgain(); // a day later the supervisor's session has ended
      const apps = await h.sql<{ id: string; state: string }>('SELECT id, state FROM applications ORDER BY state');
      expect(apps.map((a) => a.state)).toEqual(['allocated', 'not_allocated']);
      expect(await decisions(apps[1]!.id)).toMatchObject([{ rule: 'IDENTITY_KEY_HAS_BOOKING', outcome: 'refused', applicationId: apps[1]!.id }]);
      expect(ids.sort()).toEqual(apps.map((a) => a.id).sort());
    });
  });

  describe('bans', () => {
    it('a lapsed booking bans its client: the next attempt is refused with the end date; a supervisor lifts the ban with a reason', async () => {
      await start({ noShowBanDays: 30 }, [policy('o1-s1')]);
      const slot = await firstSlot(h, 'o1-s1', TODAY); // 09:30 today
      const number = await book(slot, { name: 'Jana Nováková', email: 'jana@example.org', phone: '+420601000123' });
      h.clock.advance(30 * MIN + 16 * MIN); // 15 minutes late is the end of the check-in window
      await h.booking.sweep();
      expect(await state(number)).toBe('lapsed');
      // The client is told, once, in the language they booked in, with the ban's end.
      await drain();
      const notice = await h.booking.mailSink!.next((m) => m.to.includes('jana@example.org') && m.subject.includes(number) && !/confirmed/i.test(m.subject));
      expect(notice.subject).toContain('2026-12-23 09:46');
      await h.booking.sweep();
      await drain();
      expect(h.booking.mailSink!.messages.filter((m) => m.subject.includes(number) && m.subject.includes('2026-12-23'))).toHaveLength(1);

      // Same phone, another e-mail: still the same person.
      const later = await firstSlot(h, 'o1-s1', DAY);
      const refused = await holdAt(h, later, { name: 'Jana Nováková', email: 'other@example.org', phone: '+420 601 000 123' }, 'cs');
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'BOOKING_BANNED']);
      expect(refused.json().error.message).toContain('2026-12-23 09:46');
      expect(await decisions(attemptOf(refused.json().error.message))).toMatchObject([{ rule: 'BOOKING_BANNED', outcome: 'refused' }]);
      expect(await decisions(number)).toMatchObject([{ rule: 'no-show-ban', outcome: 'ban-applied', bookingNumber: number }]);

      const bans = (await staff('GET', '/bans')).json().bans;
      expect(bans).toMatchObject([{ kind: 'no-show', bookingNumber: number, until: '2026-12-23 09:46' }]);
      expect((await staff('POST', `/bans/${bans[0].id}/lift`, { reason: 'came the next day with a doctor’s note' }, 'clerk1')).statusCode).toBe(403);
      const lifted = await staff('POST', `/bans/${bans[0].id}/lift`, { reason: 'came the next day with a doctor’s note' });
      expect(lifted.statusCode, lifted.body).toBe(200);
      expect((await staff('GET', '/bans')).json().bans).toEqual([]);
      expect((await decisions(number)).map((d) => d.outcome)).toEqual(['ban-applied', 'ban-lifted']);
      expect((await holdAt(h, later, { name: 'Jana Nováková', email: 'other@example.org', phone: '+420601000123' })).statusCode).toBe(201);
    });

    it('a ban for fictitious data (by booking number) cancels every booking of the person with a message and bars their key for 180 days', async () => {
      await start();
      const number = await book(await firstSlot(h, 'o1-s1', DAY), { name: 'Ion Pop', email: 'ion@example.org', identityKey: VIN });
      const other = await book(await firstSlot(h, 'o1-s2', DAY), { name: 'Ion Pop', email: 'ion@example.org' });
      expect((await staff('POST', '/bans', { number, reason: 'no such chassis' }, 'clerk1')).statusCode).toBe(403);
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/booking/offices/o1/bans', payload: { number, reason: 'x' } })).statusCode).toBe(401);
      const missing = await staff('POST', '/bans', { reason: 'no one named' });
      expect([missing.statusCode, missing.json().error.code]).toEqual([400, 'BAN_TARGET_REQUIRED']);

      const res = await staff('POST', '/bans', { number, reason: 'no such chassis' });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().cancelled.sort()).toEqual([number, other].sort());
      expect(res.json().ban).toMatchObject({ kind: 'fictitious', until: '2027-05-22 10:00', reason: 'no such chassis' });
      expect([await state(number), await state(other)]).toEqual(['cancelled', 'cancelled']);
      await drain();
      for (const n of [number, other]) {
        const mail = await h.booking.mailSink!.next((m) => m.subject.includes(n) && /cancelled/i.test(m.subject));
        expect(mail.text).toContain('barred');
      }
      // Another contact with the same chassis serial is the same person.
      const refused = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'Ana Pop', email: 'ana@example.org', identityKey: VIN });
      expect([refused.statusCode, refused.json().error.code]).toEqual([403, 'BOOKING_BANNED']);
      expect(refused.json().error.message).toContain('2027-05-22 10:00');
      expect((await decisions(number)).map((d) => [d.rule, d.outcome])).toEqual([['ban', 'cancelled']]);

      h.clock.advance(180 * 24 * 3600_000);
      expect((await holdAt(h, await firstSlot(h, 'o1-s1', '2027-05-24'), { name: 'Ana Pop', email: 'ana@example.org', identityKey: VIN })).statusCode).toBe(201);
    });
  });

  describe('national ID numbers and names', () => {
    const CNP = '1850101123451';

    it('where the office forbids them, a CNP in the name, e-mail or identity key is refused; elsewhere it passes', async () => {
      await start({ forbidNationalIds: true });
      const slot = await firstSlot(h, 'o1-s1', DAY);
      const tries: [string, Record<string, string>][] = [
        ['name', { name: `Ion Pop ${CNP}`, email: 'ion@example.org', identityKey: VIN }],
        ['email', { name: 'Ion Pop', email: `${CNP}@example.org`, identityKey: VIN }],
        ['identityKey', { name: 'Ion Pop', email: 'ion@example.org', identityKey: `${CNP.slice(0, 6)}-${CNP.slice(6)}` }],
      ];
      for (const [field, who] of tries) {
        const res = await holdAt(h, slot, who as never, 'ro');
        expect([res.statusCode, res.json().error.code], field).toEqual([400, 'NATIONAL_ID_FORBIDDEN']);
        // The field is named in the reader's words, not as the API spells it.
        const label = { name: 'nume', email: 'e-mail', phone: 'telefon', identityKey: 'cheia de identitate' }[field];
        expect(res.json().error.message).toContain(`„${label}”`);
      }
      expect((await holdAt(h, slot, { name: 'Ion Pop', email: 'ion@example.org', identityKey: VIN })).statusCode).toBe(201);
      expect(await count('SELECT count(*) AS n FROM bookings')).toBe(1);
      expect(await count(`SELECT count(*) AS n FROM rule_decisions WHERE rule = 'NATIONAL_ID_FORBIDDEN'`)).toBe(3);
      expect(JSON.stringify(await h.sql('SELECT * FROM rule_decisions'))).not.toContain(CNP);
    });

    it('in a Czech office, a rodné číslo or a Chinese ID number in the name or the VIN is refused; phone numbers keep their own validation', async () => {
      await start({ forbidNationalIds: true });
      const slot = await firstSlot(h, 'o1-s1', DAY);
      const tries: [string, Applicant][] = [
        ['name', { name: 'Jana Nováková 855714/9315', email: 'jana@example.org', identityKey: VIN }],
        ['name', { name: 'Jana Nováková 8557149315', email: 'jana@example.org', identityKey: VIN }],
        ['identityKey', { name: 'Jana Nováková', email: 'jana@example.org', identityKey: '855714/9315' }],
        ['identityKey', { name: 'Wang Xiaoming', email: 'wang@example.org', identityKey: '11010519491231002X' }],
      ];
      for (const [field, who] of tries) {
        const res = await holdAt(h, slot, who, 'cs');
        expect([res.statusCode, res.json().error.code], `${field}: ${JSON.stringify(who)}`).toEqual([400, 'NATIONAL_ID_FORBIDDEN']);
      }
      expect(await count('SELECT count(*) AS n FROM bookings')).toBe(0);
      // A Prague landline reads as a date and a CNP-long number as a CNP: the phone field is not searched.
      for (const phone of ['+420 251 012 345', '+40 712 050 009', `+${CNP}`]) {
        const res = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'Jana Nováková', email: `jana${phone.length}@example.org`, phone, identityKey: `${VIN.slice(0, -1)}${phone.length % 10}` });
        expect(res.statusCode, `${phone}: ${res.body}`).toBe(201);
      }
    });

    it('without the rule a number in the name is kept; names in capitals are normalised', async () => {
      await start();
      const res = await holdAt(h, await firstSlot(h, 'o1-s1', DAY), { name: 'JAN NOVÁK', email: 'jan@example.org', identityKey: VIN });
      expect(res.statusCode, res.body).toBe(201);
      const sealed = (await h.sql<{ name_sealed: string }>('SELECT name_sealed FROM bookings'))[0]!.name_sealed;
      expect(h.booking.keyed.open(sealed)).toBe('Jan Novák');
    });
  });

  describe('privacy', () => {
    it('a dump of the database holds no identity key, phone or e-mail in clear', async () => {
      await start({ identityDuplicates: 'cancelAll', noShowBanDays: 30 });
      const people = [
        { name: 'Ion Pop', email: 'ion.pop@example.org', phone: '+40722000111', identityKey: VIN },
        { name: 'Ana Pop', email: 'ana.pop@example.org', phone: '+40722000222', identityKey: 'UU1LSDAC123456789' },
      ];
      const numbers = [];
      for (const p of people) numbers.push(await book(await firstSlot(h, 'o1-s1', DAY), p));
      const third = await confirmByMail(await firstSlot(h, 'o1-s1', DAY), { ...people[0]!, email: 'third@example.org' });
      expect(third.json().error.code).toBe('IDENTITY_BOOKINGS_CANCELLED');
      await staff('POST', '/bans', { number: numbers[1], reason: 'fictitious' });
      await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: await firstSlot(h, 'o1-s1', DAY), name: 'Ana Pop', email: 'ana.pop@example.org', channel: 'email', identityKey: 'UU1LSDAC123456789' } });
      await drain();
      const dump = store === 'sqlite' ? sqliteFile() : await everyRow();
      expect(dump.length).toBeGreaterThan(10_000);
      for (const p of people) {
        for (const clear of [p.email, p.phone, p.phone.slice(3), p.identityKey, p.identityKey.toLowerCase()]) expect(dump, clear).not.toContain(clear);
      }
      expect(dump).not.toContain('third@example.org');
      // What the rules matched on is there, as keyed hashes.
      expect(await count('SELECT count(*) AS n FROM bookings WHERE identity_hash IS NOT NULL AND identity_key_id IS NOT NULL')).toBe(3);
    });
  });
});

/** The SQLite file and its WAL as bytes: what a stolen disk holds, freed pages included. */
function sqliteFile(): string {
  h.db.pragma('wal_checkpoint(TRUNCATE)');
  return ['fronta.db', 'fronta.db-wal']
    .map((f) => {
      try {
        return readFileSync(join(h.dir, f)).toString('latin1');
      } catch {
        return '';
      }
    })
    .join('');
}

/** Every row of every table of the host's PostgreSQL database (its files are the server's, not the host's). */
async function everyRow(): Promise<string> {
  const tables = await h.sql<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`);
  const rows = [];
  for (const { table_name: t } of tables) rows.push(JSON.stringify(await h.sql(`SELECT * FROM "${t}"`)));
  expect(tables.length).toBeGreaterThan(20);
  return rows.join('\n');
}

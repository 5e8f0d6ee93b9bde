import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoOffice } from '../host/demo.ts';
import { DEMO_RULES, seedDemoBooking } from '../host/demo-booking.ts';
import { createUser } from '../server/provisioning.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES, PASSWORD } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import { firstSlot, holdAt } from './helpers/rules.ts';
import { changedTables, storeSnapshot } from './helpers/store-snapshot.ts';

/**
 * An office's online-booking settings through the API: supervisors read them and flip the crisis
 * switch, admins change the rest (check-in, rules about people, retention) as partial updates;
 * every change is one transaction and one audit event saying who changed what.
 */

let h: BookingTestHost;
/** Session cookies of the users this file adds: `boss` (supervisor of o1), `admin2` (admin of o2). */
let cookies: Record<string, string>;

const DAY = '2026-11-25'; // two days after the fake clock's Monday
/** A valid Romanian CNP (core/rules/national-id.test.ts). */
const CNP = '1850101123451';

async function addUser(officeId: string, username: string, role: 'supervisor' | 'admin'): Promise<string> {
  const access = h.stores.people;
  const ids = { ticketId: () => 'unused', entityId: (prefix: string) => `${prefix}_${username}` };
  await createUser(access, { ids, clock: h.clock }, { officeId, username, password: PASSWORD, role, passwordCostLog2: 10 });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
  return `fronta_session=${res.cookies.find((c) => c.name === 'fronta_session')!.value}`;
}


const cookieOf = (who: string): string => cookies[who] ?? h.cookie(who);
const settings = (who = 'admin', office = 'o1') => h.app.inject({ url: `/api/v1/booking/offices/${office}/settings`, headers: { cookie: cookieOf(who) } });
const put = (payload: unknown, who = 'admin', office = 'o1') =>
  h.app.inject({ method: 'PUT', url: `/api/v1/booking/offices/${office}/settings`, headers: { cookie: cookieOf(who), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const crisis = (payload: unknown, who = 'boss', office = 'o1') =>
  h.app.inject({ method: 'POST', url: `/api/v1/booking/offices/${office}/crisis`, headers: { cookie: cookieOf(who), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const publicServices = (lang: string) => h.app.inject({ url: '/api/v1/booking/offices/o1/services', headers: { 'accept-language': lang } });

type Change = { field: string; from: unknown; to: unknown };
type Entry = { username: string | null; via: string; at: number; changes: Change[] };

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    h = await startBookingHost({ store });
    await h.stores.seed.officeConfig(testOffice({ id: 'o2' }));
    cookies = { boss: await addUser('o1', 'boss', 'supervisor'), admin2: await addUser('o2', 'admin2', 'admin') };
  });
  afterEach(async () => {
    await h.close();
  });

  describe('reading and changing the settings', () => {
    it('an admin reads the defaults, then changes some fields: the rest keep their value, the change is recorded', async () => {
      const before = await settings();
      expect(before.statusCode, before.body).toBe(200);
      expect(before.json()).toEqual({
        officeId: 'o1',
        languages: ['cs', 'en'],
        suspended: false,
        suspendedMessage: {},
        checkIn: { earlyMin: 15, lateMin: 15, late: 'refuse', prefix: null },
        rules: { identityDuplicates: 'refuse', noShowBanDays: 0, fictitiousBanDays: 180, forbidNationalIds: false },
        retentionDays: 30,
        history: [],
      });

      const res = await put({ checkIn: { earlyMin: 20, late: 'walk-in' }, rules: { noShowBanDays: 30 }, retentionDays: 60 });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({
        suspended: false,
        checkIn: { earlyMin: 20, lateMin: 15, late: 'walk-in', prefix: null },
        rules: { identityDuplicates: 'refuse', noShowBanDays: 30, fictitiousBanDays: 180, forbidNationalIds: false },
        retentionDays: 60,
      });
      expect(body.history).toHaveLength(1);
      expect(body.history[0]).toMatchObject({ username: 'admin', via: 'settings', at: h.clock.now() });
      expect(body.history[0].changes).toEqual([
        { field: 'checkIn.earlyMin', from: 15, to: 20 },
        { field: 'checkIn.late', from: 'refuse', to: 'walk-in' },
        { field: 'rules.noShowBanDays', from: 0, to: 30 },
        { field: 'retentionDays', from: 30, to: 60 },
      ]);
      // Stored, and what the rest of the host reads: the public privacy notice's period included.
      expect((await settings()).json()).toEqual(body);
      expect((await publicServices('en')).json().retentionDays).toBe(60);
      expect(await h.sql(`SELECT retention_days FROM booking_offices WHERE office_id = 'o1'`)).toEqual([{ retention_days: 60 }]);

      // A nested partial update: only the field given changes.
      const again = await put({ rules: { fictitiousBanDays: 90, forbidNationalIds: true }, checkIn: { prefix: 'R' } });
      expect(again.statusCode, again.body).toBe(200);
      expect(again.json().rules).toEqual({ identityDuplicates: 'refuse', noShowBanDays: 30, fictitiousBanDays: 90, forbidNationalIds: true });
      expect(again.json().checkIn).toEqual({ earlyMin: 20, lateMin: 15, late: 'walk-in', prefix: 'R' });
      expect((again.json().history as Entry[]).map((e) => e.changes.map((c) => c.field))).toEqual([
        ['checkIn.prefix', 'rules.fictitiousBanDays', 'rules.forbidNationalIds'],
        ['checkIn.earlyMin', 'checkIn.late', 'rules.noShowBanDays', 'retentionDays'],
      ]);

      // The same values again, or nothing at all: no change, nothing recorded.
      for (const same of [{ rules: { noShowBanDays: 30 } }, {}]) {
        const r = await put(same);
        expect(r.statusCode, r.body).toBe(200);
        expect(r.json().history).toHaveLength(2);
      }
      expect(await h.sql(`SELECT count(*) AS n FROM events WHERE type = 'booking:settings-changed'`)).toEqual([{ n: 2 }]);
    });

    it('a supervisor reads them but only an admin changes them; clerks, devices, strangers and other offices are refused', async () => {
      expect((await settings('boss')).statusCode).toBe(200);
      const refused: [string, Awaited<ReturnType<typeof put>>, number, string][] = [
        ['supervisor PUT', await put({ rules: { noShowBanDays: 7 } }, 'boss'), 403, 'FORBIDDEN'],
        ['clerk GET', await settings('clerk1'), 403, 'FORBIDDEN'],
        ['clerk PUT', await put({ rules: { noShowBanDays: 7 } }, 'clerk1'), 403, 'FORBIDDEN'],
        ['clerk crisis', await crisis({ on: true, message: { en: 'Closed.' } }, 'clerk1'), 403, 'FORBIDDEN'],
        ['o2 admin GET', await settings('admin2'), 403, 'FORBIDDEN'],
        ['o2 admin PUT', await put({ rules: { noShowBanDays: 7 } }, 'admin2'), 403, 'FORBIDDEN'],
        ['o2 admin crisis', await crisis({ on: true, message: { en: 'Closed.' } }, 'admin2'), 403, 'FORBIDDEN'],
        ['o1 admin on o2', await put({ rules: { noShowBanDays: 7 } }, 'admin', 'o2'), 403, 'FORBIDDEN'],
        ['kiosk GET', await h.app.inject({ url: '/api/v1/booking/offices/o1/settings', headers: { authorization: `Bearer ${h.kioskToken}` } }), 403, 'FORBIDDEN'],
        ['nobody GET', await h.app.inject({ url: '/api/v1/booking/offices/o1/settings' }), 401, 'AUTH_REQUIRED'],
        ['nobody crisis', await h.app.inject({ method: 'POST', url: '/api/v1/booking/offices/o1/crisis', payload: { on: true } }), 401, 'AUTH_REQUIRED'],
      ];
      for (const [what, res, status, code] of refused) expect([what, res.statusCode, res.json().error.code]).toEqual([what, status, code]);
      // Their own office is theirs: o2's admin changes o2.
      expect((await put({ rules: { noShowBanDays: 7 } }, 'admin2', 'o2')).json().rules.noShowBanDays).toBe(7);
      expect((await settings()).json()).toMatchObject({ rules: { noShowBanDays: 0 }, history: [] });
    });

    it('bad values are VALIDATION_FAILED and change nothing, a valid field beside a bad one included', async () => {
      const before = await storeSnapshot(h, h.clock.now());
      const bad: [string, () => ReturnType<typeof put>][] = [
        ['negative ban days', () => put({ rules: { noShowBanDays: -1 } })],
        ['ban days over ten years', () => put({ rules: { noShowBanDays: 3651 } })],
        ['a fictitious-data ban of 0 days', () => put({ rules: { fictitiousBanDays: 0 } })],
        ['retention 5', () => put({ retentionDays: 5 })],
        ['retention 5 beside a good field', () => put({ rules: { noShowBanDays: 30 }, retentionDays: 5 })],
        ['unknown duplicates enum', () => put({ rules: { identityDuplicates: 'banAll' } })],
        ['unknown late enum', () => put({ checkIn: { late: 'maybe' } })],
        ['window over 120 minutes', () => put({ checkIn: { earlyMin: 121 } })],
        ['negative window', () => put({ checkIn: { lateMin: -5 } })],
        ['fractional window', () => put({ checkIn: { lateMin: 7.5 } })],
        ['lower-case prefix', () => put({ checkIn: { prefix: 'r' } })],
        ['a field in the wrong place', () => put({ noShowBanDays: 30 })],
        ['an unknown rule', () => put({ rules: { noShowBanDays: 30, banEveryone: true } })],
        ['empty rules', () => put({ rules: {} })],
        ['empty message', () => put({ suspended: true, suspendedMessage: {} })],
        ['blank message', () => put({ suspended: true, suspendedMessage: { en: '   ' } })],
        ['message in an unknown language', () => put({ suspendedMessage: { de: 'Geschlossen' } })],
        ['suspended as text', () => put({ suspended: 'yes' })],
        ['crisis on as text', () => crisis({ on: 'yes', message: { en: 'Closed.' } })],
        ['crisis without on', () => crisis({ message: { en: 'Closed.' } })],
        ['crisis message with a newline', () => crisis({ on: true, message: { en: 'Closed.\nSorry.' } })],
      ];
      for (const [what, send] of bad) {
        const res = await send();
        expect([what, res.statusCode, res.json().error.code]).toEqual([what, 400, 'VALIDATION_FAILED']);
      }
      expect(changedTables(before, await storeSnapshot(h, h.clock.now()))).toEqual([]);
      expect((await settings()).json()).toMatchObject({ rules: { noShowBanDays: 0 }, retentionDays: 30, history: [] });
    });

    it('turning on forbidNationalIds refuses a hold whose name holds a valid CNP; turning it off lets it through again', async () => {
      const slot = () => firstSlot(h, 'o1-s1', DAY);
      const name = `Ion Popescu ${CNP}`;
      expect((await holdAt(h, await slot(), { name, email: 'ion1@example.org' })).statusCode).toBe(201);

      expect((await put({ rules: { forbidNationalIds: true } })).statusCode).toBe(200);
      const refused = await holdAt(h, await slot(), { name, email: 'ion2@example.org' });
      expect([refused.statusCode, refused.json().error.code]).toEqual([400, 'NATIONAL_ID_FORBIDDEN']);
      // Without the number the same person books.
      expect((await holdAt(h, await slot(), { name: 'Ion Popescu', email: 'ion2@example.org' })).statusCode).toBe(201);

      expect((await put({ rules: { forbidNationalIds: false } })).statusCode).toBe(200);
      expect((await holdAt(h, await slot(), { name, email: 'ion3@example.org' })).statusCode).toBe(201);
    });
  });

  describe('the crisis switch', () => {
    const MESSAGE = {
      cs: 'Kvůli povodni je úřad zavřený.',
      en: 'The office is closed because of the flood.',
      ro: 'Biroul este închis din cauza inundației.',
    };

    it('a supervisor stops all online booking with a message the public reads in its language, and resumes it; staff see who and when', async () => {
      const slot = await firstSlot(h, 'o1-s1', DAY);
      const on = await crisis({ on: true, message: MESSAGE });
      expect(on.statusCode, on.body).toBe(200);
      expect(on.json()).toMatchObject({ suspended: true, suspendedMessage: MESSAGE });
      const switchedOnAt = h.clock.now();

      // A hold is refused, in the caller's language.
      const held = await holdAt(h, slot, { name: 'Ana Pop', email: 'ana@example.org' }, 'ro');
      expect([held.statusCode, held.json().error]).toEqual([409, { code: 'BOOKING_SUSPENDED', message: `Programările online sunt oprite: ${MESSAGE.ro}` }]);
      expect((await holdAt(h, slot, { name: 'Jan Novák', email: 'jan@example.org' }, 'cs')).json().error.message).toBe(`Online objednávání je vypnuto: ${MESSAGE.cs}`);
      // The public services page says why, in the caller's language (else the office's first).
      for (const [lang, text] of [['ro', MESSAGE.ro], ['en', MESSAGE.en], ['cs', MESSAGE.cs], ['zh-CN', MESSAGE.cs]] as const) {
        expect((await publicServices(lang)).json()).toMatchObject({ suspended: true, suspendedMessage: text });
      }

      h.clock.advance(3_600_000);
      const off = await crisis({ on: false }, 'admin');
      expect(off.statusCode, off.body).toBe(200);
      expect(off.json()).toMatchObject({ suspended: false, suspendedMessage: MESSAGE });
      expect((await publicServices('ro')).json()).toMatchObject({ suspended: false, suspendedMessage: '' });
      expect((await holdAt(h, slot, { name: 'Ana Pop', email: 'ana@example.org' }, 'ro')).statusCode).toBe(201);

      // Who turned it on and when, newest first; a supervisor reads it too.
      const history = (await settings('boss')).json().history as Entry[];
      expect(history).toEqual([
        { id: expect.any(Number), at: switchedOnAt + 3_600_000, userId: expect.any(String), username: 'admin', via: 'crisis', changes: [{ field: 'suspended', from: true, to: false }] },
        {
          id: expect.any(Number),
          at: switchedOnAt,
          userId: expect.any(String),
          username: 'boss',
          via: 'crisis',
          changes: [
            { field: 'suspended', from: false, to: true },
            { field: 'suspendedMessage', from: {}, to: { cs: MESSAGE.cs, en: MESSAGE.en, ro: MESSAGE.ro } },
          ],
        },
      ]);
      // The change is an event of the office's log, so open staff pages hear of it at once.
      const logged = await h.sql<{ payload: string }>(`SELECT payload FROM events WHERE type = 'booking:settings-changed' ORDER BY id`);
      expect(logged.map((e) => JSON.parse(e.payload).via)).toEqual(['crisis', 'crisis']);
    });

    it('switching it on needs a message in some language, given now or kept from before; a new message replaces the old one whole', async () => {
      const before = await storeSnapshot(h, h.clock.now());
      const none = await crisis({ on: true });
      expect([none.statusCode, none.json().error.code]).toEqual([400, 'CRISIS_MESSAGE_REQUIRED']);
      expect((await put({ suspended: true }, 'admin')).json().error.code).toBe('CRISIS_MESSAGE_REQUIRED');
      expect(changedTables(before, await storeSnapshot(h, h.clock.now()))).toEqual([]);

      expect((await crisis({ on: true, message: MESSAGE })).statusCode).toBe(200);
      expect((await crisis({ on: false })).statusCode).toBe(200);
      // Next time the message kept from before will do…
      expect((await crisis({ on: true })).json()).toMatchObject({ suspended: true, suspendedMessage: MESSAGE });
      // …and a new one replaces it in every language (a stale Czech text would contradict it).
      const strike = await crisis({ on: true, message: { en: 'Closed today: strike.' } });
      expect(strike.json()).toMatchObject({ suspended: true, suspendedMessage: { en: 'Closed today: strike.' } });
      expect((await publicServices('cs')).json().suspendedMessage).toBe('Closed today: strike.');
      // An admin's PUT flips it too.
      expect((await put({ suspended: false })).json().suspended).toBe(false);
    });
  });

  describe('the crisis message in every office language', () => {
    it('is written per language, read in the reader’s language (?lang= or Accept-Language) or else the office’s first; one plain text is the first language’s', async () => {
      expect((await settings('boss')).json().languages).toEqual(['cs', 'en']);
      const on = await crisis({ on: true, message: { cs: 'Úřad je dnes zavřený.', en: 'The office is closed today.', 'zh-CN': '今天办公室关闭。' } });
      expect(on.statusCode, on.body).toBe(200);
      const read = async (query: string, acceptLanguage?: string): Promise<string> =>
        (await h.app.inject({ url: `/api/v1/booking/offices/o1/services${query}`, headers: acceptLanguage === undefined ? {} : { 'accept-language': acceptLanguage } })).json().suspendedMessage;
      expect(await read('', 'zh-CN,zh;q=0.9')).toBe('今天办公室关闭。');
      expect(await read('?lang=zh-CN', 'cs')).toBe('今天办公室关闭。');
      expect(await read('?lang=en')).toBe('The office is closed today.');
      // No Romanian text, no language given: the office's first.
      expect(await read('', 'ro')).toBe('Úřad je dnes zavřený.');
      expect(await read('')).toBe('Úřad je dnes zavřený.');
      expect(await read('?lang=xx', 'en')).toBe('The office is closed today.');

      // A client that sends one text (as before per-language messages): the office's first language's, the others gone.
      const plain = await crisis({ on: true, message: 'Zavřeno kvůli stávce.' });
      expect(plain.statusCode, plain.body).toBe(200);
      expect(plain.json().suspendedMessage).toEqual({ cs: 'Zavřeno kvůli stávce.' });
      expect(await read('?lang=zh-CN')).toBe('Zavřeno kvůli stávce.');
      expect((await put({ suspendedMessage: 'Closed.' })).json().suspendedMessage).toEqual({ cs: 'Closed.' });
      expect((await crisis({ on: true, message: '   ' })).statusCode).toBe(400);
      // The history keeps each change, per language.
      const history = (await settings('boss')).json().history as Entry[];
      expect(history[1]!.changes).toContainEqual({ field: 'suspendedMessage', from: { cs: 'Úřad je dnes zavřený.', en: 'The office is closed today.', 'zh-CN': '今天办公室关闭。' }, to: { cs: 'Zavřeno kvůli stávce.' } });
    });
  });

  describe('the demo office', () => {
    it('bars no-shows for 30 days and refuses a second booking of the same identity key (the VIN of the vehicle register)', async () => {
      // Seeded as `fronta serve --demo` seeds it, on this store.
      await h.stores.seed.officeConfig(demoOffice());
      await seedDemoBooking(h.stores.seed);
      expect(DEMO_RULES).toEqual({ identityDuplicates: 'refuse', noShowBanDays: 30 });
      expect((await h.booking.store.officeSettings('demo')).rules).toEqual({
        identityDuplicates: 'refuse',
        noShowBanDays: 30,
        fictitiousBanDays: 180,
        forbidNationalIds: false,
      });
      // The vehicle register asks for the VIN, so a newcomer sees the identity-key rule in the portal.
      expect((await h.booking.store.policy('vehicles'))?.identityKey).toMatchObject({ required: true, label: { en: 'VIN (vehicle identification number)' } });
      expect((await h.booking.store.policy('id-cards'))?.identityKey ?? null).toBeNull();
    });
  });
});

describe.each(BOTH_STORES)('one change, one transaction, on %s', (store) => {
  let s: BookingTestHost;
  beforeEach(async () => {
    s = await startBookingHost({ store });
  });
  afterEach(async () => {
    await s.close();
  });

  const putOn = (payload: unknown) =>
    s.app.inject({ method: 'PUT', url: '/api/v1/booking/offices/o1/settings', headers: { cookie: s.cookie('admin'), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const stored = async () => (await s.sql<{ days: number; rules: string }>(`SELECT retention_days AS days, rules FROM booking_offices WHERE office_id = 'o1'`))[0];
  const logged = async () => (await s.sql<{ n: number }>(`SELECT count(*) AS n FROM events WHERE type = 'booking:settings-changed'`)).map((r) => Number(r.n))[0];
  /** A real refusal by the database of the retention write that comes after the other settings' write. */
  const refuseRetentionWrites = async () => {
    if (store === 'sqlite') {
      await s.sql(`CREATE TRIGGER no_retention BEFORE UPDATE OF retention_days ON booking_offices BEGIN SELECT RAISE(ABORT, 'retention refused'); END`);
      return;
    }
    await s.sql(`CREATE FUNCTION no_retention() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'retention refused'; END $$`);
    await s.sql(`CREATE TRIGGER no_retention BEFORE UPDATE OF retention_days ON booking_offices FOR EACH ROW EXECUTE FUNCTION no_retention()`);
  };

  it('retention changed with other settings answers at once and saves both, with one audit event', async () => {
    const started = Date.now();
    const res = await putOn({ rules: { noShowBanDays: 14 }, checkIn: { earlyMin: 25 }, retentionDays: 90 });
    expect(res.statusCode, res.body).toBe(200);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(res.json()).toMatchObject({ retentionDays: 90, rules: { noShowBanDays: 14 }, checkIn: { earlyMin: 25 } });
    expect(Number((await stored())?.days)).toBe(90);
    expect(JSON.parse((await stored())!.rules)).toMatchObject({ noShowBanDays: 14 });
    expect(await logged()).toBe(1);
    // And again on the row that now exists: the second change waits on nothing either.
    const again = await putOn({ rules: { noShowBanDays: 7 }, retentionDays: 45 });
    expect(again.statusCode, again.body).toBe(200);
    expect(Number((await stored())?.days)).toBe(45);
  });

  it('when the database refuses the retention write, the other settings written before it in the same change are rolled back too', async () => {
    expect((await putOn({ rules: { noShowBanDays: 3 } })).statusCode).toBe(200);
    await refuseRetentionWrites();
    const res = await putOn({ rules: { noShowBanDays: 14 }, retentionDays: 90 });
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.json().error.code).toEqual(expect.any(String));
    expect(Number((await stored())?.days)).toBe(30);
    expect(JSON.parse((await stored())!.rules)).toMatchObject({ noShowBanDays: 3 });
    expect(await logged()).toBe(1);
    // The host goes on: a change without retention is saved.
    expect((await putOn({ rules: { noShowBanDays: 5 } })).statusCode).toBe(200);
    expect(JSON.parse((await stored())!.rules)).toMatchObject({ noShowBanDays: 5 });
  });
});

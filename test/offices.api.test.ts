import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../server/provisioning.ts';
import { BOTH_STORES, PASSWORD, startTestHost, type TestHost } from './helpers/harness.ts';
import { changedTables, storeSnapshot } from './helpers/store-snapshot.ts';
import { apiRoutes, fillPath, sampleBody } from './helpers/routes.ts';

/**
 * Many offices on one install: an install admin creates them and their first admins; the people
 * of one office reach nothing of another.
 */

let h: TestHost;

type Headers = Record<string, string>;

async function call(method: string, url: string, headers: Headers, payload?: unknown) {
  const res = await h.app.inject({ method: method as 'GET', url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, json: res.json() };
}

async function login(username: string, password: string): Promise<Headers> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  const c = res.cookies.find((x) => x.name === 'fronta_session');
  if (c === undefined) throw new Error(`login of ${username}: ${res.body}`);
  return { cookie: `fronta_session=${c.value}` };
}

async function installAdmin(): Promise<Headers> {
  const ids = { ticketId: () => 't', entityId: (p: string) => `${p}_root` };
  await createUser(h.stores.people, { ids, clock: h.clock }, { officeId: 'o1', username: 'root', password: PASSWORD, role: 'admin', isInstallAdmin: true, passwordCostLog2: 10 });
  return login('root', PASSWORD);
}

/** A second office made through the API, with its first admin signed in (password changed). */
async function secondOffice(root: Headers): Promise<{ officeId: string; admin: Headers }> {
  const made = await call('POST', '/offices', root, { name: 'Úřad Lhota', timeZone: 'Europe/Prague', languages: ['cs', 'en'], admin: { username: 'lhota' } });
  expect(made.status).toBe(201);
  const admin = await login('lhota', made.json.admin.password);
  await call('POST', '/auth/password', admin, { currentPassword: made.json.admin.password, newPassword: 'lhota’s own password' });
  return { officeId: made.json.office.id, admin };
}

/** The id of a user of any office, by username (usernames are unique on an install). */
async function userId(username: string): Promise<string> {
  const [row] = await h.sql<{ id: string }>(`SELECT id FROM users WHERE username = '${username}'`);
  if (row === undefined) throw new Error(`no user ${username}`);
  return row.id;
}

describe.each(BOTH_STORES)('offices of an install on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store });
  });
  afterEach(async () => {
    await h.close();
  });

    it('an install admin creates an empty office and its first admin, who must change the one-time password', async () => {
      const root = await installAdmin();
      const made = await call('POST', '/offices', root, { name: 'Úřad Lhota', timeZone: 'Europe/Prague', languages: ['cs', 'en'], admin: { username: 'lhota', displayName: 'Lhota admin' } });
      expect(made.status).toBe(201);
      expect(made.json.office).toEqual({ id: 'urad-lhota', name: 'Úřad Lhota', timeZone: 'Europe/Prague', languages: ['cs', 'en'] });
      expect(made.json.admin.user).toMatchObject({ username: 'lhota', role: 'admin', officeId: 'urad-lhota', mustChangePassword: true, isInstallAdmin: false });
      // Empty: no services, no counters.
      expect((await call('GET', '/offices/urad-lhota/services', {})).json.services).toEqual([]);
      expect(await h.sql(`SELECT count(*) AS n FROM counters WHERE office_id = 'urad-lhota'`)).toEqual([{ n: 0 }]);
      // The same name again gets its own id; a given id that is taken is refused.
      expect((await call('POST', '/offices', root, { name: 'Úřad Lhota', timeZone: 'Europe/Prague', languages: ['cs'] })).json.office.id).toBe('urad-lhota-2');
      expect((await call('POST', '/offices', root, { id: 'o1', name: 'X', timeZone: 'Europe/Prague', languages: ['cs'] })).json.error.code).toBe('OFFICE_EXISTS');
      // The install admin manages the new office's people too.
      expect((await call('GET', '/offices/urad-lhota/users', root)).json.users.map((u: { username: string }) => u.username)).toEqual(['lhota']);
      const audit = (await call('GET', '/offices/urad-lhota/people-audit', root)).json.changes.map((c: { entity: string; action: string }) => `${c.entity}:${c.action}`);
      expect(audit).toEqual(['user:created', 'office:created']);
    });

    it('bad input names the field in the caller’s language; an office admin who is not an install admin creates none', async () => {
      const root = await installAdmin();
      const before = await h.sql('SELECT count(*) AS n FROM offices');
      expect(before).toEqual([{ n: 1 }]);
      const bad = await call('POST', '/offices', { ...root, 'accept-language': 'cs' }, { name: 'X', timeZone: 'Mars/Olympus', languages: ['cs'] });
      expect(bad.status).toBe(400);
      expect(bad.json.error.message).toMatch(/timeZone/);
      expect((await call('POST', '/offices', root, { name: 'X', timeZone: 'Europe/Prague', languages: ['cs', 'cs'] })).status).toBe(400);
      expect((await call('POST', '/offices', { cookie: h.cookie('admin') }, { name: 'X', timeZone: 'Europe/Prague', languages: ['cs'] })).json.error.code).toBe('FORBIDDEN');
      expect(await h.sql('SELECT count(*) AS n FROM offices')).toEqual(before);
    });

    // Every route of the API, each followed by a whole-database snapshot: ~9 s on SQLite, 3× that on PostgreSQL under load.
    it('the admin of one office gets 403 or 404 on every route of another, and nothing changes', { timeout: 120_000 }, async () => {
      const root = await installAdmin();
      const lhota = await secondOffice(root);
      const o1Clerk = await userId('clerk1');
      const lhotaUser = await userId('lhota');
      const o1Device = (await h.stores.people.listDevices('o1'))[0]!.id;
      const o1Ticket = (await call('POST', '/tickets', { authorization: `Bearer ${h.kioskToken}` }, { serviceId: 'o1-s1' })).json.ticket.id as string;
      const idsOf = (office: string): Record<string, string> =>
        office === 'o1'
          ? { offices: 'o1', users: o1Clerk, devices: o1Device, counters: 'o1-c1', services: 'o1-s1', tickets: o1Ticket, bans: 'ban_none', audit: '1' }
          : { offices: lhota.officeId, users: lhotaUser, devices: 'dsp_none', counters: 'c_none', services: 's_none', tickets: 't_none', bans: 'ban_none', audit: '1' };
      // Valid bodies, so that the answer is about the office and not about the body.
      const bodies: Record<string, unknown> = {
        'POST /api/v1/offices/{officeId}/users': { username: 'intruder', role: 'admin' },
        'PATCH /api/v1/offices/{officeId}/users/{userId}': { role: 'admin' },
        'POST /api/v1/offices/{officeId}/devices': { kind: 'kiosk', name: 'Intruder' },
        'PATCH /api/v1/offices/{officeId}/devices/{deviceId}': { name: 'Intruder' },
        'PUT /api/v1/offices/{officeId}/display-settings': { voiceLanguages: ['cs'] },
      };
      const routes = (await apiRoutes(h.app)).filter((r) => !r.isPublic && r.params.some((p) => p.name === 'officeId'));
      expect(routes.length).toBeGreaterThan(15);
      // The snapshot sees the tables a stray write would land in (it is not empty on either store).
      expect([...(await storeSnapshot(h, h.clock.now())).keys()]).toEqual(expect.arrayContaining(['users', 'devices', 'counters', 'tickets', 'offices', 'events']));
      const problems: string[] = [];
      for (const [who, headers, office] of [
        ['lhota admin on o1', lhota.admin, 'o1'],
        ['o1 admin on lhota', { cookie: h.cookie('admin') }, lhota.officeId],
      ] as const) {
        const ids = idsOf(office);
        for (const route of routes) {
          const url = fillPath(route, (p) => ids[p.collection] ?? `${p.collection}_none`).replace(/^\/api\/v1/, '');
          const body = route.method === 'GET' ? undefined : (bodies[route.key] ?? (route.body === null ? undefined : sampleBody(route.body)));
          const snap = await storeSnapshot(h, h.clock.now());
          const res = await call(route.method, url, { ...headers }, body);
          const changed = changedTables(snap, await storeSnapshot(h, h.clock.now()));
          if (![403, 404].includes(res.status) || changed.length > 0) problems.push(`${who}: ${route.key} → ${res.status} ${JSON.stringify(res.json).slice(0, 160)}${changed.length > 0 ? ` changed ${changed.join(',')}` : ''}`);
        }
      }
      expect(problems.join('\n')).toBe('');
    });

    it('the admin of an install admin’s home office cannot change, reset or disable them', async () => {
      await installAdmin();
      const root = await userId('root');
      const o1 = { cookie: h.cookie('admin') };
      for (const [method, path, body] of [
        ['PATCH', '', { role: 'clerk' }],
        ['POST', '/reset-password', undefined],
        ['POST', '/disable', undefined],
      ] as const) {
        expect((await call(method, `/offices/o1/users/${root}${path}`, o1, body)).json.error.code, path).toBe('FORBIDDEN');
      }
      expect(await h.sql(`SELECT role, disabled_at, must_change_password FROM users WHERE id = '${root}'`)).toEqual([{ role: 'admin', disabled_at: null, must_change_password: 0 }]);
    });

    it('devices and sockets of one office cannot listen to another; an install admin may', async () => {
      const root = await installAdmin();
      const lhota = await secondOffice(root);
      expect((await call('GET', `/offices/${lhota.officeId}/devices`, { authorization: `Bearer ${h.kioskToken}` })).json.error.code).toBe('FORBIDDEN');
      expect((await call('GET', '/offices/o1/users', root)).status).toBe(200);
      expect((await call('GET', `/offices/${lhota.officeId}/queue`, root)).status).toBe(200);
      expect((await call('GET', `/offices/${lhota.officeId}/queue`, { cookie: h.cookie('admin') })).json.error.code).toBe('FORBIDDEN');
    });
});

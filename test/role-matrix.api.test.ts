import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createUser } from '../server/provisioning.ts';
import { BOTH_STORES, PASSWORD, type TestHost } from './helpers/harness.ts';
import { startRolesHost } from './helpers/roles.ts';
import { apiRoutes, fillPath, sampleBody, type ApiRoute } from './helpers/routes.ts';

/**
 * Who may use the back office's routes, every one of them as the OpenAPI document lists it: the
 * office's configuration, its people and devices, message templates, office changes to bookings
 * and the outbox — asked by a clerk, a supervisor and the admin of office o1, and by the admin of
 * another office. The table says the least role a route needs; below it the answer is 403, the
 * other office's admin gets 403 or 404, and the admin of o1 is never refused.
 */

let h: TestHost;
let cookies: Map<string, string>;

// Both stores: the people and configuration adapters of each answer the same roles.
describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    ({ h, cookies } = await startRolesHost(store));
  });
  afterEach(async () => {
    await h.close();
  });

  type Role = 'supervisor' | 'admin';

  /** The back office's route families (the path after /offices/{officeId}); every route of them is in the table below. */
  const FAMILY = /^\/api\/v1\/offices\/\{officeId\}(?:$|\/(?:config|audit|hours|calendar|alerts|fairness|logos|order|departments|services|counters|users|people-audit|audit-log|backups|devices|templates|templates-audit|office-change|outbox|fees)(?:\/|$))/;

  /** The least role of each route: the split — supervisors run the day and read, admins change the rest. */
  const LEAST: Record<string, Role> = {
    'PATCH /api/v1/offices/{officeId}': 'admin',
    'GET /api/v1/offices/{officeId}/config': 'supervisor',
    'PUT /api/v1/offices/{officeId}/config': 'admin',
    'GET /api/v1/offices/{officeId}/audit': 'supervisor',
    'POST /api/v1/offices/{officeId}/audit/{changeId}/undo': 'supervisor',
    'PUT /api/v1/offices/{officeId}/hours': 'admin',
    'PUT /api/v1/offices/{officeId}/calendar': 'supervisor',
    'PUT /api/v1/offices/{officeId}/alerts': 'supervisor',
    'PUT /api/v1/offices/{officeId}/fairness': 'admin',
    'PUT /api/v1/offices/{officeId}/logos': 'admin',
    'PUT /api/v1/offices/{officeId}/order': 'admin',
    'POST /api/v1/offices/{officeId}/departments': 'admin',
    'PUT /api/v1/offices/{officeId}/departments/{departmentId}': 'admin',
    'DELETE /api/v1/offices/{officeId}/departments/{departmentId}': 'admin',
    'POST /api/v1/offices/{officeId}/services': 'admin',
    'PATCH /api/v1/offices/{officeId}/services/{serviceId}': 'admin',
    'DELETE /api/v1/offices/{officeId}/services/{serviceId}': 'admin',
    'PUT /api/v1/offices/{officeId}/services/{serviceId}/names': 'admin',
    'POST /api/v1/offices/{officeId}/services/{serviceId}/close-for-day': 'supervisor',
    'POST /api/v1/offices/{officeId}/counters': 'admin',
    'PATCH /api/v1/offices/{officeId}/counters/{counterId}': 'admin',
    'DELETE /api/v1/offices/{officeId}/counters/{counterId}': 'admin',
    'GET /api/v1/offices/{officeId}/users': 'admin',
    'POST /api/v1/offices/{officeId}/users': 'admin',
    'PATCH /api/v1/offices/{officeId}/users/{userId}': 'admin',
    'POST /api/v1/offices/{officeId}/users/{userId}/reset-password': 'admin',
    'POST /api/v1/offices/{officeId}/users/{userId}/disable': 'admin',
    'POST /api/v1/offices/{officeId}/users/{userId}/enable': 'admin',
    'GET /api/v1/offices/{officeId}/people-audit': 'admin',
    'GET /api/v1/offices/{officeId}/audit-log': 'admin',
    'GET /api/v1/offices/{officeId}/backups': 'admin',
    'PUT /api/v1/offices/{officeId}/backups': 'admin',
    'GET /api/v1/offices/{officeId}/devices': 'admin',
    'POST /api/v1/offices/{officeId}/devices': 'admin',
    'PATCH /api/v1/offices/{officeId}/devices/{deviceId}': 'admin',
    'DELETE /api/v1/offices/{officeId}/devices/{deviceId}': 'admin',
    'GET /api/v1/offices/{officeId}/templates': 'supervisor',
    'GET /api/v1/offices/{officeId}/templates/{kind}/{language}': 'supervisor',
    'POST /api/v1/offices/{officeId}/templates/{kind}/{language}/preview': 'supervisor',
    'PUT /api/v1/offices/{officeId}/templates/{kind}/{language}': 'admin',
    'DELETE /api/v1/offices/{officeId}/templates/{kind}/{language}': 'admin',
    'GET /api/v1/offices/{officeId}/templates-audit': 'supervisor',
    'POST /api/v1/offices/{officeId}/templates-audit/{changeId}/undo': 'admin',
    'POST /api/v1/offices/{officeId}/office-change': 'supervisor',
    'POST /api/v1/offices/{officeId}/office-change/service': 'admin',
    'GET /api/v1/offices/{officeId}/outbox': 'supervisor',
    'POST /api/v1/offices/{officeId}/outbox/{messageId}/resend': 'supervisor',
    'GET /api/v1/offices/{officeId}/fees/orders': 'supervisor',
    'GET /api/v1/offices/{officeId}/fees/waiting': 'supervisor',
    'GET /api/v1/offices/{officeId}/fees/daily.csv': 'supervisor',
    'GET /api/v1/offices/{officeId}/fees/refunds.csv': 'supervisor',
    'GET /api/v1/offices/{officeId}/fees/reconciliation.csv': 'supervisor',
  };

  /** Valid bodies where a sample from the schema would not be (the answer is then about the role, not the body); config writes are previews. */
  const DAY = { open: '08:00', close: '17:00', breaks: [] };
  const WEEK = { mon: DAY, tue: DAY, wed: DAY, thu: DAY, fri: DAY, sat: null, sun: null };
  const BODIES: Record<string, unknown> = {
    'PATCH /api/v1/offices/{officeId}': { names: { cs: 'Úřad' } },
    'PUT /api/v1/offices/{officeId}/hours': WEEK,
    'PUT /api/v1/offices/{officeId}/order': { services: ['o1-s3', 'o1-s1', 'o1-s2'] },
    'POST /api/v1/offices/{officeId}/services': { departmentId: 'o1-d1', prefix: 'Z', names: { cs: 'Z' }, dailyWalkInCapacity: 5 },
    'PATCH /api/v1/offices/{officeId}/services/{serviceId}': { dailyWalkInCapacity: 5 },
    'POST /api/v1/offices/{officeId}/counters': { number: '9', serviceIds: ['o1-s1'] },
    'PATCH /api/v1/offices/{officeId}/counters/{counterId}': { serviceIds: ['o1-s1'] },
    'PATCH /api/v1/offices/{officeId}/users/{userId}': { role: 'clerk' },
    'PUT /api/v1/offices/{officeId}/backups': { keepDays: 14, at: '02:30' },
  };
  const isConfig = (key: string): boolean => /\/offices\/\{officeId\}(?:$|\/(?:config|hours|calendar|alerts|fairness|logos|order|departments|services|counters)(?:\/\{[a-zA-Z]+\})?$)/.test(key);

  describe('the back office’s routes by role', () => {
    it('clerk: none; supervisor: what the table gives them; admin of the office: all; admin of another office: none', async () => {
      const routes = (await apiRoutes(h.app)).filter((r) => !r.isPublic && FAMILY.test(r.path));
      // Every route of the families has its row: a new route must say who may use it.
      expect(routes.map((r) => r.key).filter((k) => LEAST[k] === undefined)).toEqual([]);
      expect(routes.length).toBeGreaterThanOrEqual(35);
      const clerk = (await h.stores.people.listUsers('o1')).find((u) => u.username === 'clerk1')!.id;
      const device = (await h.stores.people.listDevices('o1'))[0]!.id;
      const ids: Record<string, string> = { officeId: 'o1', userId: clerk, deviceId: device, serviceId: 'o1-s3', counterId: 'o1-c4', departmentId: 'o1-d1', kind: 'confirmed', language: 'cs', changeId: '1', messageId: '1' };
      const url = (r: ApiRoute): string => fillPath(r, (p) => ids[p.name] ?? `${p.collection}_none`).replace(/^\/api\/v1/, '');
      const ask = async (r: ApiRoute, who: string): Promise<number> => {
        const payload = r.method === 'GET' || r.body === null ? undefined : (BODIES[r.key] ?? sampleBody(r.body));
        const preview = r.method !== 'GET' && isConfig(r.key) ? '?preview=1' : '';
        const res = await h.app.inject({ method: r.method, url: `/api/v1${url(r)}${preview}`, headers: { cookie: cookies.get(who)! }, ...(payload === undefined ? {} : { payload }) });
        return res.statusCode;
      };
      // The whole configuration is written back as it is.
      BODIES['PUT /api/v1/offices/{officeId}/config'] = (await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/config', headers: { cookie: cookies.get('admin')! } })).json();
      const wrong: string[] = [];
      // The admin of o1 last: their answers change things (a password reset ends the clerk's session).
      for (const who of ['clerk1', 'boss', 'admin2', 'admin'] as const) {
        for (const r of routes) {
          const status = await ask(r, who);
          const least = LEAST[r.key]!;
          const allowed = who === 'admin' || (who === 'boss' && least === 'supervisor');
          const ok = allowed ? status !== 401 && status !== 403 : who === 'admin2' ? status === 403 || status === 404 : status === 403;
          if (!ok) wrong.push(`${who} ${r.key} → ${status}`);
        }
      }
      expect(wrong.join('\n')).toBe('');
    });

    it('a new office (POST /offices): the install’s administrators only, not an office’s admin', async () => {
      const deps = { clock: h.clock, ids: { ticketId: () => 'unused', entityId: (p: string) => `${p}-root` } };
      await createUser(h.stores.people, deps, { officeId: 'o1', username: 'root', password: PASSWORD, role: 'admin', isInstallAdmin: true, passwordCostLog2: 10 });
      const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'root', password: PASSWORD } });
      const root = `fronta_session=${login.cookies.find((c) => c.name === 'fronta_session')!.value}`;
      const add = (cookie: string, id: string) =>
        h.app.inject({ method: 'POST', url: '/api/v1/offices', headers: { cookie }, payload: { id, name: `Office ${id}`, timeZone: 'Europe/Prague', languages: ['cs'], admin: { username: `${id}-admin` } } });
      for (const who of ['clerk1', 'boss', 'admin', 'admin2'] as const) expect([who, (await add(cookies.get(who)!, `by-${who}`)).statusCode]).toEqual([who, 403]);
      const made = await add(root, 'o3');
      expect(made.statusCode).toBe(201);
      expect(made.json()).toMatchObject({ office: { id: 'o3' }, admin: { user: { username: 'o3-admin', role: 'admin', officeId: 'o3' } } });
    });
  });
});

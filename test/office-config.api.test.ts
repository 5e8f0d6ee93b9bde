import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../core/shared/events.ts';
import { onDomainEvents, type ClientToServer, type ServerToClient } from '../contracts/socket.ts';
import { BOTH_STORES, type TestHost } from './helpers/harness.ts';
import { startRolesHost } from './helpers/roles.ts';

/**
 * The office configuration over the API, on the real host and SQLite file (the test office o1:
 * Prague, Mon–Fri 08:00–17:00, services A B C, counters 1–4; the clock stands at Monday
 * 2026-11-23 09:00): changes validated whole, refused in the caller's language naming the field
 * with nothing changed, audited and undone, refused while something live depends on them, read by
 * the engine at once, and pushed to open screens.
 */

let h: TestHost;
let cookies: Map<string, string>;


const call = (method: string, url: string, payload?: unknown, who = 'admin', lang = 'en') =>
  h.app.inject({
    method: method as 'GET',
    url: `/api/v1${url}`,
    headers: { cookie: cookies.get(who) ?? '', 'accept-language': lang, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
  });

const config = async () => (await call('GET', '/offices/o1/config')).json();
const day = (open: string, close: string, breaks: { from: string; to: string }[] = []) => ({ open, close, breaks });
const week = (d: unknown, weekend: unknown = null) => ({ mon: d, tue: d, wed: d, thu: d, fri: d, sat: weekend, sun: weekend });
const issue = () => h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });

// Both stores: a change, its audit, undo and the live push hold on SQLite and on PostgreSQL.
describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    ({ h, cookies } = await startRolesHost(store));
  });
  afterEach(async () => {
    await h.close();
  });

  describe('validation', () => {
    it('a break outside the day is refused in the caller’s language, naming the field, and nothing changes', async () => {
      const before = await config();
      const res = await call('PUT', '/offices/o1/hours', week(day('08:00', '17:00', [{ from: '07:00', to: '08:30' }])), 'admin', 'cs');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('CONFIG_BREAK_OUTSIDE');
      expect(res.json().error.message).toContain('hours.mon.breaks.0');
      expect(res.json().error.message).toContain('přestávka');
      expect(await config()).toEqual(before);
    });

    it('refuses overlapping breaks, a close before the open, a prefix used twice, a counter serving a service that does not exist', async () => {
      const overlap = await call('PUT', '/offices/o1/hours', week(day('08:00', '17:00', [{ from: '11:00', to: '12:30' }, { from: '12:00', to: '13:00' }])));
      expect(overlap.json().error.code).toBe('CONFIG_BREAKS_OVERLAP');
      expect((await call('PUT', '/offices/o1/hours', week(day('17:00', '08:00')))).json().error.code).toBe('CONFIG_HOURS_INVALID');
      const prefix = await call('PATCH', '/offices/o1/services/o1-s2', { prefix: 'A' });
      expect(prefix.statusCode).toBe(409);
      expect(prefix.json().error).toMatchObject({ code: 'CONFIG_PREFIX_TAKEN' });
      expect(prefix.json().error.message).toContain('services.o1-s2.prefix');
      const counter = await call('PATCH', '/offices/o1/counters/o1-c2', { serviceIds: ['o1-s1', 'nope'] });
      expect(counter.json().error).toMatchObject({ code: 'CONFIG_UNKNOWN_REFERENCE' });
      expect(counter.json().error.message).toContain('counters.o1-c2.serviceIds.1');
    });

    it('refuses what the schema cannot accept (a lowercase prefix, an unknown field) naming the field', async () => {
      const res = await call('PATCH', '/offices/o1/services/o1-s1', { prefix: 'a' }, 'admin', 'ro');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
      expect(res.json().error.message).toContain('prefix');
      expect((await call('PATCH', '/offices/o1/services/o1-s1', { prefx: 'D' })).json().error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('changes, audit and undo', () => {
    it('a renamed service is recorded (who, before → after) and undone as a new change', async () => {
      const res = await call('PATCH', '/offices/o1/services/o1-s1', { names: { cs: 'Pasy', en: 'Passports' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ applied: true, sections: ['services'] });
      expect(res.json().changes).toContainEqual({ path: 'services.o1-s1.names.cs', from: 'Služba 1', to: 'Pasy' });
      const audit = (await call('GET', '/offices/o1/audit')).json().changes;
      expect(audit[0]).toMatchObject({ id: res.json().changeId, username: 'admin', via: 'api', sections: ['services'] });
      expect(audit[0].before.services['o1-s1'].names).toEqual({ en: 'Service 1', cs: 'Služba 1' });
      expect(audit[0].after.services['o1-s1'].names).toEqual({ cs: 'Pasy', en: 'Passports' });
      // The kiosk's list reads the new name at once.
      const kiosk = await h.app.inject({ url: '/api/v1/offices/o1/services', headers: { 'accept-language': 'cs' } });
      expect(kiosk.json().services[0].name).toBe('Pasy');

      const undo = await call('POST', `/offices/o1/audit/${res.json().changeId}/undo`);
      expect(undo.statusCode, undo.body).toBe(200);
      expect((await config()).services[0].names).toEqual({ en: 'Service 1', cs: 'Služba 1' });
      expect((await call('GET', '/offices/o1/audit')).json().changes[0]).toMatchObject({ via: 'undo', undoOf: res.json().changeId });
    });

    it('a removed service comes back with undo, in its place and on its counters', async () => {
      // Counter 3 serves only B: removing B is refused until it serves something else too.
      expect((await call('DELETE', '/offices/o1/services/o1-s2')).json().error.code).toBe('CONFIG_COUNTER_ONLY_SERVICE');
      expect((await call('PATCH', '/offices/o1/counters/o1-c3', { serviceIds: ['o1-s2', 'o1-s1'] })).statusCode).toBe(200);
      const before = await config();
      const del = await call('DELETE', '/offices/o1/services/o1-s2');
      expect(del.statusCode, del.body).toBe(200);
      const after = await config();
      expect(after.services.map((s: { id: string }) => s.id)).toEqual(['o1-s1', 'o1-s3']);
      expect(after.counters[0].serviceIds).toEqual(['o1-s1', 'o1-s3']);
      expect(after.counters[2].serviceIds).toEqual(['o1-s1']);
      expect((await call('POST', `/offices/o1/audit/${del.json().changeId}/undo`)).statusCode).toBe(200);
      expect(await config()).toEqual(before);
    });

    it('a preview answers what would change and changes nothing', async () => {
      const before = await config();
      const res = await call('PUT', '/offices/o1/calendar?preview=1', { closedDays: [{ date: '2026-11-24' }], changedDays: [] });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ applied: false, changeId: null, sections: ['calendar'] });
      expect(await config()).toEqual(before);
      expect((await call('GET', '/offices/o1/audit')).json().changes).toEqual([]);
    });

    it('refuses to remove a service with tickets in the office, or a counter with a client at it, saying what to do first', async () => {
      expect((await issue()).statusCode).toBe(201);
      await call('PATCH', '/offices/o1/counters/o1-c2', { serviceIds: ['o1-s1', 'o1-s2'] });
      const svc = await call('DELETE', '/offices/o1/services/o1-s1');
      expect(svc.statusCode).toBe(409);
      expect(svc.json().error).toMatchObject({ code: 'CONFIG_SERVICE_IN_USE' });
      expect(svc.json().error.message).toMatch(/1 tickets.*transfer/);
      await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c2/open', headers: { cookie: h.cookie('clerk2') } });
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c2/call-next', headers: { cookie: h.cookie('clerk2') } })).statusCode).toBe(200);
      const ctr = await call('DELETE', '/offices/o1/counters/o1-c2');
      expect(ctr.statusCode).toBe(409);
      expect(ctr.json().error.code).toBe('CONFIG_COUNTER_BUSY');
      expect((await config()).counters).toHaveLength(4);
    });
  });

  describe('the engine reads the new configuration', () => {
    it('a day closed today stops the kiosk at once; a break now does too; opening again lets it issue', async () => {
      expect((await issue()).statusCode).toBe(201);
      await call('PUT', '/offices/o1/calendar', { closedDays: [{ date: '2026-11-23', note: { en: 'Holiday' } }], changedDays: [] }, 'boss');
      expect((await issue()).json().error.code).toBe('OFFICE_CLOSED');
      expect((await h.app.inject({ url: '/api/v1/offices/o1/services' })).json().services.every((s: { isOpen: boolean }) => !s.isOpen)).toBe(true);
      await call('PUT', '/offices/o1/calendar', { closedDays: [], changedDays: [] }, 'boss');
      expect((await issue()).statusCode).toBe(201);
      await call('PUT', '/offices/o1/hours', week(day('08:00', '17:00', [{ from: '08:45', to: '09:30' }])));
      expect((await issue()).json().error.code).toBe('OFFICE_CLOSED');
    });

    it('a new service with its own hours is offered by the kiosk only inside them', async () => {
      const add = await call('POST', '/offices/o1/services', {
        id: 'pass',
        departmentId: 'o1-d1',
        prefix: 'P',
        names: { cs: 'Pasy', en: 'Passports' },
        dailyWalkInCapacity: 50,
        hours: week(day('10:00', '12:00')),
      });
      expect(add.statusCode, add.body).toBe(200);
      const svc = (await h.app.inject({ url: '/api/v1/offices/o1/services' })).json().services.find((s: { id: string }) => s.id === 'pass');
      expect(svc).toMatchObject({ prefix: 'P', isOpen: false });
      const t = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'pass' } });
      expect(t.json().error.code).toBe('OFFICE_CLOSED');
      const outside = await call('PATCH', '/offices/o1/services/pass', { hours: week(day('07:00', '12:00')) });
      expect(outside.json().error.code).toBe('CONFIG_SERVICE_HOURS_OUTSIDE');
    });
  });

  describe('the screens’ logo', () => {
    it('is served to anyone with an ETag: an unchanged logo costs a 304 with no body, a new one a 200 with a new tag, none a 204', async () => {
      const png2x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAIAAAABCAYAAAD0In+KAAAADklEQVR4nGMQcGj4D8IADUMDn3XMvmgAAAAASUVORK5CYII=';
      const png1x1 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==';
      const logo = (ifNoneMatch?: string) => h.app.inject({ url: '/api/v1/offices/o1/logo', headers: ifNoneMatch === undefined ? {} : { 'if-none-match': ifNoneMatch } });
      expect((await logo()).statusCode).toBe(204);

      expect((await call('PUT', '/offices/o1/logos', { screen: { mediaType: 'image/png', data: png2x1 }, ticket: null })).statusCode).toBe(200);
      const first = await logo();
      expect(first.statusCode).toBe(200);
      expect(first.headers['content-type']).toBe('image/png');
      expect(first.headers['cache-control']).toBe('no-cache');
      expect(first.rawPayload.equals(Buffer.from(png2x1, 'base64'))).toBe(true);
      const tag = String(first.headers['etag']);
      expect(tag).toMatch(/^"[\w-]+"$/);

      const again = await logo(tag);
      expect(again.statusCode).toBe(304);
      expect(again.rawPayload.length).toBe(0);
      expect((await logo(`W/${tag}`)).statusCode).toBe(304);
      expect((await logo('"something-else"')).statusCode).toBe(200);

      expect((await call('PUT', '/offices/o1/logos', { screen: { mediaType: 'image/png', data: png1x1 }, ticket: null })).statusCode).toBe(200);
      const changed = await logo(tag);
      expect(changed.statusCode).toBe(200);
      expect(changed.rawPayload.equals(Buffer.from(png1x1, 'base64'))).toBe(true);
      expect(changed.headers['etag']).not.toBe(tag);

      expect((await call('PUT', '/offices/o1/logos', { screen: null, ticket: null })).statusCode).toBe(200);
      expect((await logo(tag)).statusCode).toBe(204);
    });
  });

  describe('live', () => {
    it('every committed change reaches an open screen’s socket as one config:changed event', async () => {
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const socket: Socket<ServerToClient, ClientToServer> = connect(base, { transports: ['websocket'], auth: { token: h.kioskToken }, reconnection: false });
      const events: LoggedEvent[] = [];
      socket.on('config:changed', (e) => events.push(e));
      await new Promise<void>((resolve, reject) => {
        socket.on('connect_error', reject);
        socket.on('sync:done', () => resolve());
      });
      try {
        const res = await call('PATCH', '/offices/o1/services/o1-s3', { names: { cs: 'Nová', en: 'New' } });
        await expect.poll(() => events.length).toBe(1);
        expect(events[0]).toMatchObject({ type: 'config:changed', officeId: 'o1', payload: { changeId: res.json().changeId, sections: ['services'] } });
        // A preview and a refused change send nothing.
        await call('PATCH', '/offices/o1/services/o1-s3?preview=1', { names: { cs: 'X' } });
        await call('PATCH', '/offices/o1/services/o1-s3', { prefix: 'A' });
        await new Promise((r) => setTimeout(r, 100));
        expect(events).toHaveLength(1);
      } finally {
        socket.close();
      }
    });

    it('a public page (the portal) hears its office’s config:changed without credentials, and nothing else', async () => {
      await h.app.listen({ host: '127.0.0.1', port: 0 });
      const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      const refused = connect(base, { transports: ['websocket'], auth: { isPublic: true }, reconnection: false });
      expect((await new Promise<Error>((resolve) => refused.on('connect_error', resolve))).message).toBe('FORBIDDEN');
      refused.close();
      const socket: Socket<ServerToClient, ClientToServer> = connect(base, { transports: ['websocket'], auth: { isPublic: true, officeId: 'o1', lastEventId: 0 }, reconnection: false });
      const events: LoggedEvent[] = [];
      onDomainEvents(socket, (e) => events.push(e));
      await new Promise<void>((resolve, reject) => {
        socket.on('connect_error', reject);
        socket.on('sync:done', () => resolve());
      });
      try {
        expect((await issue()).statusCode).toBe(201);
        const res = await call('PATCH', '/offices/o1/services/o1-s3', { names: { cs: 'Nová', en: 'New' } });
        await expect.poll(() => events.length).toBe(1);
        expect(events[0]).toMatchObject({ type: 'config:changed', officeId: 'o1', payload: { changeId: res.json().changeId } });
        // Tickets issued before and after: nothing of the queue reaches a public page, and no replay.
        expect((await issue()).statusCode).toBe(201);
        await new Promise((r) => setTimeout(r, 100));
        expect(events.map((e) => e.type)).toEqual(['config:changed']);
      } finally {
        socket.close();
      }
    });
  });

  describe('who may change what', () => {
    const week8 = week(day('08:00', '17:00'));
    const routes: { name: string; method: string; url: string; body?: unknown; supervisor: boolean }[] = [
      { name: 'read config', method: 'GET', url: '/offices/o1/config', supervisor: true },
      { name: 'read audit', method: 'GET', url: '/offices/o1/audit', supervisor: true },
      { name: 'calendar', method: 'PUT', url: '/offices/o1/calendar?preview=1', body: { closedDays: [], changedDays: [] }, supervisor: true },
      { name: 'alerts', method: 'PUT', url: '/offices/o1/alerts?preview=1', body: { targetWaitMin: 30, serviceTargets: {}, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false }, supervisor: true },
      { name: 'office', method: 'PATCH', url: '/offices/o1?preview=1', body: { names: { cs: 'Úřad' } }, supervisor: false },
      { name: 'hours', method: 'PUT', url: '/offices/o1/hours?preview=1', body: week8, supervisor: false },
      { name: 'fairness', method: 'PUT', url: '/offices/o1/fairness?preview=1', body: { maxWaitMin: 30, maxRecalls: 1, defaultServiceMin: 5, priorityCategories: [] }, supervisor: false },
      { name: 'logos', method: 'PUT', url: '/offices/o1/logos?preview=1', body: { screen: null, ticket: null }, supervisor: false },
      { name: 'order', method: 'PUT', url: '/offices/o1/order?preview=1', body: { services: ['o1-s3', 'o1-s1', 'o1-s2'] }, supervisor: false },
      { name: 'add department', method: 'POST', url: '/offices/o1/departments?preview=1', body: { names: { cs: 'Odbor' } }, supervisor: false },
      { name: 'rename department', method: 'PUT', url: '/offices/o1/departments/o1-d1?preview=1', body: { names: { cs: 'Odbor' } }, supervisor: false },
      { name: 'add service', method: 'POST', url: '/offices/o1/services?preview=1', body: { departmentId: 'o1-d1', prefix: 'Z', names: { cs: 'Z' }, dailyWalkInCapacity: 5 }, supervisor: false },
      { name: 'change service', method: 'PATCH', url: '/offices/o1/services/o1-s1?preview=1', body: { dailyWalkInCapacity: 5 }, supervisor: false },
      { name: 'remove service', method: 'DELETE', url: '/offices/o1/services/o1-s3?preview=1', supervisor: false },
      { name: 'add counter', method: 'POST', url: '/offices/o1/counters?preview=1', body: { number: '9', serviceIds: ['o1-s1'] }, supervisor: false },
      { name: 'change counter', method: 'PATCH', url: '/offices/o1/counters/o1-c1?preview=1', body: { serviceIds: ['o1-s2', 'o1-s1'] }, supervisor: false },
      { name: 'remove counter', method: 'DELETE', url: '/offices/o1/counters/o1-c4?preview=1', supervisor: false },
      { name: 'whole config', method: 'PUT', url: '/offices/o1/config?preview=1', body: 'CURRENT', supervisor: false },
    ];

    it('admin of the office: everything; supervisor: the day (calendar, alerts) and reading; clerk and another office’s admin: nothing', async () => {
      // Counter 4 serves C and A, so that removing C is a change an admin can make.
      expect((await call('PATCH', '/offices/o1/counters/o1-c4', { serviceIds: ['o1-s3', 'o1-s1'] })).statusCode).toBe(200);
      const current = await config();
      const seen: string[] = [];
      for (const r of routes) {
        for (const who of ['admin', 'boss', 'clerk1', 'admin2']) {
          const res = await call(r.method, r.url, r.body === 'CURRENT' ? current : r.body, who);
          const allowed = who === 'admin' || (who === 'boss' && r.supervisor);
          seen.push(`${r.name} ${who} ${res.statusCode}`);
          expect(res.statusCode, `${r.name} as ${who}: ${res.body}`).toBe(allowed ? 200 : 403);
        }
      }
      expect(seen).toHaveLength(routes.length * 4);
      // Nothing above was more than a preview.
      expect(await config()).toEqual(current);
    });

    it('undo is allowed to whoever may change the sections it touches', async () => {
      const cal = (await call('PUT', '/offices/o1/calendar', { closedDays: [{ date: '2026-12-31' }], changedDays: [] }, 'boss')).json().changeId;
      const hours = (await call('PUT', '/offices/o1/hours', week(day('08:00', '16:00')))).json().changeId;
      expect((await call('POST', `/offices/o1/audit/${hours}/undo`, undefined, 'boss')).statusCode).toBe(403);
      expect((await call('POST', `/offices/o1/audit/${cal}/undo`, undefined, 'clerk1')).statusCode).toBe(403);
      expect((await call('POST', `/offices/o1/audit/${cal}/undo`, undefined, 'admin2')).statusCode).toBe(403);
      expect((await call('POST', `/offices/o1/audit/${cal}/undo`, undefined, 'boss')).statusCode).toBe(200);
      expect((await config()).calendar.closedDays).toEqual([{ date: '2026-12-24' }]);
    });
  });
});

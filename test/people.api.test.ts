import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_NAMESPACE } from '../contracts/print.ts';
import { createUser } from '../server/provisioning.ts';
import { BOTH_STORES, PASSWORD, startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * Users and devices of an office through the API, as an admin would manage them: over a real
 * host (SQLite file or PostgreSQL database, sockets on a real port).
 */

let h: TestHost;
let base: string;

type Headers = Record<string, string>;
const admin = (): Headers => ({ cookie: h.cookie('admin') });

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

async function userId(username: string): Promise<string> {
  const users = (await call('GET', '/offices/o1/users', admin())).json.users as { id: string; username: string }[];
  const user = users.find((u) => u.username === username);
  if (user === undefined) throw new Error(`no user ${username}`);
  return user.id;
}

/** A connected socket of the main namespace (staff cookie or device token); resolves once synced. */
function listen(auth: { cookie?: string; token?: string }): Promise<Socket> {
  const socket = connect(base, {
    transports: ['websocket'],
    reconnection: false,
    auth: auth.token === undefined ? {} : { token: auth.token },
    ...(auth.cookie === undefined ? {} : { extraHeaders: { cookie: auth.cookie } }),
  });
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('sync:done', () => resolve(socket));
  });
}

const dropped = (socket: Socket): Promise<string> =>
  new Promise((resolve) => {
    if (!socket.connected) resolve('already');
    socket.on('disconnect', (reason) => resolve(reason));
  });

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await h.close();
  });

  describe('users of an office', () => {
    it('an admin lists users without password hashes, and creates one with a one-time password the user must change first', async () => {
      const list = await call('GET', '/offices/o1/users', admin());
      expect(list.status).toBe(200);
      expect(list.json.users.map((u: { username: string }) => u.username)).toContain('clerk1');
      expect(JSON.stringify(list.json)).not.toMatch(/scrypt|passwordHash/);

      const made = await call('POST', '/offices/o1/users', admin(), { username: 'petra', role: 'clerk', displayName: 'Petra N.', email: 'petra@example.org' });
      expect(made.status).toBe(201);
      expect(made.json.user).toMatchObject({ username: 'petra', role: 'clerk', email: 'petra@example.org', mustChangePassword: true, disabledAt: null });
      const once = made.json.password as string;
      expect(once).toMatch(/^[A-Za-z0-9]{12}$/);

      // Signed in with it: only who-am-I and the password change answer.
      const petra = await login('petra', once);
      expect((await call('GET', '/auth/me', petra)).json.user.mustChangePassword).toBe(true);
      expect((await call('GET', '/offices/o1/queue', petra)).json.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
      await expect(listen({ cookie: petra.cookie! })).rejects.toThrow('PASSWORD_CHANGE_REQUIRED');
      expect((await call('POST', '/auth/password', petra, { currentPassword: 'not it', newPassword: 'petra’s own password' })).json.error.code).toBe('PASSWORD_WRONG');
      const short = await call('POST', '/auth/password', { ...petra, 'accept-language': 'cs' }, { currentPassword: once, newPassword: 'short' });
      expect(short.status).toBe(400);
      expect(short.json.error.message).toMatch(/newPassword/);
      expect((await call('POST', '/auth/password', petra, { currentPassword: once, newPassword: 'petra’s own password' })).json).toEqual({ ok: true });
      expect((await call('GET', '/offices/o1/queue', petra)).status).toBe(200);
      expect((await call('GET', '/auth/me', petra)).json.user.mustChangePassword).toBe(false);
    });

    it('role, display name and e-mail change; bad input names the field in the caller’s language and changes nothing', async () => {
      const id = await userId('clerk2');
      const changed = await call('PATCH', `/offices/o1/users/${id}`, admin(), { role: 'supervisor', displayName: 'Jana K.', email: 'jana@example.org' });
      expect(changed.json.user).toMatchObject({ role: 'supervisor', displayName: 'Jana K.', email: 'jana@example.org' });
      const bad = await call('PATCH', `/offices/o1/users/${id}`, { ...admin(), 'accept-language': 'cs' }, { role: 'boss', email: 'not an address' });
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('VALIDATION_FAILED');
      expect(bad.json.error.message).toMatch(/role|email/);
      expect(bad.json.error.message).toMatch(/pole|neplatn/i);
      expect((await call('PATCH', `/offices/o1/users/${id}`, admin(), { email: null })).json.user.email).toBeNull();
      const after = (await call('GET', '/offices/o1/users', admin())).json.users.find((u: { id: string }) => u.id === id);
      expect(after).toMatchObject({ role: 'supervisor', displayName: 'Jana K.', email: null });
      expect((await call('PATCH', '/offices/o1/users/usr_nobody', admin(), { displayName: 'X' })).json.error.code).toBe('USER_NOT_FOUND');
      // Clerks manage nobody.
      expect((await call('PATCH', `/offices/o1/users/${id}`, { cookie: h.cookie('clerk1') }, { displayName: 'X' })).json.error.code).toBe('FORBIDDEN');
    });

    it('nobody disables or demotes the last admin of an office', async () => {
      const id = await userId('admin');
      expect((await call('POST', `/offices/o1/users/${id}/disable`, admin())).json.error.code).toBe('LAST_ADMIN');
      expect((await call('PATCH', `/offices/o1/users/${id}`, admin(), { role: 'clerk' })).json.error.code).toBe('LAST_ADMIN');
      // With a second admin, the first may step down.
      await call('PATCH', `/offices/o1/users/${await userId('clerk4')}`, admin(), { role: 'admin' });
      expect((await call('PATCH', `/offices/o1/users/${id}`, admin(), { role: 'supervisor' })).json.user.role).toBe('supervisor');
    });

    it('a reset password is shown once, ends the user’s sessions, and must be changed at the next sign-in', async () => {
      const before = { cookie: h.cookie('clerk3') };
      const reset = await call('POST', `/offices/o1/users/${await userId('clerk3')}/reset-password`, admin());
      expect(reset.status).toBe(200);
      expect(reset.json.user.mustChangePassword).toBe(true);
      expect((await call('GET', '/auth/me', before)).status).toBe(401);
      await expect(login('clerk3', PASSWORD)).rejects.toThrow();
      const again = await login('clerk3', reset.json.password);
      expect((await call('GET', '/offices/o1/queue', again)).json.error.code).toBe('PASSWORD_CHANGE_REQUIRED');
    });

    it('disabling a user ends their sessions and sockets at once and frees the counter they were at; enabling lets them sign in again', async () => {
      const clerk = { cookie: h.cookie('clerk1') };
      await call('POST', '/tickets', { authorization: `Bearer ${h.kioskToken}` }, { serviceId: 'o1-s1' });
      await call('POST', '/counters/o1-c1/open', clerk);
      const called = await call('POST', '/counters/o1-c1/call-next', clerk);
      const ticketId = called.json.ticket.id as string;
      const socket = await listen({ cookie: clerk.cookie });
      const gone = dropped(socket);

      const disabled = await call('POST', `/offices/o1/users/${await userId('clerk1')}/disable`, admin());
      expect(disabled.json.user.disabledAt).not.toBeNull();
      expect(await gone).toBe('io server disconnect');
      expect((await call('GET', '/auth/me', clerk)).status).toBe(401);
      await expect(login('clerk1', PASSWORD)).rejects.toThrow();
      const counter = await h.sql(`SELECT status, user_id FROM counters WHERE id = 'o1-c1'`);
      expect(counter).toEqual([{ status: 'closed', user_id: null }]);
      // The client who was at the counter waits again, to be called by the next clerk.
      expect(await h.sql(`SELECT state FROM tickets WHERE id = '${ticketId}'`)).toEqual([{ state: 'waiting' }]);
      await call('POST', '/counters/o1-c1/open', { cookie: h.cookie('clerk2') });
      expect((await call('POST', '/counters/o1-c1/call-next', { cookie: h.cookie('clerk2') })).json.ticket.id).toBe(ticketId);

      expect((await call('POST', `/offices/o1/users/${await userId('clerk1')}/enable`, admin())).json.user.disabledAt).toBeNull();
      await login('clerk1', PASSWORD);
    });

    it('a user changing their own password ends their other sessions and sockets, not the one they used', async () => {
      const here = await login('clerk2', PASSWORD);
      const elsewhere = { cookie: h.cookie('clerk2') };
      const hereSocket = await listen({ cookie: here.cookie! });
      const otherSocket = await listen({ cookie: elsewhere.cookie });
      const gone = dropped(otherSocket);
      expect((await call('POST', '/auth/password', here, { currentPassword: PASSWORD, newPassword: 'a brand new password' })).status).toBe(200);
      expect(await gone).toBe('io server disconnect');
      expect(hereSocket.connected).toBe(true);
      expect((await call('GET', '/auth/me', here)).status).toBe(200);
      expect((await call('GET', '/auth/me', elsewhere)).status).toBe(401);
      await login('clerk2', 'a brand new password');
      hereSocket.close();
    });
  });

  describe('devices of an office', () => {
    it('created with a token shown once, listed with last seen and printer state, renamed, revoked with its sockets dropped at once', async () => {
      const made = await call('POST', '/offices/o1/devices', admin(), { kind: 'kiosk', name: 'Entrance', printer: 'agent' });
      expect(made.status).toBe(201);
      const { device, token } = made.json as { device: { id: string }; token: string };
      expect(made.json.device).toMatchObject({ kind: 'kiosk', name: 'Entrance', printer: 'agent', lastSeenAt: null, revokedAt: null });

      const page = await listen({ token });
      const agent = connect(new URL(AGENT_NAMESPACE, base).toString(), { auth: { token }, transports: ['websocket'], reconnection: false });
      await new Promise<void>((resolve, reject) => {
        agent.on('connect', () => resolve());
        agent.on('connect_error', reject);
      });
      agent.emit('printer:status', { state: 'ok', isPaperNearEnd: true });
      await new Promise((r) => setTimeout(r, 100));

      const listed = (await call('GET', '/offices/o1/devices', admin())).json.devices.find((d: { id: string }) => d.id === device.id);
      expect(listed.lastSeenAt).toBe(h.clock.now());
      expect(listed.printerState).toMatchObject({ deviceId: device.id, isPaperNearEnd: true });
      expect(JSON.stringify(listed)).not.toContain(token);

      expect((await call('PATCH', `/offices/o1/devices/${device.id}`, admin(), { name: 'Main entrance' })).json.device.name).toBe('Main entrance');
      expect((await call('PATCH', `/offices/o1/devices/${device.id}`, admin(), { name: '' })).json.error.code).toBe('VALIDATION_FAILED');

      const pageGone = dropped(page);
      const agentGone = dropped(agent);
      const revoked = await call('DELETE', `/offices/o1/devices/${device.id}`, admin());
      expect(revoked.json.device.revokedAt).toBe(h.clock.now());
      expect(await pageGone).toBe('io server disconnect');
      expect(await agentGone).toBe('io server disconnect');
      expect((await call('GET', '/kiosk', { authorization: `Bearer ${token}` })).json.error.code).toBe('AUTH_TOKEN_INVALID');
      await expect(listen({ token })).rejects.toThrow('AUTH_TOKEN_INVALID');
    });

    it('a kiosk opens its local settings only with the credentials of staff of its own office', async () => {
      const kiosk = { authorization: `Bearer ${h.kioskToken}` };
      expect((await call('POST', '/kiosk/unlock', kiosk, { username: 'clerk1', password: PASSWORD })).json).toEqual({ user: { displayName: 'clerk1', role: 'clerk' } });
      expect((await call('POST', '/kiosk/unlock', kiosk, { username: 'clerk1', password: 'wrong' })).json.error.code).toBe('AUTH_INVALID_CREDENTIALS');
      await createUser(h.stores.people, { ids: { ticketId: () => 't', entityId: (p) => `${p}_x` }, clock: h.clock }, { officeId: 'o1', username: 'ghost', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
      await call('POST', `/offices/o1/users/usr_x/disable`, admin());
      expect((await call('POST', '/kiosk/unlock', kiosk, { username: 'ghost', password: PASSWORD })).json.error.code).toBe('AUTH_INVALID_CREDENTIALS');
      // Staff sign in elsewhere: a session cookie is no kiosk.
      expect((await call('POST', '/kiosk/unlock', admin(), { username: 'clerk1', password: PASSWORD })).json.error.code).toBe('FORBIDDEN');
    });
  });

  describe('the audit of people and devices', () => {
    it('records who changed what, before and after, without passwords, hashes or tokens', async () => {
      const made = await call('POST', '/offices/o1/users', admin(), { username: 'karel', role: 'clerk' });
      const id = made.json.user.id as string;
      await call('PATCH', `/offices/o1/users/${id}`, admin(), { role: 'supervisor' });
      await call('POST', `/offices/o1/users/${id}/reset-password`, admin());
      const dev = await call('POST', '/offices/o1/devices', admin(), { kind: 'display', name: 'Hall 2' });
      await call('DELETE', `/offices/o1/devices/${dev.json.device.id}`, admin());
      const audit = await call('GET', '/offices/o1/people-audit?limit=10', admin());
      expect(audit.status).toBe(200);
      const rows = audit.json.changes as { entity: string; action: string; username: string; before: unknown; after: unknown }[];
      expect(rows.map((r) => `${r.entity}:${r.action}`)).toEqual(['device:revoked', 'device:created', 'user:password-reset', 'user:updated', 'user:created']);
      expect(rows.every((r) => r.username === 'admin')).toBe(true);
      expect(rows[3]).toMatchObject({ before: { role: 'clerk' }, after: { role: 'supervisor' } });
      const text = JSON.stringify(audit.json) + JSON.stringify(await h.sql('SELECT * FROM people_audit'));
      expect(text).not.toMatch(/scrypt|password_hash|passwordHash/);
      expect(text).not.toContain(made.json.password);
      expect(text).not.toContain(dev.json.token);
      expect((await call('GET', '/offices/o1/people-audit', { cookie: h.cookie('clerk1') })).json.error.code).toBe('FORBIDDEN');
    });
  });
});

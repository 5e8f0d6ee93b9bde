import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { saveOfficeConfig } from '../store/config.store.ts';
import { PASSWORD, startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';

let h: TestHost;
afterEach(async () => {
  await h.close();
});

const login = (username: string, password: string) =>
  h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });

describe('access', () => {
  it('rate-limits sign-in attempts per address', async () => {
    h = await startTestHost({ loginRateLimit: 5 });
    const codes: number[] = [];
    for (let i = 0; i < 7; i++) codes.push((await login('admin', 'wrong password')).statusCode);
    // The harness signed in 5 users already within the same minute: the window is full.
    expect(codes.every((c) => c === 429)).toBe(true);
    const last = await login('admin', PASSWORD);
    expect(last.statusCode).toBe(429);
    expect(last.json().error.code).toBe('RATE_LIMITED');
  });

  it('tells a wrong password from nothing: same answer for unknown users', async () => {
    h = await startTestHost();
    const wrong = await login('admin', 'nope nope');
    const unknown = await login('nobody', 'nope nope');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.json()).toEqual(wrong.json());
    expect(wrong.json().error.code).toBe('AUTH_INVALID_CREDENTIALS');
  });

  it('session cookies are HttpOnly and SameSite, and logout ends them', async () => {
    h = await startTestHost();
    const res = await login('clerk1', PASSWORD);
    const cookie = res.cookies.find((c) => c.name === 'fronta_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const header = { cookie: `fronta_session=${cookie.value}` };
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: header })).json().user.username).toBe('clerk1');
    await h.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: header });
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: header })).statusCode).toBe(401);
  });

  it('an admin creates and revokes devices; a revoked token is refused at once', async () => {
    h = await startTestHost();
    const admin = { cookie: h.cookie('admin') };
    const created = await h.app.inject({ method: 'POST', url: '/api/v1/devices', headers: admin, payload: { kind: 'kiosk', name: 'Corridor' } });
    expect(created.statusCode).toBe(201);
    const { device, token } = created.json();
    const issue = () => h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${token}` }, payload: { serviceId: 'o1-s1' } });
    expect((await issue()).statusCode).toBe(201);
    expect((await h.app.inject({ method: 'DELETE', url: `/api/v1/devices/${device.id}`, headers: admin })).json()).toEqual({ revoked: true });
    expect((await issue()).json().error.code).toBe('AUTH_TOKEN_INVALID');
    // Clerks cannot manage devices.
    const clerk = await h.app.inject({ method: 'POST', url: '/api/v1/devices', headers: { cookie: h.cookie('clerk1') }, payload: { kind: 'display', name: 'x' } });
    expect(clerk.statusCode).toBe(403);
  });

  it('a device revoked and a user disabled from another process (the CLI) are refused on the next request', async () => {
    h = await startTestHost();
    const issue = () => h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
    const me = () => h.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie: h.cookie('clerk1') } });
    expect((await issue()).statusCode).toBe(201);
    expect((await me()).statusCode).toBe(200);
    const other = new Database(join(h.dir, 'fronta.db'));
    other.prepare(`UPDATE devices SET revoked_at = 1 WHERE kind = 'kiosk'`).run();
    other.prepare(`UPDATE users SET disabled_at = 1 WHERE username = 'clerk1'`).run();
    other.close();
    expect((await issue()).json().error.code).toBe('AUTH_TOKEN_INVALID');
    expect((await me()).json().error.code).toBe('AUTH_REQUIRED');
  });

  it('staff and devices of one office cannot read or act on another', async () => {
    h = await startTestHost();
    saveOfficeConfig(h.db, testOffice({ id: 'o2' }));
    const queue = await h.app.inject({ url: '/api/v1/offices/o2/queue', headers: { cookie: h.cookie('clerk1') } });
    expect(queue.statusCode).toBe(403);
    const kiosk = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o2-s1' } });
    expect(kiosk.statusCode).toBe(404);
    const counter = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o2-c1/open', headers: { cookie: h.cookie('clerk1') } });
    expect(counter.statusCode).toBe(403);
    const display = await h.app.inject({ url: '/api/v1/offices/o1/queue', headers: { authorization: `Bearer ${h.displayToken}` } });
    expect(display.statusCode).toBe(200);
  });
});

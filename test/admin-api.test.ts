import { afterEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';

/** What an administrator does over the API: devices, users, service names. */
let h: TestHost;
afterEach(async () => h.close());

const as = (who: string, method: 'POST' | 'PUT' | 'GET', url: string, payload?: unknown, lang = 'en') =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: h.cookie(who), 'accept-language': lang }, ...(payload === undefined ? {} : { payload: payload as object }) });

const count = async (table: 'devices' | 'users') => (await h.sql<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n;

describe.each(BOTH_STORES)('devices and users over the API on %s', (store) => {
  it('creates a printing kiosk as the CLI does: it issues only through its print agent', async () => {
    h = await startTestHost({ store });
    const res = await as('admin', 'POST', '/devices', { kind: 'kiosk', name: 'Hall kiosk', printer: 'agent' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().device).toMatchObject({ kind: 'kiosk', printer: 'agent' });
    // No agent has connected: the kiosk refuses before a number is used, as a printing kiosk does.
    const issue = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${res.json().token}` }, payload: { serviceId: 'o1-s1' } });
    expect(issue.json().error?.code).toBe('PRINTER_OUT_OF_ORDER');
    expect((await as('admin', 'POST', '/devices', { kind: 'kiosk', name: 'Corridor' })).json().device.printer).toBe('none');
  });

  it('refuses unknown fields and a display with a printer, creating nothing', async () => {
    h = await startTestHost({ store });
    const devices = await count('devices');
    const users = await count('users');
    const bad: [string, unknown][] = [
      ['/devices', { kind: 'kiosk', name: 'Hall kiosk', printer: 'agent', profile: 'epson-tm-t20' }],
      ['/devices', { kind: 'kiosk', name: 'Hall kiosk', printerMode: 'agent' }],
      ['/devices', { kind: 'display', name: 'Hall screen', printer: 'agent' }],
      ['/devices', { kind: 'kiosk', name: 'Hall kiosk', printer: 'usb' }],
      ['/users', { username: 'jana', password: 'a long secret', role: 'clerk', office: 'o2' }],
    ];
    for (const [url, body] of bad) {
      const res = await as('admin', 'POST', url, body);
      expect([res.statusCode, res.json().error?.code], JSON.stringify(body)).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect([await count('devices'), await count('users')]).toEqual([devices, users]);
  });
});

describe.each(BOTH_STORES)('service names on %s', (store) => {
  it('a partial update keeps the languages it is not given', async () => {
    h = await startTestHost({ store });
    const set = await as('admin', 'PUT', '/offices/o1/services/o1-s1/names', { names: { cs: 'Pasy' } });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json().names).toEqual({ en: 'Service 1', cs: 'Pasy' });
    const name = async (lang: string) =>
      ((await as('admin', 'GET', '/offices/o1/services', undefined, lang)).json().services as { id: string; name: string }[]).find((s) => s.id === 'o1-s1')?.name;
    expect(await name('en')).toBe('Service 1');
    expect(await name('cs')).toBe('Pasy');
    const extra = await as('admin', 'PUT', '/offices/o1/services/o1-s1/names', { names: { en: 'Passports' }, position: 1 });
    expect(extra.statusCode).toBe(400);
    expect(await name('en')).toBe('Service 1');
  });
});

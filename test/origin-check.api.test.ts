import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * A staff or paired-device cookie changes state only from a page of this host (its own Host
 * header, its public URL, or a configured origin): a page on the same machine at another port is
 * the same site, so SameSite=Strict alone lets its fetch carry the cookies.
 */

const HOST = 'fronta.office.lan:8080';
const OWN = `http://${HOST}`;
const EVIL = 'http://evil.example';

let h: TestHost;

const post = (url: string, headers: Record<string, string>, payload?: Record<string, string>) =>
  h.app.inject({ method: 'POST', url, headers: { host: HOST, ...headers }, ...(payload === undefined ? {} : { payload }) });

const counter = (action: string, headers: Record<string, string>) => post(`/api/v1/counters/o1-c1/${action}`, { cookie: h.cookie('clerk1'), ...headers });

async function pausedWithOneWaiting(): Promise<void> {
  expect((await post('/api/v1/tickets', { authorization: `Bearer ${h.kioskToken}` }, { serviceId: 'o1-s1' })).statusCode).toBe(201);
  expect((await counter('open', { origin: OWN })).statusCode).toBe(200);
  expect((await counter('pause', { origin: OWN })).statusCode).toBe(200);
}

describe.each(BOTH_STORES)('origin check of cookie-authenticated changes on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store, allowedOrigins: ['https://kiosk-proxy.example'] });
  });
  afterEach(async () => {
    await h.close();
  });

  it('refuses a body-less POST with a staff cookie from a foreign origin, in the caller’s language, and changes nothing', async () => {
    await pausedWithOneWaiting();
    const refused = await counter('unpause', { origin: EVIL, 'accept-language': 'cs' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('ORIGIN_REFUSED');
    expect(refused.json().error.message).toMatch(/odmítnuta/);
    // Still paused: the counter is handed no ticket.
    expect((await counter('call-next', { origin: OWN })).json().error.code).toBe('COUNTER_PAUSED');

    expect((await counter('unpause', { origin: OWN })).statusCode).toBe(200);
    expect((await counter('call-next', { origin: OWN })).json().ticket.number).toBe('A001');
  });

  it('falls back to the Referer, refuses an opaque origin, and lets a request with neither through (CLI, curl)', async () => {
    await pausedWithOneWaiting();
    expect((await counter('unpause', { referer: `${EVIL}/page.html` })).json().error.code).toBe('ORIGIN_REFUSED');
    expect((await counter('unpause', { origin: 'null' })).json().error.code).toBe('ORIGIN_REFUSED');
    expect((await counter('unpause', { origin: `http://fronta.office.lan:9999` })).json().error.code).toBe('ORIGIN_REFUSED');
    expect((await counter('unpause', { referer: `${OWN}/renderer/counter/` })).statusCode).toBe(200);
    expect((await counter('pause', {})).statusCode).toBe(200);
  });

  it('allows the public URL’s origin and the configured ones', async () => {
    await pausedWithOneWaiting();
    expect((await counter('unpause', { origin: 'http://fronta.test' })).statusCode).toBe(200);
    expect((await counter('pause', { origin: 'https://kiosk-proxy.example' })).statusCode).toBe(200);
  });

  it('refuses a paired device’s cookie from a foreign origin; a device token header is not affected', async () => {
    const byCookie = await post('/api/v1/tickets', { cookie: `fronta_device=${h.kioskToken}`, origin: EVIL }, { serviceId: 'o1-s1' });
    expect(byCookie.statusCode).toBe(403);
    expect(byCookie.json().error.code).toBe('ORIGIN_REFUSED');
    expect((await post('/api/v1/tickets', { cookie: `fronta_device=${h.kioskToken}`, origin: OWN }, { serviceId: 'o1-s1' })).statusCode).toBe(201);
    expect((await post('/api/v1/tickets', { authorization: `Bearer ${h.kioskToken}`, origin: EVIL }, { serviceId: 'o1-s1' })).statusCode).toBe(201);
  });

  it('leaves reads and anonymous requests alone', async () => {
    expect((await h.app.inject({ url: '/api/v1/auth/me', headers: { host: HOST, origin: EVIL, cookie: h.cookie('clerk1') } })).statusCode).toBe(200);
    const login = await post('/api/v1/auth/login', { origin: EVIL }, { username: 'clerk2', password: 'wrong password' });
    expect(login.statusCode).toBe(401);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { feesForSweeps } from './helpers/fees.ts';
import { BOTH_STORES, PASSWORD } from './helpers/harness.ts';
import { apiRoutes, fillPath, takesBody, type ApiRoute } from './helpers/routes.ts';

/**
 * Authentication comes before anything else a route does: an anonymous caller learns 401, not
 * what the body should look like. And a browser that signs in again ends the session it held.
 */

let h: BookingTestHost;
let routes: ApiRoute[];

/** The whole public surface; anything else needs a staff session or a device token. */
const PUBLIC_ROUTES = [
  'GET /api/health',
  'GET /api/v1/booking/bookings/{number}',
  'GET /api/v1/booking/bookings/{number}/ics',
  'GET /api/v1/booking/accept-change/{token}',
  'GET /api/v1/booking/confirm/{token}',
  'GET /api/v1/booking/fees/{orderNo}',
  'GET /api/v1/booking/fees/{orderNo}/return',
  'GET /api/v1/booking/holds/{key}',
  'GET /api/v1/booking/offices/{officeId}/services',
  'GET /api/v1/booking/services/{serviceId}/days',
  'GET /api/v1/booking/services/{serviceId}/days/{day}/draw',
  'GET /api/v1/booking/services/{serviceId}/days/{day}/slots',
  'GET /api/v1/offices',
  'GET /api/v1/offices/{officeId}/logo',
  'GET /api/v1/offices/{officeId}/public',
  'GET /api/v1/offices/{officeId}/services',
  'GET /api/v1/tickets/{id}',
  'POST /api/v1/tickets/{id}/rating',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'POST /api/v1/booking/accept-change',
  'POST /api/v1/booking/applications',
  'POST /api/v1/booking/cancel',
  'POST /api/v1/booking/confirm',
  'POST /api/v1/booking/holds',
  'POST /api/v1/booking/holds/{key}/code',
  'POST /api/v1/booking/holds/{key}/extend',
  'POST /api/v1/booking/holds/{key}/pay',
  'POST /api/v1/booking/holds/{key}/release',
  'POST /api/v1/booking/holds/{key}/resend',
  'POST /api/v1/devices/unpair',
  'POST /api/v1/payments/webhook',
];

const url = (r: ApiRoute): string => fillPath(r, (p) => (p.collection === 'offices' ? 'o1' : 'x1'));

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeAll(async () => {
    h = await startBookingHost({ store, alerts: true, fees: feesForSweeps });
    routes = await apiRoutes(h.app);
  });
  afterAll(async () => {
    await h.close();
  });

  describe('authentication before validation', () => {
    it('declares exactly the public routes public in the OpenAPI document', () => {
      const isPublic = routes.filter((r) => r.isPublic || !r.path.startsWith('/api/v1/')).map((r) => r.key);
      expect(isPublic.sort()).toEqual([...PUBLIC_ROUTES].sort());
    });

    it('answers every other route 401 to an anonymous caller with an empty body, an empty query or broken JSON — never 400', async () => {
      const guarded = routes.filter((r) => !PUBLIC_ROUTES.includes(r.key));
      expect(guarded.length).toBeGreaterThan(30);
      for (const r of guarded) {
        const empty = await h.app.inject({ method: r.method, url: url(r), ...(takesBody(r) ? { payload: {} } : {}) });
        expect([empty.statusCode, empty.json().error?.code], `${r.key} {}`).toEqual([401, 'AUTH_REQUIRED']);
        if (takesBody(r)) {
          const broken = await h.app.inject({ method: r.method, url: url(r), headers: { 'content-type': 'application/json' }, payload: '{"' });
          expect(broken.statusCode, `${r.key} broken JSON`).toBe(401);
        } else {
          const junk = await h.app.inject({ method: r.method, url: `${url(r)}?lang=xx&number=%00&day=nope` });
          expect(junk.statusCode, `${r.key} junk query`).toBe(401);
        }
      }
    });

    it('anonymous POST …/bans {} is 401 AUTH_REQUIRED in the caller’s language', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/booking/offices/o1/bans', payload: {}, headers: { 'accept-language': 'cs' } });
      expect(res.statusCode).toBe(401);
      expect(res.json().error.code).toBe('AUTH_REQUIRED');
    });
  });

  describe('signing in again', () => {
    const login = async (username: string, cookie?: string): Promise<string> => {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD }, ...(cookie === undefined ? {} : { headers: { cookie } }) });
      const set = res.cookies.find((c) => c.name === 'fronta_session');
      if (res.statusCode !== 200 || set === undefined) throw new Error(`login ${username}: ${res.body}`);
      return `fronta_session=${set.value}`;
    };
    const me = async (cookie: string) => (await h.app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode;

    it('ends the session this browser held; the same user’s sessions on other devices stay', async () => {
      const terminal = await login('clerk1');
      const otherDevice = await login('clerk1');
      const again = await login('clerk1', terminal);
      expect(await me(again)).toBe(200);
      expect(await me(terminal)).toBe(401);
      expect(await me(otherDevice)).toBe(200);
    });

    it('ends it too when another clerk takes over the browser', async () => {
      const first = await login('clerk1');
      const second = await login('clerk2', first);
      expect(await me(first)).toBe(401);
      const who = await h.app.inject({ url: '/api/v1/auth/me', headers: { cookie: second } });
      expect(who.json().user.username).toBe('clerk2');
    });
  });
});

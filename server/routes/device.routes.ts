import { PairResponse } from '../../contracts/screens.ts';
import type { ServerDeps } from '../deps.ts';
import { DEVICE_COOKIE, PUBLIC } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';

/** Ten years: a display is paired once and then left alone; revoking the device ends it at once. */
const PAIRING_MAX_AGE_S = 10 * 365 * 24 * 3600;

/**
 * Pairing a browser (hall display, kiosk) with its device token: the page sends the token once as
 * `Authorization: Bearer` — which the identity hook already validates and prefers over any stale
 * pairing cookie — and the host answers with an HttpOnly cookie, so the token never sits in
 * page-readable storage.
 */
export function deviceRoutes(api: Api, deps: ServerDeps): void {
  api.post(
    '/devices/pair',
    {
      schema: {
        tags: ['devices'],
        summary: 'Pairs this browser with a device token (sent as Bearer); sets the HttpOnly fronta_device cookie',
        response: { 200: PairResponse },
      },
    },
    async (req, reply) => {
      const id = req.identity;
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (id.kind !== 'device' || token === undefined) throw new ApiError(id.kind === 'anonymous' ? 'AUTH_REQUIRED' : 'FORBIDDEN');
      void reply.setCookie(DEVICE_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: deps.secureCookies ?? false,
        path: '/',
        maxAge: PAIRING_MAX_AGE_S,
      });
      const d = id.device;
      return { device: { id: d.id, kind: d.kind, name: d.name, officeId: d.officeId } };
    },
  );

  api.post('/devices/unpair', { config: PUBLIC, schema: { tags: ['devices'], summary: 'Forgets the pairing cookie of this browser' } }, async (_req, reply) => {
    void reply.clearCookie(DEVICE_COOKIE, { path: '/' });
    return { ok: true };
  });
}

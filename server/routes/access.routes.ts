import { LoginBody } from '../../contracts/api.ts';
import { BEFORE_PASSWORD_CHANGE, login, PUBLIC, requireUser, SESSION_COOKIE } from '../auth.ts';
import { tokenHash } from '../passwords.ts';
import type { ServerDeps } from '../deps.ts';
import { meView } from './people.routes.ts';
import type { Api } from './types.ts';

export function accessRoutes(api: Api, deps: ServerDeps): void {
  api.post(
    '/auth/login',
    {
      schema: { tags: ['auth'], summary: 'Staff sign-in: sets an HttpOnly session cookie', body: LoginBody },
      config: { ...PUBLIC, rateLimit: { max: deps.loginRateLimit ?? 10, timeWindow: 60_000 } },
    },
    async (req, reply) => {
      const user = await login(deps.access, deps.clock, reply, req.body.username, req.body.password, deps.secureCookies ?? false, req.cookies[SESSION_COOKIE]);
      return { user: meView(user) };
    },
  );

  api.post('/auth/logout', { config: PUBLIC, schema: { tags: ['auth'], summary: 'Ends the session' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token !== undefined) await deps.access.deleteSession(tokenHash(token));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  api.get('/auth/me', { config: BEFORE_PASSWORD_CHANGE, schema: { tags: ['auth'], summary: 'Who is calling (staff session or device)' } }, async (req) => {
    const id = req.identity;
    if (id.kind === 'device') return { device: { id: id.device.id, kind: id.device.kind, name: id.device.name, officeId: id.device.officeId } };
    return { user: meView(requireUser(id)) };
  });
}

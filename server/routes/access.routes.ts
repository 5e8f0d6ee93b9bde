import { z } from 'zod';
import { CreateDeviceBody, CreateUserBody, LoginBody } from '../../contracts/api.ts';
import { login, PUBLIC, requireUser, SESSION_COOKIE } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { tokenHash } from '../passwords.ts';
import { createDevice, createUser } from '../provisioning.ts';
import type { ServerDeps } from '../deps.ts';
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
      return { user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, officeId: user.officeId } };
    },
  );

  api.post('/auth/logout', { config: PUBLIC, schema: { tags: ['auth'], summary: 'Ends the session' } }, async (req, reply) => {
    const token = req.cookies[SESSION_COOKIE];
    if (token !== undefined) deps.access.deleteSession(tokenHash(token));
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return { ok: true };
  });

  api.get('/auth/me', { schema: { tags: ['auth'], summary: 'Who is calling (staff session or device)' } }, async (req) => {
    const id = req.identity;
    if (id.kind === 'device') return { device: { id: id.device.id, kind: id.device.kind, name: id.device.name, officeId: id.device.officeId } };
    const user = requireUser(id);
    return { user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, officeId: user.officeId } };
  });

  api.get('/devices', { schema: { tags: ['admin'], summary: 'Devices of the admin’s office' } }, async (req) => {
    const admin = requireUser(req.identity, 'admin');
    return { devices: deps.access.listDevices(admin.officeId) };
  });

  api.delete(
    '/devices/:id',
    { schema: { tags: ['admin'], summary: 'Revokes a device token at once', params: z.strictObject({ id: z.string().min(1).max(64) }) } },
    async (req) => {
      const admin = requireUser(req.identity, 'admin');
      const device = deps.access.listDevices(admin.officeId).find((d) => d.id === req.params.id);
      if (device === undefined) throw new ApiError('DEVICE_NOT_FOUND');
      return { revoked: deps.access.revokeDevice(device.id, deps.clock.now()) };
    },
  );

  api.post(
    '/devices',
    {
      schema: {
        tags: ['admin'],
        summary: 'Creates a kiosk or display device; its token is shown this once',
        body: CreateDeviceBody,
      },
    },
    async (req, reply) => {
      const admin = requireUser(req.identity, 'admin');
      const { kind, name, printer } = req.body;
      const created = createDevice(deps.access, deps, { officeId: admin.officeId, kind, name, ...(printer === undefined ? {} : { printer }) });
      void reply.status(201);
      return created;
    },
  );

  api.post(
    '/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Creates a staff user in the admin’s office',
        body: CreateUserBody,
      },
    },
    async (req, reply) => {
      const admin = requireUser(req.identity, 'admin');
      const { displayName, ...rest } = req.body;
      const user = await createUser(deps.access, deps, { ...rest, ...(displayName === undefined ? {} : { displayName }), officeId: admin.officeId });
      if (user === null) throw new ApiError('USERNAME_TAKEN');
      void reply.status(201);
      return { user: { id: user.id, username: user.username, displayName: user.displayName, role: user.role, officeId: user.officeId } };
    },
  );
}

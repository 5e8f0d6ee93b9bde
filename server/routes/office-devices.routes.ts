import type { DeviceRecord } from '../../core/access/access.ts';
import { createOffice } from '../../core/access/offices.ts';
import { addDevice, renameDevice, revokeDevice } from '../../core/access/people.ts';
import { actorOf, requireDevice, requireOfficeRole, requireUser } from '../auth.ts';
import { canManageInstall } from '../../core/access/permissions.ts';
import {
  CreateDeviceBody,
  CreatedDeviceResponse,
  CreatedOfficeResponse,
  CreateOfficeBody,
  DeviceResponse,
  DevicesResponse,
  KioskUnlockBody,
  KioskUnlockResponse,
  OfficeDeviceParams,
  OfficeIdParams,
  RenameDeviceBody,
  type DeviceViewT,
} from '../../contracts/people.ts';
import { z } from 'zod';
import { CreateUserBody, IdParams } from '../../contracts/api.ts';
import { UserResponse } from '../../contracts/people.ts';
import type { PrintAgents } from '../print-agents.ts';
import { ApiError } from '../errors.ts';
import { DUMMY_HASH, tokenHash, verifyPassword } from '../passwords.ts';
import { newDeviceRecord } from '../provisioning.ts';
import { byUser, createOfficeUser, unwrapResult, type PeopleDeps } from './people.routes.ts';
import type { Api } from './types.ts';

type Deps = PeopleDeps & { printAgents: PrintAgents };

/** A device as the back office sees it: never its token; a printing kiosk with what the host knows of its printer. */
export const deviceView = (printAgents: PrintAgents, d: DeviceRecord): DeviceViewT => ({
  id: d.id,
  officeId: d.officeId,
  kind: d.kind,
  name: d.name,
  printer: d.printer,
  createdAt: d.createdAt,
  revokedAt: d.revokedAt,
  lastSeenAt: d.lastSeenAt,
  printerState: d.kind === 'kiosk' && d.printer === 'agent' && d.revokedAt === null ? printAgents.view(d) : null,
});

/** Shared by `/offices/:officeId/devices…` and the older `/devices…` routes of one's own office. */
export const devicesOf = async (deps: Deps, officeId: string): Promise<DeviceViewT[]> => (await deps.access.listDevices(officeId)).map((d) => deviceView(deps.printAgents, d));

export async function createOfficeDevice(deps: Deps, actor: Parameters<typeof byUser>[1], officeId: string, body: { kind: DeviceRecord['kind']; name: string; printer?: DeviceRecord['printer'] | undefined }) {
  const { device, token } = newDeviceRecord(deps, { officeId, kind: body.kind, name: body.name, ...(body.printer === undefined ? {} : { printer: body.printer }) });
  unwrapResult(await addDevice(byUser(deps, actor), device, tokenHash(token)));
  return { device: deviceView(deps.printAgents, device), token };
}

/** Revokes, then ends every connection of the device (its page, its print agent) at once. */
export async function revokeOfficeDevice(deps: Deps, actor: Parameters<typeof byUser>[1], officeId: string, deviceId: string): Promise<DeviceViewT> {
  const device = unwrapResult(await revokeDevice(byUser(deps, actor), { officeId, deviceId }));
  deps.connections.dropDevice(device.id);
  return deviceView(deps.printAgents, device);
}

export function officeDeviceRoutes(api: Api, deps: Deps): void {
  const admin = async (identity: Parameters<typeof requireOfficeRole>[0], officeId: string) => {
    const user = requireOfficeRole(identity, officeId, 'admin');
    if (user === null) throw new ApiError('FORBIDDEN');
    if ((await deps.queue.read(async (s) => await s.getOffice(officeId))) === null) throw new ApiError('OFFICE_NOT_FOUND');
    return user;
  };

  api.post(
    '/offices',
    {
      schema: {
        tags: ['admin'],
        summary: 'Install admins: creates an empty office and, optionally, its first admin (one-time password shown once)',
        body: CreateOfficeBody,
        response: { 201: CreatedOfficeResponse },
      },
    },
    async (req, reply) => {
      const user = requireUser(req.identity, 'admin');
      if (!canManageInstall(actorOf(req.identity))) throw new ApiError('FORBIDDEN');
      const { admin: firstAdmin, id, name, timeZone, languages } = req.body;
      const created = unwrapResult(await createOffice(byUser(deps, user), { name, timeZone, languages, ...(id === undefined ? {} : { id }) }));
      const made = firstAdmin === undefined ? null : await createOfficeUser(deps, user, created.id, { ...firstAdmin, role: 'admin' });
      void reply.status(201);
      return {
        office: { id: created.id, name: created.name, timeZone: created.timeZone, languages: [...created.languages] },
        admin: made === null ? null : { user: made.user, password: made.password ?? '' },
      };
    },
  );

  api.get(
    '/offices/:officeId/devices',
    { schema: { tags: ['admin'], summary: 'Devices of the office, with last seen and printer state', params: OfficeIdParams, response: { 200: DevicesResponse } } },
    async (req) => {
      await admin(req.identity, req.params.officeId);
      return { devices: await devicesOf(deps, req.params.officeId) };
    },
  );

  api.post(
    '/offices/:officeId/devices',
    {
      schema: {
        tags: ['admin'],
        summary: 'Creates a kiosk (with or without printer) or a display; its pairing token is shown this once',
        params: OfficeIdParams,
        body: CreateDeviceBody,
        response: { 201: CreatedDeviceResponse },
      },
    },
    async (req, reply) => {
      const user = await admin(req.identity, req.params.officeId);
      const created = await createOfficeDevice(deps, user, req.params.officeId, req.body);
      void reply.status(201);
      return created;
    },
  );

  api.patch(
    '/offices/:officeId/devices/:deviceId',
    { schema: { tags: ['admin'], summary: 'Renames a device', params: OfficeDeviceParams, body: RenameDeviceBody, response: { 200: DeviceResponse } } },
    async (req) => {
      const user = await admin(req.identity, req.params.officeId);
      const device = unwrapResult(await renameDevice(byUser(deps, user), { officeId: req.params.officeId, deviceId: req.params.deviceId, name: req.body.name }));
      return { device: deviceView(deps.printAgents, device) };
    },
  );

  api.delete(
    '/offices/:officeId/devices/:deviceId',
    { schema: { tags: ['admin'], summary: 'Revokes a device: its token stops working and its connections end at once', params: OfficeDeviceParams, response: { 200: DeviceResponse } } },
    async (req) => {
      const user = await admin(req.identity, req.params.officeId);
      return { device: await revokeOfficeDevice(deps, user, req.params.officeId, req.params.deviceId) };
    },
  );

  // The older routes of one's own office, kept for scripts and the CLI docs: the same code.
  api.get('/devices', { schema: { tags: ['admin'], summary: 'Devices of the admin’s office', response: { 200: DevicesResponse } } }, async (req) => {
    const user = requireUser(req.identity, 'admin');
    return { devices: await devicesOf(deps, user.officeId) };
  });
  api.post(
    '/devices',
    { schema: { tags: ['admin'], summary: 'Creates a kiosk or display device; its token is shown this once', body: CreateDeviceBody, response: { 201: CreatedDeviceResponse } } },
    async (req, reply) => {
      const user = requireUser(req.identity, 'admin');
      const created = await createOfficeDevice(deps, user, user.officeId, req.body);
      void reply.status(201);
      return created;
    },
  );
  api.delete(
    '/devices/:id',
    { schema: { tags: ['admin'], summary: 'Revokes a device token at once', params: IdParams, response: { 200: z.object({ revoked: z.boolean() }) } } },
    async (req) => {
      const user = requireUser(req.identity, 'admin');
      const before = (await deps.access.listDevices(user.officeId)).find((d) => d.id === req.params.id);
      await revokeOfficeDevice(deps, user, user.officeId, req.params.id);
      // True when it was live until now (this older route's answer).
      return { revoked: before?.revokedAt === null };
    },
  );
  api.post(
    '/users',
    { schema: { tags: ['admin'], summary: 'Creates a staff user in the admin’s office', body: CreateUserBody, response: { 201: UserResponse } } },
    async (req, reply) => {
      const user = requireUser(req.identity, 'admin');
      const created = await createOfficeUser(deps, user, user.officeId, req.body);
      void reply.status(201);
      return { user: created.user };
    },
  );

  api.post(
    '/kiosk/unlock',
    {
      config: { rateLimit: { max: deps.loginRateLimit ?? 10, timeWindow: 60_000 } },
      schema: {
        tags: ['kiosk'],
        summary: 'A kiosk checks a staff member’s user name and password before showing its local settings; no session is made',
        body: KioskUnlockBody,
        response: { 200: KioskUnlockResponse },
      },
    },
    async (req) => {
      const kiosk = requireDevice(req.identity, 'kiosk');
      const user = await deps.access.userByUsername(req.body.username);
      const valid = await verifyPassword(req.body.password, user?.passwordHash ?? DUMMY_HASH);
      // Staff of another office, a disabled user, a wrong password: one answer, nothing learnt.
      if (user === null || !valid || user.disabledAt !== null || !(user.officeId === kiosk.officeId || user.isInstallAdmin)) throw new ApiError('AUTH_INVALID_CREDENTIALS');
      return { user: { displayName: user.displayName, role: user.role } };
    },
  );
}

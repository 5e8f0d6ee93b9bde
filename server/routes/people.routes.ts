import type { UserRecord } from '../../core/access/access.ts';
import { addUser, changeOwnPassword, changeUser, resetPassword, setUserDisabled, type PeopleStore } from '../../core/access/people.ts';
import { releaseCountersOf } from '../../core/queue/counter-actions.ts';
import type { Result } from '../../core/shared/result.ts';
import {
  ChangePasswordBody,
  CreateOfficeUserBody,
  OkResponse,
  OfficeIdParams,
  OfficeUserParams,
  PeopleAuditQuery,
  PeopleAuditResponse,
  UpdateUserBody,
  UserResponse,
  UsersResponse,
  UserWithPasswordResponse,
  type UserViewT,
} from '../../contracts/people.ts';
import { BEFORE_PASSWORD_CHANGE, requireOfficeRole, requireUser, SESSION_COOKIE } from '../auth.ts';
import type { LiveConnections } from '../connections.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { hashPassword, tokenHash, verifyPassword } from '../passwords.ts';
import { generatePassword, newUserRecord } from '../provisioning.ts';
import type { Api } from './types.ts';

export type PeopleDeps = ServerDeps & { people: PeopleStore; connections: LiveConnections };

/** A user as the back office sees them: never the password hash. */
export const userView = (u: UserRecord): UserViewT => ({
  id: u.id,
  officeId: u.officeId,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  email: u.email,
  isInstallAdmin: u.isInstallAdmin,
  mustChangePassword: u.mustChangePassword,
  createdAt: u.createdAt,
  disabledAt: u.disabledAt,
});

export const meView = (u: UserRecord) => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  officeId: u.officeId,
  isInstallAdmin: u.isInstallAdmin,
  mustChangePassword: u.mustChangePassword,
});

export function unwrapResult<T>(r: Result<T>): T {
  if (!r.ok) throw new ApiError(r.error.code, r.error.params);
  return r.value;
}

/** The context of a change made through the API by `user`. */
export const byUser = (deps: PeopleDeps, user: UserRecord) => ({
  store: deps.people,
  by: { userId: user.id, username: user.username, via: 'api' as const },
  now: deps.clock.now(),
});

/** An office's admin (or an install admin) and the office exists. */
async function officeAdmin(deps: PeopleDeps, identity: Parameters<typeof requireOfficeRole>[0], officeId: string): Promise<UserRecord> {
  const admin = requireOfficeRole(identity, officeId, 'admin');
  if (admin === null) throw new ApiError('FORBIDDEN');
  if ((await deps.queue.read(async (s) => await s.getOffice(officeId))) === null) throw new ApiError('OFFICE_NOT_FOUND');
  return admin;
}

/**
 * An install admin is changed (role, password, disabled) only by another install admin: the
 * admin of their home office must not be able to take over or lock out the install's manager.
 */
async function mayChange(deps: PeopleDeps, admin: UserRecord, userId: string): Promise<void> {
  const target = await deps.people.findUser(userId);
  if (target?.isInstallAdmin === true && !admin.isInstallAdmin) throw new ApiError('FORBIDDEN');
}

/**
 * Creates a user of an office: without a password, one is generated, answered once and must be
 * changed at the first sign-in. Shared by `POST /offices/:officeId/users`, `POST /users`, and
 * `POST /offices` (its first admin).
 */
export async function createOfficeUser(
  deps: PeopleDeps,
  actor: UserRecord,
  officeId: string,
  body: { username: string; role: UserRecord['role']; displayName?: string | undefined; email?: string | undefined; password?: string | undefined },
): Promise<{ user: UserViewT; password?: string }> {
  const generated = body.password === undefined ? generatePassword() : null;
  const record = await newUserRecord(deps, {
    officeId,
    username: body.username,
    role: body.role,
    password: generated ?? body.password!,
    mustChangePassword: generated !== null,
    ...(body.displayName === undefined ? {} : { displayName: body.displayName }),
    ...(body.email === undefined ? {} : { email: body.email }),
  });
  const user = unwrapResult(await addUser(byUser(deps, actor), record));
  return generated === null ? { user: userView(user) } : { user: userView(user), password: generated };
}

export function peopleRoutes(api: Api, deps: PeopleDeps): void {
  api.get(
    '/offices/:officeId/users',
    { schema: { tags: ['admin'], summary: 'Users of the office (no password hashes)', params: OfficeIdParams, response: { 200: UsersResponse } } },
    async (req) => {
      await officeAdmin(deps, req.identity, req.params.officeId);
      return { users: (await deps.people.listUsers(req.params.officeId)).map(userView) };
    },
  );

  api.post(
    '/offices/:officeId/users',
    {
      schema: {
        tags: ['admin'],
        summary: 'Creates a user; without a password one is generated, shown once, to be changed at the first sign-in',
        params: OfficeIdParams,
        body: CreateOfficeUserBody,
        response: { 201: UserWithPasswordResponse.partial({ password: true }) },
      },
    },
    async (req, reply) => {
      const admin = await officeAdmin(deps, req.identity, req.params.officeId);
      const created = await createOfficeUser(deps, admin, req.params.officeId, req.body);
      void reply.status(201);
      return created;
    },
  );

  api.patch(
    '/offices/:officeId/users/:userId',
    { schema: { tags: ['admin'], summary: 'Changes role, display name or e-mail', params: OfficeUserParams, body: UpdateUserBody, response: { 200: UserResponse } } },
    async (req) => {
      const admin = await officeAdmin(deps, req.identity, req.params.officeId);
      await mayChange(deps, admin, req.params.userId);
      const { role, displayName, email } = req.body;
      const patch = { ...(role === undefined ? {} : { role }), ...(displayName === undefined ? {} : { displayName }), ...(email === undefined ? {} : { email }) };
      return { user: userView(unwrapResult(await changeUser(byUser(deps, admin), { officeId: req.params.officeId, userId: req.params.userId, patch }))) };
    },
  );

  api.post(
    '/offices/:officeId/users/:userId/reset-password',
    {
      schema: {
        tags: ['admin'],
        summary: 'A new generated password, shown once; the user’s sessions end and they change it at the next sign-in',
        params: OfficeUserParams,
        response: { 200: UserWithPasswordResponse },
      },
    },
    async (req) => {
      const admin = await officeAdmin(deps, req.identity, req.params.officeId);
      await mayChange(deps, admin, req.params.userId);
      const password = generatePassword();
      const user = unwrapResult(await resetPassword(byUser(deps, admin), { officeId: req.params.officeId, userId: req.params.userId, passwordHash: await hashPassword(password) }));
      deps.connections.dropUser(user.id);
      return { user: userView(user), password };
    },
  );

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    api.post(
      `/offices/:officeId/users/:userId/${path}`,
      {
        schema: {
          tags: ['admin'],
          summary: disabled ? 'Disables a user: their sessions and connections end at once, a counter they were at closes' : 'Enables a disabled user',
          params: OfficeUserParams,
          response: { 200: UserResponse },
        },
      },
      async (req) => {
        const admin = await officeAdmin(deps, req.identity, req.params.officeId);
        await mayChange(deps, admin, req.params.userId);
        const user = unwrapResult(await setUserDisabled(byUser(deps, admin), { officeId: req.params.officeId, userId: req.params.userId, disabled }));
        if (disabled) {
          deps.connections.dropUser(user.id);
          await deps.queue.run(async (store) => await releaseCountersOf({ store, clock: deps.clock, ids: deps.ids }, user.id));
        }
        return { user: userView(user) };
      },
    );
  }

  api.post(
    '/auth/password',
    {
      config: BEFORE_PASSWORD_CHANGE,
      schema: { tags: ['auth'], summary: 'Changes one’s own password (the current one required); one’s other sessions end', body: ChangePasswordBody, response: { 200: OkResponse } },
    },
    async (req) => {
      const user = requireUser(req.identity);
      if (!(await verifyPassword(req.body.currentPassword, user.passwordHash))) throw new ApiError('PASSWORD_WRONG');
      const session = tokenHash(req.cookies[SESSION_COOKIE] ?? '');
      const passwordHash = await hashPassword(req.body.newPassword);
      unwrapResult(await changeOwnPassword(byUser(deps, user), { user, passwordHash, sessionTokenHash: session }));
      deps.connections.dropUser(user.id, session);
      return { ok: true as const };
    },
  );

  api.get(
    '/offices/:officeId/people-audit',
    { schema: { tags: ['admin'], summary: 'Changes of users, devices and the office, newest first', params: OfficeIdParams, querystring: PeopleAuditQuery, response: { 200: PeopleAuditResponse } } },
    async (req) => {
      await officeAdmin(deps, req.identity, req.params.officeId);
      return { changes: await deps.people.listAudit(req.params.officeId, req.query.limit ?? 50, req.query.before) };
    },
  );
}

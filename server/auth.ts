import type { FastifyReply, FastifyRequest } from 'fastify';
import { hasRole, type AccessStore, type DeviceRecord, type UserRecord } from '../core/access/access.ts';
import { officeAccess, type Actor } from '../core/access/permissions.ts';
import type { DeviceKind, UserRole } from '../core/shared/model.ts';
import type { Clock } from '../core/queue/ports.ts';
import { ApiError } from './errors.ts';
import { DUMMY_HASH, newToken, tokenHash, verifyPassword } from './passwords.ts';

export const SESSION_COOKIE = 'fronta_session';
export const DEVICE_COOKIE = 'fronta_device';
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type Identity = { kind: 'user'; user: UserRecord } | { kind: 'device'; device: DeviceRecord } | { kind: 'anonymous' };

function bearer(header: string | undefined): string | null {
  if (header === undefined) return null;
  const m = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
  return m === null ? null : m[1]!;
}

/**
 * Who is calling: a staff session cookie, or a device token (Authorization: Bearer, or the
 * pairing cookie a kiosk/display browser keeps). A presented but unknown credential is an error,
 * not "anonymous", so a revoked device learns it at once.
 */
export async function resolveIdentity(access: AccessStore, clock: Clock, req: FastifyRequest): Promise<Identity> {
  const deviceToken = bearer(req.headers.authorization) ?? req.cookies[DEVICE_COOKIE] ?? null;
  if (deviceToken !== null) {
    const device = await access.deviceByTokenHash(tokenHash(deviceToken));
    if (device === null) throw new ApiError('AUTH_TOKEN_INVALID');
    await access.deviceSeen(device.id, clock.now());
    return { kind: 'device', device };
  }
  if (req.headers.authorization !== undefined) throw new ApiError('AUTH_TOKEN_INVALID');
  const session = req.cookies[SESSION_COOKIE];
  if (session !== undefined) {
    const user = await access.sessionUser(tokenHash(session), clock.now());
    if (user !== null) return { kind: 'user', user };
  }
  return { kind: 'anonymous' };
}

/**
 * Who may call a route, declared on the route (`config: PUBLIC`). Undeclared means "signed-in
 * staff or a device": the gate (`requireCaller`) answers an anonymous caller 401 before its body
 * or query is parsed or validated, so a stranger learns nothing about what the route expects.
 * A route naming an office refuses a caller of another office next; role and device kind are
 * then checked by the handler.
 */
export type RouteAuth = 'public';
export const PUBLIC = { auth: 'public' } as const satisfies { auth: RouteAuth };
/**
 * Routes a user whose password must be changed may still call (who am I, change it): every
 * other one answers PASSWORD_CHANGE_REQUIRED, so a password somebody else saw opens nothing.
 */
export const BEFORE_PASSWORD_CHANGE = { beforePasswordChange: true } as const;

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
    beforePasswordChange?: boolean;
  }
}

/** The route-level onRequest hook of every non-public API route (added in server/app.ts). */
export function requireCaller(req: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void): void {
  const id = req.identity;
  if (id.kind === 'anonymous') done(new ApiError('AUTH_REQUIRED'));
  else if (id.kind === 'user' && id.user.mustChangePassword && req.routeOptions.config.beforePasswordChange !== true) done(new ApiError('PASSWORD_CHANGE_REQUIRED'));
  else if (!mayReachOffice(req)) done(new ApiError('FORBIDDEN'));
  else done();
}

/**
 * A route that names an office answers a caller of another office FORBIDDEN before it reads the
 * body or the query: nothing of another office — not even what its routes expect — is told. The
 * handler still checks the role the route needs.
 */
function mayReachOffice(req: FastifyRequest): boolean {
  const officeId = (req.params as Record<string, unknown> | undefined)?.['officeId'];
  return typeof officeId !== 'string' || officeAccess(actorOf(req.identity), officeId) === 'ok';
}

/** The caller as the permission check sees it. */
export function actorOf(identity: Identity): Actor {
  if (identity.kind === 'anonymous') throw new ApiError('AUTH_REQUIRED');
  if (identity.kind === 'device') return { kind: 'device', officeId: identity.device.officeId };
  const u = identity.user;
  return { kind: 'user', officeId: u.officeId, role: u.role, isInstallAdmin: u.isInstallAdmin };
}

/**
 * The one permission check of a route that names an office: staff of that office with at least
 * `atLeast` (absent: any staff, and the office's devices), or an install admin. Returns the user
 * when the caller is one.
 */
export function requireOfficeRole(identity: Identity, officeId: string, atLeast?: UserRole): UserRecord | null {
  const access = officeAccess(actorOf(identity), officeId, atLeast);
  if (access !== 'ok') throw new ApiError('FORBIDDEN');
  return identity.kind === 'user' ? identity.user : null;
}

export function requireUser(identity: Identity, atLeast: UserRole = 'clerk'): UserRecord {
  if (identity.kind === 'anonymous') throw new ApiError('AUTH_REQUIRED');
  if (identity.kind !== 'user' || !hasRole(identity.user.role, atLeast)) throw new ApiError('FORBIDDEN');
  return identity.user;
}

export function requireDevice(identity: Identity, kind: DeviceKind): DeviceRecord {
  if (identity.kind === 'anonymous') throw new ApiError('AUTH_REQUIRED');
  if (identity.kind !== 'device' || identity.device.kind !== kind) throw new ApiError('FORBIDDEN');
  return identity.device;
}

/** The office a caller belongs to; staff and devices see only their own office (install admins every one). */
export function requireOffice(identity: Identity, officeId: string): void {
  requireOfficeRole(identity, officeId);
}

export async function login(
  access: AccessStore,
  clock: Clock,
  reply: FastifyReply,
  username: string,
  password: string,
  secureCookies: boolean,
  previousToken?: string,
): Promise<UserRecord> {
  const user = await access.userByUsername(username);
  const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
  if (user === null || !valid || user.disabledAt !== null) throw new ApiError('AUTH_INVALID_CREDENTIALS');
  // A browser signs in anew (another clerk takes over the terminal, or the same one again): the
  // session it held ends, so its old cookie, wherever it was copied, opens nothing. Sessions of
  // the same user on other devices are theirs and stay.
  if (previousToken !== undefined) await access.deleteSession(tokenHash(previousToken));
  const token = newToken();
  const now = clock.now();
  await access.createSession(tokenHash(token), user.id, now, now + SESSION_TTL_MS);
  void reply.setCookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'strict',
    secure: secureCookies,
    path: '/',
    maxAge: SESSION_TTL_MS / 1000,
  });
  return user;
}

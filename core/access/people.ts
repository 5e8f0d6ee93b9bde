import type { Office, UserRole } from '../shared/model.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { DeviceRecord, UserRecord } from './access.ts';

/**
 * The back office's side of users and devices: listing them, changing them, and the audit of
 * every change. Each write and its audit row are one transaction in the store. Instants are epoch
 * milliseconds; nothing secret (password, hash, token) ever reaches the audit.
 */

export type PeopleEntity = 'user' | 'device' | 'office';
export type PeopleAction = 'created' | 'updated' | 'password-reset' | 'password-changed' | 'disabled' | 'enabled' | 'revoked';
export type AuditFields = Record<string, string | number | boolean | null>;

/** Who made a change: a signed-in user through the API, or the command line (no user). */
export interface ChangedBy {
  userId: string | null;
  username: string | null;
  via: 'api' | 'cli';
}

export interface PeopleAuditInput extends ChangedBy {
  officeId: string;
  at: number;
  entity: PeopleEntity;
  entityId: string;
  action: PeopleAction;
  before: AuditFields | null;
  after: AuditFields | null;
}

export interface PeopleAuditRecord extends PeopleAuditInput {
  id: number;
}

export interface UserPatch {
  role?: UserRole;
  displayName?: string;
  email?: string | null;
  passwordHash?: string;
  mustChangePassword?: boolean;
  disabledAt?: number | null;
}

/** Which of the user's sessions a write ends: none, all, or all but the one given (by token hash). */
export type EndSessions = { kind: 'none' } | { kind: 'all' } | { kind: 'all-but'; tokenHash: string };

/** Async so that it can live in the store's worker thread; all arguments are plain JSON. */
export interface PeopleStore {
  /** The office's users (disabled ones too), oldest first. */
  listUsers(officeId: string): Promise<UserRecord[]>;
  findUser(id: string): Promise<UserRecord | null>;
  /** Enabled admins of the office (install admins whose home it is included). */
  countEnabledAdmins(officeId: string): Promise<number>;
  /** False (nothing written) when the user name is taken. */
  insertUser(user: UserRecord, audit: PeopleAuditInput): Promise<boolean>;
  /** Null when there is no such user. */
  updateUser(id: string, patch: UserPatch, end: EndSessions, audit: PeopleAuditInput | null): Promise<UserRecord | null>;
  findDevice(id: string): Promise<DeviceRecord | null>;
  insertDevice(device: DeviceRecord, tokenHash: string, audit: PeopleAuditInput): Promise<void>;
  /** Null when there is no such device. */
  updateDevice(id: string, patch: { name?: string; revokedAt?: number }, audit: PeopleAuditInput): Promise<DeviceRecord | null>;
  recordAudit(audit: PeopleAuditInput): Promise<void>;
  /** False (nothing written) when the id is taken. */
  insertOffice(office: Office, audit: PeopleAuditInput): Promise<boolean>;
  /** Newest first; `before` pages back (ids below it). */
  listAudit(officeId: string, limit: number, before?: number): Promise<PeopleAuditRecord[]>;
}

interface Ctx {
  store: PeopleStore;
  by: ChangedBy;
  now: number;
}

const audit = (c: Ctx, officeId: string, entity: PeopleEntity, entityId: string, action: PeopleAction, before: AuditFields | null, after: AuditFields | null): PeopleAuditInput => ({
  ...c.by,
  officeId,
  at: c.now,
  entity,
  entityId,
  action,
  before,
  after,
});

/** What the audit shows of a user: never the password hash. */
export const userFields = (u: UserRecord): AuditFields => ({
  username: u.username,
  displayName: u.displayName,
  role: u.role,
  email: u.email,
  isInstallAdmin: u.isInstallAdmin,
  mustChangePassword: u.mustChangePassword,
  disabledAt: u.disabledAt,
});

export const deviceFields = (d: DeviceRecord): AuditFields => ({ kind: d.kind, name: d.name, printer: d.printer, revokedAt: d.revokedAt });

/** Only the fields that differ, on both sides. */
function diff(before: AuditFields, after: AuditFields): { before: AuditFields; after: AuditFields } | null {
  const b: AuditFields = {};
  const a: AuditFields = {};
  for (const k of Object.keys(after)) {
    if (before[k] !== after[k]) {
      b[k] = before[k] ?? null;
      a[k] = after[k] ?? null;
    }
  }
  return Object.keys(a).length === 0 ? null : { before: b, after: a };
}

/** A user of this office (a user of another office is "not found": nothing of it shows). */
async function userOf(store: PeopleStore, officeId: string, userId: string): Promise<Result<UserRecord>> {
  const user = await store.findUser(userId);
  return user === null || user.officeId !== officeId ? fail('USER_NOT_FOUND') : ok(user);
}

/** The last enabled admin of an office stays one: nobody could manage it any more. */
async function keepsAnAdmin(store: PeopleStore, user: UserRecord, after: { role: UserRole; disabled: boolean }): Promise<boolean> {
  const isAdminNow = user.role === 'admin' && user.disabledAt === null;
  const isAdminAfter = after.role === 'admin' && !after.disabled;
  if (!isAdminNow || isAdminAfter) return true;
  return (await store.countEnabledAdmins(user.officeId)) > 1;
}

async function applyUser(c: Ctx, user: UserRecord, patch: UserPatch, end: EndSessions, action: PeopleAction): Promise<Result<UserRecord>> {
  const next: UserRecord = { ...user, ...patch };
  const changed = diff(userFields(user), userFields(next));
  const record = changed === null && patch.passwordHash === undefined ? null : audit(c, user.officeId, 'user', user.id, action, changed?.before ?? {}, changed?.after ?? {});
  const updated = await c.store.updateUser(user.id, patch, end, record);
  return updated === null ? fail('USER_NOT_FOUND') : ok(updated);
}

export async function addUser(c: Ctx, user: UserRecord): Promise<Result<UserRecord>> {
  const inserted = await c.store.insertUser(user, audit(c, user.officeId, 'user', user.id, 'created', null, userFields(user)));
  return inserted ? ok(user) : fail('USERNAME_TAKEN');
}

export async function changeUser(
  c: Ctx,
  input: { officeId: string; userId: string; patch: { role?: UserRole; displayName?: string; email?: string | null } },
): Promise<Result<UserRecord>> {
  const found = await userOf(c.store, input.officeId, input.userId);
  if (!found.ok) return found;
  const user = found.value;
  if (!(await keepsAnAdmin(c.store, user, { role: input.patch.role ?? user.role, disabled: user.disabledAt !== null }))) return fail('LAST_ADMIN');
  return applyUser(c, user, input.patch, { kind: 'none' }, 'updated');
}

/** Disabling ends every session of the user in the same transaction; enabling gives none back. */
export async function setUserDisabled(c: Ctx, input: { officeId: string; userId: string; disabled: boolean }): Promise<Result<UserRecord>> {
  const found = await userOf(c.store, input.officeId, input.userId);
  if (!found.ok) return found;
  const user = found.value;
  if (input.disabled === (user.disabledAt !== null)) return ok(user);
  if (!(await keepsAnAdmin(c.store, user, { role: user.role, disabled: input.disabled }))) return fail('LAST_ADMIN');
  return input.disabled
    ? applyUser(c, user, { disabledAt: c.now }, { kind: 'all' }, 'disabled')
    : applyUser(c, user, { disabledAt: null }, { kind: 'none' }, 'enabled');
}

/** A new password somebody else saw: every session ends and the user must change it at the next sign-in. */
export async function resetPassword(c: Ctx, input: { officeId: string; userId: string; passwordHash: string }): Promise<Result<UserRecord>> {
  const found = await userOf(c.store, input.officeId, input.userId);
  if (!found.ok) return found;
  return applyUser(c, found.value, { passwordHash: input.passwordHash, mustChangePassword: true }, { kind: 'all' }, 'password-reset');
}

/** The user's own new password (the edge checked the current one): their other sessions end. */
export async function changeOwnPassword(c: Ctx, input: { user: UserRecord; passwordHash: string; sessionTokenHash: string }): Promise<Result<UserRecord>> {
  return applyUser(c, input.user, { passwordHash: input.passwordHash, mustChangePassword: false }, { kind: 'all-but', tokenHash: input.sessionTokenHash }, 'password-changed');
}

export async function addDevice(c: Ctx, device: DeviceRecord, tokenHash: string): Promise<Result<DeviceRecord>> {
  await c.store.insertDevice(device, tokenHash, audit(c, device.officeId, 'device', device.id, 'created', null, deviceFields(device)));
  return ok(device);
}

async function deviceOf(store: PeopleStore, officeId: string, deviceId: string): Promise<Result<DeviceRecord>> {
  const device = await store.findDevice(deviceId);
  return device === null || device.officeId !== officeId ? fail('DEVICE_NOT_FOUND') : ok(device);
}

export async function renameDevice(c: Ctx, input: { officeId: string; deviceId: string; name: string }): Promise<Result<DeviceRecord>> {
  const found = await deviceOf(c.store, input.officeId, input.deviceId);
  if (!found.ok) return found;
  if (found.value.name === input.name) return found;
  const updated = await c.store.updateDevice(input.deviceId, { name: input.name }, audit(c, input.officeId, 'device', input.deviceId, 'updated', { name: found.value.name }, { name: input.name }));
  return updated === null ? fail('DEVICE_NOT_FOUND') : ok(updated);
}

/** Revoking twice is no error: the device stays revoked since the first time. */
export async function revokeDevice(c: Ctx, input: { officeId: string; deviceId: string }): Promise<Result<DeviceRecord>> {
  const found = await deviceOf(c.store, input.officeId, input.deviceId);
  if (!found.ok || found.value.revokedAt !== null) return found;
  const updated = await c.store.updateDevice(input.deviceId, { revokedAt: c.now }, audit(c, input.officeId, 'device', input.deviceId, 'revoked', { revokedAt: null }, { revokedAt: c.now }));
  return updated === null ? fail('DEVICE_NOT_FOUND') : ok(updated);
}

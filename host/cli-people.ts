import { CreateDeviceBody } from '../contracts/api.ts';
import { CreateOfficeBody, Role, Username } from '../contracts/people.ts';
import { createOffice } from '../core/access/offices.ts';
import { addDevice, addUser, revokeDevice, type ChangedBy } from '../core/access/people.ts';
import type { Office } from '../core/shared/model.ts';
import { tokenHash } from '../server/passwords.ts';
import { generatePassword, newDeviceRecord, newUserRecord } from '../server/provisioning.ts';
import type { Stores } from './stores.ts';
import { randomIds, systemClock } from './system.ts';

/** What these commands use of the stores (SQLite or PostgreSQL). */
export type CliStores = Pick<Stores, 'people' | 'queue'>;
type People = CliStores['people'];

/**
 * The people and office commands of `fronta` (init, office add, users add, devices …): through
 * the same use cases, schemas and audit as the API, recorded as changed "via cli" by nobody.
 */

export class CliError extends Error {}

type Values = Record<string, string | boolean | undefined>;
const str = (v: Values, k: string): string | undefined => (typeof v[k] === 'string' ? v[k] : undefined);
const need = (v: Values, k: string): string => {
  const s = str(v, k);
  if (s === undefined || s === '') throw new CliError(`missing --${k}`);
  return s;
};

const CLI: ChangedBy = { userId: null, username: null, via: 'cli' };
const ctx = (store: People) => ({ store, by: CLI, now: systemClock.now() });
const deps = { ids: randomIds, clock: systemClock };

/** The zod issues of a command's flags, one line, each naming its flag. */
function flagErrors(issues: readonly { path: PropertyKey[]; message: string }[], flags: Record<string, string>): string {
  return issues.map((i) => `--${flags[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; ');
}

const officeIds = async (stores: CliStores): Promise<string[]> => (await stores.queue.read((s) => s.listOffices())).map((o) => o.id);

/** `--office`, or the install's only office; refused when there are several and none was named. */
export async function officeOf(stores: CliStores, v: Values): Promise<string> {
  const given = str(v, 'office');
  const ids = await officeIds(stores);
  if (given !== undefined) {
    if (!ids.includes(given)) throw new CliError(`no office ${given} (offices: ${ids.join(', ') || 'none'})`);
    return given;
  }
  if (ids.length === 1) return ids[0]!;
  throw new CliError(ids.length === 0 ? 'this data folder has no office yet: run fronta init' : `several offices (${ids.join(', ')}): name one with --office`);
}

async function newOffice(store: People, v: Values): Promise<Office> {
  const body = CreateOfficeBody.safeParse({
    name: str(v, 'office-name') ?? str(v, 'name'),
    timeZone: str(v, 'time-zone'),
    languages: (str(v, 'languages') ?? '').split(',').map((l) => l.trim()).filter((l) => l !== ''),
    ...(str(v, 'office-id') === undefined ? {} : { id: str(v, 'office-id') }),
  });
  if (!body.success) throw new CliError(flagErrors(body.error.issues, { name: str(v, 'office-name') === undefined ? 'name' : 'office-name', timeZone: 'time-zone', languages: 'languages', id: 'office-id' }));
  const { id, ...rest } = body.data;
  const made = await createOffice(ctx(store), { ...rest, ...(id === undefined ? {} : { id }) });
  if (!made.ok) throw new CliError(`--office-id: an office ${String(id)} exists already`);
  return made.value;
}

/** An admin with a one-time password (changed at the first sign-in); the password is returned once. */
async function firstAdmin(store: People, officeId: string, username: string, isInstallAdmin: boolean): Promise<{ username: string; password: string }> {
  const parsed = Username.safeParse(username);
  if (!parsed.success) throw new CliError(`--admin-username: ${parsed.error.issues[0]?.message ?? 'not valid'}`);
  const password = generatePassword();
  const user = await newUserRecord(deps, { officeId, username: parsed.data, password, role: 'admin', displayName: parsed.data, isInstallAdmin, mustChangePassword: true });
  const added = await addUser(ctx(store), user);
  if (!added.ok) throw new CliError(`--admin-username: user name "${parsed.data}" is taken`);
  return { username: parsed.data, password };
}

/** `fronta init`: on a data folder without an office, its first office and install admin. */
export async function init(stores: CliStores, v: Values, publicUrl: string): Promise<string> {
  const existing = await officeIds(stores);
  if (existing.length > 0) throw new CliError(`this data folder already has an office (${existing.join(', ')}); fronta init sets up an empty one — to add an office: fronta office add`);
  const store = stores.people;
  const office = await newOffice(store, v);
  const admin = await firstAdmin(store, office.id, str(v, 'admin-username') ?? 'admin', true);
  return (
    `created office "${office.name}" (${office.id}): no services or counters yet, closed until you set its hours\n` +
    `and its install administrator "${admin.username}".\n\n` +
    `Start the host (fronta serve), then sign in at ${publicUrl}/\n` +
    `  user:     ${admin.username}\n  password: ${admin.password}   (one-time: you choose your own at the first sign-in)\n`
  );
}

/** `fronta office add`: another office of the install, and optionally its first admin. */
export async function officeAdd(stores: CliStores, v: Values): Promise<string> {
  const store = stores.people;
  const office = await newOffice(store, v);
  const username = str(v, 'admin-username');
  const admin = username === undefined ? null : await firstAdmin(store, office.id, username, false);
  return `created office "${office.name}" (${office.id})` + (admin === null ? '\n' : ` and its admin "${admin.username}", one-time password: ${admin.password}\n`);
}

/** `fronta users add`; `--install-admin` makes an admin who manages every office. */
export async function usersAdd(stores: CliStores, v: Values): Promise<string> {
  const installAdmin = v['install-admin'] === true;
  const role = Role.safeParse(installAdmin ? (str(v, 'role') ?? 'admin') : need(v, 'role'));
  if (!role.success) throw new CliError('--role must be clerk, supervisor or admin');
  if (installAdmin && role.data !== 'admin') throw new CliError('--install-admin: an install admin has the role admin');
  const officeId = await officeOf(stores, v);
  const username = need(v, 'username');
  const given = str(v, 'password');
  const password = given ?? generatePassword();
  const name = str(v, 'name');
  const user = await newUserRecord(deps, {
    officeId,
    username,
    password,
    role: role.data,
    isInstallAdmin: installAdmin,
    mustChangePassword: given === undefined,
    ...(name === undefined ? {} : { displayName: name }),
  });
  const added = await addUser(ctx(stores.people), user);
  if (!added.ok) throw new CliError(`user name "${username}" is taken`);
  const what = installAdmin ? 'install admin' : user.role;
  return `created ${what} "${user.username}" (${user.id}) in office ${officeId}${given === undefined ? `, one-time password: ${password}` : ''}\n`;
}

export async function devicesAdd(stores: CliStores, v: Values): Promise<string> {
  // The API's own body schema: the command line and POST /devices accept the same devices.
  const body = CreateDeviceBody.safeParse({ kind: need(v, 'kind'), name: need(v, 'name'), printer: str(v, 'printer') ?? 'none' });
  if (!body.success) throw new CliError(flagErrors(body.error.issues, {}));
  const officeId = await officeOf(stores, v);
  const { device, token } = newDeviceRecord(deps, { officeId, kind: body.data.kind, name: body.data.name, printer: body.data.printer ?? 'none' });
  await addDevice(ctx(stores.people), device, tokenHash(token));
  return `created ${device.kind} "${device.name}" (${device.id}); token (shown once):\n${token}\n`;
}

export async function devicesList(stores: CliStores, v: Values): Promise<string> {
  const seen = (at: number | null): string => (at === null ? 'never seen' : `seen ${new Date(at).toISOString()}`);
  return (await stores.people.listDevices(await officeOf(stores, v)))
    .map((d) => `${d.id}\t${d.kind}\t${d.name}\t${d.revokedAt === null ? 'active' : 'revoked'}\tprinter:${d.printer}\t${seen(d.lastSeenAt)}\n`)
    .join('');
}

export async function devicesRevoke(stores: CliStores, id: string): Promise<string> {
  const store = stores.people;
  const device = await store.findDevice(id);
  if (device === null || device.revokedAt !== null) throw new CliError(`no active device ${id}`);
  const revoked = await revokeDevice(ctx(store), { officeId: device.officeId, deviceId: id });
  if (!revoked.ok) throw new CliError(`no active device ${id}`);
  return `revoked ${id}\n`;
}

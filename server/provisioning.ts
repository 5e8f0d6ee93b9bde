import { randomBytes } from 'node:crypto';
import type { AccessStore, DeviceRecord, PrinterMode, UserRecord } from '../core/access/access.ts';
import type { DeviceKind, UserRole } from '../core/shared/model.ts';
import type { Clock, Ids } from '../core/queue/ports.ts';
import { hashPassword, newToken, tokenHash } from './passwords.ts';

/** Making users and devices: shared by the admin API, the `fronta` CLI and the demo seed. */

export interface NewUserInput {
  officeId: string;
  username: string;
  password: string;
  role: UserRole;
  displayName?: string;
  email?: string | null;
  isInstallAdmin?: boolean;
  /** The password was generated (or chosen by somebody else): the user changes it at the first sign-in. */
  mustChangePassword?: boolean;
  passwordCostLog2?: number;
}

/** A user record with the password hashed; not yet stored. */
export async function newUserRecord(deps: { ids: Ids; clock: Clock }, input: NewUserInput): Promise<UserRecord> {
  return {
    id: deps.ids.entityId('usr'),
    officeId: input.officeId,
    username: input.username,
    displayName: input.displayName ?? input.username,
    role: input.role,
    passwordHash: await hashPassword(input.password, input.passwordCostLog2),
    disabledAt: null,
    email: input.email ?? null,
    isInstallAdmin: input.isInstallAdmin ?? false,
    mustChangePassword: input.mustChangePassword ?? false,
    createdAt: deps.clock.now(),
  };
}

/** Stores a new user (no audit: the demo seed and test fixtures); null when the user name is taken. */
export async function createUser(access: AccessStore, deps: { ids: Ids; clock: Clock }, input: NewUserInput): Promise<UserRecord | null> {
  const user = await newUserRecord(deps, input);
  return (await access.createUser(user)) ? user : null;
}

/**
 * A one-time password for a new user or a reset: 12 characters of an alphabet without look-alikes
 * (no 0/O, 1/l/I), about 70 bits, easy to read out over the phone.
 */
export function generatePassword(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  // 256 is not a multiple of the alphabet's size: bytes past the last whole multiple are drawn again.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < 12) {
    for (const b of randomBytes(16)) if (b < limit && out.length < 12) out += alphabet[b % alphabet.length];
  }
  return out;
}

/** A device record and its token (returned once, here; only its hash is kept); not yet stored. */
export function newDeviceRecord(
  deps: { ids: Ids; clock: Clock },
  input: { officeId: string; kind: DeviceKind; name: string; printer?: PrinterMode },
): { device: DeviceRecord; token: string } {
  const device: DeviceRecord = {
    id: deps.ids.entityId(input.kind === 'kiosk' ? 'ksk' : 'dsp'),
    officeId: input.officeId,
    kind: input.kind,
    name: input.name,
    // A display has no printer, whatever was asked.
    printer: input.kind === 'kiosk' ? (input.printer ?? 'none') : 'none',
    createdAt: deps.clock.now(),
    revokedAt: null,
    lastSeenAt: null,
  };
  return { device, token: newToken() };
}

/** Stores a new device (no audit: the demo seed and test fixtures). The token is returned once. */
export async function createDevice(
  access: AccessStore,
  deps: { ids: Ids; clock: Clock },
  input: { officeId: string; kind: DeviceKind; name: string; printer?: PrinterMode },
): Promise<{ device: DeviceRecord; token: string }> {
  const made = newDeviceRecord(deps, input);
  await access.createDevice(made.device, tokenHash(made.token));
  return made;
}

import type { AccessStore, DeviceRecord, PrinterMode, UserRecord } from '../core/access/access.ts';
import type { DeviceKind, UserRole } from '../core/shared/model.ts';
import type { Clock, Ids } from '../core/queue/ports.ts';
import { hashPassword, newToken, tokenHash } from './passwords.ts';

/** Creating users and devices: shared by the admin API and the `fronta` CLI. */

export async function createUser(
  access: AccessStore,
  deps: { ids: Ids; clock: Clock },
  input: { officeId: string; username: string; password: string; role: UserRole; displayName?: string; passwordCostLog2?: number },
): Promise<UserRecord | null> {
  const user: UserRecord = {
    id: deps.ids.entityId('usr'),
    officeId: input.officeId,
    username: input.username,
    displayName: input.displayName ?? input.username,
    role: input.role,
    passwordHash: await hashPassword(input.password, input.passwordCostLog2),
    disabledAt: null,
  };
  return access.createUser(user, deps.clock.now()) ? user : null;
}

/** The token is returned once, here; only its hash is kept. */
export function createDevice(
  access: AccessStore,
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
  };
  const token = newToken();
  access.createDevice(device, tokenHash(token));
  return { device, token };
}

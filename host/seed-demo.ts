import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessStore } from '../core/access/access.ts';
import type { Clock, Ids } from '../core/queue/ports.ts';
import { createDevice, createUser } from '../server/provisioning.ts';
import { saveDemoPrinters } from './demo-printers.ts';
import { seedDemoBooking } from './demo-booking.ts';
import type { Stores } from './stores.ts';
import { demoOffice } from './demo.ts';
import { randomId } from './system.ts';

export interface DemoCredentials {
  admin: { username: string; password: string };
  clerk: { username: string; password: string };
  /** The hall kiosk. */
  kioskToken: string;
  corridorKioskToken: string;
  displayToken: string;
}

/**
 * First run: the demo office, an admin and a clerk with fresh random passwords, a kiosk and a
 * display token. Written to `<data>/demo-credentials.txt` (mode 0600) so they can be found again.
 */
export async function seedDemo(stores: { seed: Stores['seed']; people: AccessStore }, deps: { ids: Ids; clock: Clock }, dataDir: string): Promise<DemoCredentials> {
  const access = stores.people;
  const config = demoOffice();
  await stores.seed.officeConfig(config);
  await seedDemoBooking(stores.seed, config.office.id);
  const officeId = config.office.id;
  const creds: DemoCredentials = {
    admin: { username: 'admin', password: randomId(10) },
    clerk: { username: 'clerk', password: randomId(10) },
    kioskToken: '',
    corridorKioskToken: '',
    displayToken: '',
  };
  await createUser(access, deps, { officeId, username: 'admin', password: creds.admin.password, role: 'admin', displayName: 'Demo admin' });
  await createUser(access, deps, { officeId, username: 'clerk', password: creds.clerk.password, role: 'clerk', displayName: 'Demo clerk' });
  // Two kiosks, as in seed 002: each prints through its own agent and (virtual) printer.
  const hall = await createDevice(access, deps, { officeId, kind: 'kiosk', name: 'Hall kiosk', printer: 'agent' });
  const corridor = await createDevice(access, deps, { officeId, kind: 'kiosk', name: 'Corridor kiosk', printer: 'agent' });
  creds.kioskToken = hall.token;
  creds.corridorKioskToken = corridor.token;
  saveDemoPrinters(dataDir, [
    { deviceId: hall.device.id, name: hall.device.name, token: hall.token, profile: 'epson-tm-t20' },
    { deviceId: corridor.device.id, name: corridor.device.name, token: corridor.token, profile: 'generic-58mm' },
  ]);
  creds.displayToken = (await createDevice(access, deps, { officeId, kind: 'display', name: 'Hall display' })).token;
  writeFileSync(join(dataDir, 'demo-credentials.txt'), formatCredentials(creds), { mode: 0o600 });
  return creds;
}

/** The device tokens' lines of `demo-credentials.txt`, by the field each fills. */
const TOKEN_LINES = { kioskToken: 'kiosk device token', corridorKioskToken: 'corridor kiosk device token', displayToken: 'display device token' } as const;

export function formatCredentials(c: DemoCredentials): string {
  return [
    `admin:  user "${c.admin.username}"  password "${c.admin.password}"`,
    `clerk:  user "${c.clerk.username}"  password "${c.clerk.password}"`,
    ...Object.entries(TOKEN_LINES).map(([field, label]) => `${label}: ${c[field as keyof typeof TOKEN_LINES]}`),
    '',
  ].join('\n');
}

/**
 * Reads back what `formatCredentials` wrote (tests and scripts find the demo's credentials in the
 * file); throws naming the line that is missing.
 */
export function parseCredentials(text: string): DemoCredentials {
  const line = (re: RegExp, what: string): RegExpExecArray => {
    const m = re.exec(text);
    if (m === null) throw new Error(`demo-credentials.txt lacks the ${what} line:\n${text}`);
    return m;
  };
  const user = (role: string): { username: string; password: string } => {
    const m = line(new RegExp(`^${role}:\\s+user "([^"]+)"\\s+password "([^"]+)"`, 'm'), role);
    return { username: m[1]!, password: m[2]! };
  };
  const token = (label: string): string => line(new RegExp(`^${label}:\\s+(\\S+)$`, 'm'), label)[1]!;
  return {
    admin: user('admin'),
    clerk: user('clerk'),
    kioskToken: token(TOKEN_LINES.kioskToken),
    corridorKioskToken: token(TOKEN_LINES.corridorKioskToken),
    displayToken: token(TOKEN_LINES.displayToken),
  };
}

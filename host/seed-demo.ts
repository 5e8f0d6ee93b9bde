import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AccessStore } from '../core/access.ts';
import type { Clock, Ids } from '../core/ports.ts';
import { createDevice, createUser } from '../server/provisioning.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import type { Db } from '../store/database.ts';
import { demoOffice } from './demo.ts';
import { randomId } from './system.ts';

export interface DemoCredentials {
  admin: { username: string; password: string };
  clerk: { username: string; password: string };
  kioskToken: string;
  displayToken: string;
}

/**
 * First run: the demo office, an admin and a clerk with fresh random passwords, a kiosk and a
 * display token. Written to `<data>/demo-credentials.txt` (mode 0600) so they can be found again.
 */
export async function seedDemo(db: Db, access: AccessStore, deps: { ids: Ids; clock: Clock }, dataDir: string): Promise<DemoCredentials> {
  const config = demoOffice();
  saveOfficeConfig(db, config);
  const officeId = config.office.id;
  const creds: DemoCredentials = {
    admin: { username: 'admin', password: randomId(10) },
    clerk: { username: 'clerk', password: randomId(10) },
    kioskToken: '',
    displayToken: '',
  };
  await createUser(access, deps, { officeId, username: 'admin', password: creds.admin.password, role: 'admin', displayName: 'Demo admin' });
  await createUser(access, deps, { officeId, username: 'clerk', password: creds.clerk.password, role: 'clerk', displayName: 'Demo clerk' });
  creds.kioskToken = createDevice(access, deps, { officeId, kind: 'kiosk', name: 'Hall kiosk' }).token;
  creds.displayToken = createDevice(access, deps, { officeId, kind: 'display', name: 'Hall display' }).token;
  writeFileSync(join(dataDir, 'demo-credentials.txt'), formatCredentials(creds), { mode: 0o600 });
  return creds;
}

export function formatCredentials(c: DemoCredentials): string {
  return [
    `admin:  user "${c.admin.username}"  password "${c.admin.password}"`,
    `clerk:  user "${c.clerk.username}"  password "${c.clerk.password}"`,
    `kiosk device token:   ${c.kioskToken}`,
    `display device token: ${c.displayToken}`,
    '',
  ].join('\n');
}

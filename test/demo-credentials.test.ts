import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { killChildHosts, readDemoCredentials, startChildHost } from './helpers/child-host.ts';

/**
 * The demo's first run prints its credentials and keeps them in `demo-credentials.txt`: whoever
 * reads them back (a person setting up the corridor kiosk, or a test) gets tokens the host takes.
 */
const dir = mkdtempSync(join(tmpdir(), 'fronta-demo-creds-'));

afterAll(async () => {
  await killChildHosts();
  rmSync(dir, { recursive: true, force: true });
});

it('every device token and password of the demo, read back from its file, is taken by the host it was written by', { timeout: 90_000 }, async () => {
  const host = await startChildHost(dir, 60_000);
  const creds = readDemoCredentials(dir);
  expect(host.output()).toContain(`corridor kiosk device token: ${creds.corridorKioskToken}`);
  const me = async (token: string) => {
    const res = await fetch(`${host.url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, device: ((await res.json()) as { device?: { kind: string; name: string } }).device };
  };
  expect(await me(creds.kioskToken)).toEqual({ status: 200, device: { kind: 'kiosk', name: 'Hall kiosk', id: expect.any(String), officeId: 'demo' } });
  expect(await me(creds.corridorKioskToken)).toEqual({ status: 200, device: { kind: 'kiosk', name: 'Corridor kiosk', id: expect.any(String), officeId: 'demo' } });
  expect(await me(creds.displayToken)).toMatchObject({ status: 200, device: { kind: 'display' } });
  expect(new Set([creds.kioskToken, creds.corridorKioskToken, creds.displayToken]).size).toBe(3);
  // The corridor kiosk issues through its own agent and printer.
  const corridor = { authorization: `Bearer ${creds.corridorKioskToken}`, 'content-type': 'application/json' };
  const { services } = (await (await fetch(`${host.url}/api/v1/offices/demo/services`, { headers: corridor })).json()) as { services: { id: string; isOpen: boolean }[] };
  const open = services.find((s) => s.isOpen);
  if (open !== undefined) {
    const issued = await fetch(`${host.url}/api/v1/tickets`, { method: 'POST', headers: corridor, body: JSON.stringify({ serviceId: open.id }) });
    expect(issued.status, await issued.clone().text()).toBe(201);
  }
  for (const user of [creds.admin, creds.clerk]) {
    const login = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(user) });
    expect(login.status, user.username).toBe(200);
  }
});

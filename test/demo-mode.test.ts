import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { addressLine, type PublicOfficeT } from '../contracts/office-public.ts';
import { OfficeProfile } from '../contracts/office-config.ts';
import { readConfig } from '../host/config.ts';
import { createHost, type Host } from '../host/host.ts';
import { seedDemo, type DemoCredentials } from '../host/seed-demo.ts';
import { randomIds, systemClock } from '../host/system.ts';

/**
 * The /demo pages show every caught e-mail and SMS (recipients, confirm and cancel links) and
 * switch kiosk printers out of service: they exist only with `--demo`, and even then answer only
 * the machine itself or signed-in staff of the demo office.
 */

const DEMO_GETS = ['/demo/messages', '/demo/messages.json', '/demo/printers', '/demo/printers.json'];
const REMOTE = '192.0.2.7';

let host: Host | undefined;
let dir: string | undefined;

afterEach(async () => {
  await host?.close();
  host = undefined;
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

async function start(flags: { demo?: boolean }, env: NodeJS.ProcessEnv = {}): Promise<{ h: Host; creds: DemoCredentials }> {
  dir = mkdtempSync(join(tmpdir(), 'fronta-demo-mode-'));
  host = await createHost(readConfig({ data: dir, port: '0', 'log-level': 'silent', ...flags }, env));
  const creds = await seedDemo(host.stores, { ids: randomIds, clock: systemClock }, dir);
  return { h: host, creds };
}

async function staffCookie(h: Host, creds: DemoCredentials): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: creds.clerk });
  const set = res.cookies.find((c) => c.name === 'fronta_session');
  if (set === undefined) throw new Error(`login failed: ${res.body}`);
  return `fronta_session=${set.value}`;
}

describe('demo mode', () => {
  it('is off unless asked for: every /demo path is 404, whoever asks', async () => {
    const { h, creds } = await start({});
    const cookie = await staffCookie(h, creds);
    for (const url of DEMO_GETS) {
      expect((await h.app.inject({ url })).statusCode, url).toBe(404);
      expect((await h.app.inject({ url, headers: { cookie } })).statusCode, url).toBe(404);
    }
    const post = await h.app.inject({ method: 'POST', url: '/demo/printers/anything/condition', payload: { isPaperEnd: true } });
    expect(post.statusCode).toBe(404);
    expect(readConfig({}, {}).demo).toBe(false);
    expect(readConfig({}, { FRONTA_DEMO: '1' }).demo).toBe(true);
  });

  it('with --demo, an anonymous caller from another machine gets nothing but a 401', async () => {
    const { h } = await start({ demo: true });
    for (const url of DEMO_GETS) {
      const res = await h.app.inject({ url, remoteAddress: REMOTE });
      expect(res.statusCode, url).toBe(401);
      expect(res.json(), url).toEqual({ error: { code: 'AUTH_REQUIRED', message: expect.any(String) } });
    }
    const post = await h.app.inject({ method: 'POST', url: '/demo/printers/anything/condition', payload: { isPaperEnd: true }, remoteAddress: REMOTE });
    expect(post.statusCode).toBe(401);
  });

  it('with --demo, the machine itself and the demo office’s staff see the pages; a device cookie does not', async () => {
    const { h, creds } = await start({ demo: true });
    const cookie = await staffCookie(h, creds);
    for (const url of DEMO_GETS) {
      expect((await h.app.inject({ url })).statusCode, `loopback ${url}`).toBe(200);
      expect((await h.app.inject({ url, remoteAddress: REMOTE, headers: { cookie } })).statusCode, `staff ${url}`).toBe(200);
    }
    const device = await h.app.inject({ url: '/demo/messages.json', remoteAddress: REMOTE, headers: { cookie: `fronta_device=${creds.displayToken}` } });
    expect(device.statusCode).toBe(403);
  });

  it('with --demo behind a reverse proxy, the caller is the forwarded address, not the proxy on loopback', async () => {
    const { h } = await start({ demo: true }, { FRONTA_TRUST_PROXY: '1' });
    const res = await h.app.inject({ url: '/demo/messages.json', headers: { 'x-forwarded-for': `${REMOTE}, 127.0.0.1` } });
    expect(res.statusCode).toBe(401);
    expect((await h.app.inject({ url: '/demo/messages.json', headers: { 'x-forwarded-for': '127.0.0.1' } })).statusCode).toBe(200);
  });

  it('the demo office names an address, a public contact and its data controller, valid as an admin would enter them', async () => {
    const { h, creds } = await start({ demo: true });
    const shown = (await h.app.inject({ url: '/api/v1/offices/demo/public', headers: { 'accept-language': 'cs' } })).json<PublicOfficeT>();
    expect(shown.address).toMatchObject({ lines: [expect.any(String)], city: 'Kostelec', country: 'CZ' });
    expect(addressLine(shown.address!)).toMatch(/^.+, \d{3} \d{2} Kostelec$/);
    expect(shown.contact).toMatchObject({ phone: expect.stringMatching(/^\+420 /), email: expect.stringMatching(/@kostelec\.example$/) });
    expect(shown.dataController).toMatch(/^Město Kostelec, /);
    // What was seeded passes the same schema the office section's form and the office file go through.
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: creds.admin });
    const admin = login.cookies.find((c) => c.name === 'fronta_session')!;
    const config = await h.app.inject({ url: '/api/v1/offices/demo/config', headers: { cookie: `fronta_session=${admin.value}` } });
    expect(config.statusCode).toBe(200);
    expect(OfficeProfile.safeParse(config.json().office).error).toBeUndefined();
  });

  it('a printer switch for an unknown kiosk says so (404) instead of answering ok', async () => {
    const { h } = await start({ demo: true });
    const res = await h.app.inject({ method: 'POST', url: '/demo/printers/ksk_nobody/condition', payload: { isPaperEnd: true }, headers: { 'accept-language': 'cs' } });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('DEVICE_NOT_FOUND');
  });
});

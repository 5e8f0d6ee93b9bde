import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'bin', 'fronta.js');
const children: ChildProcess[] = [];

afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function fronta(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', dataDir], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/**
 * Starts `fronta serve` on a free port (with `--demo` unless told otherwise); resolves with its
 * address once it has printed its banner (the demo credentials, or that there is no office).
 */
function serve(dataDir: string, opts: { demo?: boolean; until?: string } = {}): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const demo = opts.demo ?? true;
  const until = opts.until ?? (demo ? 'display device token' : 'no office yet');
  const child = spawn(process.execPath, [BIN, 'serve', ...(demo ? ['--demo'] : []), '--port', '0', '--data', dataDir, '--log-level', 'warn'], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Fronta is running at (http:\/\/[\d.:]+)/.exec(out);
      if (m !== null && out.includes(until)) resolve({ child, url: m[1]!, output: () => out });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

describe('the fronta command', () => {
  it('first start creates the demo office, prints how to sign in, and the printed credentials work', async () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-cli-'));
    const { child, url, output } = await serve(data);
    const text = output();
    const password = /admin:\s+user "admin"\s+password "([^"]+)"/.exec(text)?.[1];
    expect(password).toBeDefined();
    expect(readFileSync(join(data, 'demo-credentials.txt'), 'utf8')).toContain(password);
    expect(statSync(join(data, 'demo-credentials.txt')).mode & 0o077).toBe(0);

    const login = await fetch(`${url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);
    const services: any = await (await fetch(`${url}/api/v1/offices/demo/services`)).json();
    expect(services.services).toHaveLength(3);
    expect(services.departments).toHaveLength(2);
    expect((await fetch(`${url}/`)).status).toBe(200);
    expect((await fetch(`${url}/api/docs/json`)).status).toBe(200);

    // SIGTERM: a graceful stop with exit code 0.
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('without --demo a fresh data folder gets no office: the host says how to get one, and no /demo page exists', async () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-cli-'));
    const { url, output } = await serve(data, { demo: false });
    expect(output()).toContain('fronta serve --demo');
    expect(output()).not.toMatch(/password "/);
    expect(existsSync(join(data, 'demo-credentials.txt'))).toBe(false);
    expect(((await (await fetch(`${url}/api/v1/offices`)).json()) as { offices: unknown[] }).offices).toEqual([]);
    const start = await fetch(`${url}/`, { headers: { 'accept-language': 'en' } });
    expect(await start.text()).toContain('fronta serve --demo');
    for (const path of ['/demo/messages', '/demo/messages.json', '/demo/printers', '/demo/printers.json']) {
      expect((await fetch(url + path)).status, path).toBe(404);
    }
    const post = await fetch(`${url}/demo/printers/anything/condition`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"isPaperEnd":true}' });
    expect(post.status).toBe(404);
  });

  it('init sets up an empty folder: its first office, empty, and an install admin with a one-time password; it refuses a folder with an office', async () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-cli-'));
    const bad = fronta(data, 'init', '--office-name', 'Úřad Lhota', '--time-zone', 'Mars/Olympus', '--languages', 'cs,en');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--time-zone: not a known time zone/);
    const made = fronta(data, 'init', '--office-name', 'Úřad Lhota', '--time-zone', 'Europe/Prague', '--languages', 'cs,en', '--admin-username', 'starosta');
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/created office "Úřad Lhota" \(urad-lhota\)/);
    expect(made.out).toMatch(/sign in at http:\/\/127\.0\.0\.1:8080\//);
    const password = /password: (\S+)/.exec(made.out)?.[1];
    expect(password).toBeDefined();
    const again = fronta(data, 'init', '--office-name', 'Other', '--time-zone', 'Europe/Prague', '--languages', 'cs');
    expect([again.code, again.err]).toEqual([2, expect.stringMatching(/already has an office \(urad-lhota\)/)]);
    expect(existsSync(join(data, 'demo-credentials.txt'))).toBe(false);

    const { url } = await serve(data, { demo: false, until: 'API docs' });
    const signIn = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'starosta', password }) });
    const me = (await signIn.json()) as { user: { isInstallAdmin: boolean; mustChangePassword: boolean; officeId: string } };
    expect(me.user).toMatchObject({ isInstallAdmin: true, mustChangePassword: true, officeId: 'urad-lhota' });
    const services = (await (await fetch(`${url}/api/v1/offices/urad-lhota/services`)).json()) as { services: unknown[] };
    expect(services.services).toEqual([]);
    expect((await fetch(`${url}/demo/printers`)).status).toBe(404);

    // More offices and install admins; with several offices, a command names its office.
    const office = fronta(data, 'office', 'add', '--name', 'Pobočka Lhotka', '--time-zone', 'Europe/Prague', '--languages', 'cs', '--admin-username', 'lhotka');
    expect(office.out).toMatch(/created office "Pobočka Lhotka" \(pobocka-lhotka\) and its admin "lhotka", one-time password: \S+/);
    expect(fronta(data, 'users', 'add', '--username', 'it.dept', '--install-admin', '--office', 'urad-lhota').out).toMatch(/created install admin "it.dept" .* one-time password: \S+/);
    expect(fronta(data, 'users', 'add', '--username', 'jana', '--role', 'clerk').err).toMatch(/several offices \(pobocka-lhotka, urad-lhota\): name one with --office/);
  }, 150_000);

  it('adds users and devices, and a revoked device token stops working at once', { timeout: 90_000 }, async () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-cli-'));
    const { url } = await serve(data);
    const added = fronta(data, 'users', 'add', '--username', 'jana', '--role', 'supervisor', '--password', 'a long secret');
    expect(added.code).toBe(0);
    expect(added.out).toMatch(/created supervisor "jana"/);
    expect(fronta(data, 'users', 'add', '--username', 'jana', '--role', 'clerk').code).toBe(2);
    expect(fronta(data, 'users', 'add', '--username', 'x', '--role', 'boss').err).toMatch(/--role must be/);

    const dev = fronta(data, 'devices', 'add', '--kind', 'kiosk', '--name', 'Corridor kiosk');
    expect(dev.code).toBe(0);
    const token = dev.out.trim().split('\n').pop()!;
    const id = /\((ksk_[a-z0-9]+)\)/.exec(dev.out)![1]!;
    const issue = () =>
      fetch(`${url}/api/v1/tickets`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ serviceId: 'cashier' }),
      });
    expect((await issue()).status).toBe(201);
    expect(fronta(data, 'devices', 'list').out).toMatch(new RegExp(`${id}\\tkiosk\\tCorridor kiosk\\tactive`));
    expect(fronta(data, 'devices', 'revoke', id).code).toBe(0);
    const refused = await issue();
    expect(refused.status).toBe(401);
    expect(((await refused.json())).error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('a command that reads data, without the data folder: one line on stderr, exit 2, nothing created', () => {
    const empty = mkdtempSync(join(tmpdir(), 'fronta-cli-'));
    const run = (args: string[], cwd: string) => {
      const env = { ...process.env };
      delete env['FRONTA_DATA'];
      const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, cwd, env });
      return { code: r.status, err: r.stderr, out: r.stdout };
    };
    const tries: [string[], string][] = [
      [['devices', 'list', '--data', join(empty, 'nonexistent')], /* a folder that does not exist */ empty],
      [['devices', 'list'], empty], // ./data where there is none
      [['users', 'add', '--username', 'jana', '--role', 'clerk', '--data', empty], empty], // a folder without a database
      [['retention', 'set', '--days', '30'], empty],
    ];
    for (const [args, cwd] of tries) {
      const r = run(args, cwd);
      expect([r.code, r.out], args.join(' ')).toEqual([2, '']);
      expect(r.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(/^fronta: no Fronta data in .*--data/);
      expect(r.err).not.toMatch(/\n\s+at /);
    }
    expect(readdirSync(empty)).toEqual([]);
  });

  it('explains its usage', () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-cli-'));
    const r = fronta(data, 'frobnicate');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/unknown command/);
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { loadKeyMaterial, nodeKeyed } from '../host/crypto.ts';

/**
 * The sealing key lives outside the data folder: `--key-file` / FRONTA_KEY_FILE, by default the
 * user's ~/.config/fronta/secret.key (here a temp HOME). Real `fronta` processes throughout.
 */
const BIN = join(import.meta.dirname, '..', 'bin', 'fronta.js');
const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
});

function place() {
  const root = mkdtempSync(join(tmpdir(), 'fronta-key-'));
  const data = join(root, 'data');
  const home = join(root, 'home');
  mkdirSync(home);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config') };
  for (const name of ['FRONTA_DATA', 'FRONTA_KEY_FILE', 'FRONTA_SECRET_KEY', 'CREDENTIALS_DIRECTORY', 'PORT', 'HOST']) delete env[name];
  return { root, data, env, defaultKey: join(home, '.config', 'fronta', 'secret.key') };
}

const run = (env: NodeJS.ProcessEnv, ...args: string[]) => {
  const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 30_000, env });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

/** `fronta serve --demo` (the demo office books) on a free port: its address and everything it printed, once it is up; or its exit. */
function serve(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ child: ChildProcess; url: string; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--log-level', 'warn', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const seen = (d: Buffer): void => {
      out += d.toString();
      const m = /Fronta is running at (http:\/\/[\d.:]+)/.exec(out);
      if (m !== null && /\n\n/.test(out.slice(m.index))) resolve({ child, url: m[1]!, output: () => out });
    };
    child.stdout.on('data', seen);
    child.stderr.on('data', seen);
    child.on('exit', (code) => reject(Object.assign(new Error(`serve exited ${code}: ${out}`), { code, out })));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('the sealing key file', () => {
  it('refuses to start, in one line with exit 2, while the key file is open to group or others', { timeout: 120_000 }, async () => {
    const p = place();
    const key = join(p.root, 'fronta.key');
    writeFileSync(key, 'ab'.repeat(32) + '\n', { mode: 0o600 });
    for (const mode of [0o644, 0o640, 0o620, 0o604]) {
      chmodSync(key, mode);
      const refused = await serve(p.env, '--data', p.data, '--key-file', key).then(
        () => null,
        (e: { code: number; out: string }) => e,
      );
      expect(refused?.code, mode.toString(8)).toBe(2);
      expect(refused!.out.trim().split('\n')).toEqual([`fronta: the key file ${key} is open to group or others (mode ${mode.toString(8)}); run: chmod 600 ${key}`]);
    }
    chmodSync(key, 0o600);
    const { child } = await serve(p.env, '--data', p.data, '--key-file', key);
    await stop(child);
    expect(existsSync(join(p.data, 'secret.key'))).toBe(false);
  });

  it('a new install creates its key 0600 outside the data folder', async () => {
    const p = place();
    const { child, output } = await serve(p.env, '--data', p.data);
    await stop(child);
    expect(statSync(p.defaultKey).mode & 0o777).toBe(0o600);
    expect(statSync(join(p.defaultKey, '..')).mode & 0o077).toBe(0);
    expect(existsSync(join(p.data, 'secret.key'))).toBe(false);
    expect(output()).not.toMatch(/warning/);
  });

  it('an install with data/secret.key keeps working, is told how to move it, and `fronta key move` loses no contact', { timeout: 120_000 }, async () => {
    const p = place();
    mkdirSync(p.data);
    const legacy = join(p.data, 'secret.key');
    writeFileSync(legacy, 'cd'.repeat(32) + '\n', { mode: 0o600 });

    const first = await serve(p.env, '--data', p.data);
    expect(first.output()).toContain(`fronta: warning: the sealing key is inside the data folder (${legacy})`);
    expect(first.output()).toContain(`fronta key move --data ${p.data}`);
    // A client books: name and e-mail are sealed under the data folder's key.
    let slotId: string | undefined;
    for (let d = 0; d < 7 && slotId === undefined; d++) {
      const day = new Date(Date.now() + (d + 1) * 86_400_000).toISOString().slice(0, 10);
      const res: any = await (await fetch(`${first.url}/api/v1/booking/services/id-cards/days/${day}/slots`)).json();
      slotId = (res.slots ?? []).find((s: { free: number }) => s.free > 0)?.id;
    }
    expect(slotId).toBeDefined();
    const hold = await fetch(`${first.url}/api/v1/booking/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slotId, name: 'Jana Nováková', email: 'jana@example.org', channel: 'email' }),
    });
    expect(hold.status, await hold.clone().text()).toBe(201);
    await stop(first.child);

    const moved = run(p.env, 'key', 'move', '--data', p.data);
    expect([moved.code, moved.err]).toEqual([0, '']);
    expect(moved.out).toContain(`moved the sealing key to ${p.defaultKey}`);
    expect(existsSync(legacy)).toBe(false);
    expect(statSync(p.defaultKey).mode & 0o777).toBe(0o600);
    expect(readFileSync(p.defaultKey, 'utf8').trim()).toBe('cd'.repeat(32));
    // Moving again: nothing left to move, one line.
    const again = run(p.env, 'key', 'move', '--data', p.data);
    expect([again.code, again.err.trim().split('\n').length]).toEqual([2, 1]);

    const second = await serve(p.env, '--data', p.data);
    expect(second.output()).not.toMatch(/warning/);
    await stop(second.child);
    expect(existsSync(legacy)).toBe(false);
    const db = new Database(join(p.data, 'fronta.db'), { readonly: true });
    const row = db.prepare('SELECT name_sealed, email_sealed FROM bookings').get() as { name_sealed: string; email_sealed: string };
    db.close();
    const keyed = nodeKeyed(loadKeyMaterial({ secretKey: undefined, keyFile: p.defaultKey, keyFileConfigured: true, previousKeys: [] }, p.data));
    expect([keyed.open(row.name_sealed), keyed.open(row.email_sealed)]).toEqual(['Jana Nováková', 'jana@example.org']);
  });

  it('a key file set but missing while the data folder holds the key: refused, with the command that moves it', () => {
    const p = place();
    mkdirSync(p.data);
    writeFileSync(join(p.data, 'secret.key'), 'ef'.repeat(32) + '\n', { mode: 0o600 });
    const key = join(p.root, 'etc', 'fronta.key');
    const r = run({ ...p.env, FRONTA_KEY_FILE: key }, 'serve', '--port', '0', '--data', p.data);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([`fronta: the key file ${key} does not exist, but the data folder holds the key; move it there: fronta key move --data ${p.data} --to ${key}`]);
  });
});

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from './helpers/postgres.ts';

/**
 * The fronta command on PostgreSQL, as an operator runs it: `init --database` on an empty
 * database, `serve` with FRONTA_DATABASE_URL and nothing in the data folder, the people commands,
 * and the start checks that refuse a database of a newer build or one it cannot reach.
 */
const BIN = join(import.meta.dirname, '..', 'bin', 'fronta.js');
const KEY = Buffer.alloc(32, 9).toString('base64');
let db: TestDatabase;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await testDatabase();
});
afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await db.drop();
});

const env = (): NodeJS.ProcessEnv => ({ ...process.env, FRONTA_SECRET_KEY: KEY });

function fronta(dataDir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args, '--data', dataDir, '--database', db.url], { encoding: 'utf8', timeout: 60_000, env: env() });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir, '--log-level', 'warn'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...env(), FRONTA_DATABASE_URL: db.url },
  });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Fronta is running at (http:\/\/[\d.:]+)/.exec(out);
      if (m !== null && out.includes('API docs')) resolve({ child, url: m[1]! });
    });
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}`)));
  });
}

describe('fronta on PostgreSQL', () => {
  it('init migrates and seeds the database, serve runs on it with an empty data folder, and a newer schema is refused', async () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-pgcli-'));
    const init = fronta(data, 'init', '--office-name', 'Úřad Lhota', '--time-zone', 'Europe/Prague', '--languages', 'cs,en', '--office-id', 'lhota');
    expect([init.code, init.err]).toEqual([0, '']);
    const password = /password: (\S+)/.exec(init.out)?.[1];
    expect(password).toBeDefined();
    expect(fronta(data, 'devices', 'add', '--kind', 'kiosk', '--name', 'Hala').out).toMatch(/created kiosk "Hala"/);
    expect(fronta(data, 'backup').err).toMatch(/SQLite file; on PostgreSQL/);

    const { child, url } = await serve(data);
    const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password }) });
    expect((await login.json()) as unknown).toMatchObject({ user: { officeId: 'lhota', isInstallAdmin: true, mustChangePassword: true } });
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    // A database a newer build migrated: refused in one line, left as it is.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    await client.query('INSERT INTO schema_version (version) SELECT max(version) + 1 FROM schema_version');
    const newer = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data', data], { encoding: 'utf8', timeout: 60_000, env: { ...env(), FRONTA_DATABASE_URL: db.url } });
    expect([newer.status, newer.stderr]).toEqual([2, expect.stringMatching(/^fronta: postgres:\/\/.*schema version \d+ is newer than this build knows.*left as it is\n$/)]);
    await client.end();
  }, 150_000);

  it('a server it cannot reach is refused in one line, naming the database without its password', () => {
    const data = mkdtempSync(join(tmpdir(), 'fronta-pgcli-'));
    // Port 1 on loopback: nothing listens there, the connection is refused at once.
    const r = spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--data', data], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...env(), FRONTA_DATABASE_URL: 'postgres://fronta:s3cret@127.0.0.1:1/city' },
    });
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toMatch(/^fronta: cannot connect to the PostgreSQL database postgres:\/\/fronta:\*\*\*@127\.0\.0\.1:1\/city: connect ECONNREFUSED[^\n]*\n$/);
    expect(r.stderr).not.toContain('s3cret');
  });
});

import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { startPostgres, stopPostgres, type PgServer } from './postgres-server.ts';

/**
 * A database of its own for a test file, on the run's shared PostgreSQL server (see
 * test/setup/postgres.global.ts): `const db = await testDatabase()` in beforeAll, `db.drop()` in
 * afterAll once its pools are closed. FRONTA_TEST_PG_URL (a superuser URL) uses a server of your
 * own instead of starting one.
 */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

type Admin = (db: string) => string;
let admin: Promise<Admin> | undefined;

export async function testDatabase(): Promise<TestDatabase> {
  admin ??= serverUrl();
  const url = await admin;
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(url('postgres'), (c) => c.query(`CREATE DATABASE ${name}`));
  return {
    url: url(name),
    name,
    drop: () => withClient(url('postgres'), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}

async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const WAIT_FOR_OTHER_MS = 90_000;

async function serverUrl(): Promise<Admin> {
  const given = process.env['FRONTA_TEST_PG_URL'];
  if (given !== undefined && given !== '') return (db) => Object.assign(new URL(given), { pathname: `/${db}` }).href;
  let run: string | undefined;
  try {
    run = inject('fronta.pgRun');
  } catch {
    run = undefined;
  }
  if (run === undefined) {
    // Outside a vitest run with the global set-up: a server for this process alone.
    const own = await startPostgres();
    process.once('exit', () => void stopPostgres(own));
    return (db) => own.url(db);
  }
  const state = join(run, 'server.json');
  const failed = join(run, 'error.txt');
  try {
    mkdirSync(join(run, 'lock'));
  } catch {
    // Another file is starting it: wait for its address (or its failure).
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    while (!existsSync(state)) {
      if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
      if (Date.now() > deadline) throw new Error(`the test PostgreSQL server did not start within ${WAIT_FOR_OTHER_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return urlOf(JSON.parse(readFileSync(state, 'utf8')) as Saved);
  }
  let server: PgServer;
  try {
    server = await startPostgres();
  } catch (err) {
    writeFileSync(failed, (err as Error).message);
    throw err;
  }
  const saved: Saved = { pid: server.pid, dir: server.dir, base: server.url('postgres') };
  writeFileSync(`${state}.tmp`, JSON.stringify(saved));
  renameSync(`${state}.tmp`, state);
  // How long the shared server took, once per run.
  console.log(`test PostgreSQL: initdb ${Math.round(server.timings.initdbMs)} ms, start ${Math.round(server.timings.startMs)} ms`);
  return (db) => server.url(db);
}

interface Saved {
  pid: number;
  dir: string;
  /** The server's URL of database `postgres`. */
  base: string;
}

function urlOf(saved: Saved): Admin {
  return (db) => saved.base.replace(/\/postgres$/, `/${db}`);
}

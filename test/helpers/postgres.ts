import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { inject } from 'vitest';
import { migratePostgres } from '../../store/postgres/migrate.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { startPostgres, stopPostgres } from './postgres-server.ts';

/**
 * A database of its own for a test file, on the run's shared PostgreSQL server (see
 * test/setup/postgres.global.ts): `const db = await testDatabase()` in beforeAll, `db.drop()` in
 * afterAll once its pools are closed. `{ migrated: true }` gives one already at the latest schema,
 * cloned from a template migrated once per run (a clone is much faster than 22 migrations).
 * FRONTA_TEST_PG_URL (a superuser URL) uses a server of your own instead of starting one.
 */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

type Admin = (db: string) => string;
let admin: Promise<Admin> | undefined;
let template: Promise<string> | undefined;

export async function testDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  admin ??= serverUrl();
  const url = await admin;
  const from = opts.migrated === true ? await (template ??= migratedTemplate(url)) : null;
  const name = `t_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(url('postgres'), (c) => c.query(`CREATE DATABASE ${name}${from === null ? '' : ` TEMPLATE ${from}`}`));
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

/** The run's folder shared by its test files, or undefined outside a vitest run with the global set-up. */
function runFolder(): string | undefined {
  if (process.env['FRONTA_TEST_PG_URL'] !== undefined && process.env['FRONTA_TEST_PG_URL'] !== '') return undefined;
  try {
    return inject('fronta.pgRun');
  } catch {
    return undefined;
  }
}

const WAIT_FOR_OTHER_MS = 120_000;

/**
 * Runs `make` in exactly one process of the run (the first to ask) and gives every process its
 * result: a lock folder, then the result (or the error) in a file the others wait for.
 */
async function oncePerRun(run: string, key: string, make: () => Promise<string>): Promise<string> {
  const done = join(run, `${key}.json`);
  const failed = join(run, `${key}.error`);
  try {
    mkdirSync(join(run, `${key}.lock`));
  } catch {
    const deadline = Date.now() + WAIT_FOR_OTHER_MS;
    while (!existsSync(done)) {
      if (existsSync(failed)) throw new Error(readFileSync(failed, 'utf8'));
      if (Date.now() > deadline) throw new Error(`waited ${WAIT_FOR_OTHER_MS} ms for another test file to set up ${key}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return JSON.parse(readFileSync(done, 'utf8')) as string;
  }
  try {
    const result = await make();
    writeFileSync(`${done}.tmp`, JSON.stringify(result));
    renameSync(`${done}.tmp`, done);
    return result;
  } catch (err) {
    writeFileSync(failed, (err as Error).message);
    throw err;
  }
}

async function serverUrl(): Promise<Admin> {
  const given = process.env['FRONTA_TEST_PG_URL'];
  if (given !== undefined && given !== '') return (db) => Object.assign(new URL(given), { pathname: `/${db}` }).href;
  const run = runFolder();
  if (run === undefined) {
    // Outside a vitest run with the global set-up: a server for this process alone.
    const own = await startPostgres();
    process.once('exit', () => void stopPostgres(own));
    return (db) => own.url(db);
  }
  return runServer(run);
}

/**
 * The run's shared server and its migrated template, made ahead by the global set-up while the
 * first files load (test/setup/postgres.global.ts), so that no test file pays the server's start
 * inside its own hook's time limit. Whoever asks first makes them; the others wait for them.
 */
export async function warmUpRun(run: string): Promise<void> {
  await migratedTemplateIn(run, await runServer(run));
}

async function runServer(run: string): Promise<Admin> {
  const base = await oncePerRun(run, 'server', async () => {
    const server = await startPostgres();
    // The global set-up's teardown stops it (test/setup/postgres.global.ts reads this file).
    writeFileSync(join(run, 'server-process.json'), JSON.stringify({ pid: server.pid, dir: server.dir }));
    // How long the shared server took, once per run.
    console.log(`test PostgreSQL: initdb ${Math.round(server.timings.initdbMs)} ms, start ${Math.round(server.timings.startMs)} ms`);
    return server.url('postgres');
  });
  return (db) => base.replace(/\/postgres$/, `/${db}`);
}

function migratedTemplate(url: Admin): Promise<string> {
  const run = runFolder();
  return run === undefined ? makeTemplate(url) : migratedTemplateIn(run, url);
}

const migratedTemplateIn = (run: string, url: Admin): Promise<string> => oncePerRun(run, 'template', () => makeTemplate(url));

async function makeTemplate(url: Admin): Promise<string> {
  const name = `fronta_template_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withClient(url('postgres'), (c) => c.query(`CREATE DATABASE ${name}`));
  const pool = createPool(url(name), { max: 1 });
  try {
    await migratePostgres(pool);
  } finally {
    await pool.end();
  }
  return name;
}

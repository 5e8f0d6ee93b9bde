import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores } from '../host/stores.ts';
import { REPO_ROOT } from './helpers/child-host.ts';
import { testOffice } from './helpers/office.ts';
import { testDatabase, type TestDatabase } from './helpers/postgres.ts';

/**
 * The city's PostgreSQL server drops the connection of `fronta store copy`, or of a command
 * migrating the database, while it works (pg_terminate_backend, as a restart or a failover does):
 * the command ends non-zero with one line saying so — no stack trace, no crash on the client's
 * 'error' event — and the target keeps nothing of the copy. To catch each command at a known point
 * the test holds what it will wait for (a table lock the copy needs, the migration lock), ends
 * its backend while it waits, then lets go.
 */

const BIN = join(REPO_ROOT, 'bin', 'fronta.js');
/** "fronta" in ASCII: store/postgres/migrate.ts's lock. */
const MIGRATION_LOCK = 0x66726f6e7461;

let dir: string;
const databases: TestDatabase[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fronta-lost-'));
  // An office appliance's data: the test office's configuration in its SQLite file.
  const stores = await openStores({ kind: 'sqlite', file: join(dir, 'fronta.db') });
  await stores.seed.officeConfig(testOffice());
  await stores.close();
});

afterAll(async () => {
  for (const d of databases) await d.drop();
  rmSync(dir, { recursive: true, force: true });
});

async function database(opts: { migrated?: boolean }): Promise<TestDatabase> {
  const d = await testDatabase(opts);
  databases.push(d);
  return d;
}

function run(args: string[]): Promise<{ code: number | null; err: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (b: Buffer) => (err += b.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, err })));
}

/**
 * Waits until a backend of `application` waits on a lock, then ends it. From a connection of its
 * own: inside the holder's transaction pg_stat_activity would answer from one snapshot throughout.
 */
async function terminateWhenWaiting(url: string, application: string): Promise<void> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`, [application]);
      if (r.rows.length > 0) {
        for (const { pid } of r.rows) await admin.query('SELECT pg_terminate_backend($1)', [pid]);
        return;
      }
      if (Date.now() > deadline) throw new Error(`no backend of ${application} came to wait`);
      await new Promise((ok) => setTimeout(ok, 50));
    }
  } finally {
    await admin.end();
  }
}

function expectOneLine(err: string, pattern: RegExp): void {
  const lines = err.trimEnd().split('\n');
  expect(lines, err).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
}

describe('the PostgreSQL server drops a command’s connection while it works', () => {
  it('fronta store copy: exits 2 with one line, and the target keeps nothing', async () => {
    const target = await database({ migrated: true });
    const holder = new pg.Client({ connectionString: target.url });
    await holder.connect();
    try {
      // The copy turns the target's triggers off table by table: it waits here for this lock.
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE tickets IN SHARE MODE');
      const copy = run(['store', 'copy', '--from', `sqlite:${dir}`, '--to', target.url]);
      await terminateWhenWaiting(target.url, 'fronta store copy');
      await holder.query('ROLLBACK');
      const r = await copy;
      expect(r.code, r.err).toBe(2);
      expectOneLine(r.err, /^fronta: lost the connection to postgres:\/\/.*: run the copy again/);
      expect((await holder.query<{ n: number }>('SELECT count(*)::int AS n FROM offices')).rows[0]!.n).toBe(0);
    } finally {
      await holder.end();
    }
  }, 60_000);

  it('a command migrating the database: exits 2 with one line', async () => {
    const target = await database({});
    const holder = new pg.Client({ connectionString: target.url });
    await holder.connect();
    try {
      // Another host migrating: the command waits for its turn on the migration lock.
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      const list = run(['devices', 'list', '--data', dir, '--database', target.url]);
      await terminateWhenWaiting(target.url, 'fronta cli');
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      const r = await list;
      expect(r.code, r.err).toBe(2);
      expectOneLine(r.err, /^fronta: cannot open postgres:\/\/.*terminat/i);
    } finally {
      await holder.end();
    }
  }, 60_000);
});

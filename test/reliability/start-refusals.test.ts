import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../store/migrations/index.ts';
import { REPO_ROOT } from '../helpers/child-host.ts';
import { report } from './report.ts';

/**
 * A host that must not start says so in one line and exits non-zero, leaving the database file
 * as it was: a database from a newer build, one that is damaged (garbage bytes, cut short), and
 * a sealing key that is missing or is another key. Real `fronta serve` processes on a data folder
 * that holds a booking (so contacts are sealed under the install's key). SQLite only: what is
 * damaged is the database file in the data folder (a PostgreSQL server guards its own files).
 */

const BIN = join(REPO_ROOT, 'bin', 'fronta.js');
let root = '';
let seeded = '';
let env: NodeJS.ProcessEnv = {};
let keyFile = '';

function serveEnv(home: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), FRONTA_FROM_SOURCE: '1' };
  for (const name of ['FRONTA_DATA', 'FRONTA_KEY_FILE', 'FRONTA_SECRET_KEY', 'FRONTA_PREVIOUS_KEYS', 'CREDENTIALS_DIRECTORY', 'PORT', 'HOST']) delete e[name];
  return e;
}

/** `fronta serve --demo` until it is up (then stopped with SIGTERM), or its exit. */
function serve(data: string, extraEnv: NodeJS.ProcessEnv, act?: (url: string) => Promise<void>): Promise<{ code: number | null; out: string; err: string; started: boolean }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--demo', '--port', '0', '--log-level', 'warn', '--data', data], { env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  let started = false;
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /Fronta is running at (http:\/\/[\d.:]+)/.exec(out);
      if (m !== null && !started && /\n\n/.test(out.slice(m.index))) {
        started = true;
        void (act?.(m[1]!) ?? Promise.resolve()).finally(() => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err, started });
    });
  });
}

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

/** Books a slot of the demo office, so that a name and an e-mail are sealed under the key. */
async function book(url: string): Promise<void> {
  for (let d = 1; d < 8; d++) {
    const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const res = (await (await fetch(`${url}/api/v1/booking/services/id-cards/days/${day}/slots`)).json()) as { slots?: { id: string; free: number }[] };
    const slot = (res.slots ?? []).find((s) => s.free > 0);
    if (slot === undefined) continue;
    const hold = await fetch(`${url}/api/v1/booking/holds`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slotId: slot.id, name: 'Jana Nováková', email: 'jana@example.org', channel: 'email' }),
    });
    if (hold.status !== 201) throw new Error(`hold: ${hold.status} ${await hold.text()}`);
    return;
  }
  throw new Error('no free slot in the demo office this week');
}

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'fronta-refuse-'));
  const home = join(root, 'home');
  mkdirSync(home);
  env = serveEnv(home);
  seeded = join(root, 'seeded');
  keyFile = join(home, '.config', 'fronta', 'secret.key');
  const first = await serve(seeded, {}, book);
  if (!first.started || first.code !== 0) throw new Error(`seeding failed (${first.code}): ${first.out}${first.err}`);
  // Everything in the main file, no WAL beside it: what is cut or overwritten below is the data.
  const db = new Database(join(seeded, 'fronta.db'));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}, 120_000);

afterAll(() => {
  if (root !== '') rmSync(root, { recursive: true, force: true });
});

interface Case {
  name: string;
  damage: (data: string) => NodeJS.ProcessEnv;
  says: RegExp;
}

const CASES: Case[] = [
  {
    name: 'newer build',
    damage: (data) => {
      const db = new Database(join(data, 'fronta.db'));
      db.pragma(`user_version = ${MIGRATIONS.at(-1)!.version + 1}`);
      db.close();
      return {};
    },
    says: /is newer than this build knows .*run a newer Fronta.*left as it is$/,
  },
  {
    name: 'garbage bytes',
    damage: (data) => {
      writeFileSync(join(data, 'fronta.db'), createHash('sha512').update('not a database').digest().toString('hex').repeat(300));
      return {};
    },
    says: /cannot be read \(file is not a database\).*restore a backup.*left as it is$/,
  },
  {
    name: 'truncated file',
    damage: (data) => {
      const file = join(data, 'fronta.db');
      truncateSync(file, Math.floor(statSync(file).size / 2 / 4096) * 4096);
      return {};
    },
    says: /fronta\.db (is damaged|cannot be read) .*restore a backup.*left as it is$/,
  },
  {
    name: 'missing key file',
    damage: () => ({ FRONTA_KEY_FILE: join(root, 'nowhere', 'fronta.key') }),
    says: /the key file .*nowhere\/fronta\.key does not exist, but .* holds contacts sealed with a key \(id \w{8}\)/,
  },
  {
    name: 'wrong key file',
    damage: () => {
      const other = join(root, 'other.key');
      writeFileSync(other, 'ab'.repeat(32) + '\n', { mode: 0o600 });
      return { FRONTA_KEY_FILE: other };
    },
    says: /the key file .*other\.key is not the key .* was sealed with \(key id \w{8}, the data uses \w{8}\)/,
  },
];

describe('start-up refusals: one clear line, a non-zero exit, the file untouched', () => {
  const results: { name: string; ok: boolean }[] = [];

  it.each(CASES)('$name', { timeout: 60_000 }, async (c) => {
    const data = join(root, c.name.replace(/\W/g, '-'));
    cpSync(seeded, data, { recursive: true });
    const extra = c.damage(data);
    const before = sha(join(data, 'fronta.db'));
    const keyBefore = sha(keyFile);
    const r = await serve(data, extra);
    expect(r.started, r.out).toBe(false);
    expect(r.code).toBe(2);
    const lines = r.err.trim().split('\n');
    expect(lines, r.err).toHaveLength(1);
    expect(lines[0]).toMatch(/^fronta: /);
    expect(lines[0]).toMatch(c.says);
    expect(sha(join(data, 'fronta.db')), 'the database file is as it was').toBe(before);
    expect(sha(keyFile), 'the install key is as it was').toBe(keyBefore);
    if (extra['FRONTA_KEY_FILE'] !== undefined && c.name.startsWith('missing')) expect(existsSync(extra['FRONTA_KEY_FILE'])).toBe(false);
    results.push({ name: c.name, ok: true });
  });

  it('the undamaged folder still starts, with its key (the control)', { timeout: 60_000 }, async () => {
    const data = join(root, 'control');
    cpSync(seeded, data, { recursive: true });
    const r = await serve(data, {});
    expect(r.started, r.out + r.err).toBe(true);
    expect(r.code).toBe(0);
    report({
      part: 'start-refusals',
      store: 'sqlite',
      runs: results.length + 1,
      faults: results.length,
      ackedChecked: results.length,
      lost: 0,
      duplicates: 0,
      fiveXx: 0,
      extra: { refused: results.map((x) => x.name.replace(/ /g, '-')).join(','), exit: 2, lines: 1 },
    });
  });
});


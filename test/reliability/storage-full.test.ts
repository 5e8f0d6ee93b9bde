import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killChildHosts, readDemoCredentials, startChildHost, stopChildHost, type ChildHost } from '../helpers/child-host.ts';
import { fillableDisk, type FillableDisk } from './disk.ts';
import { FULL_SIZE, report, sleep } from './report.ts';

/**
 * The host's disk fills up mid-day while a kiosk issues and a clerk calls as fast as they can.
 * Real parts: `fronta serve --demo` as a child process (group commit, WAL, checkpointer thread,
 * the demo kiosk's print agent), its data folder on a small tmpfs that a ballast file fills and
 * then leaves — or, where the test may not mount one (or FRONTA_DISK_FILL says so), the host's
 * file-size limit lowered under it, else SQLite's page limit (see disk.ts); the line says which.
 * While full, every write is refused with 503 STORAGE_FULL (nothing else, no crash);
 * what the host had acknowledged is all on disk after a restart; once space returns the same
 * process takes writes again, and its in-memory queue matches the file. SQLite only: the file and
 * its disk are the host's own; on PostgreSQL they are the database server's.
 */

// The demo office gives about 340 walk-in tickets a day: warm-up, what still fits once the disk is
// full (a WAL reuses its space after a checkpoint) and the recovery must stay below that.
const SIZES = FULL_SIZE
  ? { warm: 100, fullMs: 8_000, kioskRefusals: 150, counterRefusals: 30, recovered: 100, width: 8 }
  : { warm: 40, fullMs: 2_500, kioskRefusals: 20, counterRefusals: 5, recovered: 30, width: 4 };

interface Answer {
  status: number;
  body: { error?: { code: string; message: string }; ticket?: { id: string; number: string; state: string } | null };
}

let disk: FillableDisk | null = null;
afterEach(async () => {
  await killChildHosts();
  disk?.dispose();
  disk = null;
});

async function post(host: ChildHost, path: string, auth: Record<string, string>, body?: unknown): Promise<Answer> {
  const res = await fetch(`${host.url}/api/v1${path}`, {
    method: 'POST',
    headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'accept-language': 'en' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

async function login(host: ChildHost, username: string, password: string): Promise<Record<string, string>> {
  const res = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  const cookie = /fronta_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
  if (res.status !== 200 || cookie === undefined) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return { cookie };
}

interface QueueView {
  waiting: { id: string }[];
  counters: { counter: { id: string }; ticket: { id: string; state: string } | null }[];
}

describe('storage faults: the database disk fills up mid-day', () => {
  it('refuses writes with STORAGE_FULL, loses nothing acknowledged, and recovers by itself when space returns', { timeout: 240_000 }, async () => {
    disk = fillableDisk(32);
    if (disk.fallbackReason !== null) process.stdout.write(`storage-full: filling by ${disk.method} (${disk.fallbackReason})\n`);
    const host = await startChildHost(disk.dir, 60_000, [], disk.hostEnv);
    const handle = { pid: host.proc.pid!, url: host.url };
    const creds = readDemoCredentials(disk.dir);
    const kiosk = { authorization: `Bearer ${creds.kioskToken}` };
    const clerk = await login(host, creds.clerk.username, creds.clerk.password);
    const officeId = 'demo';
    const queueView = async (): Promise<QueueView> => (await (await fetch(`${host.url}/api/v1/offices/${officeId}/queue`, { headers: clerk })).json()) as QueueView;
    const counterId = (await queueView()).counters[0]!.counter.id;
    expect((await post(host, `/counters/${counterId}/open`, clerk)).status).toBe(200);
    const services = ((await (await fetch(`${host.url}/api/v1/offices/${officeId}/services`)).json()) as { services: { id: string; isOpen: boolean }[] }).services.filter((s) => s.isOpen);

    // What the host acknowledged, and every answer by status and code.
    const issued = new Map<string, string>();
    const called = new Map<string, string>();
    let calledTwice = 0;
    const answers = new Map<string, number>();
    const unexpected: string[] = [];
    let phase: 'warm' | 'full' | 'recovering' = 'warm';
    const refusals = { kiosk: 0, counter: 0 };
    const recovered = { kiosk: 0, counter: 0 };
    let runs = 0;
    /** Writes that still fitted (a WAL reuses its file's space after a checkpoint). */
    let ackedWhileFull = 0;
    let firstWriteAfterFree: number | null = null;
    const tally = (who: 'kiosk' | 'counter', a: Answer): void => {
      runs++;
      const key = `${who} ${a.status} ${a.body.error?.code ?? 'ok'}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      if (a.body.error?.code === 'STORAGE_FULL') {
        if (a.status !== 503 || !/disk is full/.test(a.body.error.message)) unexpected.push(`${key} ${a.body.error.message}`);
        if (phase === 'full') refusals[who]++;
        else if (phase === 'warm') unexpected.push(`${key} before the disk filled`);
      } else if (a.status >= 500) unexpected.push(`${key} ${JSON.stringify(a.body)}`);
      else if (a.status < 300 && phase === 'recovering') {
        recovered[who]++;
        firstWriteAfterFree ??= Date.now();
      }
      else if (a.status < 300 && phase === 'full') ackedWhileFull++;
    };

    let stop = false;
    let n = 0;
    const kioskLoop = async (): Promise<void> => {
      while (!stop) {
        const a = await post(host, '/tickets', kiosk, { serviceId: services[n++ % services.length]!.id });
        tally('kiosk', a);
        if (a.status === 201 && a.body.ticket) issued.set(a.body.ticket.id, a.body.ticket.number);
        if (a.status === 409) await sleep(5); // capacity of a service used up: the others go on
      }
    };
    const counterLoop = async (): Promise<void> => {
      while (!stop) {
        const a = await post(host, `/counters/${counterId}/call-next`, clerk);
        tally('counter', a);
        const t = a.body.ticket;
        if (a.status === 200 && t && t.state === 'called') {
          if (called.has(t.id)) calledTwice++;
          called.set(t.id, t.number);
        }
        if (a.status !== 200) await sleep(5);
      }
    };
    const until = async (cond: () => boolean, what: string, ms: number): Promise<void> => {
      const end = Date.now() + ms;
      while (!cond()) {
        if (Date.now() > end) throw new Error(`${what} did not happen within ${ms} ms: ${JSON.stringify([...answers])}\n${host.output().slice(-3000)}`);
        await sleep(20);
      }
    };
    const loops = [...Array.from({ length: SIZES.width }, kioskLoop), counterLoop()];

    await until(() => issued.size >= SIZES.warm, 'warm-up issues', 120_000);
    phase = 'full';
    const filledAt = Date.now();
    const filled = await disk.fill(handle);
    // Held full for a while: long enough for the background work (sweeps, checkpoints) to hit it too.
    // SQLite's page cap leaves the free room inside the pages it has: a call (an update and a short
    // event) may still fit there until the queue is empty, so only the kiosk is sure to be refused.
    const counterRefusals = disk.method === 'page-limit' ? 0 : SIZES.counterRefusals;
    await until(() => refusals.kiosk >= SIZES.kioskRefusals && refusals.counter >= counterRefusals && Date.now() - filledAt >= SIZES.fullMs, 'refusals while full', 120_000);
    phase = 'recovering';
    await disk.free(handle);
    const freedAt = Date.now();
    await until(() => recovered.kiosk >= SIZES.recovered && recovered.counter >= 3, 'writes after space returned', 120_000);
    const recoveryMs = (firstWriteAfterFree ?? Date.now()) - freedAt;
    stop = true;
    await Promise.all(loops);

    // The same process, never restarted: its in-memory queue is the file's.
    const view = await queueView();
    const db = new Database(join(disk.dir, 'fronta.db'), { readonly: true });
    const fileWaiting = (db.prepare(`SELECT id FROM tickets WHERE office_id = ? AND state = 'waiting' ORDER BY id`).all(officeId) as { id: string }[]).map((r) => r.id);
    const fileAtCounter = db.prepare(`SELECT id, state FROM tickets WHERE counter_id = ? AND state IN ('called', 'serving')`).all(counterId);
    db.close();
    expect(view.waiting.map((t) => t.id).sort()).toEqual(fileWaiting);
    const atCounter = view.counters.find((c) => c.counter.id === counterId)!.ticket;
    expect(atCounter === null ? [] : [{ id: atCounter.id, state: atCounter.state }]).toEqual(fileAtCounter);
    expect(unexpected, host.output().slice(-3000)).toEqual([]);
    expect(host.proc.exitCode, 'the host kept running').toBeNull();

    // Restart: everything acknowledged is there, with its number; no number twice.
    expect(await stopChildHost(host, 'SIGTERM'), host.output().slice(-2000)).toEqual({ code: 0, signal: null });
    const again = await startChildHost(disk.dir, 60_000, [], disk.hostEnv);
    await stopChildHost(again, 'SIGTERM');
    const after = new Database(join(disk.dir, 'fronta.db'), { readonly: true });
    const rows = after.prepare('SELECT id, number, state, office_id, prefix, day, seq FROM tickets').all() as { id: string; number: string; state: string; office_id: string; prefix: string; day: string; seq: number }[];
    after.close();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const lostIssues = [...issued].filter(([id, number]) => byId.get(id)?.number !== number || byId.get(id)?.state === 'void');
    const lostCalls = [...called].filter(([id]) => !['called', 'serving', 'done', 'no_show'].includes(byId.get(id)?.state ?? ''));
    const keys = rows.map((r) => `${r.office_id}/${r.prefix}/${r.day}/${r.seq}`);
    const duplicates = keys.length - new Set(keys).size + calledTwice;
    expect(lostIssues).toEqual([]);
    expect(lostCalls).toEqual([]);
    expect(duplicates).toBe(0);

    report({
      part: 'storage-full',
      store: 'sqlite',
      runs,
      faults: refusals.kiosk + refusals.counter,
      ackedChecked: issued.size + called.size,
      lost: lostIssues.length + lostCalls.length,
      duplicates,
      fiveXx: unexpected.length,
      extra: {
        fill_method: disk.method,
        fill: filled,
        refused_503: refusals.kiosk + refusals.counter,
        acked_while_full: ackedWhileFull,
        first_write_after_free_ms: recoveryMs,
        restart: 'none needed',
      },
    });
  });
});

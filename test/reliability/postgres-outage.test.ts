import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { killChildHosts, readDemoCredentials, startChildHost, stopChildHost } from '../helpers/child-host.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { FULL_SIZE, report, sleep } from './report.ts';

/**
 * The city's PostgreSQL server goes away under load and comes back. Real parts: `fronta serve
 * --database postgres://…` as a child process, on a database of the run's real PostgreSQL server
 * reached through a TCP proxy (fault-proxy.ts). The outage: the proxy stops listening and cuts
 * every connection (the host's pool sees its server vanish, a new connection is refused) and the
 * server ends the host's backends (pg_terminate_backend), for some seconds; then the proxy listens
 * again. The shared server itself stays up: the other test files of the run use it.
 * While it is away every write is refused with 503 DATABASE_UNAVAILABLE, quickly (never a hang
 * past the request limit, never a 5xx without a code); afterwards the same process takes writes
 * again by itself, and every ticket and call it acknowledged is in the database, once.
 */

const SIZES = FULL_SIZE
  ? { warm: 150, outages: 3, outageMs: 6_000, kioskRefusals: 60, recovered: 60, width: 8 }
  : { warm: 40, outages: 1, outageMs: 2_500, kioskRefusals: 10, recovered: 20, width: 4 };
/** No answer may take longer: a kiosk waits for its ticket, a refusal must come as fast. */
const ANSWER_LIMIT_MS = 10_000;

let database: TestDatabase;
let sql: PgPool;
let proxy: FaultProxy;
const dirs: string[] = [];

beforeAll(async () => {
  database = await testDatabase();
  sql = createPool(database.url, { max: 2, applicationName: 'fronta outage test' });
  proxy = await startFaultProxy(Number(new URL(database.url).port));
});

afterAll(async () => {
  await killChildHosts();
  await proxy.close();
  await sql.end();
  await database.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Answer {
  status: number;
  ms: number;
  body: { error?: { code: string; message: string }; ticket?: { id: string; number: string; state: string } | null } | null;
}

async function post(url: string, auth: Record<string, string>, body?: unknown): Promise<Answer> {
  const t0 = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { ...auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }), 'accept-language': 'en' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(ANSWER_LIMIT_MS * 3),
    });
    const text = await res.text();
    let parsed: Answer['body'] = null;
    try {
      parsed = JSON.parse(text) as Answer['body'];
    } catch {
      // not JSON: counted as unexpected below
    }
    return { status: res.status, ms: performance.now() - t0, body: parsed };
  } catch {
    return { status: 0, ms: performance.now() - t0, body: null };
  }
}

describe('database faults: the PostgreSQL server goes away under load', () => {
  it('refuses writes with DATABASE_UNAVAILABLE while it is away, loses nothing acknowledged, and recovers by itself', { timeout: 240_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fronta-pg-outage-'));
    dirs.push(dir);
    const viaProxy = new URL(database.url);
    viaProxy.port = String(proxy.port);
    const host = await startChildHost(dir, 90_000, ['--database', viaProxy.toString()]);
    const creds = readDemoCredentials(dir);
    // This load is about the database: the kiosks issue without their print agent, and the
    // demo's daily capacities must not run out first.
    await sql.query(`UPDATE devices SET printer = 'none' WHERE kind = 'kiosk'`);
    await sql.query('UPDATE services SET daily_walk_in_capacity = 100000');
    const kiosk = { authorization: `Bearer ${creds.kioskToken}` };
    const login = await fetch(`${host.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: creds.clerk.username, password: creds.clerk.password }),
    });
    const clerk = { cookie: /fronta_session=[^;]+/.exec(login.headers.get('set-cookie') ?? '')![0] };
    const counterId = (await sql.query<{ id: string }>(`SELECT id FROM counters ORDER BY id LIMIT 1`)).rows[0]!.id;
    expect((await post(`${host.url}/api/v1/counters/${counterId}/open`, clerk)).status).toBe(200);
    const services = (await sql.query<{ id: string }>(`SELECT id FROM services ORDER BY id`)).rows.map((r) => r.id);

    const issued = new Map<string, string>();
    const called = new Map<string, string>();
    let calledTwice = 0;
    const answers = new Map<string, number>();
    const unexpected: string[] = [];
    let phase: 'warm' | 'away' | 'back' = 'warm';
    const refusals = { kiosk: 0, counter: 0 };
    const recovered = { kiosk: 0, counter: 0 };
    let runs = 0;
    let slowest = 0;
    let firstWriteBack: number | null = null;
    const tally = (who: 'kiosk' | 'counter', a: Answer): void => {
      runs++;
      slowest = Math.max(slowest, a.ms);
      const code = a.body?.error?.code ?? (a.status < 300 ? 'ok' : 'none');
      const key = `${who} ${a.status} ${code}`;
      answers.set(key, (answers.get(key) ?? 0) + 1);
      if (a.ms > ANSWER_LIMIT_MS) unexpected.push(`${key} after ${Math.round(a.ms)} ms`);
      if (code === 'DATABASE_UNAVAILABLE') {
        if (a.status !== 503 || !/database/i.test(a.body!.error!.message)) unexpected.push(`${key} ${a.body!.error!.message}`);
        if (phase === 'away') refusals[who]++;
      } else if (a.status === 0 || a.status >= 500 || code === 'none') unexpected.push(`${key} ${JSON.stringify(a.body)}`);
      else if (a.status < 300 && phase === 'back') {
        recovered[who]++;
        firstWriteBack ??= performance.now();
      }
    };

    let stop = false;
    let n = 0;
    const kioskLoop = async (): Promise<void> => {
      while (!stop) {
        const a = await post(`${host.url}/api/v1/tickets`, kiosk, { serviceId: services[n++ % services.length]! });
        tally('kiosk', a);
        if (a.status === 201 && a.body?.ticket) issued.set(a.body.ticket.id, a.body.ticket.number);
        if (a.status !== 201) await sleep(10);
      }
    };
    const counterLoop = async (): Promise<void> => {
      while (!stop) {
        const a = await post(`${host.url}/api/v1/counters/${counterId}/call-next`, clerk);
        tally('counter', a);
        const t = a.body?.ticket;
        if (a.status === 200 && t && t.state === 'called') {
          if (called.has(t.id)) calledTwice++;
          called.set(t.id, t.number);
        }
        if (a.status !== 200) await sleep(10);
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

    let faults = 0;
    const recoveries: number[] = [];
    for (let outage = 0; outage < SIZES.outages; outage++) {
      phase = 'warm';
      const warmFrom = issued.size;
      await until(() => issued.size - warmFrom >= SIZES.warm, 'issues before the outage', 60_000);
      phase = 'away';
      refusals.kiosk = 0;
      const awayAt = Date.now();
      await proxy.set('down');
      // Whatever the host still had open on the server side ends too, as in a server restart.
      const ended = await sql.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name <> 'fronta outage test'`);
      faults += 1 + (ended.rowCount ?? 0);
      await until(() => refusals.kiosk >= SIZES.kioskRefusals && Date.now() - awayAt >= SIZES.outageMs, 'refusals while the database is away', 60_000);
      phase = 'back';
      recovered.kiosk = 0;
      recovered.counter = 0;
      firstWriteBack = null;
      await proxy.set('up');
      const backAt = performance.now();
      await until(() => recovered.kiosk >= SIZES.recovered && recovered.counter >= 3, 'writes after the database came back', 60_000);
      recoveries.push(Math.round((firstWriteBack ?? performance.now()) - backAt));
    }
    stop = true;
    await Promise.all(loops);
    expect(unexpected, host.output().slice(-3000)).toEqual([]);
    expect(host.proc.exitCode, 'the host kept running').toBeNull();
    expect(await stopChildHost(host, 'SIGTERM'), host.output().slice(-2000)).toEqual({ code: 0, signal: null });

    const rows = (await sql.query<{ id: string; number: string; state: string; key: string }>(`SELECT id, number, state, office_id || '/' || prefix || '/' || day || '/' || seq AS key FROM tickets`)).rows;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const lostIssues = [...issued].filter(([id, number]) => byId.get(id)?.number !== number || byId.get(id)?.state === 'void');
    const lostCalls = [...called].filter(([id]) => !['called', 'serving', 'done', 'no_show'].includes(byId.get(id)?.state ?? ''));
    const duplicates = rows.length - new Set(rows.map((r) => r.key)).size + calledTwice;
    expect(lostIssues).toEqual([]);
    expect(lostCalls).toEqual([]);
    expect(duplicates).toBe(0);
    const refused = [...answers].filter(([k]) => k.endsWith('DATABASE_UNAVAILABLE')).reduce((s, [, v]) => s + v, 0);
    expect(refused).toBeGreaterThan(0);

    report({
      part: 'postgres-outage',
      store: 'postgres',
      runs,
      faults,
      ackedChecked: issued.size + called.size,
      lost: lostIssues.length + lostCalls.length,
      duplicates,
      fiveXx: unexpected.length,
      extra: {
        fault: 'proxy down + pg_terminate_backend',
        outages: SIZES.outages,
        outage_ms: SIZES.outageMs,
        refused_503: refused,
        slowest_answer_ms: Math.round(slowest),
        first_write_back_ms: Math.max(...recoveries),
        restart: 'none needed',
      },
    });
  });
});

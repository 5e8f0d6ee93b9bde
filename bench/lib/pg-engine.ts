import { performance } from 'node:perf_hooks';
import { startPgHosts } from '../../test/helpers/pg-hosts.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { startBareServer } from './host.ts';
import { ENGINE_RUNS } from './engine-shape.ts';
import { CONNECTIONS, DURATION_S, WARMUP_S, bareLoad, describeLoad, engineSequences, kioskHeadersFor, rate } from './engine-http.ts';
import { runLoad, type LoadSummary } from './load.ts';
import { figure, note } from './report.ts';
import { median, spread } from './stats.ts';

/**
 * The engine bench's HTTP part on PostgreSQL (`--store postgres [--hosts N]`): the same load as
 * on SQLite (engine-http.ts: 64 connections, each 3 ticket issues then a call-next) against N hosts
 * on one PostgreSQL (test/helpers/pg-hosts.ts, as pg-rush.ts does), the connections split across
 * the hosts as a load balancer would. One host, two hosts (and N when N > 2) and the bare route
 * run interleaved, ENGINE_RUNS rounds, each host set on a fresh database. The usual engine.http_*
 * figures are N hosts' (default 2); `scale.pg_engine_two_hosts_ratio` is two hosts ÷ one host.
 */

interface PgEngineRun {
  summary: LoadSummary;
  /** Transactions PostgreSQL committed in the database over the load (warm-up included). */
  commits: number;
  cpuPct: number;
  waiting: number;
  /** Sampled every 100 ms over the load: the backends in a transaction, and those waiting on a lock, by lock kind. */
  busy: number;
  locks: Record<string, number>;
  samples: number;
  /** The kiosk's token, for the bare route's requests (the same headers as on SQLite). */
  kioskToken: string;
}

async function pgEngineRun(n: number): Promise<PgEngineRun> {
  // Walk-in capacity effectively unlimited, as on SQLite: a long run never hits CAPACITY_EXHAUSTED.
  const h = await startPgHosts(n, { config: testOffice({ capacity: 1_000_000_000 }) });
  const sql = createPool(h.database.url, { max: 1 });
  try {
    const counters = h.config.counters.map((c, k) => ({ id: c.id, cookie: h.cookie(`clerk${k + 1}`) }));
    const sequences = await engineSequences(h.hosts[0]!.app, h.config.services.map((s) => s.id), counters, kioskHeadersFor(h.kioskToken));
    const one = async (text: string): Promise<number> => Number((await sql.query<{ n: number | string }>(text)).rows[0]?.n ?? 0);
    const commitsNow = (): Promise<number> => one(`SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()`);
    const commits0 = await commitsNow();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const load = runLoad({ url: h.hosts[0]!.url, urls: h.hosts.map((x) => x.url), connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, sequences });
    const sampled = sampleWaits(sql, load);
    const summary = await load;
    const wallMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const waits = await sampled;
    // The statistics collector reports a little late; a short pause lets the last commits in.
    await new Promise((r) => setTimeout(r, 600));
    return {
      summary,
      commits: (await commitsNow()) - commits0,
      cpuPct: ((cpu.user + cpu.system) / 1000 / wallMs) * 100,
      waiting: await one(`SELECT count(*) AS n FROM tickets WHERE state = 'waiting'`),
      ...waits,
      kioskToken: h.kioskToken,
    };
  } finally {
    await sql.end();
    await h.close();
  }
}

/** What the database's backends are doing while the load runs: what limits the rate, seen from PostgreSQL. */
async function sampleWaits(sql: ReturnType<typeof createPool>, until: Promise<unknown>): Promise<Pick<PgEngineRun, 'busy' | 'locks' | 'samples'>> {
  let done = false;
  void until.finally(() => (done = true)).catch(() => undefined);
  const out = { busy: 0, locks: {} as Record<string, number>, samples: 0 };
  while (!done) {
    const rows = (
      await sql.query<{ state: string | null; wait_event_type: string | null; wait_event: string | null }>(
        `SELECT state, wait_event_type, wait_event FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'`,
      )
    ).rows;
    out.samples++;
    for (const r of rows) {
      if (r.state !== null && r.state !== 'idle') out.busy++;
      if (r.wait_event_type === 'Lock') out.locks[r.wait_event ?? '?'] = (out.locks[r.wait_event ?? '?'] ?? 0) + 1;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return out;
}

export async function pgHttpFigures(): Promise<void> {
  const asked = Number(process.env['BENCH_HOSTS'] ?? 2);
  const counts = [...new Set([1, 2, asked])];
  const runs = new Map<number, number[]>(counts.map((n) => [n, []]));
  const bareRates: number[] = [];
  const bare = await startBareServer('/api/v1/tickets');
  let kioskToken = '';
  try {
    for (let round = 0; round < ENGINE_RUNS; round++) {
      for (const n of counts) {
        const r = await pgEngineRun(n);
        runs.get(n)!.push(rate(r.summary));
        kioskToken = r.kioskToken;
        note(describeLoad(`postgres, ${n} host(s), run ${round + 1}`, r.summary));
        const avg = (x: number): string => (x / Math.max(1, r.samples)).toFixed(1);
        const locks = Object.entries(r.locks).map(([kind, k]) => `${kind} ${avg(k)}`).join(', ') || 'none';
        note(
          `  ${r.commits} PostgreSQL commits; hosts' process CPU ${r.cpuPct.toFixed(0)}% of one core (incl. warmup); ${r.waiting} tickets waiting at the end; ` +
            `backends busy ${avg(r.busy)} on average, waiting on a lock: ${locks}`,
        );
      }
      const b = await bareLoad(bare.url, kioskHeadersFor(kioskToken));
      bareRates.push(rate(b));
      note(describeLoad(`bare run ${round + 1}`, b));
    }
  } finally {
    await bare.close();
  }
  const mine = runs.get(asked)!;
  note(`postgres req/s by hosts: ${counts.map((n) => `${n}: ${spread(runs.get(n)!, 0)}`).join('; ')}; bare req/s: ${spread(bareRates, 0)}`);
  note(`${asked} host(s)/bare per interleaved round: ${mine.map((h, i) => (h / bareRates[i]!).toFixed(2)).join(', ')}`);
  figure('engine.http_requests_per_s', median(mine), 'req/s');
  figure('engine.bare_route_per_s', median(bareRates), 'req/s');
  figure('engine.http_ratio', median(mine) / median(bareRates), 'ratio', 2);
  figure('scale.pg_engine_requests_per_s', median(mine), 'req/s');
  figure('scale.pg_engine_two_hosts_ratio', median(runs.get(2)!) / median(runs.get(1)!), 'x');
}

import { fork } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { allocate, rankApplications } from '../core/booking/draw.ts';
import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { HoldBody } from '../contracts/booking.ts';
import { readBookingConfig } from '../host/config.ts';
import { PUBLIC } from '../server/auth.ts';
import { clientKey } from '../server/routes/booking.context.ts';
import { policy, startBookingHost, testKeyed } from '../test/helpers/booking.ts';
import type { RushPlan, RushResult } from './lib/rush-client.ts';
import { pgRush, type PgRushResult } from './lib/pg-rush.ts';
import { instrumentGroupCommit, startBareServer } from './lib/host.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, percentile, prng, spread } from './lib/stats.ts';

/**
 * The release instant of online booking (issue 5): 240 places, 5,000 clients on loopback, each
 * with its own connection and e-mail, all waiting for the release; each tries to hold a place,
 * and a client turned away from a taken time looks again and tries another free one until it
 * holds one or is told the day is sold out (first come, first served). Three runs on fresh
 * databases; medians printed. The rate limits are the defaults, keyed on the client as for an
 * office behind a reverse proxy (X-Forwarded-For trusted; each client has its own address),
 * not on loopback's one address. The bare-route baseline is a plain Fastify POST with the same
 * body from as many keep-alive connections, right after the rush in the same run.
 */

const CLIENTS = Number(process.env['RUSH_CLIENTS'] ?? 5000);
const PLACES = 240;
const RUNS = 3;
const DRAW_APPLICATIONS = 1_000_000;
const DAY = '2026-11-25'; // Wednesday; the bench host's clock stands at Monday 23 Nov 09:00 Prague
const FLOOR_PATH = '/api/v1/bench/floor';
const CLIENT = fileURLToPath(new URL('./lib/rush-client.ts', import.meta.url));

interface RunFigures {
  attemptsPerS: number;
  bareRoutePerS: number;
  p99Ms: number;
  healthP99Ms: number;
  bareP99Ms: number;
  bareHealthP99Ms: number;
  floorRoutePerS: number;
  floorP99Ms: number;
  /** Host CPU time over the whole client phase (looks and attempts) ÷ attempts. */
  cpuMsPerAttempt: number;
  booked: number;
  oversold: number;
  duplicateIdentities: number;
}

/** `onRushDone`: the clients' attempts are all answered (their bare-route phase follows). */
function runClients(plan: RushPlan, onRushDone: () => void): Promise<RushResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let result: RushResult | null = null;
    child.on('message', (m) => {
      if ((m as { rushDone?: boolean }).rushDone === true) onRushDone();
      else result = m as RushResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result !== null ? resolve(result) : reject(new Error(`rush client exited with code ${String(code)} and no result`))));
    child.send(plan);
  });
}

/**
 * The floor: a route of the host that does no work, behind the host's whole request stack (the
 * same app, its hooks — security headers, language, cookies, origin check, identity — the hold
 * route's rate limit keyed per client, and its body schema). What the host answers on it against
 * the bare route is as close as `rush.ratio` can come while keeping those hooks.
 */
function floorRoute(app: FastifyInstance): void {
  app.withTypeProvider<ZodTypeProvider>().post(
    FLOOR_PATH,
    { config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: 60_000, keyGenerator: (req) => clientKey(req, true) } }, schema: { body: HoldBody } },
    async (req, reply) => {
      void reply.status(201);
      return { serviceId: req.body.slotId };
    },
  );
}

async function oneRun(): Promise<RunFigures> {
  const h = await startBookingHost({
    policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: PLACES * 2 }, onlineSharePct: 50, slotMin: 15 })],
    parts: { config: { ...readBookingConfig({}), trustProxy: true }, limits: {} },
    register: floorRoute,
  });
  const bare = await startBareServer('/api/v1/booking/holds');
  // The host's sweep (every 5 s) stores a day's slots in the minute before it opens.
  await h.booking.sweep();
  const groups = instrumentGroupCommit(h.queue);
  try {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const address = h.app.server.address();
    if (address === null || typeof address === 'string') throw new Error('host did not bind a TCP port');
    // The host's CPU time (this process) from the clients' start to their last answer: sturdier
    // than wall time on a shared machine, and it includes the initial looks at the day.
    const cpu0 = process.cpuUsage();
    let cpuMs = NaN;
    const r = await runClients({ url: `http://127.0.0.1:${address.port}`, bareUrl: bare.url, floorPath: FLOOR_PATH, clients: CLIENTS, serviceId: 'o1-s1', day: DAY }, () => {
      const c = process.cpuUsage(cpu0);
      cpuMs = (c.user + c.system) / 1000;
    });
    await h.queue.flush();
    const booked = (h.db.prepare(`SELECT count(*) AS n FROM bookings WHERE day = ? AND state IN ('held', 'confirmed')`).get(DAY) as { n: number }).n;
    const oversold = (
      h.db
        .prepare(
          `SELECT coalesce(sum(c - places), 0) AS n FROM (SELECT s.places AS places, count(b.id) AS c FROM slots s JOIN bookings b ON b.slot_id = s.id AND b.state IN ('held', 'confirmed') WHERE s.day = ? GROUP BY s.id) WHERE c > places`,
        )
        .get(DAY) as { n: number }
    ).n;
    const duplicateIdentities = (
      h.db
        .prepare(`SELECT count(*) AS n FROM (SELECT email_hash FROM bookings WHERE day = ? AND state IN ('held', 'confirmed') GROUP BY email_hash HAVING count(*) > 1)`)
        .get(DAY) as { n: number }
    ).n;
    note(
      `${CLIENTS} clients: ${r.attempts} hold attempts in ${(r.rushMs / 1000).toFixed(2)} s, ${r.held} held, ${r.soldOut} told sold out, ${r.errors} other answers; ` +
        `bare route ${r.bareRequests} requests in ${(r.bareMs / 1000).toFixed(2)} s; ${r.healthMs.length} health probes; ` +
        `${groups.units} units in ${groups.groups} group commits (largest ${groups.maxGroup}); ` +
        `host CPU ${cpuMs.toFixed(0)} ms for the ${CLIENTS} looks and ${r.attempts} attempts`,
    );
    return {
      attemptsPerS: r.attempts / (r.rushMs / 1000),
      bareRoutePerS: r.bareRequests / (r.bareMs / 1000),
      p99Ms: percentile(r.latenciesMs, 99),
      healthP99Ms: r.healthMs.length === 0 ? NaN : percentile(r.healthMs, 99),
      bareP99Ms: percentile(r.bareLatenciesMs, 99),
      bareHealthP99Ms: r.bareHealthMs.length === 0 ? NaN : percentile(r.bareHealthMs, 99),
      floorRoutePerS: r.floorRequests / (r.floorMs / 1000),
      floorP99Ms: percentile(r.floorLatenciesMs, 99),
      cpuMsPerAttempt: cpuMs / r.attempts,
      booked,
      oversold,
      duplicateIdentities,
    };
  } finally {
    await bare.close();
    await h.close();
  }
}

/** The window strategy's allocation run: rank 1,000,000 applications (rule, then HMAC(seed, id)) and fill the day. */
function drawMs(): number {
  const rnd = prng(42);
  const apps = Array.from({ length: DRAW_APPLICATIONS }, (_, i) => ({ id: `app${i.toString(36)}`, rankKey: Math.floor(rnd() * 30) }));
  const slots = Array.from({ length: 36 }, (_, i) => ({ id: `slot${i}`, free: 7 }));
  const keyed = testKeyed();
  const t0 = performance.now();
  const places = slots.reduce((n, s) => n + s.free, 0);
  const ranked = rankApplications(apps, 'published-seed', keyed.hmacWith.bind(keyed), places);
  const allocated = allocate(ranked, slots);
  const ms = performance.now() - t0;
  note(`draw: ${DRAW_APPLICATIONS} applications ranked, ${allocated.size} places allocated`);
  return ms;
}

export const scenario: Scenario = {
  name: 'rush',
  description: `release instant: ${PLACES} places, ${CLIENTS} clients each on its own connection (FCFS, retry until held or sold out), rate limits keyed on the client behind a trusted proxy; ${RUNS} runs; plus a draw of ${DRAW_APPLICATIONS} applications`,
  async run() {
    if (process.env['BENCH_STORE'] === 'postgres') return pgScenario();
    const runs: RunFigures[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await oneRun());
    const m = (f: (r: RunFigures) => number): number => median(runs.map(f));
    note(`attempts/s ${spread(runs.map((r) => r.attemptsPerS), 0)}; p99 ${spread(runs.map((r) => r.p99Ms), 1)} ms`);
    figure('rush.attempts_per_s', m((r) => r.attemptsPerS), 'req/s');
    figure('rush.bare_route_per_s', m((r) => r.bareRoutePerS), 'req/s');
    figure('rush.ratio', m((r) => r.attemptsPerS / r.bareRoutePerS), 'x');
    figure('rush.p99_ms', m((r) => r.p99Ms), 'ms');
    figure('rush.health_p99_ms', m((r) => r.healthP99Ms), 'ms');
    // Context for the two latency goals: the same burst against the bare route, same run.
    figure('rush.bare_p99_ms', m((r) => r.bareP99Ms), 'ms');
    figure('rush.bare_health_p99_ms', m((r) => r.bareHealthP99Ms), 'ms');
    // Against what any single Node process answers for the same burst: goals ≤ 1.5 each (ratio per run, median).
    figure('rush.p99_vs_bare', m((r) => r.p99Ms / r.bareP99Ms), 'x');
    figure('rush.health_vs_bare', m((r) => r.healthP99Ms / r.bareHealthP99Ms), 'x');
    // The host's request stack alone on a route doing no work, against the bare route, same run.
    note(`floor route: ${spread(runs.map((r) => r.floorRoutePerS), 0)} req/s; p99 ${spread(runs.map((r) => r.floorP99Ms), 1)} ms`);
    figure('rush.floor_vs_bare', m((r) => r.floorRoutePerS / r.bareRoutePerS), 'x');
    note(`host CPU ms per attempt (looks included): ${spread(runs.map((r) => r.cpuMsPerAttempt), 3)}`);
    note(`booked per run: ${runs.map((r) => r.booked).join(', ')} (must be ${PLACES} each)`);
    figure('rush.booked', m((r) => r.booked), 'places', 0);
    figure('rush.oversold', Math.max(...runs.map((r) => r.oversold)), 'places', 0);
    figure('rush.duplicate_identities', Math.max(...runs.map((r) => r.duplicateIdentities)), 'identities', 0);
    figure('rush.draw_ms', median([drawMs(), drawMs(), drawMs()]), 'ms');
  },
};

/**
 * `--store postgres [--hosts N]`: the same rush on hosts sharing one PostgreSQL (in this process,
 * each its own pool, unit of work, tail and leases; clients split across them). One host and two
 * hosts run interleaved, RUNS times each (and N hosts too when N > 2): the usual figures are
 * those of N hosts (default 2), `scale.pg_two_hosts_ratio` is two hosts' attempts/s ÷ one host's.
 */
async function pgScenario(): Promise<void> {
  const asked = Number(process.env['BENCH_HOSTS'] ?? 2);
  const counts = [...new Set([1, 2, asked])];
  const runs = new Map<number, PgRushResult[]>(counts.map((n) => [n, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const n of counts) {
      const r = await pgRush(n, CLIENTS);
      note(`postgres, ${n} host(s): ${r.attempts} attempts in ${(r.rushMs / 1000).toFixed(2)} s, ${r.held} held, ${r.soldOut} sold out, ${r.errors} other answers`);
      runs.get(n)!.push(r);
    }
  }
  const perS = (r: RushResult): number => r.attempts / (r.rushMs / 1000);
  const mine = runs.get(asked)!;
  const m = (f: (r: PgRushResult) => number, of: readonly PgRushResult[] = mine): number => median(of.map(f));
  note(`postgres attempts/s by hosts: ${counts.map((n) => `${n}: ${spread(runs.get(n)!.map(perS), 0)}`).join('; ')}`);
  figure('rush.attempts_per_s', m(perS), 'req/s');
  figure('rush.bare_route_per_s', m((r) => r.bareRequests / (r.bareMs / 1000)), 'req/s');
  figure('rush.ratio', m((r) => perS(r) / (r.bareRequests / (r.bareMs / 1000))), 'x');
  figure('rush.p99_ms', m((r) => percentile(r.latenciesMs, 99)), 'ms');
  figure('rush.health_p99_ms', m((r) => (r.healthMs.length === 0 ? NaN : percentile(r.healthMs, 99))), 'ms');
  figure('rush.booked', m((r) => r.booked), 'places', 0);
  figure('rush.oversold', Math.max(...mine.map((r) => r.oversold)), 'places', 0);
  figure('rush.duplicate_identities', Math.max(...mine.map((r) => r.duplicateIdentities)), 'identities', 0);
  figure('scale.pg_rush_attempts_per_s', m(perS), 'req/s');
  figure('scale.pg_two_hosts_ratio', m(perS, runs.get(2)) / m(perS, runs.get(1)), 'x');
}

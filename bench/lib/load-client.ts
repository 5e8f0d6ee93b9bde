import { createRequire } from 'node:module';
import type { LoadPlan, LoadRequest, LoadSummary } from './load.ts';

/**
 * The autocannon side of `runLoad` (load.ts); runs only as a forked child. autocannon ships no
 * typings: the slice used here is typed below.
 */

interface Client {
  setRequests(requests: LoadRequest[]): void;
}

interface Result {
  '2xx': number;
  non2xx: number;
  duration: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  latency: { p50: number; p99: number };
}

interface Options {
  url: string;
  connections: number;
  duration: number;
  requests: LoadRequest[];
  setupClient: (client: Client) => void;
}

const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as (opts: Options) => Promise<Result>;

async function runOne(plan: LoadPlan, url: string, connections: number, durationS: number): Promise<Result> {
  let next = 0;
  return autocannon({
    url,
    connections,
    duration: durationS,
    requests: [...plan.sequences[0]!],
    // Called once per connection, before its first request.
    setupClient: (client) => {
      const seq = plan.sequences[next++ % plan.sequences.length]!;
      client.setRequests(seq.map((r) => ({ ...r, headers: { ...r.headers } })));
    },
  });
}

/** Every host at once (connections split evenly), counts added up, latencies the worst host's. */
async function run(plan: LoadPlan, durationS: number): Promise<Result> {
  const urls = plan.urls ?? [plan.url];
  const rs = await Promise.all(urls.map((u, i) => runOne(plan, u, Math.floor(plan.connections / urls.length) + (i < plan.connections % urls.length ? 1 : 0), durationS)));
  const sum = (f: (r: Result) => number): number => rs.reduce((n, r) => n + f(r), 0);
  const statusCodeStats: Record<string, { count: number }> = {};
  for (const r of rs) for (const [code, st] of Object.entries(r.statusCodeStats)) statusCodeStats[code] = { count: (statusCodeStats[code]?.count ?? 0) + st.count };
  return {
    '2xx': sum((r) => r['2xx']),
    non2xx: sum((r) => r.non2xx),
    duration: Math.max(...rs.map((r) => r.duration)),
    errors: sum((r) => r.errors),
    timeouts: sum((r) => r.timeouts),
    statusCodeStats,
    latency: { p50: Math.max(...rs.map((r) => r.latency.p50)), p99: Math.max(...rs.map((r) => r.latency.p99)) },
  };
}

process.once('message', (message) => {
  const plan = message as LoadPlan;
  void (async () => {
    if (plan.warmupS > 0) await run(plan, plan.warmupS);
    const r = await run(plan, plan.durationS);
    const summary: LoadSummary = {
      twoXx: r['2xx'],
      non2xx: r.non2xx,
      durationS: r.duration,
      statusCodes: Object.fromEntries(Object.entries(r.statusCodeStats).map(([code, s]) => [code, s.count])),
      errors: r.errors,
      timeouts: r.timeouts,
      latencyP50Ms: r.latency.p50,
      latencyP99Ms: r.latency.p99,
    };
    process.send!(summary, () => process.disconnect());
  })().catch((error: unknown) => {
    process.stderr.write(`load client failed: ${String(error)}\n`);
    process.exit(1);
  });
});

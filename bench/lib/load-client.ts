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

async function run(plan: LoadPlan, durationS: number): Promise<Result> {
  let next = 0;
  return autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: durationS,
    requests: [...plan.sequences[0]!],
    // Called once per connection, before its first request.
    setupClient: (client) => {
      const seq = plan.sequences[next++ % plan.sequences.length]!;
      client.setRequests(seq.map((r) => ({ ...r, headers: { ...r.headers } })));
    },
  });
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

import { performance } from 'node:perf_hooks';
import { pickNext, type CallContext } from '../core/queue/call-policy.ts';
import { MONDAY_0900_PRAGUE } from '../test/helpers/fakes.ts';
import { dbFigures } from './lib/engine-db.ts';
import { ENGINE_RUNS, COUNTER_SERVICES, MAX_WAIT_MIN, SERVICES, WAITING } from './lib/engine-shape.ts';
import { httpFigures } from './lib/engine-http.ts';
import { pgHttpFigures } from './lib/pg-engine.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, spread } from './lib/stats.ts';
import { lineHeads, toCandidates, waitingRoom } from './lib/workload.ts';

/**
 * The queue engine: the pure call policy (here), one call-next through SQLite against a plain
 * durable commit (lib/engine-db.ts), and the HTTP edge against a bare Fastify route
 * (lib/engine-http.ts) — with `--store postgres [--hosts N]`, that HTTP load against hosts on one
 * PostgreSQL instead (lib/pg-engine.ts). Each printed figure is the median of ENGINE_RUNS runs; the spread goes
 * to stderr.
 */

const PICK_WARMUP = 300;
const PICK_CALLS = 2_000;

function pickNextFigure(): void {
  const now = MONDAY_0900_PRAGUE;
  const serviceIds = Array.from({ length: SERVICES }, (_, i) => `o1-s${i + 1}`);
  const candidates = toCandidates(waitingRoom(WAITING, SERVICES, now), serviceIds);
  const ctx: CallContext = { serviceIds: COUNTER_SERVICES.map((i) => serviceIds[i]!), now, maxWaitMs: MAX_WAIT_MIN * 60_000 };
  let sink = 0;
  const runMedians: number[] = [];
  for (let run = 0; run < ENGINE_RUNS; run++) {
    for (let i = 0; i < PICK_WARMUP; i++) sink += pickNext(candidates, ctx)?.arrivedAt ?? 0;
    const samples = new Float64Array(PICK_CALLS);
    for (let i = 0; i < PICK_CALLS; i++) {
      const t0 = performance.now();
      const chosen = pickNext(candidates, ctx);
      samples[i] = performance.now() - t0;
      sink += chosen?.arrivedAt ?? 0;
    }
    runMedians.push(median([...samples]) * 1000);
  }
  const chosen = pickNext(candidates, ctx);
  note(`pickNext over ${WAITING} candidates, ${SERVICES} services, counter serves ${ctx.serviceIds.length}: chose ${chosen?.id ?? 'none'} (sink ${sink % 7})`);
  note(`pickNext µs per call over all ${WAITING}: ${spread(runMedians, 1)}`);
  // Context: what the store actually passes (heads of each line), and whether it picks the same.
  const heads = lineHeads(candidates, ctx.serviceIds);
  const fromHeads = pickNext(heads, ctx);
  const headSamples: number[] = [];
  for (let i = 0; i < PICK_WARMUP + PICK_CALLS; i++) {
    const t0 = performance.now();
    for (let k = 0; k < 100; k++) sink += pickNext(heads, ctx)?.arrivedAt ?? 0;
    if (i >= PICK_WARMUP) headSamples.push(((performance.now() - t0) / 100) * 1000);
  }
  note(
    `pickNext over the ${heads.length} line heads claimNext passes: ${median(headSamples).toFixed(3)} µs, chose ${fromHeads?.id ?? 'none'}` +
      (fromHeads?.id === chosen?.id ? ' (same as the full scan)' : ' — DIFFERENT from the full scan'),
  );
  figure('engine.pick_next_median_us', median(runMedians), 'us');
}

export const scenario: Scenario = {
  name: 'engine',
  description: 'call policy, call-next vs durable commit, HTTP host vs bare Fastify',
  async run() {
    pickNextFigure();
    if (process.env['BENCH_STORE'] === 'postgres') {
      // The DB part compares a call-next with a bare durable commit inside SQLite's one-writer group
      // commit; on PostgreSQL each unit is its own transaction over the network, in its WAL group commit.
      note('engine --store postgres: the DB part (engine.call_next_*, engine.empty_commit_*) is SQLite-only and skipped; the HTTP figures below are PostgreSQL\'s');
      await pgHttpFigures();
      return;
    }
    await dbFigures();
    await httpFigures();
  },
};

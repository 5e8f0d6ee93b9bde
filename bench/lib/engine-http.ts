import { performance } from 'node:perf_hooks';
import type { FastifyInstance } from 'fastify';
import { instrumentGroupCommit, startBareServer, startListeningHost } from './host.ts';
import { ENGINE_RUNS } from './engine-shape.ts';
import { runLoad, type LoadPlan, type LoadRequest, type LoadSummary } from './load.ts';
import { figure, note } from './report.ts';
import { median, spread } from './stats.ts';

/**
 * The engine bench's HTTP part: a whole host issuing tickets and calling next under autocannon,
 * against a bare Fastify route parsing the same body, runs interleaved. Each printed figure is the
 * median of ENGINE_RUNS runs; the spread goes to stderr.
 */

export const CONNECTIONS = 64;
export const DURATION_S = 5;
export const WARMUP_S = 1;
const ISSUES_PER_CALL = 3;

export const rate = (s: LoadSummary): number => s.twoXx / s.durationS;

export const kioskHeadersFor = (token: string): Record<string, string> => ({ 'content-type': 'application/json', authorization: `Bearer ${token}` });

/**
 * The load's shape, the same on either store: opens every counter (through `app`, whose sessions
 * every host shares), checks that a ticket can be issued, and returns the connections' sequences —
 * connection j issues ISSUES_PER_CALL tickets (rotating services) then calls next at counter j mod 4.
 */
export async function engineSequences(
  app: Pick<FastifyInstance, 'inject'>,
  serviceIds: readonly string[],
  counters: readonly { id: string; cookie: string }[],
  kioskHeaders: Record<string, string>,
): Promise<LoadRequest[][]> {
  for (const c of counters) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/counters/${c.id}/open`, headers: { cookie: c.cookie } });
    if (res.statusCode !== 200) throw new Error(`open ${c.id}: ${res.statusCode} ${res.body}`);
  }
  // Smoke test: a broken route would otherwise show up only as a rate of 0.
  const smoke = await app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kioskHeaders, payload: { serviceId: serviceIds[0] } });
  if (smoke.statusCode !== 201) throw new Error(`issuing a ticket answered ${smoke.statusCode}: ${smoke.body}`);
  const sequences: LoadRequest[][] = [];
  for (let j = 0; j < serviceIds.length * counters.length; j++) {
    const seq: LoadRequest[] = [];
    for (let i = 0; i < ISSUES_PER_CALL; i++) {
      seq.push({ method: 'POST', path: '/api/v1/tickets', headers: kioskHeaders, body: JSON.stringify({ serviceId: serviceIds[(j + i) % serviceIds.length] }) });
    }
    const counter = counters[j % counters.length]!;
    seq.push({ method: 'POST', path: `/api/v1/counters/${counter.id}/call-next`, headers: { cookie: counter.cookie } });
    sequences.push(seq);
  }
  return sequences;
}

/** The bare route's run, right after a host's: the same client settings, one body. */
export function bareLoad(url: string, kioskHeaders: Record<string, string>): Promise<LoadSummary> {
  return runLoad({
    url,
    connections: CONNECTIONS,
    durationS: DURATION_S,
    warmupS: WARMUP_S,
    sequences: [[{ method: 'POST', path: '/api/v1/tickets', headers: kioskHeaders, body: JSON.stringify({ serviceId: 'o1-s1' }) }]],
  });
}

export function describeLoad(label: string, s: LoadSummary): string {
  const codes = Object.entries(s.statusCodes)
    .map(([code, n]) => `${code}×${n}`)
    .join(' ');
  return (
    `${label}: ${rate(s).toFixed(0)} 2xx/s over ${s.durationS.toFixed(1)} s; non-2xx ${s.non2xx}` +
    `, errors ${s.errors}, timeouts ${s.timeouts}; codes ${codes}; latency p50 ${s.latencyP50Ms} ms p99 ${s.latencyP99Ms} ms`
  );
}

export async function httpFigures(): Promise<void> {
  const bare = await startBareServer('/api/v1/tickets');
  const hostRates: number[] = [];
  const bareRates: number[] = [];
  try {
    for (let run = 0; run < ENGINE_RUNS; run++) {
      // A fresh host per run: every run starts from an empty queue, so runs are comparable.
      const live = await startListeningHost();
      let kioskHeaders: Record<string, string> = {};
      try {
        const { host } = live;
        const counters = host.config.counters.map((c, k) => ({ id: c.id, cookie: host.cookie(`clerk${k + 1}`) }));
        kioskHeaders = kioskHeadersFor(host.kioskToken);
        const sequences = await engineSequences(host.app, host.config.services.map((s) => s.id), counters, kioskHeaders);
        const groups = instrumentGroupCommit(host.queue);
        const cpu0 = process.cpuUsage();
        const t0 = performance.now();
        const plan: LoadPlan = { url: live.url, connections: CONNECTIONS, durationS: DURATION_S, warmupS: WARMUP_S, sequences };
        const s = await runLoad(plan);
        const wallMs = performance.now() - t0;
        const cpu = process.cpuUsage(cpu0);
        hostRates.push(rate(s));
        const waiting = host.db.prepare(`SELECT count(*) AS n FROM tickets WHERE state = 'waiting'`).get() as { n: number };
        note(describeLoad(`host run ${run + 1}`, s));
        note(
          `  group commit: ${groups.groups} groups, ${(groups.units / Math.max(1, groups.groups)).toFixed(1)} units/group (max ${groups.maxGroup}), ` +
            `flush held the event loop ${((groups.flushMs / wallMs) * 100).toFixed(0)}% of wall time; ` +
            `server CPU ${(((cpu.user + cpu.system) / 1000 / wallMs) * 100).toFixed(0)}% of one core (incl. warmup); ${waiting.n} tickets waiting at the end`,
        );
      } finally {
        await live.close();
      }

      const b = await bareLoad(bare.url, kioskHeaders);
      bareRates.push(rate(b));
      note(describeLoad(`bare run ${run + 1}`, b));
    }
  } finally {
    await bare.close();
  }
  const hostRate = median(hostRates);
  const bareRate = median(bareRates);
  note(`host req/s: ${spread(hostRates, 0)}; bare req/s: ${spread(bareRates, 0)}`);
  note(`host/bare per interleaved pair: ${hostRates.map((h, i) => (h / bareRates[i]!).toFixed(2)).join(', ')}`);
  figure('engine.http_requests_per_s', hostRate, 'req/s');
  figure('engine.bare_route_per_s', bareRate, 'req/s');
  figure('engine.http_ratio', hostRate / bareRate, 'ratio', 2);
}


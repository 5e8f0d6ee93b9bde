import { performance } from 'node:perf_hooks';
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

const CONNECTIONS = 64;
const DURATION_S = 5;
const WARMUP_S = 1;
const ISSUES_PER_CALL = 3;

const rate = (s: LoadSummary): number => s.twoXx / s.durationS;

function describeLoad(label: string, s: LoadSummary): string {
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
        const serviceIds = host.config.services.map((s) => s.id);
        const counters = host.config.counters.map((c, k) => ({ id: c.id, cookie: host.cookie(`clerk${k + 1}`) }));
        for (const c of counters) {
          const res = await host.app.inject({ method: 'POST', url: `/api/v1/counters/${c.id}/open`, headers: { cookie: c.cookie } });
          if (res.statusCode !== 200) throw new Error(`open ${c.id}: ${res.statusCode} ${res.body}`);
        }
        kioskHeaders = { 'content-type': 'application/json', authorization: `Bearer ${host.kioskToken}` };
        // Smoke test: a broken route would otherwise show up only as a rate of 0.
        const smoke = await host.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kioskHeaders, payload: { serviceId: serviceIds[0] } });
        if (smoke.statusCode !== 201) throw new Error(`issuing a ticket answered ${smoke.statusCode}: ${smoke.body}`);
        // Connection j issues ISSUES_PER_CALL tickets (rotating services) then calls next at counter j mod 4.
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

      const b = await runLoad({
        url: bare.url,
        connections: CONNECTIONS,
        durationS: DURATION_S,
        warmupS: WARMUP_S,
        sequences: [[{ method: 'POST', path: '/api/v1/tickets', headers: kioskHeaders, body: JSON.stringify({ serviceId: 'o1-s1' }) }]],
      });
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


import { fork } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { Server } from 'socket.io';
import { issueTicket } from '../core/queue/issue-ticket.ts';
import { startTestHost } from '../test/helpers/harness.ts';
import { testOffice } from '../test/helpers/office.ts';
import type { FanoutPlan, FanoutResult } from './lib/fanout-client.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, percentile, spread } from './lib/stats.ts';

/**
 * From a clerk's call-next to the hall: 50 counter clients send 2,000 call-next requests at 200
 * per second over loopback to a whole host (harness wiring: Fastify, auth, group commit on a
 * SQLite file with synchronous=FULL, socket.io), and 20 display clients listen. Latency = send of
 * the request → the last of the 20 displays holding the `ticket:called`. Baseline, same run,
 * interleaved: a bare node:http + socket.io server that emits a same-sized event to 20 clients
 * for each request at the same rate. Clients run in a forked child, never in the server's process.
 */

const RUNS = 3;
const COUNTERS = 50;
const DISPLAYS = 20;
const TOTAL = 2_000;
const RATE = 200;
const CLIENT = fileURLToPath(new URL('./lib/fanout-client.ts', import.meta.url));

function runClients(plan: FanoutPlan): Promise<FanoutResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let result: FanoutResult | null = null;
    child.on('message', (m) => (result = m as FanoutResult));
    child.on('error', reject);
    child.on('exit', (code) => (result !== null ? resolve(result) : reject(new Error(`fanout client exited with ${String(code)}`))));
    child.send(plan);
  });
}

async function hostRun(): Promise<FanoutResult> {
  const config = testOffice({ services: 3, capacity: 1_000_000_000, counters: Array.from({ length: COUNTERS }, () => [0, 1, 2]) });
  const h = await startTestHost({ config });
  try {
    // The waiting room: more tickets than calls, so no call meets an empty queue.
    const services = config.services.map((s) => s.id);
    for (let i = 0; i < TOTAL + 100; i += 100) {
      await Promise.all(
        Array.from({ length: 100 }, (_, k) => h.queue.run((store) => issueTicket({ store, clock: h.clock, ids: { ticketId: () => `b${i + k}`, entityId: (p) => p } }, { serviceId: services[(i + k) % 3]! }))),
      );
    }
    for (let c = 1; c <= COUNTERS; c++) {
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/counters/o1-c${c}/open`, headers: { cookie: h.cookie(`clerk${c}`) } });
      if (res.statusCode !== 200) throw new Error(`open counter ${c}: ${res.body}`);
    }
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const port = (h.app.server.address() as AddressInfo).port;
    const counters = Array.from({ length: COUNTERS }, (_, i) => i + 1);
    return await runClients({
      url: `http://127.0.0.1:${port}`,
      paths: counters.map((c) => `/api/v1/counters/o1-c${c}/call-next`),
      cookies: counters.map((c) => h.cookie(`clerk${c}`)),
      auth: { token: h.displayToken },
      displays: DISPLAYS,
      total: TOTAL,
      rate: RATE,
    });
  } finally {
    await h.close();
  }
}

async function baselineRun(): Promise<FanoutResult> {
  const http = createServer();
  const io = new Server(http, { serveClient: false });
  let seq = 0;
  http.on('request', (req, res) => {
    if (req.url?.startsWith('/socket.io')) return;
    const counterId = /\/counters\/([^/]+)\//.exec(req.url ?? '')?.[1] ?? '';
    seq++;
    // A payload shaped and sized like the host's ticket:called event.
    io.emit('ticket:called', {
      id: seq,
      at: Date.now(),
      type: 'ticket:called',
      officeId: 'o1',
      payload: {
        ticket: { id: `t${seq}`, number: `A${String(seq).padStart(3, '0')}`, serviceId: 'o1-s1', state: 'called', counterId, categoryId: null, arrivedAt: 0, bookedAt: null, recallCount: 0 },
        counterId,
        counterNumber: counterId,
        recall: false,
      },
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  try {
    const counters = Array.from({ length: COUNTERS }, (_, i) => i + 1);
    return await runClients({
      url: `http://127.0.0.1:${port}`,
      paths: counters.map((c) => `/api/v1/counters/o1-c${c}/call-next`),
      cookies: counters.map(() => ''),
      auth: {},
      displays: DISPLAYS,
      total: TOTAL,
      rate: RATE,
    });
  } finally {
    await io.close();
  }
}

function describeRun(label: string, r: FanoutResult): number {
  const l = r.latenciesMs;
  const p99 = l.length === 0 ? Number.NaN : percentile(l, 99);
  note(
    `${label}: ${l.length} calls fanned out, p50 ${l.length ? percentile(l, 50).toFixed(2) : '-'} ms, p99 ${p99.toFixed(2)} ms, ` +
      `max ${l.length ? Math.max(...l).toFixed(2) : '-'} ms; failed ${r.failed} ${JSON.stringify(r.statusCodes)}, incomplete ${r.incomplete}, ` +
      `send lag max ${r.sendLagMaxMs.toFixed(1)} ms`,
  );
  if (r.failed > 0 || r.incomplete > 0) throw new Error(`${label}: ${r.failed} failed and ${r.incomplete} incomplete calls`);
  return p99;
}

export const scenario: Scenario = {
  name: 'fanout',
  description: `call-next → ${DISPLAYS} displays: ${TOTAL} requests at ${RATE}/s from ${COUNTERS} counters, p99 vs a bare socket.io emit`,
  async run() {
    const host: number[] = [];
    const bare: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      bare.push(describeRun(`run ${run + 1} baseline`, await baselineRun()));
      host.push(describeRun(`run ${run + 1} host`, await hostRun()));
    }
    note(`host p99 ms: ${spread(host)}; baseline p99 ms: ${spread(bare)}`);
    const p99 = median(host);
    const base = median(bare);
    figure('fanout.p99_ms', p99, 'ms');
    figure('fanout.baseline_p99_ms', base, 'ms');
    figure('fanout.ratio', p99 / base, 'ratio');
  },
};

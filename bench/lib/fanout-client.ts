import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { io, type Socket } from 'socket.io-client';

/**
 * The client side of the fanout bench (fanout.bench.ts); runs only as a forked child, so the
 * clients never share the server's event loop. `counters` HTTP clients (one keep-alive
 * connection each) send `total` call-next requests at `rate` per second, round robin; `displays`
 * socket.io clients listen. Latency of one call = from sending its request to the moment the last
 * display received its `ticket:called`. Calls are matched per counter in order: the k-th call
 * event for a counter belongs to the k-th request sent for it.
 */
export interface FanoutPlan {
  url: string;
  /** Path of the k-th counter's request (POST, no body). */
  paths: string[];
  /** Cookie header per counter ('' for none). */
  cookies: string[];
  /** socket.io `auth` for the displays. */
  auth: Record<string, unknown>;
  displays: number;
  total: number;
  rate: number;
}

export interface FanoutResult {
  latenciesMs: number[];
  failed: number;
  statusCodes: Record<string, number>;
  incomplete: number;
  sendLagMaxMs: number;
}

interface CalledLike {
  payload?: { counterId?: string };
  counterId?: string;
}

process.once('message', (message) => {
  const plan = message as FanoutPlan;
  void run(plan).then(
    (r) => process.send!(r, () => process.disconnect()),
    (error: unknown) => {
      process.stderr.write(`fanout client failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
});

async function run(plan: FanoutPlan): Promise<FanoutResult> {
  const n = plan.paths.length;
  const counterIds = plan.paths.map((p) => /\/counters\/([^/]+)\//.exec(p)?.[1] ?? p);
  const index = new Map(counterIds.map((id, i) => [id, i]));
  const sentAt: number[][] = counterIds.map(() => []);
  const arrivals: number[][] = counterIds.map(() => []);
  const seenBy: number[][] = Array.from({ length: plan.displays }, () => new Array<number>(n).fill(0));
  const latencies: number[] = [];

  const sockets: Socket[] = [];
  await Promise.all(
    Array.from({ length: plan.displays }, (_, d) => {
      const socket = io(plan.url, { transports: ['websocket'], auth: plan.auth, reconnection: false, forceNew: true });
      sockets.push(socket);
      socket.on('ticket:called', (e: CalledLike) => {
        const now = performance.now();
        const c = index.get(e.payload?.counterId ?? e.counterId ?? '');
        if (c === undefined) return;
        const k = seenBy[d]![c]!++;
        const got = (arrivals[c]![k] ?? 0) + 1;
        arrivals[c]![k] = got;
        if (got === plan.displays) latencies.push(now - sentAt[c]![k]!);
      });
      return new Promise<void>((resolve, reject) => {
        socket.once('connect_error', reject);
        socket.once('connect', () => resolve());
      });
    }),
  );
  await new Promise((r) => setTimeout(r, 300));

  const agents = plan.paths.map(() => new Agent({ keepAlive: true, maxSockets: 1 }));
  const statusCodes: Record<string, number> = {};
  let failed = 0;
  let done = 0;
  let sendLagMaxMs = 0;
  const url = new URL(plan.url);
  const finished = new Promise<void>((resolve) => {
    const send = (i: number): void => {
      const c = i % n;
      const req = request(
        { host: url.hostname, port: url.port, method: 'POST', path: plan.paths[c], agent: agents[c], headers: plan.cookies[c] ? { cookie: plan.cookies[c] } : {} },
        (res) => {
          statusCodes[String(res.statusCode)] = (statusCodes[String(res.statusCode)] ?? 0) + 1;
          if (res.statusCode !== 200) failed++;
          res.resume();
          res.on('end', () => {
            if (++done === plan.total) resolve();
          });
        },
      );
      req.on('error', () => {
        failed++;
        if (++done === plan.total) resolve();
      });
      sentAt[c]!.push(performance.now());
      req.end();
    };
    const start = performance.now();
    const interval = 1000 / plan.rate;
    let next = 0;
    const tick = (): void => {
      const now = performance.now();
      while (next < plan.total && start + next * interval <= now) {
        sendLagMaxMs = Math.max(sendLagMaxMs, now - (start + next * interval));
        send(next++);
      }
      if (next < plan.total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
    };
    tick();
  });
  await finished;
  // Let the last fan-outs land.
  const deadline = performance.now() + 3000;
  while (latencies.length < plan.total - failed && performance.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  for (const s of sockets) s.disconnect();
  for (const a of agents) a.destroy();
  return { latenciesMs: latencies, failed, statusCodes, incomplete: plan.total - failed - latencies.length, sendLagMaxMs };
}

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

/**
 * The clients of the rush bench (rush.bench.ts); runs only as a forked child, so their work does
 * not share the host's event loop. Each client has its own keep-alive connection, its own e-mail
 * and its own address (X-Forwarded-For: the host trusts its proxy, as an office behind one).
 */

export interface RushPlan {
  url: string;
  /** Several hosts behind one imaginary load balancer: client i talks to urls[i % n] (default: url alone). */
  urls?: readonly string[];
  bareUrl: string;
  /** A route of the host that does no work (the floor): the same burst as the bare route is sent to `url` + this path. */
  floorPath?: string;
  clients: number;
  serviceId: string;
  day: string;
}

export interface RushResult {
  attempts: number;
  held: number;
  soldOut: number;
  errors: number;
  rushMs: number;
  latenciesMs: number[];
  healthMs: number[];
  bareRequests: number;
  bareMs: number;
  /** Latency of each bare-route request, and of health probes sent to the bare server meanwhile. */
  bareLatenciesMs: number[];
  bareHealthMs: number[];
  /** The same burst against the host's no-work route (only with `floorPath`). */
  floorRequests: number;
  floorMs: number;
  floorLatenciesMs: number[];
}

interface Answer {
  status: number;
  body: any;
}

function call(agent: Agent, url: string, method: 'GET' | 'POST', path: string, ip: string, body?: unknown): Promise<Answer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url + path,
      { agent, method, headers: { 'x-forwarded-for': ip, ...(data === undefined ? {} : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) }) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: text === '' ? null : JSON.parse(text) });
        });
      },
    );
    req.on('error', reject);
    if (data !== undefined) req.write(data);
    req.end();
  });
}

/** `GET /api/health` every 10 ms, each latency into `sink`, until stopped. */
function probeHealth(agent: Agent, url: string, sink: number[]): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      await call(agent, url, 'GET', '/api/health', '10.255.255.254');
      sink.push(performance.now() - t0);
      await new Promise((res) => setTimeout(res, 10));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

const ipOf = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

async function rush(plan: RushPlan): Promise<RushResult> {
  const agents = Array.from({ length: plan.clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  const slotsPath = `/api/v1/booking/services/${plan.serviceId}/days/${plan.day}/slots`;
  const hosts = plan.urls ?? [plan.url];
  const urlOf = (i: number): string => hosts[i % hosts.length]!;
  // Everyone connects and looks at the day before the release instant (one GET each opens the connection).
  const first = await Promise.all(agents.map((a, i) => call(a, urlOf(i), 'GET', slotsPath, ipOf(i))));
  const initial = (first[0]!.body as { slots: { id: string; free: number }[] }).slots;
  const r: RushResult = { attempts: 0, held: 0, soldOut: 0, errors: 0, rushMs: 0, latenciesMs: [], healthMs: [], bareRequests: 0, bareMs: 0, bareLatenciesMs: [], bareHealthMs: [], floorRequests: 0, floorMs: 0, floorLatenciesMs: [] };
  const healthAgent = new Agent({ keepAlive: true, maxSockets: 1 });
  const health = probeHealth(healthAgent, plan.url, r.healthMs);
  const client = async (i: number): Promise<void> => {
    const agent = agents[i]!;
    const ip = ipOf(i);
    let slots = initial.filter((s) => s.free > 0);
    let pick = i % Math.max(1, slots.length);
    for (;;) {
      const slot = slots[pick % Math.max(1, slots.length)];
      if (slot === undefined) {
        r.soldOut++;
        return;
      }
      const t0 = performance.now();
      const a = await call(agent, urlOf(i), 'POST', '/api/v1/booking/holds', ip, { slotId: slot.id, name: `Client ${i}`, email: `client${i}@example.org`, channel: 'email' });
      r.latenciesMs.push(performance.now() - t0);
      r.attempts++;
      if (a.status === 201) {
        r.held++;
        return;
      }
      const code = (a.body as { error?: { code?: string } } | null)?.error?.code;
      if (code === 'DAY_SOLD_OUT') {
        r.soldOut++;
        return;
      }
      if (code !== 'SLOT_TAKEN') {
        r.errors++;
        if (r.errors < 5) process.stderr.write(`  unexpected answer ${a.status}: ${JSON.stringify(a.body)}\n`);
        return;
      }
      // Turned away: look again and try another free time.
      const again = await call(agent, urlOf(i), 'GET', slotsPath, ip);
      slots = (again.body as { slots: { id: string; free: number }[] }).slots.filter((s) => s.free > 0);
      pick = i;
    }
  };
  const t0 = performance.now();
  await Promise.all(agents.map((_, i) => client(i)));
  r.rushMs = performance.now() - t0;
  await health.stop();
  // The host measures its own CPU time up to here (the bare server below runs in its process too).
  await new Promise<void>((resolve) => process.send!({ rushDone: true }, () => resolve()));
  const perClient = Math.max(1, Math.round(r.attempts / plan.clients));
  const hold = (i: number) => ({ slotId: initial[0]!.id, name: `Client ${i}`, email: `client${i}@example.org`, channel: 'email' });
  // The baseline: a bare Fastify POST with the same body, as many requests from as many connections.
  const bareHealth = probeHealth(healthAgent, plan.bareUrl, r.bareHealthMs);
  const bare = await burst(plan.clients, perClient, plan.bareUrl, '/api/v1/booking/holds', hold);
  await bareHealth.stop();
  Object.assign(r, { bareRequests: bare.requests, bareMs: bare.ms, bareLatenciesMs: bare.latenciesMs });
  if (plan.floorPath !== undefined) {
    // The floor: the host's whole request stack (its hooks, rate limit, body schema) on a route doing no work.
    const floor = await burst(plan.clients, perClient, plan.url, plan.floorPath, hold);
    Object.assign(r, { floorRequests: floor.requests, floorMs: floor.ms, floorLatenciesMs: floor.latenciesMs });
  }
  for (const a of [...agents, healthAgent]) a.destroy();
  return r;
}

/** `clients` fresh keep-alive connections (opened first), each sending `perClient` POSTs one after another, all at once. */
async function burst(clients: number, perClient: number, url: string, path: string, body: (i: number) => unknown): Promise<{ requests: number; ms: number; latenciesMs: number[] }> {
  const agents = Array.from({ length: clients }, () => new Agent({ keepAlive: true, maxSockets: 1 }));
  await Promise.all(agents.map((a, i) => call(a, url, 'GET', '/', ipOf(i)).catch(() => null)));
  const latenciesMs: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    agents.map(async (a, i) => {
      for (let k = 0; k < perClient; k++) {
        const s = performance.now();
        await call(a, url, 'POST', path, ipOf(i), body(i));
        latenciesMs.push(performance.now() - s);
      }
    }),
  );
  const ms = performance.now() - t0;
  for (const a of agents) a.destroy();
  return { requests: latenciesMs.length, ms, latenciesMs };
}

process.once('message', (message) => {
  rush(message as RushPlan).then(
    (r) => process.send!(r, () => process.disconnect()),
    (error: unknown) => {
      process.stderr.write(`rush client failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
});

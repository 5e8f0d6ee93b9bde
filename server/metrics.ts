import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { LoggedEvent } from '../core/shared/events.ts';
import { PRINTER_STATES } from '../core/queue/printer.ts';
import { errorBody } from './errors.ts';

/**
 * What `/metrics` reports, read when Prometheus scrapes (never on the request path of a lobby).
 * Every figure is labelled with the office: one install serves several.
 */
export interface MetricsSources {
  offices(): Promise<readonly { id: string }[]> | readonly { id: string }[];
  /** Waiting tickets and the oldest arrival per service of an office. */
  load(officeId: string): Promise<readonly { serviceId: string; waiting: number; oldestArrivedAt: number | null }[]> | readonly { serviceId: string; waiting: number; oldestArrivedAt: number | null }[];
  /** Each kiosk's printer state as its print agent last reported it. */
  printers(officeId: string): Promise<readonly { deviceId: string; state: string }[]> | readonly { deviceId: string; state: string }[];
  /** Messages by office, channel and delivery state (`retrying`: pending after a failed attempt). */
  outbox(): Promise<readonly { officeId: string; channel: string; state: string; count: number }[]> | readonly { officeId: string; channel: string; state: string; count: number }[];
  now(): number;
}

/** What the host configures: who may scrape, and the outbox figures (read from its store). */
export interface MetricsConfig {
  /**
   * Addresses and ranges (`127.0.0.1`, `10.0.0.0/8`, `fd00::/8`) whose scrapes are answered; any
   * other caller gets 404, as if there were no such page. Loopback only when not configured.
   */
  allow: readonly string[];
  /** When set, a scrape must also carry `Authorization: Bearer <token>`. */
  token?: string;
  outbox: MetricsSources['outbox'];
}

export interface MetricsOptions extends Omit<MetricsConfig, 'outbox'> {
  sources: MetricsSources;
  /** Events after each durable commit: counts calls as they happen. */
  onCommit(listener: (events: readonly LoggedEvent[]) => void): () => void;
}

export const DEFAULT_METRICS_ALLOW = ['127.0.0.1', '::1'] as const;

/** Parses `--metrics-from` entries; throws on one that is neither an address nor a range. */
export function metricsBlockList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const raw of entries) {
    const entry = raw.trim();
    const [address, bits] = entry.split('/');
    const type = address !== undefined && isIPv4(address) ? 'ipv4' : address !== undefined && isIPv6(address) ? 'ipv6' : null;
    if (type === null) throw new Error(`not an IP address or range: ${entry}`);
    if (bits === undefined) list.addAddress(address!, type);
    else {
      const prefix = Number(bits);
      if (!Number.isInteger(prefix) || prefix < 0 || prefix > (type === 'ipv4' ? 32 : 128)) throw new Error(`bad prefix length: ${entry}`);
      list.addSubnet(address!, prefix, type);
    }
  }
  return list;
}

/** Compared by digest in constant time: the token's length and prefix are not timed out of it. */
const sameSecret = (a: string, b: string): boolean =>
  timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest());

/** An IPv4 peer seen through a dual-stack socket arrives as `::ffff:a.b.c.d`. */
function peer(req: FastifyRequest): { address: string; type: 'ipv4' | 'ipv6' } {
  const raw = req.socket.remoteAddress ?? '';
  const mapped = raw.startsWith('::ffff:') && isIPv4(raw.slice(7)) ? raw.slice(7) : raw;
  return { address: mapped, type: isIPv4(mapped) ? 'ipv4' : 'ipv6' };
}

/**
 * Prometheus metrics at `/metrics`: queue lengths and oldest wait per service, calls, printer
 * states, outbox backlog, HTTP latency and the Node runtime's own (event-loop lag, memory). Not
 * part of the public API: answered only to the configured address ranges (the peer address, never
 * a forwarded header a client can write), plus the bearer token when one is set.
 */
export function registerMetrics(app: FastifyInstance, options: MetricsOptions): void {
  const allowed = metricsBlockList(options.allow);
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'fronta_' });
  const { sources } = options;

  new Gauge({
    name: 'fronta_queue_waiting',
    help: 'Tickets waiting, per service',
    labelNames: ['office', 'service'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const office of await sources.offices()) {
        for (const l of await sources.load(office.id)) this.set({ office: office.id, service: l.serviceId }, l.waiting);
      }
    },
  });
  new Gauge({
    name: 'fronta_queue_oldest_wait_seconds',
    help: 'How long the longest-waiting ticket of a service has waited (0 when none waits)',
    labelNames: ['office', 'service'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const now = sources.now();
      for (const office of await sources.offices()) {
        for (const l of await sources.load(office.id)) {
          this.set({ office: office.id, service: l.serviceId }, l.oldestArrivedAt === null ? 0 : Math.max(0, (now - l.oldestArrivedAt) / 1000));
        }
      }
    },
  });
  new Gauge({
    name: 'fronta_printer_state',
    help: "1 for each kiosk's current printer state (ok, near_end, paper_end, cover_open, offline, error, no_agent...)",
    labelNames: ['office', 'device', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const office of await sources.offices()) {
        for (const p of await sources.printers(office.id)) {
          for (const state of PRINTER_STATES) this.set({ office: office.id, device: p.deviceId, state }, p.state === state ? 1 : 0);
        }
      }
    },
  });
  new Gauge({
    name: 'fronta_outbox_messages',
    help: 'Messages in the outbox by delivery state: pending, retrying (pending after a failure), sending, failed (given up)',
    labelNames: ['office', 'channel', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const o of await sources.outbox()) this.set({ office: o.officeId, channel: o.channel, state: o.state }, o.count);
    },
  });
  const calls = new Counter({
    name: 'fronta_calls_total',
    help: 'Tickets called to a counter (recalls included), since the host started',
    labelNames: ['office'] as const,
    registers: [registry],
  });
  options.onCommit((events) => {
    for (const e of events) if (e.type === 'ticket:called') calls.inc({ office: e.officeId });
  });
  const latency = new Histogram({
    name: 'fronta_http_request_duration_seconds',
    help: 'HTTP answers by route pattern (not the URL: ids must not become labels) and status class',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // Callback hook: an async one costs a promise per request.
  app.addHook('onResponse', (req, reply, done) => {
    const route = req.routeOptions.url;
    if (route !== undefined) latency.observe({ method: req.method, route, status: `${Math.floor(reply.statusCode / 100)}xx` }, reply.elapsedTime / 1000);
    done();
  });

  app.get('/metrics', { config: { auth: 'public' } }, async (req, reply) => {
    const { address, type } = peer(req);
    const tokenOk = options.token === undefined || sameSecret(req.headers.authorization ?? '', `Bearer ${options.token}`);
    // Refused callers learn nothing, not even that metrics exist here.
    if (!allowed.check(address, type) || !tokenOk) return reply.status(404).send(errorBody(req.t, 'NOT_FOUND'));
    return reply.type(registry.contentType).send(await registry.metrics());
  });
}

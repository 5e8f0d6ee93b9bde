import parsePrometheusTextFormat, { type PromFamily } from 'parse-prometheus-text-format';
import { io } from 'socket.io-client';
import { AGENT_NAMESPACE } from '../contracts/print.ts';
import { createDevice } from '../server/provisioning.ts';
import { afterEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost, type TestStore } from './helpers/harness.ts';

/**
 * `/metrics` speaks Prometheus' text format (read back with an independent parser) about what an
 * office's operator watches — lines, oldest waits, calls, printers, outbox, latency — and answers
 * only the configured addresses (and the token when one is set). Everyone else finds no such page.
 */

let h: TestHost;
afterEach(async () => {
  await h.close();
});

const start = (store: TestStore, token?: string) =>
  startTestHost({ store, metrics: (_db, stores) => ({ allow: ['127.0.0.1', '10.20.0.0/16', 'fd00::/8'], ...(token === undefined ? {} : { token }), outbox: stores.outboxCounts }) });

const scrape = (remoteAddress: string, headers: Record<string, string> = {}) => h.app.inject({ url: '/metrics', remoteAddress, headers });

const family = (families: PromFamily[], name: string): PromFamily => {
  const f = families.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no ${name} among ${families.map((x) => x.name).join(', ')}`);
  return f;
};
const sample = (f: PromFamily, labels: Record<string, string>): number => {
  const s = f.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  if (s === undefined) throw new Error(`${f.name} has no sample ${JSON.stringify(labels)}: ${JSON.stringify(f.metrics)}`);
  return Number(s.value);
};

describe.each(BOTH_STORES)('Prometheus metrics on %s', (store) => {
  it('reports waiting lines, the oldest wait, calls and latency per office, in the text format', async () => {
    h = await start(store);
    const kiosk = { authorization: `Bearer ${h.kioskToken}` };
    for (const serviceId of ['o1-s1', 'o1-s1', 'o1-s2']) {
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk, payload: { serviceId } })).statusCode).toBe(201);
    }
    h.clock.advance(90_000);
    const clerk = { cookie: h.cookie('clerk1') };
    await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/open', headers: clerk });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/call-next', headers: clerk })).statusCode).toBe(200);

    const res = await scrape('127.0.0.1');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const families = parsePrometheusTextFormat(res.body);

    const waiting = family(families, 'fronta_queue_waiting');
    expect(waiting.type).toBe('GAUGE');
    // A001 was called: one A and one B wait.
    expect(sample(waiting, { office: 'o1', service: 'o1-s1' })).toBe(1);
    expect(sample(waiting, { office: 'o1', service: 'o1-s2' })).toBe(1);
    expect(sample(waiting, { office: 'o1', service: 'o1-s3' })).toBe(0);
    expect(sample(family(families, 'fronta_queue_oldest_wait_seconds'), { office: 'o1', service: 'o1-s1' })).toBe(90);
    expect(sample(family(families, 'fronta_calls_total'), { office: 'o1' })).toBe(1);

    const latency = family(families, 'fronta_http_request_duration_seconds');
    expect(latency.type).toBe('HISTOGRAM');
    // The parser folds a histogram's label sets together: its count is read off the line itself.
    expect(res.body).toMatch(/^fronta_http_request_duration_seconds_count\{method="POST",route="\/api\/v1\/tickets",status="2xx"\} 3$/m);
    // Route patterns, never URLs: ids (a ticket's is a secret link) stay out of the labels.
    expect(res.body).not.toMatch(/route="[^"]*o1-c1/);
    expect(family(families, 'fronta_nodejs_eventloop_lag_seconds').type).toBe('GAUGE');
    expect(family(families, 'fronta_outbox_messages').type).toBe('GAUGE');
  });

  it('gives each printing kiosk’s printer state: no agent, then what its agent reports, then no agent again', async () => {
    h = await start(store);
    const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const { device, token } = await createDevice(h.stores.people, { clock: h.clock, ids: { ticketId: () => 'unused', entityId: (p) => `${p}_hall` } }, {
      officeId: 'o1',
      kind: 'kiosk',
      name: 'Hall kiosk',
      printer: 'agent',
    });
    const states = async (): Promise<Record<string, number>> => {
      const f = family(parsePrometheusTextFormat((await scrape('127.0.0.1')).body), 'fronta_printer_state');
      expect(f.type).toBe('GAUGE');
      return Object.fromEntries(f.metrics.filter((m) => m.labels?.['device'] === device.id && m.labels['office'] === 'o1').map((m) => [m.labels!['state']!, Number(m.value)]));
    };
    const only = (state: string) => async () => {
      const s = await states();
      return Object.entries(s).filter(([, v]) => v === 1).map(([k]) => k).join(',') + (s[state] === 1 ? '' : ` (not ${state})`);
    };
    expect(await only('no_agent')()).toBe('no_agent');

    const agent = io(new URL(AGENT_NAMESPACE, base).toString(), { auth: { token }, transports: ['websocket'] });
    try {
      await new Promise<void>((resolve) => agent.on('connect', () => resolve()));
      agent.emit('printer:status' as never, { state: 'near_end', isPaperNearEnd: true });
      await expect.poll(only('near_end')).toBe('near_end');
      agent.emit('printer:status' as never, { state: 'paper_end', isPaperNearEnd: false });
      await expect.poll(only('paper_end')).toBe('paper_end');
      // One series per known state, each 0 but the current one.
      expect(Object.keys(await states()).length).toBeGreaterThanOrEqual(6);
    } finally {
      agent.disconnect();
    }
    await expect.poll(only('no_agent')).toBe('no_agent');
  });

  it('answers the configured ranges only, and nobody else learns the page exists', async () => {
    h = await start(store);
    expect((await scrape('10.20.7.9')).statusCode).toBe(200);
    expect((await scrape('::ffff:10.20.7.9')).statusCode, 'IPv4 through a dual-stack socket').toBe(200);
    expect((await scrape('fd00::1')).statusCode).toBe(200);
    for (const outsider of ['10.21.0.1', '192.168.1.5', '2001:db8::1', '8.8.8.8']) {
      const res = await scrape(outsider);
      expect(res.statusCode, outsider).toBe(404);
      expect(res.json().error.code).toBe('NOT_FOUND');
    }
    // A forwarded header is the client's to write: it opens nothing.
    expect((await scrape('192.168.1.5', { 'x-forwarded-for': '127.0.0.1' })).statusCode).toBe(404);
  });

  it('wants the bearer token as well when one is set', async () => {
    h = await start(store, 's3cret-scrape-token');
    expect((await scrape('127.0.0.1')).statusCode).toBe(404);
    expect((await scrape('127.0.0.1', { authorization: 'Bearer wrong' })).statusCode).toBe(404);
    expect((await scrape('127.0.0.1', { authorization: 'Bearer s3cret-scrape-token' })).statusCode).toBe(200);
    expect((await scrape('8.8.8.8', { authorization: 'Bearer s3cret-scrape-token' })).statusCode).toBe(404);
  });
});

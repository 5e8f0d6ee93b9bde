import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../drivers/webhooks/http-sender.ts';
import { createWebhooks, type WebhookRuntime } from '../host/webhooks.ts';
import { testKeyed } from './helpers/booking.ts';
import { startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * Another system's receiver, written the way its authors would from our documentation alone:
 * it checks `Fronta-Signature` with its own HMAC code, drops events whose `Fronta-Event-Id` it
 * already has, and can be down (not listening), slow (answers after the sender gave up) or
 * flapping (errors, cut connections, answers lost after the event was taken).
 */
class Receiver {
  mode: 'up' | 'slow' | 'flapping' = 'up';
  secret = '';
  /** Event ids in the order first taken, with their bodies. */
  readonly taken: { id: string; type: string; body: Record<string, unknown> }[] = [];
  duplicates = 0;
  badSignatures = 0;
  requests = 0;
  private server: Server | null = null;
  port = 0;

  private handle(req: IncomingMessage, res: ServerResponse, raw: string): void {
    this.requests++;
    const n = this.requests;
    if (this.mode === 'flapping' && n % 4 === 1) return void res.writeHead(503).end('busy');
    if (this.mode === 'flapping' && n % 4 === 2) return void req.socket.destroy();
    if (!this.verify(String(req.headers['fronta-signature'] ?? ''), raw)) {
      this.badSignatures++;
      return void res.writeHead(401).end();
    }
    const id = String(req.headers['fronta-event-id']);
    if (this.taken.some((t) => t.id === id)) this.duplicates++;
    else {
      const body = JSON.parse(raw) as { type: string } & Record<string, unknown>;
      this.taken.push({ id, type: body.type, body });
    }
    // Taken, but the answer never reaches the sender: it must try again, and we must drop the copy.
    if (this.mode === 'flapping' && n % 4 === 3) return void req.socket.destroy();
    // Slow: every other answer comes after the sender gave up waiting (300 ms).
    if (this.mode === 'slow') return void setTimeout(() => res.writeHead(200).end('ok'), n % 2 === 0 ? 600 : 100);
    res.writeHead(200).end('ok');
  }

  private verify(header: string, raw: string): boolean {
    const parts = Object.fromEntries(header.split(',').map((kv) => kv.split('=') as [string, string]));
    if (parts['t'] === undefined || parts['v1'] === undefined) return false;
    const expected = createHmac('sha256', this.secret).update(`${parts['t']}.${raw}`).digest();
    const given = Buffer.from(parts['v1'], 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  }

  async up(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.handle(req, res, Buffer.concat(chunks).toString('utf8')));
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (s === null) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let h: TestHost;
let runtime: WebhookRuntime;
const receiver = new Receiver();
const start = (parts: Pick<TestHost, 'db' | 'queue' | 'clock'> = h): WebhookRuntime =>
  createWebhooks({ ...parts, ids: { ticketId: () => '', entityId: (p) => `${p}_${Math.random().toString(36).slice(2)}` }, keyed: testKeyed(), allowLoopback: true, intervalMs: 5, timeoutMs: 300 });

beforeAll(async () => {
  await receiver.up();
  h = await startTestHost({
    webhooks: (parts) => {
      runtime = start(parts);
      return runtime.server;
    },
  });
  runtime.start();
});

afterAll(async () => {
  await runtime.stop();
  await receiver.down();
  await h.close();
});

const post = (user: string, url: string, payload?: object) =>
  h.app.inject({ method: 'POST', url, headers: { cookie: h.cookie(user) }, ...(payload === undefined ? {} : { payload }) });
const issue = (serviceId: string) => h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId } });

/** Tickets issued, called, served and marked no-show at two counters: the office's day in small. */
async function officeWork(tickets: number): Promise<void> {
  for (let i = 0; i < tickets; i++) expect((await issue(i % 2 === 0 ? 'o1-s1' : 'o1-s2')).statusCode).toBe(201);
  for (let i = 0; i < tickets / 2; i++) {
    await post('clerk1', '/api/v1/counters/o1-c1/call-next');
    await post('clerk2', '/api/v1/counters/o1-c2/call-next');
  }
  await post('clerk1', '/api/v1/counters/o1-c1/no-show');
  await post('clerk2', '/api/v1/counters/o1-c2/finish');
}

/** Subscribed events of the office's log after `from`, read from the database (what must arrive). */
const expectedIds = (from: number): string[] =>
  (
    h.db
      .prepare(
        `SELECT id FROM events WHERE office_id = 'o1' AND id > ? AND (type IN ('ticket:issued', 'ticket:called')
         OR (type = 'ticket:changed' AND json_extract(payload, '$.ticket.state') IN ('done', 'no_show'))) ORDER BY id`,
      )
      .all(from) as { id: number }[]
  ).map((r) => String(r.id));

/** Moves the fake clock a step at a time (the back-off's waits), letting real deliveries happen, until `done`. */
async function runUntil(done: () => boolean, stepMs: number, maxSteps: number): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) {
    h.clock.advance(stepMs);
    await sleep(15);
  }
}

describe('outgoing webhooks against a real receiver', () => {
  it('deliver every event once after dedupe, signed and in order, through a flapping, a down (an hour, with a restart) and a slow receiver', async () => {
    const created = await post('admin', '/api/v1/offices/o1/webhooks', { url: `http://127.0.0.1:${receiver.port}/fronta`, eventTypes: ['ticket.issued', 'ticket.called', 'ticket.served', 'ticket.no_show'] });
    expect(created.statusCode).toBe(201);
    receiver.secret = created.json().secret;
    const from = (created.json().webhook as { cursor: number }).cursor;
    for (const c of ['o1-c1', 'o1-c2']) await post(c === 'o1-c1' ? 'clerk1' : 'clerk2', `/api/v1/counters/${c}/open`);

    // Flapping: errors, cut connections, answers lost after the event was taken.
    receiver.mode = 'flapping';
    await officeWork(6);
    await runUntil(() => receiver.taken.length === expectedIds(from).length, 15_000, 400);
    expect(receiver.taken.map((t) => t.id)).toEqual(expectedIds(from));
    expect(receiver.duplicates).toBeGreaterThan(0);
    const duplicatesBefore = receiver.duplicates;

    // Down for an hour; the host's delivery loop is restarted meanwhile: nothing is lost.
    await receiver.down();
    const before = receiver.taken.length;
    await officeWork(6);
    await runUntil(() => false, 60_000, 30);
    await runtime.stop();
    runtime = start();
    runtime.start();
    await runUntil(() => false, 60_000, 30);
    expect(receiver.taken.length).toBe(before);
    receiver.mode = 'up';
    await receiver.up();
    await runUntil(() => receiver.taken.length === expectedIds(from).length, 60_000, 200);
    expect(receiver.taken.map((t) => t.id)).toEqual(expectedIds(from));

    // Slow: every answer comes after the sender gave up; the receiver drops the copies.
    receiver.mode = 'slow';
    await officeWork(4);
    const delivered = (): number => (h.db.prepare(`SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'delivered'`).get() as { n: number }).n;
    await runUntil(() => delivered() === expectedIds(from).length, 15_000, 600);

    expect(receiver.duplicates).toBeGreaterThan(duplicatesBefore);
    const ids = receiver.taken.map((t) => Number(t.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(receiver.taken.map((t) => t.id)).toEqual(expectedIds(from));
    expect(receiver.badSignatures).toBe(0);
    expect(new Set(receiver.taken.map((t) => t.type))).toEqual(new Set(['ticket.issued', 'ticket.called', 'ticket.served', 'ticket.no_show']));
    // Nothing personal unless asked for: no ticket id (it opens the ticket's page), no clerk.
    for (const t of receiver.taken) expect(Object.keys(t.body['data'] as object)).not.toContain('ticketId');

    const list = await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/webhook-deliveries', headers: { cookie: h.cookie('admin') } });
    const deliveries = list.json().deliveries as { state: string; attempts: number; attemptLog: { status: number | null }[] }[];
    expect(deliveries.length).toBe(receiver.taken.length);
    expect(deliveries.every((d) => d.state === 'delivered')).toBe(true);
    expect(deliveries.some((d) => d.attempts > 1 && d.attemptLog.some((a) => a.status === null))).toBe(true);
    expect(deliveries.some((d) => d.attemptLog.some((a) => a.status === 503))).toBe(true);
  }, 120_000);

  it('refuses at delivery a name that now resolves into a private network, and connects only to the address it checked', async () => {
    const base = { body: '{}', eventId: '1', eventType: 'ping', secret: 's', now: h.clock.now(), timeoutMs: 1000 };
    const before = receiver.requests;
    const rebound = await postWebhook({ ...base, url: `http://hooks.fronta.test:${receiver.port}/`, policy: { allowPrivate: false, allowLoopback: true } }, () => Promise.resolve(['10.0.0.7']));
    expect(rebound).toMatchObject({ status: null, error: 'address refused: 10.0.0.7' });
    const mixed = await postWebhook({ ...base, url: `http://hooks.fronta.test:${receiver.port}/`, policy: { allowPrivate: false, allowLoopback: true } }, () => Promise.resolve(['127.0.0.1', 'fd00::7']));
    expect(mixed.error).toBe('address refused: fd00::7');
    expect(receiver.requests).toBe(before);
    // hooks.fronta.test exists in no DNS: an answer proves the connection went to the checked address.
    const pinned = await postWebhook({ ...base, url: `http://hooks.fronta.test:${receiver.port}/`, policy: { allowPrivate: false, allowLoopback: true } }, () => Promise.resolve(['127.0.0.1']));
    expect(pinned.status).toBe(401); // our test secret is not the receiver's
  });
});

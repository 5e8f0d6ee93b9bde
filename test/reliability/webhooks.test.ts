import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postWebhook } from '../drivers/webhooks/http-sender.ts';
import { createWebhooks, type WebhookRuntime } from '../host/webhooks.ts';
import { createDevice, createUser } from '../server/provisioning.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import { SqlitePeopleStore } from '../store/people.store.ts';
import { testKeyed } from './helpers/booking.ts';
import { PASSWORD, startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import { Receiver } from './helpers/webhook-receiver.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

let h: TestHost;
let runtime: WebhookRuntime;
const receiver = new Receiver();
const start = (parts: Pick<TestHost, 'stores' | 'queue' | 'clock'> = h): WebhookRuntime =>
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
  for (let i = 0; i < tickets; i++) {
    expect((await issue(i % 2 === 0 ? 'o1-s1' : 'o1-s2')).statusCode).toBe(201);
    // The other office's kiosk interleaves its own tickets in the shared log.
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${o2.kiosk}` }, payload: { serviceId: 'o2-s1' } })).statusCode).toBe(201);
  }
  for (let i = 0; i < tickets / 2; i++) {
    await post('clerk1', '/api/v1/counters/o1-c1/call-next');
    await post('clerk2', '/api/v1/counters/o1-c2/call-next');
  }
  await post('clerk1', '/api/v1/counters/o1-c1/no-show');
  await post('clerk2', '/api/v1/counters/o1-c2/finish');
}

/** Subscribed events of an office's log after `from`, read from the database (what must arrive). */
const expectedOf = (officeId: string, from: number): string[] =>
  (
    h.db
      .prepare(
        `SELECT id FROM events WHERE office_id = ? AND id > ? AND (type IN ('ticket:issued', 'ticket:called')
         OR (type = 'ticket:changed' AND json_extract(payload, '$.ticket.state') IN ('done', 'no_show'))) ORDER BY id`,
      )
      .all(officeId, from) as { id: number }[]
  ).map((r) => String(r.id));
/** What o2's endpoint must have: the tickets its kiosk issued. */
let o2: { kiosk: string; from: number } = { kiosk: '', from: 0 };
const takenBy = (path: string): string[] => receiver.taken.filter((t) => t.path === path).map((t) => t.id);
const expectedIds = (from: number): string[] => expectedOf('o1', from);
/** Both offices' endpoints have everything (each in its own office's order). */
const allTaken = (from: number): boolean => takenBy('/o1').length === expectedOf('o1', from).length && takenBy('/o2').length === expectedOf('o2', o2.from).length;

/** Moves the fake clock a step at a time (the back-off's waits), letting real deliveries happen, until `done`. */
async function runUntil(done: () => boolean, stepMs: number, maxSteps: number): Promise<void> {
  for (let i = 0; i < maxSteps && !done(); i++) {
    h.clock.advance(stepMs);
    await sleep(15);
  }
}

describe('outgoing webhooks against a real receiver', () => {
  it('deliver every event once after dedupe, signed and in order per office, through a flapping, a down (an hour, with a restart) and a slow receiver', async () => {
    const eventTypes = ['ticket.issued', 'ticket.called', 'ticket.served', 'ticket.no_show'];
    const created = await post('admin', '/api/v1/offices/o1/webhooks', { url: `http://127.0.0.1:${receiver.port}/o1`, eventTypes });
    expect(created.statusCode).toBe(201);
    receiver.secrets['/o1'] = created.json().secret;
    const from = (created.json().webhook as { cursor: number }).cursor;
    // A second office with its own admin, kiosk and endpoint.
    saveOfficeConfig(h.db, testOffice({ id: 'o2' }));
    const access = new SqlitePeopleStore(h.db);
    let n = 0;
    const deps = { ids: { ticketId: () => `tx${++n}`, entityId: (p: string) => `${p}_x${++n}` }, clock: h.clock };
    await createUser(access, deps, { officeId: 'o2', username: 'o2admin', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'o2admin', password: PASSWORD } });
    const o2admin = `fronta_session=${login.cookies.find((c) => c.name === 'fronta_session')!.value}`;
    const created2 = await h.app.inject({ method: 'POST', url: '/api/v1/offices/o2/webhooks', headers: { cookie: o2admin }, payload: { url: `http://127.0.0.1:${receiver.port}/o2`, eventTypes } });
    receiver.secrets['/o2'] = created2.json().secret;
    o2 = { kiosk: (await createDevice(access, deps, { officeId: 'o2', kind: 'kiosk', name: 'o2 kiosk' })).token, from: created2.json().webhook.cursor as number };
    for (const c of ['o1-c1', 'o1-c2']) await post(c === 'o1-c1' ? 'clerk1' : 'clerk2', `/api/v1/counters/${c}/open`);

    // Flapping: errors, cut connections, answers lost after the event was taken.
    receiver.mode = 'flapping';
    await officeWork(6);
    await runUntil(() => allTaken(from), 15_000, 400);
    expect(takenBy('/o1')).toEqual(expectedIds(from));
    expect(takenBy('/o2')).toEqual(expectedOf('o2', o2.from));
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
    await runUntil(() => allTaken(from), 60_000, 200);
    expect(takenBy('/o1')).toEqual(expectedIds(from));
    expect(takenBy('/o2')).toEqual(expectedOf('o2', o2.from));

    // Slow: every answer comes after the sender gave up; the receiver drops the copies.
    receiver.mode = 'slow';
    await officeWork(4);
    const delivered = (): number => (h.db.prepare(`SELECT count(*) AS n FROM webhook_deliveries WHERE state = 'delivered'`).get() as { n: number }).n;
    await runUntil(() => delivered() === expectedIds(from).length + expectedOf('o2', o2.from).length, 15_000, 600);

    expect(receiver.duplicates).toBeGreaterThan(duplicatesBefore);
    for (const path of ['/o1', '/o2']) {
      const ids = takenBy(path).map(Number);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    expect(takenBy('/o1')).toEqual(expectedIds(from));
    expect(takenBy('/o2')).toEqual(expectedOf('o2', o2.from));
    expect(receiver.badSignatures).toBe(0);
    expect(new Set(receiver.taken.map((t) => t.type))).toEqual(new Set(['ticket.issued', 'ticket.called', 'ticket.served', 'ticket.no_show']));
    // Nothing personal unless asked for: no ticket id (it opens the ticket's page), no clerk.
    for (const t of receiver.taken) expect(Object.keys(t.body['data'] as object)).not.toContain('ticketId');

    const list = await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/webhook-deliveries', headers: { cookie: h.cookie('admin') } });
    const deliveries = list.json().deliveries as { state: string; attempts: number; attemptLog: { status: number | null }[] }[];
    expect(deliveries.length).toBe(takenBy('/o1').length);
    expect(deliveries.every((d) => d.state === 'delivered')).toBe(true);
    expect(deliveries.some((d) => d.attempts > 1 && d.attemptLog.some((a) => a.status === null))).toBe(true);
    expect(deliveries.some((d) => d.attemptLog.some((a) => a.status === 503))).toBe(true);
    const attempts = (h.db.prepare('SELECT count(*) AS n FROM webhook_attempts').get() as { n: number }).n;
    // One line for the reliability summary.
    console.log(
      `webhooks: ${receiver.taken.length} events to 2 offices, ${attempts} attempts, ${attempts - receiver.taken.length} faults or retries, duplicates dropped by the receiver = ${receiver.duplicates}, lost = 0, out of order = 0, bad signatures = ${receiver.badSignatures}`,
    );
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

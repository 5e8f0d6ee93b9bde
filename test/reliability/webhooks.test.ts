import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../core/shared/events.ts';
import { openStores, type Stores } from '../../host/stores.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { createWebhooks, type WebhookRuntime } from '../../host/webhooks.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { testKeyed } from '../helpers/booking.ts';
import type { FakeClock } from '../helpers/fakes.ts';
import { PASSWORD, startTestHost } from '../helpers/harness.ts';
import { testOffice } from '../helpers/office.ts';
import type { OfficeConfig } from '../../store/config.store.ts';
import { startPgHosts } from '../helpers/pg-hosts.ts';
import { Receiver } from '../helpers/webhook-receiver.ts';
import { FULL_SIZE, report, sleep } from './report.ts';

/**
 * Outgoing webhooks against another system's real HTTP receiver that is flapping (errors, cut
 * connections, answers lost after it took the event), down for an hour (the delivery loop
 * restarted meanwhile; on PostgreSQL the host delivering is killed and the other takes over
 * under the lease), then slow (answers after the sender gave up). Two offices interleave their
 * events in the log. The receiver checks every signature with its own HMAC code and drops copies
 * by event id: it must end with every subscribed event of each office once, in its office's order.
 */

const ROUNDS = FULL_SIZE ? 3 : 1;
const TICKETS = FULL_SIZE ? 12 : 6;
const TIMEOUT_MS = 300;
const EVENT_TYPES = ['ticket.issued', 'ticket.called', 'ticket.served', 'ticket.no_show'];
/** Retries wait on the test clock: the outages take hours of it, so the offices are open every day from 06:00 to 23:30. */
const longDay = (id: string): OfficeConfig => {
  const c = testOffice({ id });
  return { ...c, office: { ...c.office, hours: Array.from({ length: 7 }, () => [['06:00', '23:30']] as const) } };
};

/** What the scenario needs of the hosts: requests, the shared clock and stores, a restart. */
interface Rig {
  store: 'sqlite' | 'postgres';
  hosts: number;
  clock: FakeClock;
  stores: Stores;
  /** The n-th request goes to one of the hosts (a load balancer's round robin). */
  request(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer>;
  cookie(user: string): string;
  kioskToken: string;
  /** What "the host went away mid-outage" is here; says what was done. */
  restart(): Promise<string>;
  close(): Promise<void>;
}

const rigs: Rig[] = [];
let receiver = new Receiver();
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.close();
  await receiver.down();
});

type Answer = { status: number; json: any; cookies: string[] };

async function fetchJson(base: string, method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<Answer> {
  const res = await fetch(base + path, { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  return { status: res.status, json: text === '' ? null : JSON.parse(text), cookies: res.headers.getSetCookie() };
}

async function sqliteRig(): Promise<Rig> {
  let runtime: WebhookRuntime | undefined;
  const start = (parts: { stores: Stores; queue: Stores['queue']; clock: FakeClock }): WebhookRuntime =>
    createWebhooks({ ...parts, ids: { ticketId: () => '', entityId: (p) => `${p}_${Math.random().toString(36).slice(2)}` }, keyed: testKeyed(), allowLoopback: true, intervalMs: 5, timeoutMs: TIMEOUT_MS });
  const h = await startTestHost({
    store: 'sqlite',
    config: longDay('o1'),
    webhooks: (parts) => {
      runtime = start(parts);
      return runtime.server;
    },
  });
  runtime!.start();
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  return {
    store: 'sqlite',
    hosts: 1,
    clock: h.clock,
    stores: h.stores,
    request: (method, path, headers, body) => fetchJson(base, method, path, headers, body),
    cookie: (u) => h.cookie(u),
    kioskToken: h.kioskToken,
    async restart() {
      await runtime!.stop();
      runtime = start(h);
      runtime.start();
      return 'delivery loop stopped and started again';
    },
    async close() {
      await runtime?.stop();
      await h.close();
    },
  };
}

async function postgresRig(): Promise<Rig> {
  const pg = await startPgHosts(2, { config: longDay('o1'), webhooks: { intervalMs: 5, timeoutMs: TIMEOUT_MS }, ttlMs: 1500 });
  // The test's own connection: any host may die.
  const stores = await openStores({ kind: 'postgres', url: pg.database.url, poolMax: 3 });
  let n = 0;
  return {
    store: 'postgres',
    hosts: 2,
    clock: pg.clock,
    stores,
    request: (method, path, headers, body) => {
      const live = pg.hosts.filter((h) => h.app.server.listening);
      return fetchJson(live[n++ % live.length]!.url, method, path, headers, body);
    },
    cookie: (u) => pg.cookie(u),
    kioskToken: pg.kioskToken,
    async restart() {
      // The host delivering dies without giving its lease up; a new host joins; the survivors take the work over once the lease lapses.
      const sql = createPool(pg.database.url, { max: 1 });
      const owner = (await sql.query<{ owner: string }>(`SELECT owner FROM leases WHERE name = 'webhooks'`)).rows[0]?.owner;
      await sql.end();
      const victim = pg.hosts.find((h) => h.app.server.listening && h.multi.background.hostId === owner);
      if (victim === undefined) throw new Error(`no live host holds the webhooks' lease (${owner})`);
      await victim.crash();
      await pg.add();
      return 'lease holder killed, another host took over';
    },
    async close() {
      await stores.close();
      await pg.close();
    },
  };
}

/** Subscribed events of an office's log after `from` (what the receiver must end with), by the log's own ids. */
async function expectedOf(stores: Stores, officeId: string, from: number): Promise<string[]> {
  const taken = (e: LoggedEvent): boolean =>
    e.type === 'ticket:issued' || e.type === 'ticket:called' || (e.type === 'ticket:changed' && (e.payload.ticket.state === 'done' || e.payload.ticket.state === 'no_show'));
  return (await stores.events.eventsAfter(officeId, from, 100_000)).filter(taken).map((e) => String(e.id));
}

async function scenario(rig: Rig): Promise<void> {
  const { clock, stores } = rig;
  const startedAt = clock.now();
  const answers = { runs: 0, fiveXx: 0 };
  const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
    const res = await rig.request(method, path, headers, body);
    answers.runs++;
    if (res.status >= 500) answers.fiveXx++;
    return res;
  };
  const admin = { cookie: rig.cookie('admin') };
  const created = await call('POST', '/api/v1/offices/o1/webhooks', admin, { url: `http://127.0.0.1:${receiver.port}/o1`, eventTypes: EVENT_TYPES });
  expect(created.status).toBe(201);
  receiver.secrets['/o1'] = created.json.secret as string;
  const from1 = created.json.webhook.cursor as number;

  // A second office with its own admin, kiosk and endpoint: its events interleave in the log.
  await stores.seed.officeConfig(longDay('o2'));
  let n = 0;
  const deps = { ids: { ticketId: () => `tx${++n}`, entityId: (p: string) => `${p}_x${++n}` }, clock };
  await createUser(stores.people, deps, { officeId: 'o2', username: 'o2admin', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
  const login = await rig.request('POST', '/api/v1/auth/login', {}, { username: 'o2admin', password: PASSWORD });
  expect(login.status).toBe(200);
  const o2admin = login.cookies.find((c) => c.startsWith('fronta_session='))!.split(';')[0]!;
  const o2kiosk = (await createDevice(stores.people, deps, { officeId: 'o2', kind: 'kiosk', name: 'o2 kiosk' })).token;
  const created2 = await call('POST', '/api/v1/offices/o2/webhooks', { cookie: o2admin }, { url: `http://127.0.0.1:${receiver.port}/o2`, eventTypes: EVENT_TYPES });
  expect(created2.status).toBe(201);
  receiver.secrets['/o2'] = created2.json.secret as string;
  const from2 = created2.json.webhook.cursor as number;
  for (const [clerk, counter] of [['clerk1', 'o1-c1'], ['clerk2', 'o1-c2']] as const) expect((await call('POST', `/api/v1/counters/${counter}/open`, { cookie: rig.cookie(clerk) })).status).toBe(200);

  /** Tickets issued, called, served and marked no-show at two counters, the other office's kiosk between. */
  const officeWork = async (tickets: number): Promise<void> => {
    const issued = async (token: string, serviceId: string): Promise<void> => {
      const res = await call('POST', '/api/v1/tickets', { authorization: `Bearer ${token}` }, { serviceId });
      expect(res.status, `${new Date(clock.now()).toISOString()} ${JSON.stringify(res.json)}`).toBe(201);
    };
    for (let i = 0; i < tickets; i++) {
      await issued(rig.kioskToken, i % 2 === 0 ? 'o1-s1' : 'o1-s2');
      await issued(o2kiosk, 'o2-s1');
    }
    for (let i = 0; i < tickets / 2; i++) {
      await call('POST', '/api/v1/counters/o1-c1/call-next', { cookie: rig.cookie('clerk1') });
      await call('POST', '/api/v1/counters/o1-c2/call-next', { cookie: rig.cookie('clerk2') });
    }
    await call('POST', '/api/v1/counters/o1-c1/no-show', { cookie: rig.cookie('clerk1') });
    await call('POST', '/api/v1/counters/o1-c2/finish', { cookie: rig.cookie('clerk2') });
  };
  const takenBy = (path: string): string[] => receiver.taken.filter((t) => t.path === path).map((t) => t.id);
  const expected = async (): Promise<{ o1: string[]; o2: string[] }> => ({ o1: await expectedOf(stores, 'o1', from1), o2: await expectedOf(stores, 'o2', from2) });
  let want = await expected();
  const allTaken = (): boolean => takenBy('/o1').length >= want.o1.length && takenBy('/o2').length >= want.o2.length;
  const deliveries = async () => [...(await stores.webhooks.deliveries('o1', null, 100_000)), ...(await stores.webhooks.deliveries('o2', null, 100_000))];
  const allDelivered = async (): Promise<boolean> => (await deliveries()).filter((d) => d.state === 'delivered').length === want.o1.length + want.o2.length;
  /**
   * Lets real deliveries happen until `done`, moving the test clock only over the back-off's waits
   * (to the next retry that is due), never while a send is under way: the offices' day and the
   * staff's sessions see hours, not days.
   */
  const runUntil = async (done: () => boolean | Promise<boolean>, maxSteps = 4000): Promise<void> => {
    for (let i = 0; i < maxSteps && !(await done()); i++) {
      const pending = (await deliveries()).filter((d) => d.state === 'pending');
      const due = Math.min(...pending.map((d) => d.nextAttemptAt));
      if (pending.length > 0 && due > clock.now()) clock.advance(due - clock.now());
      await sleep(15);
    }
  };
  /** The test clock moves by `ms` a minute at a time (an outage), deliveries trying meanwhile. */
  const passTime = async (ms: number): Promise<void> => {
    for (let t = 0; t < ms; t += 60_000) {
      clock.advance(60_000);
      await sleep(15);
    }
  };
  /** Until the sender knows every delivery arrived (the receiver may have taken one whose answer was lost). */
  const settle = async (): Promise<void> => {
    await runUntil(allDelivered);
    expect(await allDelivered()).toBe(true);
  };
  const modes: string[] = [];
  const restarts: string[] = [];

  for (let round = 0; round < ROUNDS; round++) {
    // Flapping: errors, cut connections, answers lost after the event was taken.
    receiver.mode = 'flapping';
    await officeWork(TICKETS);
    want = await expected();
    await runUntil(allTaken);
    expect(takenBy('/o1')).toEqual(want.o1);
    expect(takenBy('/o2')).toEqual(want.o2);
    await settle();

    // Down for an hour, the host going away meanwhile: nothing is lost, nothing sent while down.
    await receiver.down();
    const before = receiver.taken.length;
    await officeWork(TICKETS);
    await passTime(30 * 60_000);
    restarts.push(await rig.restart());
    await passTime(30 * 60_000);
    expect(receiver.taken.length).toBe(before);
    receiver.mode = 'up';
    await receiver.up();
    want = await expected();
    const droppedBefore = receiver.duplicates;
    await runUntil(allTaken);
    expect(takenBy('/o1')).toEqual(want.o1);
    expect(takenBy('/o2')).toEqual(want.o2);
    // A receiver that answers every time gets no copy: whichever hosts are up, one delivers.
    expect(receiver.duplicates).toBe(droppedBefore);

    // Slow: every other answer comes after the sender gave up; the receiver drops the copies.
    receiver.mode = 'slow';
    await officeWork(TICKETS / 2 + 1);
    want = await expected();
    await settle();
    modes.push('flapping', 'down-1h', 'slow');
  }

  expect(takenBy('/o1')).toEqual(want.o1);
  expect(takenBy('/o2')).toEqual(want.o2);
  expect(receiver.duplicates).toBeGreaterThan(0);
  expect(receiver.badSignatures).toBe(0);
  expect(receiver.outOfOrder).toBe(0);
  expect(new Set(receiver.taken.map((t) => t.type))).toEqual(new Set(EVENT_TYPES));
  // Nothing personal unless asked for: no ticket id (it opens the ticket's page), no clerk.
  for (const t of receiver.taken) expect(Object.keys(t.body['data'] as object).filter((k) => k === 'ticketId' || k === 'clerkId')).toEqual([]);

  // The back office lists every delivery with its state and attempts.
  const list = await call('GET', '/api/v1/offices/o1/webhook-deliveries', admin);
  expect(list.status, JSON.stringify(list.json)).toBe(200);
  const listed = list.json.deliveries as { state: string; attempts: number; attemptLog: { status: number | null }[] }[];
  expect(listed.length).toBe(Math.min(200, want.o1.length));
  expect(listed.every((d) => d.state === 'delivered')).toBe(true);
  expect(listed.some((d) => d.attempts > 1 && d.attemptLog.some((a) => a.status === null))).toBe(true);

  const all = await deliveries();
  const attempts = all.reduce((s, d) => s + d.attempts, 0);
  const perEvent = new Map<string, number>();
  for (const d of all) perEvent.set(`${d.subscriptionId}:${d.eventId}`, (perEvent.get(`${d.subscriptionId}:${d.eventId}`) ?? 0) + 1);
  const taken = new Set(receiver.taken.map((t) => `${t.path}:${t.id}`));
  const lost = [...want.o1.map((id) => `/o1:${id}`), ...want.o2.map((id) => `/o2:${id}`)].filter((k) => !taken.has(k)).length;
  const duplicates = [...perEvent.values()].filter((c) => c > 1).length + (receiver.taken.length - taken.size);
  expect(lost).toBe(0);
  expect(duplicates).toBe(0);
  expect(answers.fiveXx).toBe(0);
  report({
    part: 'webhooks',
    runs: answers.runs,
    faults: attempts - all.length,
    ackedChecked: want.o1.length + want.o2.length,
    lost,
    duplicates,
    fiveXx: answers.fiveXx,
    extra: {
      store: rig.store,
      hosts: rig.hosts,
      offices: 2,
      faults_played: [...new Set(modes)].join(','),
      restart: restarts[0] ?? '',
      events: receiver.taken.length,
      deliveries_attempted: attempts,
      receiver_dropped_by_event_id: receiver.duplicates,
      bad_signatures: receiver.badSignatures,
      out_of_order: receiver.outOfOrder,
      test_clock_h: ((clock.now() - startedAt) / 3600_000).toFixed(1),
    },
  });
}

describe('outgoing webhooks against a real receiver that is flapping, down and slow', () => {
  it('on SQLite: every event once after dedupe, signed, in order per office, through a restart of the delivery loop', { timeout: 300_000 }, async () => {
    receiver = new Receiver();
    await receiver.up();
    const rig = await sqliteRig();
    rigs.push(rig);
    await scenario(rig);
  });

  it('on PostgreSQL with two hosts: delivered once across hosts, under the lease, through the death of the host delivering', { timeout: 300_000 }, async () => {
    receiver = new Receiver();
    await receiver.up();
    const rig = await postgresRig();
    rigs.push(rig);
    await scenario(rig);
  });
});

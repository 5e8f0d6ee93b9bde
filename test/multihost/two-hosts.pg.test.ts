import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClientToServer, ServerToClient } from '../../contracts/socket.ts';
import type { LoggedEvent } from '../../core/shared/events.ts';
import { startPgHosts, type PgHosts } from '../helpers/pg-hosts.ts';
import { testOffice } from '../helpers/office.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { issueTicket } from '../../core/queue/issue-ticket.ts';
import { randomIds } from '../../host/system.ts';
import { MONDAY_0900_PRAGUE } from '../helpers/fakes.ts';

/**
 * Two hosts on one PostgreSQL, clients split across them as a load balancer would: what one host
 * does, the other's clients see, in order, and no invariant is doubled by the number of hosts.
 */

const COUNTERS = 8;
let h: PgHosts;
let sql: PgPool;

beforeAll(async () => {
  // Every counter serves service 1: each call-next competes for the same line.
  h = await startPgHosts(2, { config: testOffice({ services: 2, counters: Array.from({ length: COUNTERS }, () => [0]) }) });
  sql = createPool(h.database.url, { max: 2 });
}, 60_000);

afterAll(async () => {
  await sql.end();
  await h.close();
});

async function post(host: number, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(h.hosts[host]!.url + path, {
    method: 'POST',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

const issue = (host: number, serviceId = 'o1-s1') => post(host, '/api/v1/tickets', { authorization: `Bearer ${h.kioskToken}` }, { serviceId });
const act = (host: number, counter: number, action: string) => post(host, `/api/v1/counters/o1-c${counter}/${action}`, { cookie: h.cookie(`clerk${counter}`) });
const DISPLAYED = ['ticket:called', 'queue:changed', 'service:closed'];
const displayedIds = async (after: number): Promise<number[]> =>
  (await sql.query<{ id: number }>(`SELECT id FROM events WHERE office_id = 'o1' AND id > $1 AND type = ANY($2) ORDER BY id`, [after, DISPLAYED])).rows.map((r) => r.id);

type Client = Socket<ServerToClient, ClientToServer>;

/** A hall display connected to one host: every event it is delivered, once its replay is done. */
function display(host: number, lastEventId?: number): Promise<{ socket: Client; events: LoggedEvent[]; replayed: number; lastEventId: number }> {
  const events: LoggedEvent[] = [];
  const socket: Client = connect(h.hosts[host]!.url, {
    transports: ['websocket'],
    auth: lastEventId === undefined ? { token: h.displayToken } : { token: h.displayToken, lastEventId },
    reconnection: false,
  });
  for (const type of ['ticket:called', 'queue:changed', 'service:closed'] as const) socket.on(type, (e: LoggedEvent) => events.push(e));
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('sync:done', (done) => resolve({ socket, events, replayed: done.replayed, lastEventId: done.lastEventId }));
  });
}

/** Tickets in the line, issued through both hosts' units of work (the kiosk's use case, without its HTTP round trips). */
async function seed(count: number): Promise<void> {
  const clock = { now: () => MONDAY_0900_PRAGUE };
  await Promise.all(
    h.hosts.map(async (host, i) => {
      for (let done = 0; done < count / h.hosts.length; done += 100) {
        await host.stores.queue.run(async (store) => {
          for (let j = 0; j < 100; j += 1) {
            const r = await issueTicket({ store, clock, ids: randomIds }, { serviceId: 'o1-s1' });
            if (!r.ok) throw new Error(`host ${i} could not issue: ${r.error.code}`);
          }
        });
      }
    }),
  );
}

const calledNumbers = (events: readonly LoggedEvent[]): string[] => events.flatMap((e) => (e.type === 'ticket:called' ? [e.payload.ticket.number] : []));

it('2 × 1,000 call-nexts at once, split across the two hosts, never hand one ticket to two counters', async () => {
  await seed(2000);
  for (let c = 1; c <= COUNTERS; c += 1) expect((await act(c % 2, c, 'open')).status).toBe(200);
  const seen = new Map<string, number>();
  for (let round = 0; round < 2000 / COUNTERS; round += 1) {
    const answers = await Promise.all(Array.from({ length: COUNTERS }, (_, i) => act((i + round) % 2, i + 1, 'call-next')));
    answers.forEach((res, i) => {
      expect(res.status, JSON.stringify(res.json)).toBe(200);
      const id: string = res.json.ticket.id;
      expect(seen.get(id), `ticket ${res.json.ticket.number} handed to counter ${i + 1} after counter ${seen.get(id)}`).toBeUndefined();
      seen.set(id, i + 1);
    });
  }
  expect(seen.size).toBe(2000);
  const twice = await sql.query(`SELECT payload::json->'ticket'->>'id' AS id, count(*) FROM events WHERE type = 'ticket:called' GROUP BY 1 HAVING count(*) > 1`);
  expect(twice.rows).toEqual([]);
  const numbers = await sql.query(`SELECT prefix, seq, day, count(*) FROM tickets GROUP BY 1, 2, 3 HAVING count(*) > 1`);
  expect(numbers.rows).toEqual([]);
  for (let c = 1; c <= COUNTERS; c += 1) await act(c % 2, c, 'close');
}, 240_000);

it('a display on host A receives, in order, every call made on host B — live, after a 50-call outage, and with both hosts calling at once', async () => {
  await seed(200);
  // Through the kiosk of each host, too.
  for (const host of [0, 1]) expect((await issue(host)).status).toBe(201);
  await act(1, 1, 'open');
  await act(0, 2, 'open');
  const first = await display(0);
  const start = first.lastEventId;
  const live: string[] = [];
  for (let i = 0; i < 10; i += 1) live.push((await act(1, 1, 'call-next')).json.ticket.number);
  await expect.poll(() => calledNumbers(first.events)).toEqual(live);
  expect(first.events.map((e) => e.id)).toEqual(await displayedIds(start));
  const lastSeen = first.events.at(-1)!.id;
  first.socket.disconnect();

  // The outage: 50 calls on host B while the display is away.
  const missed: string[] = [];
  for (let i = 0; i < 50; i += 1) missed.push((await act(1, 1, 'call-next')).json.ticket.number);
  const again = await display(0, lastSeen);
  expect(calledNumbers(again.events)).toEqual(missed);
  expect(again.replayed).toBe(again.events.length);
  expect(again.events.map((e) => e.id)).toEqual(await displayedIds(lastSeen));

  // Live again, both hosts calling at once: every call, each office's events in id order, none twice.
  const both = await Promise.all([
    (async () => { for (let i = 0; i < 20; i += 1) await act(1, 1, 'call-next'); })(),
    (async () => { for (let i = 0; i < 20; i += 1) await act(0, 2, 'call-next'); })(),
  ]);
  expect(both).toHaveLength(2);
  const expected = await displayedIds(lastSeen);
  await expect.poll(() => again.events.map((e) => e.id), { timeout: 5000 }).toEqual(expected);
  expect(calledNumbers(again.events)).toHaveLength(90);
  again.socket.disconnect();
}, 60_000);

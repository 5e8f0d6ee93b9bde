import { afterAll, beforeAll, expect, it } from 'vitest';
import { pickNext } from '../../core/queue/call-policy.ts';
import { ticketView } from '../../core/shared/events.ts';
import type { Ticket } from '../../core/shared/model.ts';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { createPool, type PgPool } from './pool.ts';
import { PgQueueStore } from './queue.store.ts';
import { inTransaction } from './transaction.ts';

/**
 * Two hosts on one database: each its own pool, issuing and calling at once through their own
 * transactions. What the tables keep afterwards is the proof — every number once per prefix and
 * day, every ticket called once, one event per call — not what either process remembers.
 */

const PER_HOST = 500;
const DAY = '2026-11-24';
const COUNTERS = 8;
let database: TestDatabase;
let hosts: PgPool[];

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  hosts = [createPool(database.url, { max: 6, applicationName: 'host-a' }), createPool(database.url, { max: 6, applicationName: 'host-b' })];
  // Two services (A, B); every counter calls both.
  await saveOfficeConfig(hosts[0]!, testOffice({ services: 2, counters: Array.from({ length: COUNTERS }, () => [0, 1]) }));
  // An office of its own for the case of one ticket.
  await saveOfficeConfig(hosts[0]!, testOffice({ id: 'o2', services: 1, counters: [[0]] }));
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.end()));
  await database.drop();
});

const unit = <T>(pool: PgPool, work: (store: PgQueueStore) => Promise<T>): Promise<T> =>
  inTransaction(pool, (client) => work(new PgQueueStore(client, () => undefined, () => undefined)));

/** The i-th ticket: both services, some with a priority, some booked. */
async function issue(store: PgQueueStore, i: number, officeId = 'o1'): Promise<Ticket> {
  const prefix = i % 2 === 0 ? 'A' : 'B';
  const seq = await store.nextNumber(officeId, prefix, DAY);
  const at = 1_000_000 + i;
  const ticket: Ticket = {
    id: `t${i}`,
    officeId,
    serviceId: `${officeId}-s${prefix === 'A' ? 1 : 2}`,
    prefix,
    seq,
    day: DAY,
    number: `${prefix}${String(seq).padStart(3, '0')}`,
    state: 'waiting',
    categoryId: i % 7 === 0 ? 'elderly' : null,
    priorityWeight: i % 7 === 0 ? 1 : 0,
    bookedAt: i % 11 === 0 ? at - 500 : null,
    arrivedAt: at,
    counterId: null,
    recallCount: 0,
    issuedAt: at,
    waitingAt: at,
    calledAt: null,
    servingAt: null,
    parkedAt: null,
    doneAt: null,
    noShowAt: null,
    voidAt: null,
    language: null,
  };
  await store.insertTicket(ticket);
  await store.appendEvent({ type: 'ticket:issued', officeId, payload: { ticket: ticketView(ticket) } }, at);
  return ticket;
}

async function callNext(store: PgQueueStore, k: number, now: number, counterId = `o1-c${(k % COUNTERS) + 1}`): Promise<Ticket | null> {
  const counter = (await store.getCounter(counterId))!;
  const called = await store.claimNext(counter, (c) => pickNext(c, { serviceIds: counter.serviceIds, now, maxWaitMs: 0 }), now);
  if (called !== null) {
    await store.appendEvent(
      { type: 'ticket:called', officeId: counter.officeId, payload: { ticket: ticketView(called), counterId: counter.id, counterNumber: counter.number, recall: false } },
      now,
    );
  }
  return called;
}

it(
  `two hosts issue ${2 * PER_HOST} tickets and call ${2 * PER_HOST} times at once: every number once, every ticket called once`,
  async () => {
    const both = <T>(fn: (pool: PgPool, i: number) => Promise<T>): Promise<T[]> =>
      Promise.all(hosts.flatMap((pool, h) => Array.from({ length: PER_HOST }, (_, j) => fn(pool, h * PER_HOST + j))));

    await both((pool, i) => unit(pool, (s) => issue(s, i)));
    const numbers = await hosts[0]!.query<{ prefix: string; n: number; distinct_seq: number; max_seq: number }>(
      `SELECT prefix, count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, max(seq) AS max_seq FROM tickets WHERE day = $1 GROUP BY prefix ORDER BY prefix`,
      [DAY],
    );
    // 1..n for each prefix: none twice, none skipped.
    expect(numbers.rows).toEqual([
      { prefix: 'A', n: PER_HOST, distinct_seq: PER_HOST, max_seq: PER_HOST },
      { prefix: 'B', n: PER_HOST, distinct_seq: PER_HOST, max_seq: PER_HOST },
    ]);

    const called = await both((pool, k) => unit(pool, (s) => callNext(s, k, 2_000_000 + k)));
    const ids = called.map((t) => t?.id);
    expect(ids.filter((id) => id === undefined)).toEqual([]);
    expect(new Set(ids).size).toBe(2 * PER_HOST);
    const db = await hosts[1]!.query<{ state: string; n: number }>(`SELECT state, count(*)::int AS n FROM tickets GROUP BY state`);
    expect(db.rows).toEqual([{ state: 'called', n: 2 * PER_HOST }]);
    const events = await hosts[1]!.query<{ n: number; tickets: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT payload::json->'ticket'->>'id')::int AS tickets FROM events WHERE type = 'ticket:called'`,
    );
    expect(events.rows[0]).toEqual({ n: 2 * PER_HOST, tickets: 2 * PER_HOST });
    // Nothing waits any more, on either host.
    expect(await unit(hosts[0]!, (s) => callNext(s, 0, 3_000_000))).toBeNull();
  },
  180_000,
);

it('a counter finds nothing to call only when nothing waits: heads another host holds are waited for, not reported empty', async () => {
  const t = await unit(hosts[0]!, (s) => issue(s, 10_000, 'o2'));
  const holder = await hosts[0]!.connect();
  try {
    await holder.query('BEGIN');
    // Host A's call holds the office's turn (its heads read, the only waiting ticket among them) but has not decided yet.
    const a = new PgQueueStore(holder, () => undefined, () => undefined);
    let offered: string[] = [];
    const counter = (await a.getCounter('o2-c1'))!;
    await a.claimNext(counter, (c) => ((offered = c.map((x) => x.id)), null), 4_000_000);
    expect(offered).toEqual([t.id]);
    // Host B asks meanwhile: it waits for A rather than answering "nothing waits".
    const b = unit(hosts[1]!, (s) => callNext(s, 0, 4_000_001, 'o2-c1'));
    await new Promise((r) => setTimeout(r, 200));
    await holder.query('COMMIT');
    expect((await b)?.id).toBe(t.id);
  } finally {
    holder.release();
  }
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QueueStore } from '../../core/queue/ports.ts';
import type { Counter, Ticket } from '../../core/shared/model.ts';
import { memoryQueueStore } from '../../core/queue/fakes/queue-store.fake.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase } from '../../store/database.ts';
import { saveOfficeConfig as savePgOfficeConfig } from '../../store/postgres/config.store.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { PgQueueStore } from '../../store/postgres/queue.store.ts';
import { inTransaction } from '../../store/postgres/transaction.ts';
import { SqliteQueueStore } from '../../store/queue.store.ts';
import { testOffice } from '../helpers/office.ts';
import { testDatabase } from '../helpers/postgres.ts';
import type { Async } from './booking-stores.ts';

interface Subject {
  store: QueueStore;
  events(): number[];
  close(): void | Promise<void>;
}

function sqliteSubject(): Subject {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-contract-'));
  const db = openDatabase(join(dir, 'f.db'));
  saveOfficeConfig(db, testOffice());
  const ids: number[] = [];
  return {
    store: new SqliteQueueStore(db, (e) => ids.push(e.id), () => undefined),
    events: () => ids,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function memorySubject(): Subject {
  const m = memoryQueueStore([testOffice()]);
  return { store: m.store, events: () => m.events.map((e) => e.id), close: () => undefined };
}

/**
 * PostgreSQL, the office written through the dialect's configuration store. `perCall`: every call
 * of the port in a transaction of its own, committed, on a database of its own per case (cloned
 * from the migrated template) — what one call wrote, the next reads back from the tables, never
 * from the adapter's memory (there is none: a store is made per transaction). Otherwise the whole
 * case in one transaction, as a unit of work runs a use case, rolled back at the end (so the cases
 * share one database): what a call wrote, the next sees inside it.
 */
let shared: Promise<{ pool: pg.Pool; drop(): Promise<void> }> | undefined;

async function postgresDatabase(): Promise<{ pool: pg.Pool; drop(): Promise<void> }> {
  const database = await testDatabase({ migrated: true });
  const pool = createPool(database.url, { max: 2 });
  await savePgOfficeConfig(pool, testOffice());
  return {
    pool,
    drop: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

afterAll(async () => {
  await (await shared)?.drop();
});

async function postgresSubject(perCall: boolean): Promise<Subject> {
  const ids: number[] = [];
  const over = (client: pg.ClientBase): PgQueueStore => new PgQueueStore(client, (e) => ids.push(e.id), () => undefined);
  if (perCall) {
    const db = await postgresDatabase();
    const store: Record<string, unknown> = {};
    for (const name of Object.getOwnPropertyNames(PgQueueStore.prototype).filter((n) => n !== 'constructor')) {
      store[name] = (...args: unknown[]) =>
        inTransaction(db.pool, (client) => {
          const one = over(client);
          return (Reflect.get(one, name) as (...a: unknown[]) => Promise<unknown>).apply(one, args);
        });
    }
    return { store: store as unknown as Async<QueueStore>, events: () => ids, close: () => db.drop() };
  }
  const client = await (await (shared ??= postgresDatabase())).pool.connect();
  await client.query('BEGIN');
  return {
    store: over(client),
    events: () => ids,
    close: async () => {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

const DAY = '2026-11-24';
let serial = 0;
const aTicket = (over: Partial<Ticket> = {}): Ticket => {
  const seq = ++serial;
  return {
    id: `t${seq}`,
    officeId: 'o1',
    serviceId: 'o1-s1',
    prefix: 'A',
    seq,
    day: DAY,
    number: `A${String(seq).padStart(3, '0')}`,
    state: 'waiting',
    categoryId: null,
    priorityWeight: 0,
    bookedAt: null,
    arrivedAt: seq * 1000,
    counterId: null,
    recallCount: 0,
    issuedAt: seq * 1000,
    waitingAt: seq * 1000,
    calledAt: null,
    servingAt: null,
    parkedAt: null,
    doneAt: null,
    noShowAt: null,
    voidAt: null,
    language: null,
    ...over,
  };
};

describe.each([
  { name: 'SQLite adapter', make: sqliteSubject },
  { name: 'in-memory fake', make: memorySubject },
  { name: 'PostgreSQL adapter, a transaction per call', make: () => postgresSubject(true) },
  { name: 'PostgreSQL adapter, one transaction per case', make: () => postgresSubject(false) },
])('$name', ({ make }) => {
  let subject: Subject | null = null;
  const s = (): Subject => subject!;
  beforeEach(async () => {
    subject = await make();
  });
  afterEach(async () => {
    await subject?.close();
    subject = null;
  });
  const counter = async (id = 'o1-c1'): Promise<Counter> => (await s().store.getCounter(id))!;

  it('reads the configuration: offices, services in their order, counters by number', async () => {
    expect((await s().store.getOffice('o1'))?.name).toBe('Office o1');
    expect(await s().store.getOffice('nope')).toBeNull();
    expect((await s().store.listOffices()).map((o) => o.id)).toEqual(['o1']);
    expect((await s().store.listServices('o1')).map((x) => x.id)).toEqual(['o1-s1', 'o1-s2', 'o1-s3']);
    expect((await s().store.listCounters('o1')).map((c) => c.number)).toEqual(['1', '2', '3', '4']);
    expect(await counter()).toMatchObject({ status: 'closed', userId: null, sessionServiceIds: null });
  });

  it('numbers start at 1 per prefix and day and are never given twice', async () => {
    const a = [await s().store.nextNumber('o1', 'A', DAY), await s().store.nextNumber('o1', 'A', DAY)];
    expect(a).toEqual([1, 2]);
    expect(await s().store.nextNumber('o1', 'B', DAY)).toBe(1);
    expect(await s().store.nextNumber('o1', 'A', '2026-11-25')).toBe(1);
  });

  it('a printing ticket is withdrawn, and its number given back, only while it is the last one', async () => {
    const seq = await s().store.nextNumber('o1', 'A', DAY);
    const t = aTicket({ seq, state: 'printing', number: `A${seq}` });
    await s().store.insertTicket(t);
    expect(await s().store.countIssued('o1-s1', DAY)).toBe(1);
    expect(await s().store.withdrawPrinting(t.id)).toMatchObject({ id: t.id });
    expect(await s().store.getTicket(t.id)).toBeNull();
    expect(await s().store.countIssued('o1-s1', DAY)).toBe(0);
    expect(await s().store.nextNumber('o1', 'A', DAY)).toBe(seq);
    const u = aTicket({ seq, state: 'printing', number: `A${seq}` });
    await s().store.insertTicket(u);
    await s().store.nextNumber('o1', 'A', DAY);
    expect(await s().store.withdrawPrinting(u.id)).toBeNull();
  });

  it('transition is compare-and-set', async () => {
    const t = aTicket({ seq: await s().store.nextNumber('o1', 'A', DAY) });
    await s().store.insertTicket(t);
    expect(await s().store.transition(t.id, 'waiting', 'void', { voidAt: 5 })).toMatchObject({ state: 'void', voidAt: 5 });
    expect(await s().store.transition(t.id, 'waiting', 'called', {})).toBeNull();
    expect(await s().store.countIssued('o1-s1', DAY)).toBe(0);
  });

  it('claimNext offers the heads of the lines and calls the one picked, once', async () => {
    const old = aTicket({ seq: await s().store.nextNumber('o1', 'A', DAY) });
    const prio = aTicket({ seq: await s().store.nextNumber('o1', 'A', DAY), priorityWeight: 2, categoryId: 'disabled' });
    const booked = aTicket({ seq: await s().store.nextNumber('o1', 'A', DAY), bookedAt: 500 });
    for (const t of [old, prio, booked]) await s().store.insertTicket(t);
    let offered: string[] = [];
    const called = await s().store.claimNext(await counter(), (c) => {
      offered = c.map((x) => x.id);
      return c.find((x) => x.id === prio.id) ?? null;
    }, 9000);
    expect(offered).toEqual([old.id, prio.id, booked.id]);
    expect(called).toMatchObject({ id: prio.id, state: 'called', counterId: 'o1-c1', calledAt: 9000 });
    expect((await s().store.currentTicket('o1-c1'))?.id).toBe(prio.id);
    expect(await s().store.waitingCount('o1-s1')).toBe(2);
    expect((await s().store.waitingTickets('o1')).map((t) => t.id)).toEqual([old.id, booked.id]);
    expect(await s().store.serviceLoad('o1')).toEqual([{ serviceId: 'o1-s1', waiting: 2, oldestArrivedAt: old.arrivedAt }]);
    expect(await s().store.claimNext(await counter('o1-c3'), (c) => c[0] ?? null, 9000)).toBeNull();
  });

  it('a counter is updated field by field', async () => {
    expect(await s().store.updateCounter('o1-c2', { status: 'open', sessionServiceIds: ['o1-s1'] })).toMatchObject({
      status: 'open',
      userId: null,
      sessionServiceIds: ['o1-s1'],
    });
    expect(await s().store.updateCounter('o1-c2', { sessionServiceIds: null })).toMatchObject({ status: 'open', sessionServiceIds: null });
    expect(await s().store.updateCounter('o1-c2', {})).toMatchObject({ status: 'open' });
    expect(await s().store.countersOfUser('nobody')).toEqual([]);
  });

  it('a service closes once for a day', async () => {
    expect(await s().store.closeServiceForDay('o1-s2', DAY, 1)).toBe(true);
    expect(await s().store.closeServiceForDay('o1-s2', DAY, 2)).toBe(false);
    expect(await s().store.closedServices('o1', DAY)).toEqual(['o1-s2']);
    expect(await s().store.closedServices('o1', '2026-11-25')).toEqual([]);
  });

  it('averages and names are stored; events get growing ids', async () => {
    expect(await s().store.averageServiceMs('o1-s1')).toBeNull();
    await s().store.setAverageServiceMs('o1-s1', 300_000);
    expect(await s().store.averageServiceMs('o1-s1')).toBe(300_000);
    expect(await s().store.setServiceNames('o1-s1', { en: 'Passports' })).toBe(true);
    expect(await s().store.setServiceNames('nope', { en: 'x' })).toBe(false);
    expect((await s().store.getService('o1-s1'))?.names).toEqual({ en: 'Passports' });
    const event = { type: 'service:closed', officeId: 'o1', payload: { serviceId: 'o1-s1', day: DAY } } as const;
    const ids = [await s().store.appendEvent(event, 1), await s().store.appendEvent(event, 2)];
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(s().events()).toEqual(ids);
  });
});

import { afterAll, beforeAll, expect, it } from 'vitest';
import { fail } from '../../core/shared/result.ts';
import type { LoggedEvent } from '../../core/shared/events.ts';
import type { Ticket } from '../../core/shared/model.ts';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { createPool, type PgPool } from './pool.ts';
import type { PgQueueStore } from './queue.store.ts';
import { PgRatingStore } from './ratings.store.ts';
import { PgUnitOfWork } from './unit-of-work.ts';

/** Units of work on PostgreSQL: published only once committed, exactly what was committed. */

const DAY = '2026-11-24';
let database: TestDatabase;
let pool: PgPool;

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  pool = createPool(database.url, { max: 4 });
  await saveOfficeConfig(pool, testOffice());
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const ticketIds = async (): Promise<string[]> => (await pool.query<{ id: string }>('SELECT id FROM tickets ORDER BY id')).rows.map((r) => r.id);
const eventIds = async (): Promise<number[]> => (await pool.query<{ id: number }>('SELECT id FROM events ORDER BY id')).rows.map((r) => r.id);

async function issue(store: PgQueueStore, id: string, at: number): Promise<Ticket> {
  const seq = await store.nextNumber('o1', 'A', DAY);
  const t: Ticket = {
    id, officeId: 'o1', serviceId: 'o1-s1', prefix: 'A', seq, day: DAY, number: `A${seq}`, state: 'waiting', categoryId: null, priorityWeight: 0,
    bookedAt: null, arrivedAt: at, counterId: null, recallCount: 0, issuedAt: at, waitingAt: at, calledAt: null, servingAt: null, parkedAt: null,
    doneAt: null, noShowAt: null, voidAt: null, language: null,
  };
  await store.insertTicket(t);
  await store.appendEvent({ type: 'service:closed', officeId: 'o1', payload: { serviceId: 'o1-s3', day: DAY } }, at);
  await store.markQueueChanged('o1', at);
  return t;
}

it('publishes a unit\'s events after its commit, with one queue:changed carrying the load; a failed Result changes and publishes nothing', async () => {
  const uow = new PgUnitOfWork(pool);
  const published: LoggedEvent[][] = [];
  uow.onCommit((e) => published.push([...e]));

  await uow.run((s) => issue(s, 'a1', 1000));
  expect(published.map((batch) => batch.map((e) => e.type))).toEqual([['service:closed', 'queue:changed']]);
  const changed = published[0]![1]!;
  expect(changed.type === 'queue:changed' && changed.payload.services.find((x) => x.serviceId === 'o1-s1')).toMatchObject({ waiting: 1, oldestArrivedAt: 1000 });
  expect(published[0]!.map((e) => e.id)).toEqual(await eventIds());

  const refused = await uow.run(async (s) => {
    await issue(s, 'a2', 2000);
    return fail('SERVICE_CLOSED');
  });
  expect(refused).toMatchObject({ ok: false });
  expect(await ticketIds()).toEqual(['a1']);
  expect(published).toHaveLength(1);
  expect(await uow.read((s) => s.waitingCount('o1-s1'))).toBe(1);
});

it('a unit PostgreSQL aborts for a conflict runs again, and only the events of its committed run are published', async () => {
  let retries = 0;
  const uow = new PgUnitOfWork(pool, { isolation: 'repeatable read', onRetry: () => (retries += 1) });
  const published: LoggedEvent[] = [];
  uow.onCommit((e) => published.push(...e));
  let arrived = 0;
  let open!: () => void;
  const both = new Promise<void>((r) => (open = r));
  const unit = (ms: number) => (s: PgQueueStore) =>
    (async () => {
      // Both snapshots are taken before either commits; the event comes before the conflicting write.
      await s.getOffice('o1');
      if (++arrived === 2) open();
      await both;
      await s.appendEvent({ type: 'service:closed', officeId: 'o1', payload: { serviceId: 'o1-s2', day: DAY } }, ms);
      await s.setAverageServiceMs('o1-s2', ms);
    })();
  const before = await eventIds();
  await Promise.all([uow.run(unit(60_000)), uow.run(unit(90_000))]);
  expect(retries).toBeGreaterThan(0);
  const after = (await eventIds()).filter((id) => !before.includes(id));
  expect(published.map((e) => e.id)).toEqual(after);
  expect(after).toHaveLength(2);
});

it("a store built on the pool writes inside the unit under way: a rating commits with the unit's ticket, and rolls back with a refused one", async () => {
  const uow = new PgUnitOfWork(pool);
  const ratings = new PgRatingStore(pool);
  const rate = (ticketId: string, at: number) => ({ ticketId, officeId: 'o1', serviceId: 'o1-s1', counterId: null, rating: 4, at });
  // Inside the unit the ticket exists only in its transaction: a rating on a connection of its own would break its foreign key.
  await uow.run(async (s) => {
    await issue(s, 'r1', 3000);
    await ratings.save(rate('r1', 3000));
  });
  expect(await ratings.ofTicket('r1')).toBe(4);
  const refused = await uow.run(async (s) => {
    await issue(s, 'r2', 4000);
    await ratings.save(rate('r2', 4000));
    return fail('SERVICE_CLOSED');
  });
  expect(refused).toMatchObject({ ok: false });
  expect(await ratings.ofTicket('r2')).toBeNull();
  // Outside a unit the store writes on its own.
  await ratings.save({ ...rate('r1', 5000), rating: 2 });
  expect(await ratings.ofTicket('r1')).toBe(2);
});

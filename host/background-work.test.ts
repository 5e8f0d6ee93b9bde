import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../test/helpers/postgres.ts';
import { PgLeases } from '../store/postgres/leases.store.ts';
import { createPool, type PgPool } from '../store/postgres/pool.ts';
import { leasedBackgroundWork, oneHost, type BackgroundTask } from './background-work.ts';

/**
 * Background work on several hosts sharing one PostgreSQL: each task runs on one host at a time,
 * and when that host dies another takes it over once its lease lapses — well within 10 s.
 */

let database: TestDatabase;
const pools: PgPool[] = [];

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
});

afterAll(async () => {
  await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
  await database.drop();
});

function host(ttlMs = 1500): { pool: PgPool; work: ReturnType<typeof leasedBackgroundWork> } {
  const pool = createPool(database.url, { max: 2 });
  pools.push(pool);
  return { pool, work: leasedBackgroundWork({ leases: new PgLeases(pool), ttlMs, onError: () => undefined }) };
}

const TASKS: BackgroundTask[] = ['webhooks', 'booking-sweep', 'retention-purge', 'stats-rollups', 'outbox', 'stale-prints'];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

it('one host alone on its SQLite file always runs its background work', async () => {
  expect(await oneHost.mayRun('booking-sweep')).toBe(true);
});

it('two hosts asking before every pass, at once: each task runs on exactly one of them, the same one while it lives', async () => {
  const a = host();
  const b = host();
  const runner = new Map<BackgroundTask, string>();
  for (let round = 0; round < 15; round += 1) {
    for (const task of TASKS) {
      const [ranA, ranB] = await Promise.all([a.work.mayRun(task), b.work.mayRun(task)]);
      expect(Number(ranA) + Number(ranB)).toBe(1);
      const who = ranA ? a.work.hostId : b.work.hostId;
      expect(runner.get(task) ?? who).toBe(who);
      runner.set(task, who);
    }
    // Past a renewal's third of the lease's life: the holder renews, the other still does not get it.
    await sleep(round % 5 === 0 ? 600 : 20);
  }
  await a.work.close();
  await b.work.close();
});

it('when the holder dies, the other host takes its work over once the lease lapses, within 10 s; a graceful stop hands it over at once', async () => {
  const a = host(4000);
  const b = host(4000);
  expect(await a.work.mayRun('booking-sweep')).toBe(true);
  expect(await b.work.mayRun('booking-sweep')).toBe(false);
  // Death as the database sees it: no renewal ever again, nothing released.
  await a.pool.end();
  const died = performance.now();
  while (!(await b.work.mayRun('booking-sweep'))) {
    expect(performance.now() - died).toBeLessThan(10_000);
    await sleep(100);
  }
  const took = performance.now() - died;
  // Not before the lease lapsed (it was renewed at most a third of its life before the death).
  expect(took).toBeGreaterThan(2000);
  expect(took).toBeLessThan(10_000);
  await a.work.close();

  const c = host(4000);
  expect(await c.work.mayRun('booking-sweep')).toBe(false);
  await b.work.close();
  expect(await c.work.mayRun('booking-sweep')).toBe(true);
  await c.work.close();
}, 20_000);

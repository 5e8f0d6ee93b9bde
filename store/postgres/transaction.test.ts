import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { createPool, type PgPool } from './pool.ts';
import { inTransaction, TooManyRetriesError } from './transaction.ts';

/**
 * Units of work that collide on a real server: PostgreSQL aborts one side (a serialization
 * failure, a deadlock) and the helper runs it again, so every unit takes effect exactly once.
 */

let database: TestDatabase;
let pool: PgPool;

beforeAll(async () => {
  database = await testDatabase();
  pool = createPool(database.url, { max: 8 });
  await pool.query('CREATE TABLE counter (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)');
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

beforeEach(async () => {
  await pool.query('DELETE FROM counter');
  await pool.query('INSERT INTO counter VALUES (1, 0), (2, 0)');
});

/** Resolves once `n` callers have arrived: makes the units overlap on their first run. */
function barrier(n: number): () => Promise<void> {
  let arrived = 0;
  let open!: () => void;
  const all = new Promise<void>((r) => (open = r));
  return () => {
    arrived += 1;
    if (arrived === n) open();
    return all;
  };
}

async function value(id: number): Promise<number> {
  const r = await pool.query<{ value: number }>('SELECT value FROM counter WHERE id = $1', [id]);
  return r.rows[0]?.value ?? -1;
}

describe('a unit of work in one transaction', () => {
  it('read-then-write units that overlap all count, each retried after its serialization failure', async () => {
    const units = 5;
    const together = barrier(units);
    const retries: string[] = [];
    await Promise.all(
      Array.from({ length: units }, () => {
        let attempt = 0;
        return inTransaction(
          pool,
          async (c) => {
            attempt += 1;
            const r = await c.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
            if (attempt === 1) await together();
            await c.query('UPDATE counter SET value = $1 WHERE id = 1', [(r.rows[0]?.value ?? 0) + 1]);
          },
          { isolation: 'repeatable read', onRetry: (info) => retries.push(info.code) },
        );
      }),
    );
    expect(await value(1)).toBe(units);
    expect(retries.length).toBeGreaterThanOrEqual(units - 1);
    expect(new Set(retries)).toEqual(new Set(['40001']));
  });

  it('two units that lock rows in opposite orders both finish: the deadlock victim is run again', async () => {
    const together = barrier(2);
    const retries: string[] = [];
    const unit = (first: number, second: number): Promise<void> => {
      let attempt = 0;
      return inTransaction(
        pool,
        async (c) => {
          attempt += 1;
          await c.query('UPDATE counter SET value = value + 1 WHERE id = $1', [first]);
          if (attempt === 1) await together();
          await c.query('UPDATE counter SET value = value + 1 WHERE id = $1', [second]);
        },
        { onRetry: (info) => retries.push(info.code) },
      );
    };
    await Promise.all([unit(1, 2), unit(2, 1)]);
    expect([await value(1), await value(2)]).toEqual([2, 2]);
    expect(retries).toEqual(['40P01']);
  });

  it('gives up after its attempts with the last conflict, and changes nothing', async () => {
    const together = barrier(2);
    const run = (): Promise<void> =>
      inTransaction(
        pool,
        async (c) => {
          const r = await c.query<{ value: number }>('SELECT value FROM counter WHERE id = 1');
          await together();
          await c.query('UPDATE counter SET value = $1 WHERE id = 1', [(r.rows[0]?.value ?? 0) + 1]);
        },
        { isolation: 'serializable', attempts: 1 },
      );
    const results = await Promise.allSettled([run(), run()]);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(failed).toHaveLength(1);
    expect(failed[0]?.reason).toBeInstanceOf(TooManyRetriesError);
    expect(await value(1)).toBe(1);
  });

  it('rolls back and rethrows any other error at once, and the connection serves the next unit', async () => {
    let runs = 0;
    await expect(
      inTransaction(pool, async (c) => {
        runs += 1;
        await c.query('UPDATE counter SET value = 99 WHERE id = 1');
        await c.query('INSERT INTO counter VALUES (2, 0)');
      }),
    ).rejects.toMatchObject({ code: '23505' });
    expect(runs).toBe(1);
    expect(await value(1)).toBe(0);
    expect(await inTransaction(pool, async (c) => (await c.query('SELECT 1 AS one')).rows[0])).toEqual({ one: 1 });
  });
});

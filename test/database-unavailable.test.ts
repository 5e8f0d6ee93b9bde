import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable } from '../server/errors.ts';
import { createPool, type PgPool } from '../store/postgres/pool.ts';
import { testDatabase, type TestDatabase } from './helpers/postgres.ts';

/**
 * Which errors of a real PostgreSQL server and of the pg driver are "the database cannot be
 * reached" (503 DATABASE_UNAVAILABLE, the host reconnects by itself) and which are a statement's
 * own failure (a bug or a constraint: never told as an outage).
 */

let database: TestDatabase;
let pool: PgPool;

beforeAll(async () => {
  database = await testDatabase();
  pool = createPool(database.url, { max: 2, applicationName: 'fronta unavailable test' });
});
afterAll(async () => {
  await pool.end();
  await database.drop();
});

const caught = async (p: Promise<unknown>): Promise<unknown> => {
  try {
    await p;
  } catch (err) {
    return err;
  }
  throw new Error('expected a failure');
};

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('what counts as the database being out of reach', () => {
  it('a server that refuses connections, and a connection the server ends, are DATABASE_UNAVAILABLE', async () => {
    const url = new URL(database.url);
    url.port = String(await closedPort());
    const nowhere = createPool(url.toString(), { max: 1 });
    const refused = await caught(nowhere.query('SELECT 1'));
    await nowhere.end();
    expect(isDatabaseUnavailable(refused)).toBe(true);

    const client = await pool.connect();
    client.on('error', () => undefined);
    const pid = (await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    await pool.query('SELECT pg_terminate_backend($1)', [pid]);
    const ended = await caught(client.query('SELECT 1'));
    client.release(true);
    expect(isDatabaseUnavailable(ended), String(ended)).toBe(true);
  });

  it('a statement’s own failure is not: a syntax error, a broken constraint, a bug', async () => {
    await pool.query('CREATE TABLE once (id INT PRIMARY KEY)');
    await pool.query('INSERT INTO once VALUES (1)');
    expect(isDatabaseUnavailable(await caught(pool.query('INSERT INTO once VALUES (1)')))).toBe(false);
    expect(isDatabaseUnavailable(await caught(pool.query('SELEC 1')))).toBe(false);
    expect(isDatabaseUnavailable(new TypeError('x is undefined'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });
});

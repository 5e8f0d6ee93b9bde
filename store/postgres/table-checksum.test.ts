import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { postgresSchema, sqliteSchema } from './logical-schema.ts';
import { createPool, type PgPool } from './pool.ts';
import { postgresTableSum, sqliteTableSum } from './table-checksum.ts';

/**
 * The copy's proof: the same rows give the same count and checksum in both dialects, whatever order
 * they were written in and however each server would sort text; one changed value changes it.
 */

let database: TestDatabase;
let pool: PgPool;

const ROWS: [string, number, number | null, string | null][] = [
  ['b', 1_764_000_000_000, 0.1 + 0.2, 'Žluťoučký kůň'],
  ['B', -5, null, null],
  ['é', 0, 1e-7, '{"a":"\\"quoted\\"","b":null}'],
  ['a b', 9_007_199_254_740_991, 123456.789, '身份证'],
  ['_', 2, 2.5, ''],
];

beforeAll(async () => {
  database = await testDatabase();
  pool = createPool(database.url, { max: 1 });
  await pool.query('CREATE TABLE t (k TEXT PRIMARY KEY, n BIGINT NOT NULL, r DOUBLE PRECISION, s TEXT)');
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

function sqlite(rows: typeof ROWS): Database.Database {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL, r REAL, s TEXT) STRICT');
  for (const row of rows) db.prepare('INSERT INTO t VALUES (?, ?, ?, ?)').run(...row);
  return db;
}

async function postgres(rows: typeof ROWS): Promise<{ rows: number; sha256: string }> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('DELETE FROM t');
    for (const row of rows) await client.query('INSERT INTO t VALUES ($1, $2, $3, $4)', row);
    const [table] = await postgresSchema(client);
    const sum = await postgresTableSum(client, table!);
    await client.query('ROLLBACK');
    return sum;
  } finally {
    client.release();
  }
}

describe('a table checksum', () => {
  it('is the same in SQLite and PostgreSQL for the same rows written in other orders', async () => {
    const db = sqlite(ROWS);
    const [table] = sqliteSchema(db);
    const fromSqlite = sqliteTableSum(db, table!);
    expect(fromSqlite.rows).toBe(ROWS.length);
    expect(await postgres([...ROWS].reverse())).toEqual(fromSqlite);
    expect(sqliteTableSum(sqlite([...ROWS].reverse()), table!)).toEqual(fromSqlite);
  });

  it('differs when one value differs, even by a space or a last digit', async () => {
    const db = sqlite(ROWS);
    const [table] = sqliteSchema(db);
    const base = sqliteTableSum(db, table!);
    const changed = ROWS.map((r) => [...r] as (typeof ROWS)[number]);
    changed[0]![3] = 'Žluťoučký kůň ';
    expect((await postgres(changed)).sha256).not.toBe(base.sha256);
    changed[0]![3] = ROWS[0]![3];
    changed[3]![1] = 9_007_199_254_740_990;
    expect((await postgres(changed)).sha256).not.toBe(base.sha256);
  });
});

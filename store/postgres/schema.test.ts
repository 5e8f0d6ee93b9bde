import { readdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { MIGRATIONS, migrate } from '../migrations/index.ts';
import type { Migration } from '../migrations/migration.ts';
import { PG_MIGRATIONS } from '../migrations/postgres/index.ts';
import { postgresSchema, sqliteSchema } from './logical-schema.ts';
import { currentPostgresVersion, migratePostgres } from './migrate.ts';
import { createPool, type PgPool } from './pool.ts';

/**
 * The two dialects' migrations stay in step: the same versions, and the same logical schema once
 * applied — a migration added to one dialect and not the other fails here.
 */

let database: TestDatabase;
let pool: PgPool;

beforeAll(async () => {
  database = await testDatabase();
  pool = createPool(database.url);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describe('migrations of the two dialects', () => {
  it('list the same versions, 1, 2, 3… without a gap, in both, one file each under the same name', async () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual(versions.map((_, i) => i + 1));
    expect(PG_MIGRATIONS.map((m) => m.version)).toEqual(versions);
    const files = (dir: URL): string[] =>
      readdirSync(dir)
        .filter((f) => /^\d{4}-.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
        .sort();
    const pgDir = new URL('../migrations/postgres/', import.meta.url);
    expect(files(pgDir)).toEqual(files(new URL('../migrations/', import.meta.url)));
    const declared: Migration[] = [];
    for (const file of files(pgDir)) {
      const m = ((await import(new URL(file, pgDir).href)) as { default: Migration }).default;
      expect({ file, version: m.version }).toEqual({ file, version: Number(file.slice(0, 4)) });
      declared.push(m);
    }
    // The index runs exactly these, in this order: a twin left out of it would never run.
    expect(PG_MIGRATIONS).toEqual(declared);
  });

  it('reach the same tables, columns, keys and indexes', async () => {
    const sqlite = new Database(':memory:');
    migrate(sqlite);
    const expected = sqliteSchema(sqlite);
    sqlite.close();
    expect(await migratePostgres(pool)).toBe(MIGRATIONS.length);
    const client = await pool.connect();
    try {
      const actual = await postgresSchema(client);
      expect(actual.map((t) => t.name)).toEqual(expected.map((t) => t.name));
      for (const table of expected) expect(actual.find((t) => t.name === table.name), table.name).toEqual(table);
    } finally {
      client.release();
    }
  });

  it('run once however many hosts start together, and a newer database is refused', async () => {
    const results = await Promise.all([migratePostgres(pool), migratePostgres(pool), migratePostgres(pool)]);
    expect(results).toEqual([PG_MIGRATIONS.length, PG_MIGRATIONS.length, PG_MIGRATIONS.length]);
    const client = await pool.connect();
    try {
      expect(await currentPostgresVersion(client)).toBe(PG_MIGRATIONS.length);
      const rows = await client.query('SELECT version FROM schema_version ORDER BY version');
      expect(rows.rows.map((r: { version: number }) => r.version)).toEqual(PG_MIGRATIONS.map((m) => m.version));
    } finally {
      client.release();
    }
    await expect(migratePostgres(pool, PG_MIGRATIONS.slice(0, 3))).rejects.toThrow(/newer than this build knows/);
  });

  it('keep the same derived rows by trigger: walk-ins issued per day (void gives one back), the configuration version', async () => {
    const statements = [
      `INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ('o', 'O', 'Europe/Prague', '[]', '{}', '[]', '{}')`,
      `INSERT INTO departments (id, office_id, names, position) VALUES ('d', 'o', '{}', 1)`,
      `INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position) VALUES ('s', 'o', 'd', 'A', '{}', 10, 1)`,
      ...[1, 2, 3].map(
        (n) => `INSERT INTO tickets (id, office_id, service_id, prefix, seq, day, number, state, arrived_at, issued_at)
                VALUES ('t${n}', 'o', 's', 'A', ${n}, '2026-12-03', 'A00${n}', 'waiting', ${n}, ${n})`,
      ),
      `INSERT INTO tickets (id, office_id, service_id, prefix, seq, day, number, state, booked_at, arrived_at, issued_at)
         VALUES ('b1', 'o', 's', 'A', 4, '2026-12-03', 'A004', 'waiting', 1, 4, 4)`,
      `UPDATE tickets SET state = 'void' WHERE id IN ('t2', 'b1')`,
      `UPDATE tickets SET state = 'called' WHERE id = 't1'`,
    ];
    const derived = 'SELECT service_id, day, issued FROM daily_issued';
    const sqlite = new Database(':memory:');
    migrate(sqlite);
    await migratePostgres(pool);
    const client = await pool.connect();
    const versions = async (): Promise<[number, number]> => [
      sqlite.prepare('SELECT version FROM config_version').pluck().get() as number,
      (await client.query<{ version: number }>('SELECT version FROM config_version')).rows[0]?.version ?? -1,
    ];
    try {
      await client.query('BEGIN');
      for (const sql of statements.slice(0, 3)) {
        const [sqliteBefore, pgBefore] = await versions();
        sqlite.exec(sql);
        await client.query(sql);
        const [sqliteAfter, pgAfter] = await versions();
        expect(sqliteAfter, sql).toBeGreaterThan(sqliteBefore);
        expect(pgAfter, sql).toBeGreaterThan(pgBefore);
      }
      for (const sql of statements.slice(3)) {
        sqlite.exec(sql);
        await client.query(sql);
        expect((await client.query(derived)).rows, sql).toEqual(sqlite.prepare(derived).all());
      }
      expect(sqlite.prepare(derived).all()).toEqual([{ service_id: 's', day: '2026-12-03', issued: 2 }]);
    } finally {
      await client.query('ROLLBACK');
      client.release();
      sqlite.close();
    }
  });

  it('give test files a migrated database to start from, cloned from one migrated once per run', async () => {
    const clone = await testDatabase({ migrated: true });
    const other = createPool(clone.url, { max: 1 });
    try {
      const client = await other.connect();
      expect(await currentPostgresVersion(client)).toBe(PG_MIGRATIONS.length);
      client.release();
    } finally {
      await other.end();
      await clone.drop();
    }
  });
});

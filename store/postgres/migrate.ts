import type pg from 'pg';
import { DatabaseTooNewError } from '../migrations/index.ts';
import type { Migration } from '../migrations/migration.ts';
import { PG_MIGRATIONS } from '../migrations/postgres/index.ts';
import { withHeldClient } from './pool.ts';

/**
 * The PostgreSQL dialect's migration runner: the same numbered, forward-only versions as SQLite
 * (store/migrations/postgres/ holds one file per version, in step with store/migrations/), the
 * applied ones recorded in `schema_version` (PostgreSQL has no `user_version`). Several hosts may
 * start at once: a session advisory lock lets one migrate while the others wait, then find
 * nothing left to do. Each version runs in its own transaction with its row in schema_version.
 */

/** Any constant the other users of advisory locks keep clear of: "fronta" in ASCII. */
const MIGRATION_LOCK = 0x66726f6e7461;

export async function currentPostgresVersion(client: pg.ClientBase): Promise<number> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('schema_version') AS t`);
  if (exists.rows[0]?.t === null) return 0;
  const r = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_version');
  return r.rows[0]?.v ?? 0;
}

export async function migratePostgres(pool: pg.Pool, migrations: readonly Migration[] = PG_MIGRATIONS): Promise<number> {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  return withHeldClient(pool, async (client) => {
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      await client.query(`CREATE TABLE IF NOT EXISTS schema_version (
        version INTEGER PRIMARY KEY,
        applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
      )`);
      const current = await currentPostgresVersion(client);
      if (current > latest) throw new DatabaseTooNewError(current, latest);
      for (const m of migrations.filter((x) => x.version > current)) {
        await client.query('BEGIN');
        try {
          // No parameters: the simple query protocol, which runs a file of several statements.
          await client.query(m.sql);
          await client.query('INSERT INTO schema_version (version) VALUES ($1)', [m.version]);
          await client.query('COMMIT');
        } catch (err) {
          // On a lost connection the ROLLBACK fails too (the server rolled back): the migration's error is the one to tell.
          await client.query('ROLLBACK').catch(() => undefined);
          throw new Error(`PostgreSQL migration ${m.version} failed: ${(err as Error).message}`, { cause: err });
        }
      }
      return latest;
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  });
}

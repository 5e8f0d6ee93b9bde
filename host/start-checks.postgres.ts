import pg from 'pg';
import { DatabaseTooNewError } from '../store/migrations/index.ts';
import { PG_MIGRATIONS } from '../store/migrations/postgres/index.ts';
import { currentPostgresVersion } from '../store/postgres/migrate.ts';
import type { KeySettings } from './crypto.ts';
import { keyRefusal, sealKeysQuery } from './start-checks.ts';

/**
 * `fronta serve --database postgres://…` looks before it migrates anything, as it does at a
 * SQLite file (start-checks.ts): a server it cannot reach or enter, a schema from a newer build,
 * a key that would not open the sealed contacts — each one line for the operator, and the host
 * does not start. Reads only, on one connection of its own.
 */
export async function postgresStartRefusal(url: string, keys: KeySettings, dataDir: string): Promise<string | null> {
  const where = redactUrl(url);
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    return `cannot connect to the PostgreSQL database ${where}: ${e instanceof Error ? e.message : String(e)}`;
  }
  try {
    const version = await currentPostgresVersion(client);
    const latest = PG_MIGRATIONS.at(-1)?.version ?? 0;
    if (version > latest) return `${where}: ${new DatabaseTooNewError(version, latest).message}; the database was left as it is`;
    const tables = await client.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()`);
    const query = sealKeysQuery(new Set(tables.rows.map((r) => r.name)));
    const inUse = query === null ? [] : (await client.query<{ id: string }>(query)).rows.map((r) => r.id);
    return keyRefusal(inUse, keys, dataDir, where);
  } catch (e) {
    return `the PostgreSQL database ${where} cannot be read (${e instanceof Error ? e.message : String(e)}); the database was left as it is`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password !== '') u.password = '***';
    return u.href;
  } catch {
    return 'the database';
  }
}

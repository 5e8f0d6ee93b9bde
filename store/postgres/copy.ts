import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import { postgresSchema, sqliteSchema, type LogicalTable } from './logical-schema.ts';
import { migratePostgres } from './migrate.ts';
import { withHeldClient } from './pool.ts';
import { postgresTableSum, quote, sqliteSelect, sqliteTableSum, type TableSum } from './table-checksum.ts';

/**
 * Moves an office appliance's data (its SQLite database, every table) into an empty PostgreSQL
 * database: the target is migrated to the same version, must have the same logical schema and no
 * data, and receives everything in ONE transaction — all of it or nothing. Before that transaction
 * commits, every table is counted and checksummed on both sides the same way
 * (table-checksum.ts); on any difference it rolls back, so a target is never left half right.
 *
 * The source is read in one read transaction, so a host still running on it cannot change the
 * data between copy and check. Triggers of the target are off during the copy: the rows already
 * carry what the triggers derive (issued counts, the configuration's version).
 */
export interface TableReport {
  table: string;
  source: TableSum;
  target: TableSum;
  ok: boolean;
}

export interface CopyReport {
  tables: TableReport[];
  ok: boolean;
  /** Whether the target now holds the data (false: rolled back after a mismatch). */
  committed: boolean;
}

export class CopyRefusedError extends Error {
  override name = 'CopyRefusedError';
}

/** Rows a fresh migration leaves behind, which the copy replaces: the configuration's version counter at 0. */
const SEEDED: Record<string, string> = { config_version: 'version <> 0' };

/** Bind parameters per INSERT stay well under PostgreSQL's 65,535. */
const PARAMS_PER_INSERT = 30_000;

export async function copySqliteToPostgres(source: Database, pool: pg.Pool): Promise<CopyReport> {
  await migratePostgres(pool);
  return withHeldClient(pool, async (client) => {
    source.exec('BEGIN');
    try {
      const tables = insertOrder(source, sqliteSchema(source));
      await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
      const target = await postgresSchema(client);
      const differs = schemaDifference(tables, target);
      if (differs !== null) throw new CopyRefusedError(`the target's schema differs from the source's (${differs}); is it a Fronta database of this version?`);
      const filled: string[] = [];
      for (const t of tables) {
        const extra = SEEDED[t.name];
        const r = await client.query(`SELECT 1 FROM ${quote(t.name)}${extra === undefined ? '' : ` WHERE ${extra}`} LIMIT 1`);
        if (r.rows.length > 0) filled.push(t.name);
      }
      if (filled.length > 0) throw new CopyRefusedError(`the target database is not empty (${filled.join(', ')}): copy into a new, empty database`);
      for (const t of tables) await client.query(`ALTER TABLE ${quote(t.name)} DISABLE TRIGGER USER`);
      for (const name of Object.keys(SEEDED)) await client.query(`DELETE FROM ${quote(name)}`);
      for (const t of tables) await copyTable(source, client, t);
      await restartIdentities(client);
      for (const t of tables) await client.query(`ALTER TABLE ${quote(t.name)} ENABLE TRIGGER USER`);
      const reports: TableReport[] = [];
      for (const t of tables) {
        const s = sqliteTableSum(source, t);
        const d = await postgresTableSum(client, t);
        reports.push({ table: t.name, source: s, target: d, ok: s.rows === d.rows && s.sha256 === d.sha256 });
      }
      const ok = reports.every((r) => r.ok);
      await client.query(ok ? 'COMMIT' : 'ROLLBACK');
      return { tables: reports, ok, committed: ok };
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      source.exec('ROLLBACK');
    }
  });
}

async function copyTable(source: Database, client: pg.ClientBase, table: LogicalTable): Promise<void> {
  const cols = table.columns.map((c) => quote(c.name)).join(', ');
  const width = table.columns.length;
  const perInsert = Math.max(1, Math.floor(PARAMS_PER_INSERT / width));
  const insert = async (batch: unknown[][]): Promise<void> => {
    const values = batch.map((_, r) => `(${table.columns.map((__, c) => `$${r * width + c + 1}`).join(', ')})`).join(', ');
    try {
      await client.query(`INSERT INTO ${quote(table.name)} (${cols}) VALUES ${values}`, batch.flat());
    } catch (err) {
      // A row SQLite held that PostgreSQL's constraints or types refuse (classes 22 and 23): say which table.
      const code = String((err as { code?: unknown }).code);
      if (code.startsWith('22') || code.startsWith('23')) throw new CopyRefusedError(`the target refused a row of ${table.name}: ${(err as Error).message}`);
      throw err;
    }
  };
  // Streamed: the iterator stays open across the awaits, and no other SQLite statement runs meanwhile.
  let batch: unknown[][] = [];
  for (const row of source.prepare(sqliteSelect(table)).raw().iterate() as IterableIterator<unknown[]>) {
    batch.push(row);
    if (batch.length === perInsert) {
      await insert(batch);
      batch = [];
    }
  }
  if (batch.length > 0) await insert(batch);
}

/** Identity columns (event ids, audit ids) continue after the highest id copied. */
async function restartIdentities(client: pg.ClientBase): Promise<void> {
  const identities = await client.query<{ table: string; column: string }>(
    `SELECT table_name AS table, column_name AS column FROM information_schema.columns
      WHERE table_schema = current_schema() AND is_identity = 'YES'`,
  );
  for (const { table, column } of identities.rows) {
    await client.query(
      `SELECT setval(pg_get_serial_sequence($1, $2), coalesce((SELECT max(${quote(column)}) FROM ${quote(table)}), 0) + 1, false)`,
      [quote(table), column],
    );
  }
}

/** Tables ordered so that every foreign key points at a table copied before it. */
function insertOrder(db: Database, tables: LogicalTable[]): LogicalTable[] {
  const done = new Set<string>();
  const ordered: LogicalTable[] = [];
  const visit = (t: LogicalTable, path: Set<string>): void => {
    if (done.has(t.name) || path.has(t.name)) return;
    path.add(t.name);
    const refs = db.pragma(`foreign_key_list(${JSON.stringify(t.name)})`) as { table: string }[];
    for (const r of refs) {
      const parent = tables.find((x) => x.name === r.table);
      if (parent !== undefined && parent.name !== t.name) visit(parent, path);
    }
    done.add(t.name);
    ordered.push(t);
  };
  for (const t of tables) visit(t, new Set());
  return ordered;
}

/** The first difference between the two schemas that matters for a copy, or null. */
function schemaDifference(source: LogicalTable[], target: LogicalTable[]): string | null {
  for (const s of source) {
    const t = target.find((x) => x.name === s.name);
    if (t === undefined) return `no table ${s.name}`;
    const columns = (x: LogicalTable): string => x.columns.map((c) => `${c.name}:${c.type}`).join(',');
    if (columns(s) !== columns(t)) return `columns of ${s.name}`;
    if (s.primaryKey.join(',') !== t.primaryKey.join(',')) return `primary key of ${s.name}`;
  }
  const extra = target.find((t) => !source.some((s) => s.name === t.name));
  return extra === undefined ? null : `extra table ${extra.name}`;
}

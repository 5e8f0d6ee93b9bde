import type { Database } from 'better-sqlite3';
import type pg from 'pg';

/**
 * A schema as the code sees it, the same words for both dialects: tables, columns with their
 * normalised type (integer, real, text), nullability and default, primary key, unique constraints
 * and named indexes. What is not compared: CHECKs, foreign keys, triggers (written per dialect)
 * and the storage details (STRICT, WITHOUT ROWID, identity columns).
 */
export interface LogicalColumn {
  name: string;
  /** integer, real, text or blob (any other declared type as written, lower case). */
  type: string;
  notNull: boolean;
  default: string | null;
}
export interface LogicalIndex {
  name: string;
  columns: string[];
  unique: boolean;
  partial: boolean;
}
export interface LogicalTable {
  name: string;
  /** In declaration order (a copy lists them in this order). */
  columns: LogicalColumn[];
  primaryKey: string[];
  uniques: string[][];
  indexes: LogicalIndex[];
}

/** Tables each dialect keeps for itself: SQLite's own, and PostgreSQL's record of migrations. */
const BOOKKEEPING = new Set(['schema_version']);

function normaliseType(declared: string): string {
  const t = declared.trim().toLowerCase();
  if (['integer', 'bigint', 'smallint', 'int'].includes(t)) return 'integer';
  if (['real', 'double precision', 'double'].includes(t)) return 'real';
  if (t === 'text') return 'text';
  if (t === 'blob' || t === 'bytea') return 'blob';
  return t === '' ? 'any' : t;
}

/** `'none'::text` and `'none'` are the same default; so are `0::bigint` and `0`. */
function normaliseDefault(d: string | null): string | null {
  return d === null ? null : d.replace(/::[a-z ]+$/, '');
}

const byName = <T extends { name: string }>(xs: T[]): T[] => xs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
const sortLists = (xs: string[][]): string[][] => xs.map((x) => x.join(',')).sort().map((x) => x.split(','));

export function sqliteSchema(db: Database): LogicalTable[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return tables.map((table) => {
    const info = db.pragma(`table_info(${JSON.stringify(table)})`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    const primaryKey = info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    const columns = info.map((c) => ({
      name: c.name,
      type: normaliseType(c.type),
      notNull: c.notnull === 1 || c.pk > 0,
      default: normaliseDefault(c.dflt_value),
    }));
    const list = db.pragma(`index_list(${JSON.stringify(table)})`) as { name: string; unique: number; origin: string; partial: number }[];
    const columnsOf = (index: string): string[] =>
      (db.pragma(`index_xinfo(${JSON.stringify(index)})`) as { seqno: number; name: string | null; desc: number; key: number }[])
        .filter((c) => c.key === 1)
        .sort((a, b) => a.seqno - b.seqno)
        .map((c) => (c.name ?? '<expression>') + (c.desc === 1 ? ' desc' : ''));
    const uniques = sortLists(list.filter((i) => i.origin === 'u').map((i) => columnsOf(i.name)));
    const indexes = byName(list.filter((i) => i.origin === 'c').map((i) => ({ name: i.name, columns: columnsOf(i.name), unique: i.unique === 1, partial: i.partial === 1 })));
    return { name: table, columns, primaryKey, uniques, indexes };
  });
}

export async function postgresSchema(client: pg.ClientBase): Promise<LogicalTable[]> {
  const tables = (
    await client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
        WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`,
    )
  ).rows
    .map((r) => r.name)
    .filter((t) => !BOOKKEEPING.has(t));
  const columns = (
    await client.query<{ table: string; name: string; type: string; nullable: string; default: string | null }>(
      `SELECT table_name AS table, column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS default
         FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    )
  ).rows;
  const keyed = `array(SELECT a.attname FROM unnest(c.conkey) WITH ORDINALITY k(attnum, n)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum ORDER BY k.n)::text[]`;
  const constraints = (
    await client.query<{ table: string; kind: string; columns: string[] }>(
      `SELECT t.relname AS table, c.contype AS kind, ${keyed} AS columns
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace ns ON ns.oid = t.relnamespace
        WHERE ns.nspname = current_schema() AND c.contype IN ('p', 'u')`,
    )
  ).rows;
  const indexes = (
    await client.query<{ table: string; name: string; unique: boolean; partial: boolean; columns: string[] }>(
      `SELECT t.relname AS table, i.relname AS name, ix.indisunique AS unique, ix.indpred IS NOT NULL AS partial,
              array(SELECT coalesce(a.attname::text, '<expression>') || CASE WHEN (ix.indoption[k.n - 1] & 1) = 1 THEN ' desc' ELSE '' END
                      FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n)
                      LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS columns
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
         JOIN pg_namespace ns ON ns.oid = t.relnamespace
        WHERE ns.nspname = current_schema()
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = ix.indexrelid AND c.contype IN ('p', 'u'))`,
    )
  ).rows;
  return tables.map((table) => ({
    name: table,
    columns: columns
      .filter((c) => c.table === table)
      .map((c) => ({ name: c.name, type: normaliseType(c.type), notNull: c.nullable === 'NO', default: normaliseDefault(c.default) })),
    primaryKey: constraints.find((c) => c.table === table && c.kind === 'p')?.columns ?? [],
    uniques: sortLists(constraints.filter((c) => c.table === table && c.kind === 'u').map((c) => c.columns)),
    indexes: byName(indexes.filter((i) => i.table === table).map(({ name, columns: cols, unique, partial }) => ({ name, columns: cols, unique, partial }))),
  }));
}

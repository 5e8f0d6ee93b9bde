import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import type pg from 'pg';
import type { LogicalTable } from './logical-schema.ts';

/**
 * A table's row count and checksum, computed the same way over both dialects: rows in primary-key
 * order (every column where there is none) with text compared byte by byte (SQLite's BINARY is
 * PostgreSQL's "C"), nulls first; each row encoded as the JSON array of its values in the
 * declared column order (numbers as JSON numbers — the PostgreSQL pool reads BIGINT as numbers —,
 * text as JSON strings, null as null), one line each, hashed with SHA-256.
 */
export interface TableSum {
  rows: number;
  sha256: string;
}

const FETCH_ROWS = 2000;

/** An identifier quoted for both dialects. */
export const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

function orderColumns(table: LogicalTable): string[] {
  return table.primaryKey.length > 0 ? table.primaryKey : table.columns.map((c) => c.name);
}

export function sqliteSelect(table: LogicalTable): string {
  const cols = table.columns.map((c) => quote(c.name)).join(', ');
  const order = orderColumns(table).map((c) => `${quote(c)} ASC`).join(', ');
  return `SELECT ${cols} FROM ${quote(table.name)} ORDER BY ${order}`;
}

function postgresSelect(table: LogicalTable): string {
  const cols = table.columns.map((c) => quote(c.name)).join(', ');
  const textual = new Set(table.columns.filter((c) => c.type === 'text').map((c) => c.name));
  const order = orderColumns(table)
    .map((c) => `${quote(c)}${textual.has(c) ? ' COLLATE "C"' : ''} ASC NULLS FIRST`)
    .join(', ');
  return `SELECT ${cols} FROM ${quote(table.name)} ORDER BY ${order}`;
}

export function sqliteTableSum(db: Database, table: LogicalTable): TableSum {
  const hash = createHash('sha256');
  let rows = 0;
  for (const row of db.prepare(sqliteSelect(table)).raw().iterate() as IterableIterator<unknown[]>) {
    hash.update(JSON.stringify(row) + '\n');
    rows += 1;
  }
  return { rows, sha256: hash.digest('hex') };
}

/** Reads through a cursor, so a table of millions of events is never held in memory; inside a transaction. */
export async function postgresTableSum(client: pg.ClientBase, table: LogicalTable): Promise<TableSum> {
  const hash = createHash('sha256');
  let rows = 0;
  await client.query(`DECLARE fronta_sum NO SCROLL CURSOR FOR ${postgresSelect(table)}`);
  for (;;) {
    const batch = await client.query<unknown[]>({ text: `FETCH ${FETCH_ROWS} FROM fronta_sum`, rowMode: 'array' });
    for (const row of batch.rows) hash.update(JSON.stringify(row) + '\n');
    rows += batch.rows.length;
    if (batch.rows.length < FETCH_ROWS) break;
  }
  await client.query('CLOSE fronta_sum');
  return { rows, sha256: hash.digest('hex') };
}

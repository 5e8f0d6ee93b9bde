import { createHash } from 'node:crypto';
import type { Db } from '../../store/database.ts';
import type { TestStore } from './harness.ts';

/**
 * Everything a request could change, table by table (new tables are picked up by themselves), on
 * either store: a row count and checksum of every row of every table, except the event log (its
 * head: last id and count, alerts aside), sessions (the live ones only — deleting an already dead
 * session, as logout with an expired cookie does, is not a change) and when a device was last seen.
 * Two snapshots of one store compare; snapshots of different stores do not.
 */
export type StoreSnapshot = Map<string, string>;

const TABLES: Record<TestStore, string> = {
  sqlite: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  postgres: "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
};

/** The statement a table is read with, the same in both dialects. */
function readOf(name: string, now: number): string {
  // The alert monitor writes alerts:changed on its own schedule: derived state, not the request's doing.
  if (name === 'events') return "SELECT max(id) AS last, count(*) AS n FROM events WHERE type <> 'alerts:changed'";
  if (name === 'sessions') return `SELECT s.* FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.expires_at > ${Math.trunc(now)} AND u.disabled_at IS NULL`;
  return `SELECT * FROM "${name.replaceAll('"', '""')}"`;
}

/** A row count and checksum (as store/postgres/table-checksum.ts sums a table for a copy): rows sorted by their JSON, so the order a store happens to return them in is no change. */
function sumOf(name: string, rows: Record<string, unknown>[]): string {
  // When a device was last seen is a sighting its own requests record, not a change they make.
  const kept = name === 'devices' ? rows.map(({ last_seen_at: _seen, ...rest }) => rest) : rows;
  const hash = createHash('sha256');
  for (const line of kept.map((r) => JSON.stringify(r)).sort()) hash.update(`${line}\n`);
  return `${kept.length}:${hash.digest('hex')}`;
}

/** The snapshot of a SQLite connection, read at once. */
export function dbSnapshot(db: Db, now: number): StoreSnapshot {
  const snap: StoreSnapshot = new Map();
  for (const { name } of db.prepare(TABLES.sqlite).all() as { name: string }[]) {
    snap.set(name, sumOf(name, db.prepare(readOf(name, now)).all() as Record<string, unknown>[]));
  }
  return snap;
}

/** The snapshot of a test host's store, SQLite or PostgreSQL (through TestHost.sql). */
export async function storeSnapshot(h: { store: TestStore; sql<T>(text: string): Promise<T[]> }, now: number): Promise<StoreSnapshot> {
  const snap: StoreSnapshot = new Map();
  for (const { name } of await h.sql<{ name: string }>(TABLES[h.store])) {
    snap.set(name, sumOf(name, await h.sql<Record<string, unknown>>(readOf(name, now))));
  }
  return snap;
}

/** Names of the tables that differ between two snapshots. */
export function changedTables(before: StoreSnapshot, after: StoreSnapshot): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

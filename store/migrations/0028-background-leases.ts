import type { Migration } from './migration.ts';

/**
 * Leases on background work (webhook deliveries, booking sweeps, the retention purge, statistics
 * rollups, the outbox): one row per task, held by one host until its expiry, renewed while held,
 * taken over once it lapses. A host alone on its SQLite file never reads it (it always holds every
 * lease); the table exists in both dialects so their logical schemas stay one.
 */
export default {
  version: 28,
  sql: `
  CREATE TABLE leases (
    name TEXT NOT NULL PRIMARY KEY,
    owner TEXT NOT NULL,
    acquired_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  `,
} satisfies Migration;

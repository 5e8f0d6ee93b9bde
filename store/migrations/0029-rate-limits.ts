import type { Migration } from './migration.ts';

/**
 * Request counters of the rate limits shared by several hosts: one row per limited route and
 * client, counting the requests of its current window. A host alone on its SQLite file keeps its
 * counters in memory and never reads it; the table exists in both dialects so their logical
 * schemas stay one.
 */
export default {
  version: 29,
  sql: `
  CREATE TABLE rate_limits (
    key TEXT NOT NULL PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);
  `,
} satisfies Migration;

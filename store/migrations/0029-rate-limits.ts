import type { Migration } from './migration.ts';

/**
 * Request counters of the rate limits shared by several hosts: one row per limited route and
 * client, counting the requests of its current window. A host alone on its SQLite file keeps its
 * counters in memory and never reads it; the table exists in both dialects so their logical
 * schemas stay one. And an index of printer changes: a host sharing the database learns, when it
 * starts, what state each kiosk's printer was last reported in, whichever host its agent is on.
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
  CREATE INDEX events_printers ON events (office_id, id) WHERE type = 'printer:changed';
  `,
} satisfies Migration;

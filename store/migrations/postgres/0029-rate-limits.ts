import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0029-rate-limits.ts. One row per limited route and client: the requests
 * counted in its window, and when the window ends (milliseconds of the database's clock, so every
 * host agrees on it). The printer changes' index: see the SQLite twin.
 */
export default {
  version: 29,
  sql: `
  CREATE TABLE rate_limits (
    key TEXT NOT NULL PRIMARY KEY,
    count INTEGER NOT NULL,
    expires_at BIGINT NOT NULL
  );
  CREATE INDEX rate_limits_expiry ON rate_limits (expires_at);
  CREATE INDEX events_printers ON events (office_id, id) WHERE type = 'printer:changed';
  `,
} satisfies Migration;

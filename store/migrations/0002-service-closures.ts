import type { Migration } from './migration.ts';

/**
 * A supervisor closes a service for the rest of an office day
 */
export default {
  version: 2,
  sql: `
  CREATE TABLE service_closures (
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,              -- office-local YYYY-MM-DD
    closed_at INTEGER NOT NULL,
    PRIMARY KEY (service_id, day)
  ) STRICT, WITHOUT ROWID;
  `,
} satisfies Migration;

import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0028-background-leases.ts. One lease per background task: its holder (a
 * host id), since when it holds it and until when (milliseconds of the database's clock, so hosts
 * with skewed clocks agree on when a lease lapses).
 */
export default {
  version: 28,
  sql: `
  CREATE TABLE leases (
    name TEXT NOT NULL PRIMARY KEY,
    owner TEXT NOT NULL,
    acquired_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );
  `,
} satisfies Migration;

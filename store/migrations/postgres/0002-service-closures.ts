import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0002-service-closures.ts. A supervisor closes a service for the rest of an office day
 */
export default {
  version: 2,
  sql: `
  CREATE TABLE service_closures (
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,
    closed_at BIGINT NOT NULL,
    PRIMARY KEY (service_id, day)
  );
  `,
} satisfies Migration;

import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0017-ticket-ratings.ts. Clients' ratings of their visits: one per ticket, a number only.
 */
export default {
  version: 17,
  sql: `
  CREATE TABLE ticket_ratings (
    ticket_id TEXT PRIMARY KEY REFERENCES tickets (id),
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    counter_id TEXT,
    rating BIGINT NOT NULL CHECK (rating BETWEEN 1 AND 5),
    at BIGINT NOT NULL
  );
  CREATE INDEX ticket_ratings_office_at ON ticket_ratings (office_id, at);
  `,
} satisfies Migration;

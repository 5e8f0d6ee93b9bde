import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0021-office-changes-to-bookings.ts. A booking the office moves or cancels carries its calendar SEQUENCE and when the client
 * accepted the latest change.
 */
export default {
  version: 21,
  sql: `
  ALTER TABLE bookings ADD COLUMN sequence BIGINT NOT NULL DEFAULT 0;
  ALTER TABLE bookings ADD COLUMN change_accepted_at BIGINT;
  `,
} satisfies Migration;

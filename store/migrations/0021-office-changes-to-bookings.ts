import type { Migration } from './migration.ts';

/**
 * A booking the office moves or cancels (a closed day, shorter hours) carries how often that
 * happened — its calendar event's SEQUENCE, so the client's calendar replaces the old event — and
 * when the client accepted the latest change through its link.
 */
export default {
  version: 21,
  sql: `
  ALTER TABLE bookings ADD COLUMN sequence INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE bookings ADD COLUMN change_accepted_at INTEGER;
  `,
} satisfies Migration;

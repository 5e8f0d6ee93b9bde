import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0012-settings-audit-index.ts. Changes of an office's booking settings, read as an audit: a partial index on the event log.
 */
export default {
  version: 12,
  sql: `
  CREATE INDEX events_booking_settings ON events (office_id, id) WHERE type = 'booking:settings-changed';
  `,
} satisfies Migration;

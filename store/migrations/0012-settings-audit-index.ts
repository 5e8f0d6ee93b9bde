import type { Migration } from './migration.ts';

/**
 * Changes of an office's booking settings (the crisis switch, rules, retention) are events staff
 * read as an audit, newest first: a partial index finds the few among millions of others.
 */
export default {
  version: 12,
  sql: `
  CREATE INDEX events_booking_settings ON events (office_id, id) WHERE type = 'booking:settings-changed';
  `,
} satisfies Migration;

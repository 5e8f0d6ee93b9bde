import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0010-fewer-index-pages.ts. Fewer index pages written per call: live tickets only by office; no separate walk-in line.
 */
export default {
  version: 10,
  sql: `
  DROP INDEX tickets_office_state;
  CREATE INDEX tickets_office_live ON tickets (office_id) WHERE state IN ('printing', 'waiting', 'called', 'serving', 'parked');
  DROP INDEX tickets_walk_in_line;
  `,
} satisfies Migration;

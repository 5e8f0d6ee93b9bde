import type { Migration } from './migration.ts';

/**
 * Fewer index pages written per call: every state change rewrote two entries of (office_id, state)
 * for every ticket ever issued, though only live tickets are ever looked up by office; and the
 * walk-in line is tickets_line read past the few early booked arrivals.
 */
export default {
  version: 10,
  sql: `
  DROP INDEX tickets_office_state;
  CREATE INDEX tickets_office_live ON tickets (office_id) WHERE state IN ('printing', 'waiting', 'called', 'serving', 'parked');
  DROP INDEX tickets_walk_in_line;
  `,
} satisfies Migration;

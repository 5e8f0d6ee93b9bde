import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0007-counter-session-services.ts. A clerk may narrow a counter to some of its services for one session (null = all).
 */
export default {
  version: 7,
  sql: `
  ALTER TABLE counters ADD COLUMN session_service_ids TEXT;
  `,
} satisfies Migration;

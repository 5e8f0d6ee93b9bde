import type { Migration } from '../migration.ts';

/** PostgreSQL twin of ../0030-slot-length.ts: a slot's length when it was stored (NULL before). */
export default {
  version: 30,
  sql: `
  ALTER TABLE slots ADD COLUMN minutes INTEGER;
  `,
} satisfies Migration;

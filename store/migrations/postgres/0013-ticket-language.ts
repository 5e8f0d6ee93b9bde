import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0013-ticket-language.ts. A ticket remembers the language it was printed in (null for tickets issued before).
 */
export default {
  version: 13,
  sql: `
  ALTER TABLE tickets ADD COLUMN language TEXT;
  `,
} satisfies Migration;

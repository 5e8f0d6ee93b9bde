import type { Migration } from './migration.ts';

/**
 * A ticket remembers the language it was printed in, so a reprint at the counter is in the
 * client's language, not the clerk's. Null for tickets issued before.
 */
export default {
  version: 13,
  sql: `
  ALTER TABLE tickets ADD COLUMN language TEXT;
  `,
} satisfies Migration;

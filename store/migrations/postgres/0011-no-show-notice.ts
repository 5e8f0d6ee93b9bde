import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0011-no-show-notice.ts. The sweep tells a client of a lapsed booking or a no-show once; earlier no-shows count as told.
 */
export default {
  version: 11,
  sql: `
  ALTER TABLE no_shows ADD COLUMN noticed_at BIGINT;
  UPDATE no_shows SET noticed_at = at;
  CREATE INDEX no_shows_to_notice ON no_shows (at) WHERE noticed_at IS NULL;
  `,
} satisfies Migration;

import type { Migration } from './migration.ts';

/**
 * A client whose booking lapsed or who did not come when called is told so (and of the ban, if the
 * office has one); the sweep sends that notice once. No-shows recorded before this version count
 * as told.
 */
export default {
  version: 11,
  sql: `
  ALTER TABLE no_shows ADD COLUMN noticed_at INTEGER;
  UPDATE no_shows SET noticed_at = at;
  CREATE INDEX no_shows_to_notice ON no_shows (at) WHERE noticed_at IS NULL;
  `,
} satisfies Migration;

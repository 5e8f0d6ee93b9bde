import type { Migration } from './migration.ts';

/**
 * Who changed which user, device or office, when, and what it was before and after (JSON of the
 * changed fields; never a password, its hash or a token). `user_id` is null for the CLI.
 */
export default {
  version: 18,
  sql: `
  CREATE TABLE people_audit (
    id INTEGER PRIMARY KEY,
    office_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    user_id TEXT,
    username TEXT,
    via TEXT NOT NULL CHECK (via IN ('api', 'cli')),
    entity TEXT NOT NULL CHECK (entity IN ('user', 'device', 'office')),
    entity_id TEXT NOT NULL,
    action TEXT NOT NULL,
    before TEXT,
    after TEXT
  ) STRICT;
  CREATE INDEX people_audit_office ON people_audit (office_id, id);
  `,
} satisfies Migration;

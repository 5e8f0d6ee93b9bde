import type { Migration } from './migration.ts';

/**
 * Message and ticket templates an office changed (absent = the default), and their audit trail:
 * who changed which template when, before → after (JSON; null = the default), as the office
 * configuration's audit records its changes. Tickets called out of turn are events supervisors
 * read as an audit: a partial index finds them among the office's log.
 */
export default {
  version: 20,
  sql: `
  CREATE TABLE message_templates (
    office_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (office_id, kind, language)
  ) STRICT;
  CREATE TABLE template_changes (
    id INTEGER PRIMARY KEY,
    office_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    user_id TEXT,
    username TEXT,
    via TEXT NOT NULL CHECK (via IN ('api', 'file', 'cli', 'undo')),
    undo_of INTEGER REFERENCES template_changes(id),
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    changes TEXT NOT NULL,
    before TEXT,
    after TEXT
  ) STRICT;
  CREATE INDEX template_changes_office ON template_changes (office_id, id);
  CREATE INDEX events_out_of_order ON events (office_id, id) WHERE type = 'ticket:called-out-of-order';
  `,
} satisfies Migration;

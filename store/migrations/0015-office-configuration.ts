import type { Migration } from './migration.ts';

/**
 * The office configuration becomes editable (back office, office file): the office's profile
 * (names per language, address, public contact), logos, calendar (closed days with notes, changed
 * days) and alert thresholds; a service's own hours; a counter's name, department and place in the
 * list; removal kept as a date (tickets, bookings and statistics still name what was removed);
 * and the audit of every change with its before and after, which undo re-applies.
 */
export default {
  version: 15,
  sql: `
  ALTER TABLE offices ADD COLUMN profile TEXT NOT NULL DEFAULT '{}';        -- JSON: names, address, contact
  ALTER TABLE offices ADD COLUMN logos TEXT NOT NULL DEFAULT '{"screen":null,"ticket":null}';
  ALTER TABLE offices ADD COLUMN calendar TEXT;                              -- JSON Calendar; NULL = closed_days without notes
  ALTER TABLE offices ADD COLUMN alerts TEXT NOT NULL DEFAULT '{"waitingOver":null,"waitMinOver":null}';
  ALTER TABLE departments ADD COLUMN removed_at INTEGER;
  ALTER TABLE services ADD COLUMN hours TEXT;                                -- JSON WeeklyHours; NULL = the office's
  ALTER TABLE services ADD COLUMN removed_at INTEGER;
  ALTER TABLE counters ADD COLUMN name TEXT;                                 -- JSON Localized; NULL = none
  ALTER TABLE counters ADD COLUMN department_id TEXT REFERENCES departments(id);
  ALTER TABLE counters ADD COLUMN position INTEGER;
  ALTER TABLE counters ADD COLUMN removed_at INTEGER;

  CREATE TABLE config_changes (
    id INTEGER PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    at INTEGER NOT NULL,
    user_id TEXT,
    via TEXT NOT NULL CHECK (via IN ('api', 'file', 'cli', 'undo')),
    undo_of INTEGER REFERENCES config_changes(id),
    sections TEXT NOT NULL,            -- JSON array of section names
    changes TEXT NOT NULL,             -- JSON [{ path, from, to }]
    before TEXT NOT NULL,              -- JSON ConfigPatch: applied, gives the configuration before
    after TEXT NOT NULL                -- JSON ConfigPatch
  ) STRICT;
  CREATE INDEX config_changes_office ON config_changes (office_id, id);
  `,
} satisfies Migration;

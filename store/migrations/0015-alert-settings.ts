import type { Migration } from './migration.ts';

/**
 * An office's alert thresholds (one JSON object per office; absent = the defaults), and an index to
 * find the office's last `alerts:changed` (what the pages were last told) after a restart.
 */
export default {
  version: 15,
  sql: `
  CREATE TABLE alert_settings (
    office_id TEXT PRIMARY KEY REFERENCES offices (id),
    settings TEXT NOT NULL,
    changed_at INTEGER NOT NULL,
    changed_by TEXT NOT NULL
  );
  CREATE INDEX events_alerts ON events (office_id, id) WHERE type = 'alerts:changed';`,
} satisfies Migration;

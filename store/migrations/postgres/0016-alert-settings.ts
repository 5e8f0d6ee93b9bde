import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0016-alert-settings.ts. An office's alert thresholds, and an index to find its last `alerts:changed` after a restart.
 */
export default {
  version: 16,
  sql: `
  CREATE TABLE alert_settings (
    office_id TEXT PRIMARY KEY REFERENCES offices (id),
    settings TEXT NOT NULL,
    changed_at BIGINT NOT NULL,
    changed_by TEXT NOT NULL
  );
  CREATE INDEX events_alerts ON events (office_id, id) WHERE type = 'alerts:changed';
  `,
} satisfies Migration;

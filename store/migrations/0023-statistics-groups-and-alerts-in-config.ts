import type { Migration } from './migration.ts';

/**
 * Statistics: a day's rollup also keeps its tickets summed per service, counter, clerk, channel
 * (and hour of arrival), so that a month's report reads a few hundred rows per day range instead of
 * every ticket; waiting and service times stay exact (8-byte floats, a BLOB / bytea). Days rolled up
 * before have no such rows: they are marked open again and rebuilt from the event log when asked.
 *
 * Alerts: the thresholds live in one place, the office configuration's `alerts` section (so they
 * are in the office file, the audit and undo). What the monitor read from `alert_settings` moves
 * into it (it was the effective value), over the defaults; the first shape's unread `waitMinOver`
 * becomes the target wait where no row existed. Then the table goes.
 */
export default {
  version: 23,
  sql: `
  CREATE TABLE stats_groups (
    office_id TEXT NOT NULL,
    by_hour INTEGER NOT NULL CHECK (by_hour IN (0, 1)),
    day TEXT NOT NULL,
    hour INTEGER NOT NULL,
    service_id TEXT NOT NULL,
    counter_id TEXT NOT NULL,
    clerk_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    issued INTEGER NOT NULL,
    served INTEGER NOT NULL,
    no_show INTEGER NOT NULL,
    voided INTEGER NOT NULL,
    open INTEGER NOT NULL,
    transferred INTEGER NOT NULL,
    waits BLOB NOT NULL,
    services BLOB NOT NULL,
    early INTEGER NOT NULL,
    on_time INTEGER NOT NULL,
    late INTEGER NOT NULL,
    late_sum_ms INTEGER NOT NULL,
    waiting_at TEXT,
    PRIMARY KEY (office_id, by_hour, day, hour, service_id, counter_id, clerk_id, channel, kiosk_id)
  ) STRICT, WITHOUT ROWID;
  DELETE FROM stats_days;
  UPDATE offices SET alerts = json_patch(
    json_object(
      'targetWaitMin', COALESCE(json_extract(alerts, '$.targetWaitMin'), json_extract(alerts, '$.waitMinOver'), 30),
      'serviceTargets', json('{}'),
      'outboxBacklog', 50,
      'providerFailures', 3,
      'emailSupervisors', json('false')
    ),
    COALESCE((SELECT a.settings FROM alert_settings a WHERE a.office_id = offices.id), '{}')
  );
  DROP TABLE alert_settings;
  `,
} satisfies Migration;

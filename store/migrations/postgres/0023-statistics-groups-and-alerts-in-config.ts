import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0023-statistics-groups-and-alerts-in-config.ts. A day's rollup also keeps
 * its tickets summed per service, counter, clerk, channel (and hour); the alert thresholds move
 * from `alert_settings` into the office configuration's `alerts` section, and the table goes.
 * `alerts` is JSON kept as TEXT (as on SQLite): merged here as jsonb, written back as text.
 */
export default {
  version: 23,
  sql: `
  CREATE TABLE stats_groups (
    office_id TEXT NOT NULL,
    by_hour BIGINT NOT NULL CHECK (by_hour IN (0, 1)),
    day TEXT NOT NULL,
    hour BIGINT NOT NULL,
    service_id TEXT NOT NULL,
    counter_id TEXT NOT NULL,
    clerk_id TEXT NOT NULL,
    channel TEXT NOT NULL,
    kiosk_id TEXT NOT NULL,
    issued BIGINT NOT NULL,
    served BIGINT NOT NULL,
    no_show BIGINT NOT NULL,
    voided BIGINT NOT NULL,
    open BIGINT NOT NULL,
    transferred BIGINT NOT NULL,
    waits BYTEA NOT NULL,
    services BYTEA NOT NULL,
    early BIGINT NOT NULL,
    on_time BIGINT NOT NULL,
    late BIGINT NOT NULL,
    late_sum_ms BIGINT NOT NULL,
    waiting_at TEXT,
    PRIMARY KEY (office_id, by_hour, day, hour, service_id, counter_id, clerk_id, channel, kiosk_id)
  );
  DELETE FROM stats_days;
  -- Statement-level triggers fire even when no row changes: an empty install keeps no configuration version.
  DO $$ BEGIN IF EXISTS (SELECT 1 FROM offices) THEN
  UPDATE offices SET alerts = (
    jsonb_build_object(
      'targetWaitMin', COALESCE(alerts::jsonb -> 'targetWaitMin', alerts::jsonb -> 'waitMinOver', '30'::jsonb),
      'serviceTargets', '{}'::jsonb,
      'outboxBacklog', 50,
      'providerFailures', 3,
      'emailSupervisors', false
    ) || COALESCE((SELECT a.settings::jsonb FROM alert_settings a WHERE a.office_id = offices.id), '{}'::jsonb)
  )::text;
  END IF; END $$;
  DROP TABLE alert_settings;
  `,
} satisfies Migration;

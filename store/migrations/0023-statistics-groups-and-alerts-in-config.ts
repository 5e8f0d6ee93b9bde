import type { Migration } from './migration.ts';

/**
 * Statistics: a day's rollup also keeps its tickets summed per service, counter, clerk, channel
 * (and hour of arrival), so that a month's report reads a few hundred rows per day range instead of
 * every ticket; waiting and service times stay exact (8-byte floats, a BLOB / bytea). Days rolled up
 * before have no such rows: they are marked open again and rebuilt from the event log when asked.
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
  `,
} satisfies Migration;

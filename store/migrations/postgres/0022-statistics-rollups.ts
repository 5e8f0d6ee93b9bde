import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0022-statistics-rollups.ts. Statistics: daily rollups and the indexes that read one day of the event log.
 */
export default {
  version: 22,
  sql: `
  CREATE INDEX events_office_at ON events (office_id, at);
  CREATE INDEX outbox_office_created ON outbox (office_id, created_at);
  CREATE INDEX bookings_office_day ON bookings (office_id, day);
  CREATE TABLE stats_days (
    office_id TEXT NOT NULL,
    day TEXT NOT NULL,
    closed_at BIGINT NOT NULL,
    PRIMARY KEY (office_id, day)
  );
  CREATE TABLE stats_tickets (
    office_id TEXT NOT NULL,
    day TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    number TEXT NOT NULL,
    service_id TEXT NOT NULL,
    final_service_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('walk_in', 'booked', 'reception')),
    kiosk_id TEXT,
    hour BIGINT NOT NULL,
    arrived_at BIGINT NOT NULL,
    booked_at BIGINT,
    answered_at BIGINT,
    counter_id TEXT,
    clerk_id TEXT,
    service_ms BIGINT,
    ended_at BIGINT,
    outcome TEXT NOT NULL CHECK (outcome IN ('served', 'no_show', 'void', 'open')),
    recalls BIGINT NOT NULL,
    transfers BIGINT NOT NULL,
    PRIMARY KEY (office_id, day, ticket_id)
  );
  CREATE TABLE stats_counts (
    office_id TEXT NOT NULL,
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    key TEXT NOT NULL,
    value BIGINT NOT NULL,
    PRIMARY KEY (office_id, day, metric, key)
  );
  `,
} satisfies Migration;

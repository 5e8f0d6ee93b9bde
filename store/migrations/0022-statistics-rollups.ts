import type { Migration } from './migration.ts';

/**
 * Statistics: daily rollups written when an office day is over (one fact row per ticket, a few
 * counters per day), so a month's report reads a month of rows instead of re-reading the event
 * log; and an index on the event log by time, so rolling a day up (and today's figures) reads
 * that day's events only. Plain SQL types and composite keys: the same tables suit PostgreSQL.
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
    closed_at INTEGER NOT NULL,
    PRIMARY KEY (office_id, day)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE stats_tickets (
    office_id TEXT NOT NULL,
    day TEXT NOT NULL,
    ticket_id TEXT NOT NULL,
    number TEXT NOT NULL,
    service_id TEXT NOT NULL,
    final_service_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('walk_in', 'booked', 'reception')),
    kiosk_id TEXT,
    hour INTEGER NOT NULL,
    arrived_at INTEGER NOT NULL,
    booked_at INTEGER,
    answered_at INTEGER,
    counter_id TEXT,
    clerk_id TEXT,
    service_ms INTEGER,
    ended_at INTEGER,
    outcome TEXT NOT NULL CHECK (outcome IN ('served', 'no_show', 'void', 'open')),
    recalls INTEGER NOT NULL,
    transfers INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, ticket_id)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE stats_counts (
    office_id TEXT NOT NULL,
    day TEXT NOT NULL,
    metric TEXT NOT NULL,
    key TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (office_id, day, metric, key)
  ) STRICT, WITHOUT ROWID;
  `,
} satisfies Migration;

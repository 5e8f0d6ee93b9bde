import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0009-rosters-outcomes-eligibility.ts. Rosters, outcomes and eligibility; the office's retention period and what the purge of personal
 * data has done.
 */
export default {
  version: 9,
  sql: `
  CREATE TABLE service_rules (
    service_id TEXT PRIMARY KEY REFERENCES services(id),
    rules TEXT NOT NULL
  );
  CREATE TABLE roster_entries (
    service_id TEXT NOT NULL REFERENCES services(id),
    identity_hash TEXT NOT NULL,
    identity_key_id TEXT NOT NULL,
    name_sealed TEXT NOT NULL,
    phone_sealed TEXT NOT NULL,
    imported_at BIGINT NOT NULL,
    PRIMARY KEY (service_id, identity_hash)
  );
  CREATE TABLE outcomes (
    ticket_id TEXT PRIMARY KEY REFERENCES tickets(id),
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    identity_key_id TEXT NOT NULL,
    identity_hash TEXT NOT NULL,
    outcome TEXT NOT NULL,
    day TEXT NOT NULL,
    at BIGINT NOT NULL,
    user_id TEXT NOT NULL
  );
  CREATE INDEX outcomes_identity ON outcomes (identity_hash, day);
  ALTER TABLE booking_offices ADD COLUMN retention_days BIGINT NOT NULL DEFAULT 30 CHECK (retention_days >= 10);
  ALTER TABLE bookings ADD COLUMN purged_at BIGINT;
  ALTER TABLE applications ADD COLUMN purged_at BIGINT;
  CREATE INDEX bookings_unpurged ON bookings (office_id, day) WHERE purged_at IS NULL;
  CREATE INDEX applications_unpurged ON applications (office_id, day) WHERE purged_at IS NULL;
  `,
} satisfies Migration;

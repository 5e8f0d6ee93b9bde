import type { Migration } from './migration.ts';

/**
 * Rosters, outcomes and eligibility: per-service rules; roster rows with the document number only
 * as its keyed identity hash; outcomes a clerk records, keyed by the identity hash of the ticket's
 * booking; the office's retention period and what the purge of personal data has done.
 */
export default {
  version: 9,
  sql: `
  CREATE TABLE service_rules (
    service_id TEXT PRIMARY KEY REFERENCES services(id),
    rules TEXT NOT NULL               -- JSON ServiceRules: roster, outcomes, eligibility
  ) STRICT;
  CREATE TABLE roster_entries (
    service_id TEXT NOT NULL REFERENCES services(id),
    identity_hash TEXT NOT NULL,      -- keyed hash of the normalised document number, never the number
    identity_key_id TEXT NOT NULL,
    name_sealed TEXT NOT NULL,        -- sealed: opened to match a hold and for the admin's preview
    phone_sealed TEXT NOT NULL,
    imported_at INTEGER NOT NULL,
    PRIMARY KEY (service_id, identity_hash)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE outcomes (
    ticket_id TEXT PRIMARY KEY REFERENCES tickets(id),
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    identity_key_id TEXT NOT NULL,
    identity_hash TEXT NOT NULL,
    outcome TEXT NOT NULL,
    day TEXT NOT NULL,                -- office-local day of the ticket: what intervals count from
    at INTEGER NOT NULL,
    user_id TEXT NOT NULL
  ) STRICT;
  CREATE INDEX outcomes_identity ON outcomes (identity_hash, day);
  ALTER TABLE booking_offices ADD COLUMN retention_days INTEGER NOT NULL DEFAULT 30 CHECK (retention_days >= 10);
  ALTER TABLE bookings ADD COLUMN purged_at INTEGER;
  ALTER TABLE applications ADD COLUMN purged_at INTEGER;
  CREATE INDEX bookings_unpurged ON bookings (office_id, day) WHERE purged_at IS NULL;
  CREATE INDEX applications_unpurged ON applications (office_id, day) WHERE purged_at IS NULL;
  `,
} satisfies Migration;

import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0008-rules-about-people.ts. Rules about people: identity keys as keyed hashes with their key's id; the office's rules; staff
 * bans; the record of every decision a rule made about a person (hashes only).
 */
export default {
  version: 8,
  sql: `
  ALTER TABLE bookings ADD COLUMN identity_key_id TEXT;
  ALTER TABLE bookings ADD COLUMN identity_hash TEXT;
  CREATE INDEX bookings_identity ON bookings (identity_hash, service_id) WHERE identity_hash IS NOT NULL;
  ALTER TABLE applications ADD COLUMN identity_key_id TEXT;
  ALTER TABLE applications ADD COLUMN identity_hash TEXT;
  ALTER TABLE no_shows ADD COLUMN identity_key_id TEXT;
  ALTER TABLE no_shows ADD COLUMN identity_hash TEXT;
  CREATE INDEX no_shows_identity ON no_shows (identity_hash, at) WHERE identity_hash IS NOT NULL;
  ALTER TABLE booking_offices ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';

  CREATE TABLE bans (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL CHECK (kind IN ('fictitious')),
    email_hash TEXT,
    phone_hash TEXT,
    identity_key_id TEXT,
    identity_hash TEXT,
    reason TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    lifted_at BIGINT,
    lifted_by TEXT,
    lift_reason TEXT,
    CHECK (email_hash IS NOT NULL OR phone_hash IS NOT NULL OR identity_hash IS NOT NULL),
    CHECK (ends_at > starts_at)
  );
  CREATE INDEX bans_office ON bans (office_id, ends_at) WHERE lifted_at IS NULL;
  CREATE INDEX bans_email ON bans (email_hash) WHERE email_hash IS NOT NULL;
  CREATE INDEX bans_phone ON bans (phone_hash) WHERE phone_hash IS NOT NULL;
  CREATE INDEX bans_identity ON bans (identity_hash) WHERE identity_hash IS NOT NULL;

  CREATE TABLE rule_decisions (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL,
    service_id TEXT,
    rule TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('refused', 'cancelled', 'ban-applied', 'ban-lifted')),
    booking_id TEXT,
    application_id TEXT,
    email_hash TEXT,
    phone_hash TEXT,
    identity_hash TEXT,
    detail TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX rule_decisions_booking ON rule_decisions (booking_id) WHERE booking_id IS NOT NULL;
  CREATE INDEX rule_decisions_application ON rule_decisions (application_id) WHERE application_id IS NOT NULL;
  CREATE INDEX rule_decisions_office ON rule_decisions (office_id, at);
  `,
} satisfies Migration;

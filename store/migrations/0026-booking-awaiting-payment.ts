import type { Migration } from './migration.ts';

/**
 * A fee-paying booking waits as `awaiting_payment` between its contact's confirmation and its
 * payment. SQLite cannot change a CHECK in place: the table is rebuilt with the same columns in
 * the same order and its indexes made again (SQLite's own twelve-step procedure, foreign keys off
 * while the table is swapped, checked before the commit).
 */
export default {
  version: 26,
  foreignKeysOff: true,
  sql: `
  CREATE TABLE bookings_26 (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    office_id TEXT NOT NULL REFERENCES offices(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    slot_id TEXT NOT NULL REFERENCES slots(id),
    day TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('held','awaiting_payment','confirmed','expired','cancelled','checked_in','done','lapsed','no_show')),
    language TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    name_sealed TEXT NOT NULL,
    email_sealed TEXT,
    phone_sealed TEXT,
    email_hash TEXT,
    phone_hash TEXT,
    hold_key_hash TEXT NOT NULL UNIQUE,
    hold_expires_at INTEGER NOT NULL,
    hold_extended INTEGER NOT NULL DEFAULT 0,
    kiosk_code TEXT CHECK (kiosk_code IS NULL OR (length(kiosk_code) = 8 AND kiosk_code NOT GLOB '*[^0-9]*')),
    cancel_hash TEXT UNIQUE,
    created_at INTEGER NOT NULL,
    confirmed_at INTEGER,
    expired_at INTEGER,
    cancelled_at INTEGER,
    checked_in_at INTEGER,
    ticket_id TEXT,
    lapsed_at INTEGER,
    no_show_at INTEGER,
    identity_key_id TEXT,
    identity_hash TEXT,
    purged_at INTEGER,
    sequence INTEGER NOT NULL DEFAULT 0,
    change_accepted_at INTEGER
  ) STRICT;
  INSERT INTO bookings_26 SELECT id, number, office_id, service_id, slot_id, day, start_at, state, language, channel, name_sealed, email_sealed,
    phone_sealed, email_hash, phone_hash, hold_key_hash, hold_expires_at, hold_extended, kiosk_code, cancel_hash, created_at, confirmed_at,
    expired_at, cancelled_at, checked_in_at, ticket_id, lapsed_at, no_show_at, identity_key_id, identity_hash, purged_at, sequence,
    change_accepted_at FROM bookings;
  DROP TABLE bookings;
  ALTER TABLE bookings_26 RENAME TO bookings;
  CREATE INDEX bookings_held ON bookings (hold_expires_at) WHERE state = 'held';
  CREATE INDEX bookings_slot_held ON bookings (slot_id, hold_expires_at) WHERE state = 'held';
  CREATE UNIQUE INDEX bookings_kiosk_code ON bookings (office_id, kiosk_code) WHERE kiosk_code IS NOT NULL AND state IN ('confirmed', 'checked_in');
  CREATE INDEX bookings_email ON bookings (email_hash) WHERE email_hash IS NOT NULL;
  CREATE INDEX bookings_phone ON bookings (phone_hash) WHERE phone_hash IS NOT NULL;
  CREATE UNIQUE INDEX bookings_ticket ON bookings (ticket_id) WHERE ticket_id IS NOT NULL;
  CREATE INDEX bookings_to_lapse ON bookings (office_id, start_at) WHERE state = 'confirmed';
  CREATE INDEX bookings_code_day ON bookings (office_id, kiosk_code, day) WHERE kiosk_code IS NOT NULL;
  CREATE INDEX bookings_identity ON bookings (identity_hash, service_id) WHERE identity_hash IS NOT NULL;
  CREATE INDEX bookings_unpurged ON bookings (office_id, day) WHERE purged_at IS NULL;
  CREATE INDEX bookings_office_day ON bookings (office_id, day);
  `,
} satisfies Migration;

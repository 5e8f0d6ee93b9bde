import type { Migration } from './migration.ts';

/**
 * Check-in of booked clients: a booking's check-in, lapse and no-show with their ticket; the
 * office's check-in window; recorded no-shows (what bans are derived from); the kiosks' wrong-code
 * guard; walk-in capacity counts walk-ins only (booked arrivals come out of the online share); the
 * walk-in line without booked arrivals, for the call policy's heads.
 */
export default {
  version: 6,
  sql: `
  ALTER TABLE bookings ADD COLUMN checked_in_at INTEGER;
  ALTER TABLE bookings ADD COLUMN ticket_id TEXT;
  ALTER TABLE bookings ADD COLUMN lapsed_at INTEGER;
  ALTER TABLE bookings ADD COLUMN no_show_at INTEGER;
  CREATE UNIQUE INDEX bookings_ticket ON bookings (ticket_id) WHERE ticket_id IS NOT NULL;
  CREATE INDEX bookings_to_lapse ON bookings (office_id, start_at) WHERE state = 'confirmed';
  CREATE INDEX bookings_code_day ON bookings (office_id, kiosk_code, day) WHERE kiosk_code IS NOT NULL;
  ALTER TABLE booking_offices ADD COLUMN check_in TEXT NOT NULL DEFAULT '{}';  -- JSON, partial CheckInSettings

  CREATE TABLE no_shows (
    booking_id TEXT PRIMARY KEY REFERENCES bookings(id),
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    email_hash TEXT,
    phone_hash TEXT,
    reason TEXT NOT NULL CHECK (reason IN ('lapsed', 'clerk')),
    at INTEGER NOT NULL,
    excused_at INTEGER
  ) STRICT;
  CREATE INDEX no_shows_email ON no_shows (email_hash, at) WHERE email_hash IS NOT NULL;
  CREATE INDEX no_shows_phone ON no_shows (phone_hash, at) WHERE phone_hash IS NOT NULL;

  CREATE TABLE kiosk_code_failures (
    device_id TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX kiosk_code_failures_device ON kiosk_code_failures (device_id, at);
  CREATE TABLE kiosk_code_locks (
    device_id TEXT PRIMARY KEY,
    locked_until INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;

  DROP TRIGGER tickets_counts_insert;
  DROP TRIGGER tickets_counts_update;
  CREATE TRIGGER tickets_counts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO queue_counts (service_id, waiting) SELECT NEW.service_id, 1 WHERE NEW.state = 'waiting'
      ON CONFLICT (service_id) DO UPDATE SET waiting = waiting + 1;
    INSERT INTO daily_issued (service_id, day, issued) SELECT NEW.service_id, NEW.day, 1 WHERE NEW.state <> 'void' AND NEW.booked_at IS NULL
      ON CONFLICT (service_id, day) DO UPDATE SET issued = issued + 1;
  END;
  CREATE TRIGGER tickets_counts_update AFTER UPDATE OF state, service_id ON tickets
    WHEN OLD.state = 'waiting' OR NEW.state = 'waiting' OR (NEW.state = 'void' AND OLD.state <> 'void') BEGIN
    UPDATE queue_counts SET waiting = waiting - 1 WHERE OLD.state = 'waiting' AND service_id = OLD.service_id;
    INSERT INTO queue_counts (service_id, waiting) SELECT NEW.service_id, 1 WHERE NEW.state = 'waiting'
      ON CONFLICT (service_id) DO UPDATE SET waiting = waiting + 1;
    UPDATE daily_issued SET issued = issued - 1
      WHERE NEW.state = 'void' AND OLD.state <> 'void' AND OLD.booked_at IS NULL AND service_id = OLD.service_id AND day = OLD.day;
  END;
  CREATE INDEX tickets_walk_in_line ON tickets (service_id, arrived_at, id) WHERE state = 'waiting' AND booked_at IS NULL;
  `,
} satisfies Migration;

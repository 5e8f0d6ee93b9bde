import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0006-check-in.ts. Check-in of booked clients: check-in, lapse and no-show with their ticket; the check-in window;
 * recorded no-shows; the kiosks' wrong-code guard; walk-in capacity counts walk-ins only.
 */
export default {
  version: 6,
  sql: `
  ALTER TABLE bookings ADD COLUMN checked_in_at BIGINT;
  ALTER TABLE bookings ADD COLUMN ticket_id TEXT;
  ALTER TABLE bookings ADD COLUMN lapsed_at BIGINT;
  ALTER TABLE bookings ADD COLUMN no_show_at BIGINT;
  CREATE UNIQUE INDEX bookings_ticket ON bookings (ticket_id) WHERE ticket_id IS NOT NULL;
  CREATE INDEX bookings_to_lapse ON bookings (office_id, start_at) WHERE state = 'confirmed';
  CREATE INDEX bookings_code_day ON bookings (office_id, kiosk_code, day) WHERE kiosk_code IS NOT NULL;
  ALTER TABLE booking_offices ADD COLUMN check_in TEXT NOT NULL DEFAULT '{}';

  CREATE TABLE no_shows (
    booking_id TEXT PRIMARY KEY REFERENCES bookings(id),
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    email_hash TEXT,
    phone_hash TEXT,
    reason TEXT NOT NULL CHECK (reason IN ('lapsed', 'clerk')),
    at BIGINT NOT NULL,
    excused_at BIGINT
  );
  CREATE INDEX no_shows_email ON no_shows (email_hash, at) WHERE email_hash IS NOT NULL;
  CREATE INDEX no_shows_phone ON no_shows (phone_hash, at) WHERE phone_hash IS NOT NULL;

  CREATE TABLE kiosk_code_failures (
    device_id TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX kiosk_code_failures_device ON kiosk_code_failures (device_id, at);
  CREATE TABLE kiosk_code_locks (
    device_id TEXT PRIMARY KEY,
    locked_until BIGINT NOT NULL
  );

  CREATE OR REPLACE FUNCTION tickets_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.state = 'waiting' THEN
      INSERT INTO queue_counts (service_id, waiting) VALUES (NEW.service_id, 1)
        ON CONFLICT (service_id) DO UPDATE SET waiting = queue_counts.waiting + 1;
    END IF;
    IF NEW.state <> 'void' AND NEW.booked_at IS NULL THEN
      INSERT INTO daily_issued (service_id, day, issued) VALUES (NEW.service_id, NEW.day, 1)
        ON CONFLICT (service_id, day) DO UPDATE SET issued = daily_issued.issued + 1;
    END IF;
    RETURN NULL;
  END $$;
  CREATE OR REPLACE FUNCTION tickets_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.state = 'waiting' THEN
      UPDATE queue_counts SET waiting = waiting - 1 WHERE service_id = OLD.service_id;
    END IF;
    IF NEW.state = 'waiting' THEN
      INSERT INTO queue_counts (service_id, waiting) VALUES (NEW.service_id, 1)
        ON CONFLICT (service_id) DO UPDATE SET waiting = queue_counts.waiting + 1;
    END IF;
    IF NEW.state = 'void' AND OLD.state <> 'void' AND OLD.booked_at IS NULL THEN
      UPDATE daily_issued SET issued = issued - 1 WHERE service_id = OLD.service_id AND day = OLD.day;
    END IF;
    RETURN NULL;
  END $$;
  CREATE INDEX tickets_walk_in_line ON tickets (service_id, arrived_at, id) WHERE state = 'waiting' AND booked_at IS NULL;
  `,
} satisfies Migration;

import type { Migration } from './migration.ts';

/**
 * The queue store keeps the live tickets in memory (store/live-tickets.ts) and reads the lines,
 * the counters' tickets and the waiting counts there: the indexes and the trigger-kept counts that
 * answered those questions only cost writes now (each call-next touched five of them). Issued
 * counts per day stay (capacity is checked against them). ticket_numbers is no longer written: the
 * image counts, starting from the highest number the tickets hold. The event log loses
 * AUTOINCREMENT — its sqlite_sequence row was one more page per commit; ids still only grow,
 * because events are never deleted — and is rebuilt with the same rows and indexes.
 */
export default {
  version: 14,
  sql: `
  DROP INDEX tickets_line;
  DROP INDEX tickets_priority;
  DROP INDEX tickets_booked;
  DROP INDEX tickets_at_counter;
  DROP TRIGGER tickets_counts_insert;
  DROP TRIGGER tickets_counts_update;
  DROP TABLE queue_counts;
  CREATE TRIGGER tickets_issued_insert AFTER INSERT ON tickets WHEN NEW.state <> 'void' AND NEW.booked_at IS NULL BEGIN
    INSERT INTO daily_issued (service_id, day, issued) VALUES (NEW.service_id, NEW.day, 1)
      ON CONFLICT (service_id, day) DO UPDATE SET issued = issued + 1;
  END;
  CREATE TRIGGER tickets_issued_void AFTER UPDATE OF state ON tickets
    WHEN NEW.state = 'void' AND OLD.state <> 'void' AND OLD.booked_at IS NULL BEGIN
    UPDATE daily_issued SET issued = issued - 1 WHERE service_id = OLD.service_id AND day = OLD.day;
  END;

  CREATE TABLE events_14 (
    id INTEGER PRIMARY KEY,
    office_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  INSERT INTO events_14 (id, office_id, type, payload, at) SELECT id, office_id, type, payload, at FROM events ORDER BY id;
  DROP TABLE events;
  ALTER TABLE events_14 RENAME TO events;
  CREATE INDEX events_office ON events (office_id, id);
  CREATE INDEX events_booking_settings ON events (office_id, id) WHERE type = 'booking:settings-changed';
  `,
} satisfies Migration;

import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0014-live-tickets-in-memory.ts. The live tickets are read from memory: the line indexes and trigger-kept waiting counts go;
 * issued counts per day stay, from walk-ins only. SQLite rebuilt the event log without
 * AUTOINCREMENT; here the identity column stays as it is.
 */
export default {
  version: 14,
  sql: `
  DROP INDEX tickets_line;
  DROP INDEX tickets_priority;
  DROP INDEX tickets_booked;
  DROP INDEX tickets_at_counter;
  DROP TRIGGER tickets_counts_insert ON tickets;
  DROP TRIGGER tickets_counts_update ON tickets;
  DROP FUNCTION tickets_counts_insert();
  DROP FUNCTION tickets_counts_update();
  DROP TABLE queue_counts;
  CREATE FUNCTION tickets_issued_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    INSERT INTO daily_issued (service_id, day, issued) VALUES (NEW.service_id, NEW.day, 1)
      ON CONFLICT (service_id, day) DO UPDATE SET issued = daily_issued.issued + 1;
    RETURN NULL;
  END $$;
  CREATE TRIGGER tickets_issued_insert AFTER INSERT ON tickets FOR EACH ROW
    WHEN (NEW.state <> 'void' AND NEW.booked_at IS NULL) EXECUTE FUNCTION tickets_issued_insert();
  CREATE FUNCTION tickets_issued_void() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE daily_issued SET issued = issued - 1 WHERE service_id = OLD.service_id AND day = OLD.day;
    RETURN NULL;
  END $$;
  CREATE TRIGGER tickets_issued_void AFTER UPDATE OF state ON tickets FOR EACH ROW
    WHEN (NEW.state = 'void' AND OLD.state <> 'void' AND OLD.booked_at IS NULL) EXECUTE FUNCTION tickets_issued_void();
  `,
} satisfies Migration;

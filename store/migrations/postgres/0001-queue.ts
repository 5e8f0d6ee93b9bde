import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0001-queue.ts. Configuration, queue, event log, access. Triggers are plpgsql functions; instants and counts BIGINT.
 */
export default {
  version: 1,
  sql: `
  CREATE TABLE offices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    languages TEXT NOT NULL,
    hours TEXT NOT NULL,
    closed_days TEXT NOT NULL,
    settings TEXT NOT NULL
  );

  CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    names TEXT NOT NULL,
    position BIGINT NOT NULL
  );

  CREATE TABLE services (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    department_id TEXT NOT NULL REFERENCES departments(id),
    prefix TEXT NOT NULL CHECK (prefix ~ '^[A-Z]' AND length(prefix) BETWEEN 1 AND 3),
    names TEXT NOT NULL,
    daily_walk_in_capacity BIGINT NOT NULL CHECK (daily_walk_in_capacity >= 0),
    position BIGINT NOT NULL
  );

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    disabled_at BIGINT
  );

  CREATE TABLE counters (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    number TEXT NOT NULL,
    service_ids TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('closed', 'open', 'paused')),
    user_id TEXT REFERENCES users(id),
    UNIQUE (office_id, number)
  );

  CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    prefix TEXT NOT NULL,
    seq BIGINT NOT NULL CHECK (seq > 0),
    day TEXT NOT NULL,
    number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('printing','waiting','called','serving','parked','done','no_show','void')),
    category_id TEXT,
    priority_weight BIGINT NOT NULL DEFAULT 0,
    booked_at BIGINT,
    arrived_at BIGINT NOT NULL,
    counter_id TEXT REFERENCES counters(id),
    recall_count BIGINT NOT NULL DEFAULT 0,
    issued_at BIGINT NOT NULL,
    waiting_at BIGINT,
    called_at BIGINT,
    serving_at BIGINT,
    parked_at BIGINT,
    done_at BIGINT,
    no_show_at BIGINT,
    void_at BIGINT,
    UNIQUE (office_id, prefix, day, seq)
  );
  CREATE INDEX tickets_line ON tickets (service_id, arrived_at, id) WHERE state = 'waiting';
  CREATE INDEX tickets_priority ON tickets (service_id, priority_weight DESC, arrived_at, id)
    WHERE state = 'waiting' AND priority_weight > 0;
  CREATE INDEX tickets_booked ON tickets (service_id, booked_at, arrived_at, id)
    WHERE state = 'waiting' AND booked_at IS NOT NULL;
  CREATE INDEX tickets_at_counter ON tickets (counter_id) WHERE state IN ('called', 'serving');
  CREATE INDEX tickets_office_state ON tickets (office_id, state);

  CREATE TABLE queue_counts (
    service_id TEXT PRIMARY KEY,
    waiting BIGINT NOT NULL CHECK (waiting >= 0)
  );
  CREATE TABLE daily_issued (
    service_id TEXT NOT NULL,
    day TEXT NOT NULL,
    issued BIGINT NOT NULL CHECK (issued >= 0),
    PRIMARY KEY (service_id, day)
  );
  CREATE FUNCTION tickets_counts_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.state = 'waiting' THEN
      INSERT INTO queue_counts (service_id, waiting) VALUES (NEW.service_id, 1)
        ON CONFLICT (service_id) DO UPDATE SET waiting = queue_counts.waiting + 1;
    END IF;
    IF NEW.state <> 'void' THEN
      INSERT INTO daily_issued (service_id, day, issued) VALUES (NEW.service_id, NEW.day, 1)
        ON CONFLICT (service_id, day) DO UPDATE SET issued = daily_issued.issued + 1;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER tickets_counts_insert AFTER INSERT ON tickets FOR EACH ROW EXECUTE FUNCTION tickets_counts_insert();
  CREATE FUNCTION tickets_counts_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF OLD.state = 'waiting' THEN
      UPDATE queue_counts SET waiting = waiting - 1 WHERE service_id = OLD.service_id;
    END IF;
    IF NEW.state = 'waiting' THEN
      INSERT INTO queue_counts (service_id, waiting) VALUES (NEW.service_id, 1)
        ON CONFLICT (service_id) DO UPDATE SET waiting = queue_counts.waiting + 1;
    END IF;
    -- Capacity counts the service a ticket was issued for; only a failed print (void) gives it back.
    IF NEW.state = 'void' AND OLD.state <> 'void' THEN
      UPDATE daily_issued SET issued = issued - 1 WHERE service_id = OLD.service_id AND day = OLD.day;
    END IF;
    RETURN NULL;
  END $$;
  CREATE TRIGGER tickets_counts_update AFTER UPDATE OF state, service_id ON tickets FOR EACH ROW
    WHEN (OLD.state = 'waiting' OR NEW.state = 'waiting' OR (NEW.state = 'void' AND OLD.state <> 'void'))
    EXECUTE FUNCTION tickets_counts_update();

  CREATE TABLE ticket_numbers (
    office_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    day TEXT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (office_id, prefix, day)
  );

  CREATE TABLE service_stats (
    service_id TEXT PRIMARY KEY REFERENCES services(id),
    average_service_ms DOUBLE PRECISION NOT NULL
  );

  CREATE TABLE events (
    id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    office_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    at BIGINT NOT NULL
  );
  CREATE INDEX events_office ON events (office_id, id);

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
  );

  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT
  );
  `,
} satisfies Migration;

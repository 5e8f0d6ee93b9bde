import type { Migration } from './migration.ts';

/**
 * Configuration, queue, event log, access
 */
export default {
  version: 1,
  sql: `
  CREATE TABLE offices (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    time_zone TEXT NOT NULL,
    languages TEXT NOT NULL,        -- JSON array, default first
    hours TEXT NOT NULL,            -- JSON WeeklyHours
    closed_days TEXT NOT NULL,      -- JSON array of YYYY-MM-DD
    settings TEXT NOT NULL          -- JSON OfficeSettings
  ) STRICT;

  CREATE TABLE departments (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    names TEXT NOT NULL,
    position INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE services (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    department_id TEXT NOT NULL REFERENCES departments(id),
    prefix TEXT NOT NULL CHECK (prefix GLOB '[A-Z]*' AND length(prefix) BETWEEN 1 AND 3),
    names TEXT NOT NULL,
    daily_walk_in_capacity INTEGER NOT NULL CHECK (daily_walk_in_capacity >= 0),
    position INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE users (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    username TEXT NOT NULL UNIQUE,
    display_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    disabled_at INTEGER
  ) STRICT;

  CREATE TABLE counters (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    number TEXT NOT NULL,
    service_ids TEXT NOT NULL,      -- JSON array, most preferred first
    status TEXT NOT NULL CHECK (status IN ('closed', 'open', 'paused')),
    user_id TEXT REFERENCES users(id),
    UNIQUE (office_id, number)
  ) STRICT;

  CREATE TABLE tickets (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    prefix TEXT NOT NULL,
    seq INTEGER NOT NULL CHECK (seq > 0),
    day TEXT NOT NULL,
    number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('printing','waiting','called','serving','parked','done','no_show','void')),
    category_id TEXT,
    priority_weight INTEGER NOT NULL DEFAULT 0,
    booked_at INTEGER,
    arrived_at INTEGER NOT NULL,
    counter_id TEXT REFERENCES counters(id),
    recall_count INTEGER NOT NULL DEFAULT 0,
    issued_at INTEGER NOT NULL,
    waiting_at INTEGER,
    called_at INTEGER,
    serving_at INTEGER,
    parked_at INTEGER,
    done_at INTEGER,
    no_show_at INTEGER,
    void_at INTEGER,
    UNIQUE (office_id, prefix, day, seq)
  ) STRICT;
  -- The heads of each line a counter can be handed, found by index seeks (see claimNext).
  CREATE INDEX tickets_line ON tickets (service_id, arrived_at, id) WHERE state = 'waiting';
  CREATE INDEX tickets_priority ON tickets (service_id, priority_weight DESC, arrived_at, id)
    WHERE state = 'waiting' AND priority_weight > 0;
  CREATE INDEX tickets_booked ON tickets (service_id, booked_at, arrived_at, id)
    WHERE state = 'waiting' AND booked_at IS NOT NULL;
  CREATE INDEX tickets_at_counter ON tickets (counter_id) WHERE state IN ('called', 'serving');
  CREATE INDEX tickets_office_state ON tickets (office_id, state);

  -- Live counters kept by triggers in the same transaction as the change, so the lobby's
  -- numbers (waiting per service, walk-ins issued today) are index lookups, not scans of
  -- thousands of rows on every call.
  CREATE TABLE queue_counts (
    service_id TEXT PRIMARY KEY,
    waiting INTEGER NOT NULL CHECK (waiting >= 0)
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE daily_issued (
    service_id TEXT NOT NULL,
    day TEXT NOT NULL,
    issued INTEGER NOT NULL CHECK (issued >= 0),
    PRIMARY KEY (service_id, day)
  ) STRICT, WITHOUT ROWID;
  CREATE TRIGGER tickets_counts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO queue_counts (service_id, waiting) SELECT NEW.service_id, 1 WHERE NEW.state = 'waiting'
      ON CONFLICT (service_id) DO UPDATE SET waiting = waiting + 1;
    INSERT INTO daily_issued (service_id, day, issued) SELECT NEW.service_id, NEW.day, 1 WHERE NEW.state <> 'void'
      ON CONFLICT (service_id, day) DO UPDATE SET issued = issued + 1;
  END;
  CREATE TRIGGER tickets_counts_update AFTER UPDATE OF state, service_id ON tickets
    WHEN OLD.state = 'waiting' OR NEW.state = 'waiting' OR (NEW.state = 'void' AND OLD.state <> 'void') BEGIN
    UPDATE queue_counts SET waiting = waiting - 1 WHERE OLD.state = 'waiting' AND service_id = OLD.service_id;
    INSERT INTO queue_counts (service_id, waiting) SELECT NEW.service_id, 1 WHERE NEW.state = 'waiting'
      ON CONFLICT (service_id) DO UPDATE SET waiting = waiting + 1;
    -- Capacity counts the service a ticket was issued for; only a failed print (void) gives it back.
    UPDATE daily_issued SET issued = issued - 1
      WHERE NEW.state = 'void' AND OLD.state <> 'void' AND service_id = OLD.service_id AND day = OLD.day;
  END;

  CREATE TABLE ticket_numbers (
    office_id TEXT NOT NULL,
    prefix TEXT NOT NULL,
    day TEXT NOT NULL,
    last INTEGER NOT NULL,
    PRIMARY KEY (office_id, prefix, day)
  ) STRICT, WITHOUT ROWID;

  CREATE TABLE service_stats (
    service_id TEXT PRIMARY KEY REFERENCES services(id),
    average_service_ms REAL NOT NULL
  ) STRICT;

  CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    office_id TEXT NOT NULL,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX events_office ON events (office_id, id);

  CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users(id),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE devices (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_at INTEGER NOT NULL,
    revoked_at INTEGER
  ) STRICT;
  `,
} satisfies Migration;

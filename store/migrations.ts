import type { Database } from 'better-sqlite3';

/**
 * Numbered, forward-only, additive migrations. `PRAGMA user_version` holds the number of the
 * last one applied; each runs in its own transaction with the version bump. Never edit a
 * migration that has shipped: add the next one.
 */
export const MIGRATIONS: readonly string[] = [
  // 1: configuration, queue, event log, access
  `
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
  // 2: a supervisor closes a service for the rest of an office day
  `
  CREATE TABLE service_closures (
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,              -- office-local YYYY-MM-DD
    closed_at INTEGER NOT NULL,
    PRIMARY KEY (service_id, day)
  ) STRICT, WITHOUT ROWID;
  `,
  // 3: a kiosk prints through its print agent ('agent') or issues straight to the queue ('none')
  `
  ALTER TABLE devices ADD COLUMN printer TEXT NOT NULL DEFAULT 'none' CHECK (printer IN ('agent', 'none'));
  `,
  // 4: online booking: policies, slots, bookings, confirmation tokens and codes, outbox, draws
  `
  CREATE TABLE booking_policies (
    service_id TEXT PRIMARY KEY REFERENCES services(id),
    policy TEXT NOT NULL              -- JSON BookingPolicy
  ) STRICT;
  CREATE TABLE booking_offices (
    office_id TEXT PRIMARY KEY REFERENCES offices(id),
    suspended INTEGER NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    suspended_message TEXT NOT NULL DEFAULT '{}'
  ) STRICT;
  CREATE TABLE slots (
    id TEXT PRIMARY KEY,              -- <service>~<day>~<HHMM>
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,
    start_min INTEGER NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    start_at INTEGER NOT NULL,
    places INTEGER NOT NULL CHECK (places >= 0),
    taken INTEGER NOT NULL DEFAULT 0,
    CHECK (taken >= 0 AND taken <= places),
    UNIQUE (service_id, day, start_min)
  ) STRICT;
  CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    office_id TEXT NOT NULL REFERENCES offices(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    slot_id TEXT NOT NULL REFERENCES slots(id),
    day TEXT NOT NULL,
    start_at INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('held','confirmed','expired','cancelled','checked_in','done','lapsed','no_show')),
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
    cancelled_at INTEGER
  ) STRICT;
  CREATE INDEX bookings_held ON bookings (hold_expires_at) WHERE state = 'held';
  CREATE INDEX bookings_slot_held ON bookings (slot_id, hold_expires_at) WHERE state = 'held';
  -- A kiosk code names one active booking of its office.
  CREATE UNIQUE INDEX bookings_kiosk_code ON bookings (office_id, kiosk_code) WHERE kiosk_code IS NOT NULL AND state IN ('confirmed', 'checked_in');
  CREATE INDEX bookings_email ON bookings (email_hash) WHERE email_hash IS NOT NULL;
  CREATE INDEX bookings_phone ON bookings (phone_hash) WHERE phone_hash IS NOT NULL;
  CREATE TABLE booking_tokens (
    hash TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL REFERENCES bookings(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm')),
    expires_at INTEGER NOT NULL,
    used_at INTEGER
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE sms_codes (
    booking_id TEXT PRIMARY KEY REFERENCES bookings(id),
    code_hash TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    tries_left INTEGER NOT NULL CHECK (tries_left >= 0),
    sends INTEGER NOT NULL CHECK (sends >= 1),
    resend_after INTEGER NOT NULL
  ) STRICT, WITHOUT ROWID;
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    booking_id TEXT,
    office_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    kind TEXT NOT NULL,
    priority INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    sealed TEXT,                      -- the message (recipient, params), sealed; cleared once sent
    attempts INTEGER NOT NULL DEFAULT 0,
    not_before INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    created_at INTEGER NOT NULL,
    sent_at INTEGER,
    provider_id TEXT
  ) STRICT;
  CREATE INDEX outbox_due ON outbox (priority, next_attempt_at) WHERE state = 'pending';
  CREATE INDEX outbox_booking ON outbox (booking_id);
  CREATE TABLE draws (
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,
    office_id TEXT NOT NULL,
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    commitment TEXT NOT NULL,
    seed_sealed TEXT NOT NULL,
    seed TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'done')),
    ran_at INTEGER,
    PRIMARY KEY (service_id, day)
  ) STRICT, WITHOUT ROWID;
  CREATE INDEX draws_due ON draws (closes_at) WHERE state = 'open';
  CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    day TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'allocated', 'not_allocated')),
    applied_at INTEGER NOT NULL,
    rank_key INTEGER NOT NULL,
    language TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    name_sealed TEXT NOT NULL,
    email_sealed TEXT,
    phone_sealed TEXT,
    email_hash TEXT,
    phone_hash TEXT,
    contact_key TEXT NOT NULL,
    hold_key_hash TEXT NOT NULL UNIQUE,
    booking_id TEXT,
    UNIQUE (service_id, day, contact_key),
    FOREIGN KEY (service_id, day) REFERENCES draws(service_id, day)
  ) STRICT;
  `,
  // 5: a version number of the configuration, bumped by triggers on every change by anyone (the
  // host, the CLI in another process, an import), so the store can cache parsed configuration
  // and know for certain when the cache is stale.
  `
  CREATE TABLE config_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL) STRICT;
  INSERT INTO config_version (id, version) VALUES (1, 0);
  CREATE TRIGGER offices_insert_version AFTER INSERT ON offices BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER offices_update_version AFTER UPDATE ON offices BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER offices_delete_version AFTER DELETE ON offices BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER departments_insert_version AFTER INSERT ON departments BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER departments_update_version AFTER UPDATE ON departments BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER departments_delete_version AFTER DELETE ON departments BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER services_insert_version AFTER INSERT ON services BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER services_update_version AFTER UPDATE ON services BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER services_delete_version AFTER DELETE ON services BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER counters_insert_version AFTER INSERT ON counters BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER counters_update_version AFTER UPDATE ON counters BEGIN UPDATE config_version SET version = version + 1; END;
  CREATE TRIGGER counters_delete_version AFTER DELETE ON counters BEGIN UPDATE config_version SET version = version + 1; END;
  `,
  // 6: check-in of booked clients (issue 7): a booking's check-in, lapse and no-show with their
  // ticket; the office's check-in window; recorded no-shows (what bans are derived from); the
  // kiosks' wrong-code guard; walk-in capacity counts walk-ins only (booked arrivals come out of
  // the online share); the walk-in line without booked arrivals, for the call policy's heads.
  `
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
  // 7: a clerk may narrow a counter to some of its services for one session (null = all).
  `
  ALTER TABLE counters ADD COLUMN session_service_ids TEXT;
  `,
  // 8: rules about people (issue 6): identity keys as keyed hashes with the id of their key (keys
  // rotate) on bookings, applications and no-shows; the office's rules; staff bans; the record of
  // every decision a rule made about a person (hashes only), for "why was I refused?".
  `
  ALTER TABLE bookings ADD COLUMN identity_key_id TEXT;
  ALTER TABLE bookings ADD COLUMN identity_hash TEXT;
  CREATE INDEX bookings_identity ON bookings (identity_hash, service_id) WHERE identity_hash IS NOT NULL;
  ALTER TABLE applications ADD COLUMN identity_key_id TEXT;
  ALTER TABLE applications ADD COLUMN identity_hash TEXT;
  ALTER TABLE no_shows ADD COLUMN identity_key_id TEXT;
  ALTER TABLE no_shows ADD COLUMN identity_hash TEXT;
  CREATE INDEX no_shows_identity ON no_shows (identity_hash, at) WHERE identity_hash IS NOT NULL;
  ALTER TABLE booking_offices ADD COLUMN rules TEXT NOT NULL DEFAULT '{}';  -- JSON, partial BookingRules

  CREATE TABLE bans (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices(id),
    kind TEXT NOT NULL CHECK (kind IN ('fictitious')),
    email_hash TEXT,
    phone_hash TEXT,
    identity_key_id TEXT,
    identity_hash TEXT,
    reason TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    ends_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    lifted_at INTEGER,
    lifted_by TEXT,
    lift_reason TEXT,
    CHECK (email_hash IS NOT NULL OR phone_hash IS NOT NULL OR identity_hash IS NOT NULL),
    CHECK (ends_at > starts_at)
  ) STRICT;
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
    at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX rule_decisions_booking ON rule_decisions (booking_id) WHERE booking_id IS NOT NULL;
  CREATE INDEX rule_decisions_application ON rule_decisions (application_id) WHERE application_id IS NOT NULL;
  CREATE INDEX rule_decisions_office ON rule_decisions (office_id, at);
  `,
  // 9: rosters, outcomes and eligibility (issue 6, part B): per-service rules; roster rows with
  // the document number only as its keyed identity hash; outcomes a clerk records, keyed by the
  // identity hash of the ticket's booking; the office's retention period and what the purge of
  // personal data has done.
  `
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
  // 10: fewer index pages written per call: every state change rewrote two entries of
  // (office_id, state) for every ticket ever issued, though only live tickets are ever looked up
  // by office; and the walk-in line is tickets_line read past the few early booked arrivals.
  `
  DROP INDEX tickets_office_state;
  CREATE INDEX tickets_office_live ON tickets (office_id) WHERE state IN ('printing', 'waiting', 'called', 'serving', 'parked');
  DROP INDEX tickets_walk_in_line;
  `,
  // 11: a client whose booking lapsed or who did not come when called is told so (and of the ban,
  // if the office has one); the sweep sends that notice once. No-shows recorded before this
  // version count as told.
  `
  ALTER TABLE no_shows ADD COLUMN noticed_at INTEGER;
  UPDATE no_shows SET noticed_at = at;
  CREATE INDEX no_shows_to_notice ON no_shows (at) WHERE noticed_at IS NULL;
  `,
  // 12: changes of an office's booking settings (the crisis switch, rules, retention) are events
  // staff read as an audit, newest first: a partial index finds the few among millions of others.
  `
  CREATE INDEX events_booking_settings ON events (office_id, id) WHERE type = 'booking:settings-changed';
  `,
  // 13: a ticket remembers the language it was printed in, so a reprint at the counter is in the
  // client's language, not the clerk's. Null for tickets issued before.
  `
  ALTER TABLE tickets ADD COLUMN language TEXT;
  `,
  // 14: the queue store keeps the live tickets in memory (store/live-tickets.ts) and reads the
  // lines, the counters' tickets and the waiting counts there: the indexes and the trigger-kept
  // counts that answered those questions only cost writes now (each call-next touched five of
  // them). Issued counts per day stay (capacity is checked against them). ticket_numbers is no
  // longer written: the image counts, starting from the highest number the tickets hold. The event log loses
  // AUTOINCREMENT — its sqlite_sequence row was one more page per commit; ids still only grow,
  // because events are never deleted — and is rebuilt with the same rows and indexes.
  `
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
];

export class DatabaseTooNewError extends Error {
  constructor(found: number, known: number) {
    super(`database schema version ${found} is newer than this build knows (${known}); run a newer Fronta`);
  }
}

export function migrate(db: Database): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) throw new DatabaseTooNewError(current, MIGRATIONS.length);
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
  return MIGRATIONS.length;
}

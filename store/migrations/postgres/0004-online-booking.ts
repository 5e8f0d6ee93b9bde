import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0004-online-booking.ts. Online booking: policies, slots, bookings, confirmation tokens and codes, outbox, draws
 */
export default {
  version: 4,
  sql: `
  CREATE TABLE booking_policies (
    service_id TEXT PRIMARY KEY REFERENCES services(id),
    policy TEXT NOT NULL
  );
  CREATE TABLE booking_offices (
    office_id TEXT PRIMARY KEY REFERENCES offices(id),
    suspended BIGINT NOT NULL DEFAULT 0 CHECK (suspended IN (0, 1)),
    suspended_message TEXT NOT NULL DEFAULT '{}'
  );
  CREATE TABLE slots (
    id TEXT PRIMARY KEY,
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,
    start_min BIGINT NOT NULL CHECK (start_min BETWEEN 0 AND 1439),
    start_at BIGINT NOT NULL,
    places BIGINT NOT NULL CHECK (places >= 0),
    taken BIGINT NOT NULL DEFAULT 0,
    CHECK (taken >= 0 AND taken <= places),
    UNIQUE (service_id, day, start_min)
  );
  CREATE TABLE bookings (
    id TEXT PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    office_id TEXT NOT NULL REFERENCES offices(id),
    service_id TEXT NOT NULL REFERENCES services(id),
    slot_id TEXT NOT NULL REFERENCES slots(id),
    day TEXT NOT NULL,
    start_at BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('held','confirmed','expired','cancelled','checked_in','done','lapsed','no_show')),
    language TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    name_sealed TEXT NOT NULL,
    email_sealed TEXT,
    phone_sealed TEXT,
    email_hash TEXT,
    phone_hash TEXT,
    hold_key_hash TEXT NOT NULL UNIQUE,
    hold_expires_at BIGINT NOT NULL,
    hold_extended BIGINT NOT NULL DEFAULT 0,
    kiosk_code TEXT CHECK (kiosk_code IS NULL OR (length(kiosk_code) = 8 AND kiosk_code !~ '[^0-9]')),
    cancel_hash TEXT UNIQUE,
    created_at BIGINT NOT NULL,
    confirmed_at BIGINT,
    expired_at BIGINT,
    cancelled_at BIGINT
  );
  CREATE INDEX bookings_held ON bookings (hold_expires_at) WHERE state = 'held';
  CREATE INDEX bookings_slot_held ON bookings (slot_id, hold_expires_at) WHERE state = 'held';
  CREATE UNIQUE INDEX bookings_kiosk_code ON bookings (office_id, kiosk_code) WHERE kiosk_code IS NOT NULL AND state IN ('confirmed', 'checked_in');
  CREATE INDEX bookings_email ON bookings (email_hash) WHERE email_hash IS NOT NULL;
  CREATE INDEX bookings_phone ON bookings (phone_hash) WHERE phone_hash IS NOT NULL;
  CREATE TABLE booking_tokens (
    hash TEXT PRIMARY KEY,
    booking_id TEXT NOT NULL REFERENCES bookings(id),
    purpose TEXT NOT NULL CHECK (purpose IN ('confirm')),
    expires_at BIGINT NOT NULL,
    used_at BIGINT
  );
  CREATE TABLE sms_codes (
    booking_id TEXT PRIMARY KEY REFERENCES bookings(id),
    code_hash TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    tries_left BIGINT NOT NULL CHECK (tries_left >= 0),
    sends BIGINT NOT NULL CHECK (sends >= 1),
    resend_after BIGINT NOT NULL
  );
  CREATE TABLE outbox (
    id TEXT PRIMARY KEY,
    booking_id TEXT,
    office_id TEXT NOT NULL,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'sms')),
    kind TEXT NOT NULL,
    priority BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
    sealed TEXT,
    attempts BIGINT NOT NULL DEFAULT 0,
    not_before BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_error TEXT,
    created_at BIGINT NOT NULL,
    sent_at BIGINT,
    provider_id TEXT
  );
  CREATE INDEX outbox_due ON outbox (priority, next_attempt_at) WHERE state = 'pending';
  CREATE INDEX outbox_booking ON outbox (booking_id);
  CREATE TABLE draws (
    service_id TEXT NOT NULL REFERENCES services(id),
    day TEXT NOT NULL,
    office_id TEXT NOT NULL,
    opens_at BIGINT NOT NULL,
    closes_at BIGINT NOT NULL,
    commitment TEXT NOT NULL,
    seed_sealed TEXT NOT NULL,
    seed TEXT,
    state TEXT NOT NULL CHECK (state IN ('open', 'done')),
    ran_at BIGINT,
    PRIMARY KEY (service_id, day)
  );
  CREATE INDEX draws_due ON draws (closes_at) WHERE state = 'open';
  CREATE TABLE applications (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    day TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('applied', 'allocated', 'not_allocated')),
    applied_at BIGINT NOT NULL,
    rank_key BIGINT NOT NULL,
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
  );
  `,
} satisfies Migration;

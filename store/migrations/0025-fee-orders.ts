import type { Migration } from './migration.ts';

/**
 * Fees: one order per fee-paying booking (our own order number, optimistic version), its attempts
 * at the provider (a provider payment belongs to one attempt only; `open` = reconciliation still looks at it), the refunds asked for, the
 * webhook event ids already handled (a provider delivers at least once), and each service's fee
 * (a field of its online booking settings in the office configuration, kept beside the policy).
 */
export default {
  version: 25,
  sql: `
  CREATE TABLE fee_orders (
    order_no TEXT NOT NULL PRIMARY KEY,
    booking_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    amount INTEGER NOT NULL,
    currency TEXT NOT NULL,
    deadline INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('awaiting_payment', 'paid', 'expired', 'refunded')),
    kept_attempt INTEGER,
    open INTEGER NOT NULL,
    version INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (booking_id, seq)
  ) STRICT;
  CREATE TABLE fee_attempts (
    order_no TEXT NOT NULL,
    no INTEGER NOT NULL,
    state TEXT NOT NULL,
    provider_ref TEXT UNIQUE,
    next_url TEXT,
    captured INTEGER NOT NULL,
    PRIMARY KEY (order_no, no)
  ) STRICT;
  CREATE TABLE fee_refunds (
    order_no TEXT NOT NULL,
    attempt_no INTEGER NOT NULL,
    no INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    provider_refund_id TEXT,
    PRIMARY KEY (order_no, attempt_no, no)
  ) STRICT;
  CREATE TABLE fee_webhook_events (
    event_id TEXT NOT NULL PRIMARY KEY,
    received_at INTEGER NOT NULL
  ) STRICT;
  CREATE TABLE service_fees (
    service_id TEXT NOT NULL PRIMARY KEY,
    fee TEXT NOT NULL
  ) STRICT;
  CREATE INDEX fee_orders_open ON fee_orders (open, deadline);
  `,
} satisfies Migration;

import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0025-fee-orders.ts. Fees: orders, attempts, refunds, handled webhook event ids, each service's fee.
 */
export default {
  version: 25,
  sql: `
  CREATE TABLE fee_orders (
    order_no TEXT NOT NULL PRIMARY KEY,
    booking_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    office_id TEXT NOT NULL,
    service_id TEXT NOT NULL,
    amount BIGINT NOT NULL,
    currency TEXT NOT NULL,
    deadline BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('awaiting_payment', 'paid', 'expired', 'refunded')),
    kept_attempt BIGINT,
    open BIGINT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (booking_id, seq)
  );
  CREATE TABLE fee_attempts (
    order_no TEXT NOT NULL,
    no BIGINT NOT NULL,
    state TEXT NOT NULL,
    provider_ref TEXT UNIQUE,
    next_url TEXT,
    captured BIGINT NOT NULL,
    PRIMARY KEY (order_no, no)
  );
  CREATE TABLE fee_refunds (
    order_no TEXT NOT NULL,
    attempt_no BIGINT NOT NULL,
    no BIGINT NOT NULL,
    amount BIGINT NOT NULL,
    reason TEXT NOT NULL,
    state TEXT NOT NULL,
    provider_refund_id TEXT,
    PRIMARY KEY (order_no, attempt_no, no)
  );
  CREATE TABLE fee_webhook_events (
    event_id TEXT NOT NULL PRIMARY KEY,
    received_at BIGINT NOT NULL
  );
  CREATE TABLE service_fees (
    service_id TEXT NOT NULL PRIMARY KEY,
    fee TEXT NOT NULL
  );
  CREATE INDEX fee_orders_open ON fee_orders (open, deadline);
  `,
} satisfies Migration;

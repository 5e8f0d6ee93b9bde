import type { Migration } from '../migration.ts';

/**
 * PostgreSQL twin of ../0024-webhooks.ts. Outgoing webhooks: subscriptions (secret sealed, a cursor
 * into the office's event log), their deliveries (at most one pending each) and every attempt.
 */
export default {
  version: 24,
  sql: `
  CREATE TABLE webhook_subscriptions (
    id TEXT PRIMARY KEY,
    office_id TEXT NOT NULL REFERENCES offices (id),
    url TEXT NOT NULL,
    event_types TEXT NOT NULL,
    extra_fields TEXT NOT NULL,
    allow_private BIGINT NOT NULL CHECK (allow_private IN (0, 1)),
    state TEXT NOT NULL CHECK (state IN ('active', 'paused')),
    paused_reason TEXT CHECK (paused_reason IN ('by_admin', 'delivery_failed')),
    cursor BIGINT NOT NULL,
    sealed_secret TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at BIGINT NOT NULL
  );
  CREATE INDEX webhook_subscriptions_office ON webhook_subscriptions (office_id);

  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    office_id TEXT NOT NULL,
    event_id BIGINT NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    next_attempt_at BIGINT NOT NULL,
    last_attempt_at BIGINT,
    last_status BIGINT,
    last_error TEXT,
    done_at BIGINT,
    UNIQUE (subscription_id, event_id)
  );
  CREATE UNIQUE INDEX webhook_deliveries_one_pending ON webhook_deliveries (subscription_id) WHERE state = 'pending';
  CREATE INDEX webhook_deliveries_office ON webhook_deliveries (office_id, event_id);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    status BIGINT,
    error TEXT,
    duration_ms BIGINT NOT NULL
  );
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);`,
} satisfies Migration;

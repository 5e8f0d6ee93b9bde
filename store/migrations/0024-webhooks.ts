import type { Migration } from './migration.ts';

/**
 * Outgoing webhooks: an office's subscriptions (the signing secret sealed with the host key, a
 * cursor into the office's event log) and their deliveries with each attempt. A subscription has
 * at most one pending delivery: its events go out one at a time, in log order.
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
    allow_private INTEGER NOT NULL CHECK (allow_private IN (0, 1)),
    state TEXT NOT NULL CHECK (state IN ('active', 'paused')),
    paused_reason TEXT CHECK (paused_reason IN ('by_admin', 'delivery_failed')),
    cursor INTEGER NOT NULL,
    sealed_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhook_subscriptions_office ON webhook_subscriptions (office_id);

  CREATE TABLE webhook_deliveries (
    id TEXT PRIMARY KEY,
    subscription_id TEXT NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
    office_id TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    event_type TEXT NOT NULL,
    body TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    next_attempt_at INTEGER NOT NULL,
    last_attempt_at INTEGER,
    last_status INTEGER,
    last_error TEXT,
    done_at INTEGER,
    UNIQUE (subscription_id, event_id)
  ) STRICT;
  CREATE UNIQUE INDEX webhook_deliveries_one_pending ON webhook_deliveries (subscription_id) WHERE state = 'pending';
  CREATE INDEX webhook_deliveries_office ON webhook_deliveries (office_id, event_id);

  CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, at);`,
} satisfies Migration;

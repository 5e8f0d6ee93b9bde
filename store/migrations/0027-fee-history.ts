import type { Migration } from './migration.ts';

/**
 * Fees: each order's history for staff — every state its order, attempts and refunds reached, and
 * every provider webhook handled for it, with the time (written with the commit that made it).
 */
export default {
  version: 27,
  sql: `
  CREATE TABLE fee_history (
    id INTEGER PRIMARY KEY,
    order_no TEXT NOT NULL,
    at INTEGER NOT NULL,
    what TEXT NOT NULL CHECK (what IN ('order', 'attempt', 'refund', 'webhook')),
    attempt_no INTEGER,
    refund_no INTEGER,
    state TEXT NOT NULL,
    detail TEXT
  ) STRICT;
  CREATE INDEX fee_history_order ON fee_history (order_no, id);
  CREATE INDEX fee_history_at ON fee_history (at);
  `,
} satisfies Migration;

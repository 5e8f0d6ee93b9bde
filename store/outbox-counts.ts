import type { Database } from 'better-sqlite3';
import type { OutboxCount, OutboxCounts } from '../core/booking/outbox.ts';

export type { OutboxCount };

/** The outbox backlog for monitoring (core/booking/outbox.ts `OutboxCounts`), read on a scrape. */
export function outboxCounts(db: Database): OutboxCounts {
  const statement = db.prepare(`SELECT office_id AS officeId, channel,
      CASE WHEN state = 'pending' AND attempts > 0 THEN 'retrying' ELSE state END AS state, COUNT(*) AS count
    FROM outbox WHERE state <> 'sent' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  return () => Promise.resolve(statement.all() as OutboxCount[]);
}

import type { Database } from 'better-sqlite3';

export interface OutboxCount {
  officeId: string;
  channel: string;
  /** pending, retrying (pending after a failed attempt), sending, failed (given up). */
  state: string;
  count: number;
}

/**
 * The outbox backlog for monitoring, read on a scrape. Sent messages are left out: they are
 * history (the statistics count them), not backlog.
 */
export function outboxCounts(db: Database): () => Promise<OutboxCount[]> {
  const statement = db.prepare(`SELECT office_id AS officeId, channel,
      CASE WHEN state = 'pending' AND attempts > 0 THEN 'retrying' ELSE state END AS state, COUNT(*) AS count
    FROM outbox WHERE state <> 'sent' GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`);
  return () => Promise.resolve(statement.all() as OutboxCount[]);
}

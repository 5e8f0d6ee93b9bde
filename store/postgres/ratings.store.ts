import type { Rating, RatingStore, RatingSummaryRow } from '../../core/queue/rating.ts';
import { summaryOf, type SummaryRow } from '../ratings.rows.ts';
import { row, rows } from './booking/sql.ts';
import { sqlOf, type PgDb } from './db.ts';

/** PostgreSQL's count() and sum() of BIGINT are BIGINT and NUMERIC: cast back to BIGINT, which the pool reads as numbers. */
const SUMMARY = `SELECT service_id AS "serviceId", counter_id AS "counterId", count(*) AS count, sum(rating)::bigint AS sum,
    count(*) FILTER (WHERE rating = 1) AS r1, count(*) FILTER (WHERE rating = 2) AS r2, count(*) FILTER (WHERE rating = 3) AS r3,
    count(*) FILTER (WHERE rating = 4) AS r4, count(*) FILTER (WHERE rating = 5) AS r5
  FROM ticket_ratings WHERE office_id = $1 AND at >= $2 AND at < $3
  GROUP BY service_id, counter_id ORDER BY service_id COLLATE "C", counter_id COLLATE "C" NULLS FIRST`;

/** Visit ratings on PostgreSQL: one row per ticket, a second rating replaces the first. */
export class PgRatingStore implements RatingStore {
  constructor(private readonly db: PgDb) {}

  async ofTicket(ticketId: string): Promise<number | null> {
    return (await row<{ rating: number }>(sqlOf(this.db), 'SELECT rating FROM ticket_ratings WHERE ticket_id = $1', [ticketId]))?.rating ?? null;
  }

  async save(r: Rating): Promise<void> {
    await sqlOf(this.db).query(
      `INSERT INTO ticket_ratings (ticket_id, office_id, service_id, counter_id, rating, at) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (ticket_id) DO UPDATE SET rating = excluded.rating, at = excluded.at`,
      [r.ticketId, r.officeId, r.serviceId, r.counterId, r.rating, r.at],
    );
  }

  async summary(officeId: string, from: number, to: number): Promise<RatingSummaryRow[]> {
    return (await rows<SummaryRow>(sqlOf(this.db), SUMMARY, [officeId, from, to])).map(summaryOf);
  }
}

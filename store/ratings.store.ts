import type { Database } from 'better-sqlite3';
import type { Rating, RatingStore, RatingSummaryRow } from '../core/queue/rating.ts';
import { summaryOf, type SummaryRow } from './ratings.rows.ts';
import { storeWrite } from './write-gate.ts';

export class SqliteRatingStore implements RatingStore {
  private readonly statements;

  constructor(private readonly db: Database) {
    this.statements = {
      ofTicket: db.prepare<[string], { rating: number }>('SELECT rating FROM ticket_ratings WHERE ticket_id = ?'),
      save: db.prepare<[string, string, string, string | null, number, number]>(`INSERT INTO ticket_ratings (ticket_id, office_id, service_id, counter_id, rating, at)
        VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id) DO UPDATE SET rating = excluded.rating, at = excluded.at`),
      // Plain SQL aggregates (SUM of CASE): the same statement runs on PostgreSQL.
      summary: db.prepare<[string, number, number], SummaryRow>(`SELECT service_id AS serviceId, counter_id AS counterId, COUNT(*) AS count, SUM(rating) AS sum,
          SUM(CASE WHEN rating = 1 THEN 1 ELSE 0 END) AS r1, SUM(CASE WHEN rating = 2 THEN 1 ELSE 0 END) AS r2,
          SUM(CASE WHEN rating = 3 THEN 1 ELSE 0 END) AS r3, SUM(CASE WHEN rating = 4 THEN 1 ELSE 0 END) AS r4,
          SUM(CASE WHEN rating = 5 THEN 1 ELSE 0 END) AS r5
        FROM ticket_ratings WHERE office_id = ? AND at >= ? AND at < ?
        GROUP BY service_id, counter_id ORDER BY service_id, counter_id`),
    };
  }

  ofTicket(ticketId: string): Promise<number | null> {
    return Promise.resolve(this.statements.ofTicket.get(ticketId)?.rating ?? null);
  }

  save(r: Rating): Promise<void> {
    return storeWrite(this.db, () => {
      this.statements.save.run(r.ticketId, r.officeId, r.serviceId, r.counterId, r.rating, r.at);
    });
  }

  summary(officeId: string, from: number, to: number): Promise<RatingSummaryRow[]> {
    return Promise.resolve(
      this.statements.summary.all(officeId, from, to).map(summaryOf),
    );
  }
}

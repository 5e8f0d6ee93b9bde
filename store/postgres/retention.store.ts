import { DEFAULT_RETENTION_DAYS, type PurgeCounts, type PurgeCutoff, type RetentionStore } from '../../core/booking/retention.ts';
import { MESSAGE_LEFT, PURGE_MESSAGE } from '../retention.store.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';
import { changes, row, rows, type Sql } from './booking/sql.ts';

/**
 * The bookings of one batch, locked: two hosts purging one office at once take different
 * bookings (SKIP LOCKED) and each counts only what it purged.
 */
const DUE = `SELECT id FROM bookings WHERE office_id = $1 AND day < $2 AND purged_at IS NULL ORDER BY day, id COLLATE "C" LIMIT $3 FOR UPDATE SKIP LOCKED`;

/**
 * The retention purge on PostgreSQL, the same statements as store/retention.store.ts (a batch's
 * ids as a text array where SQLite reads a JSON list), in one transaction over the pool or inside
 * the caller's. What stays of a booking is what statistics and the public status need.
 */
export class PgRetentionStore implements RetentionStore {
  constructor(private readonly db: PgDb) {}

  /** The unit of work under way, if any: see sqlOf. */
  private get sql(): Sql {
    return sqlOf(this.db);
  }

  async retentionDays(officeId: string): Promise<number> {
    return (await row<{ days: number }>(this.sql, 'SELECT retention_days AS days FROM booking_offices WHERE office_id = $1', [officeId]))?.days ?? DEFAULT_RETENTION_DAYS;
  }

  /** The office's row may not exist yet: its other switches keep their defaults. */
  async setRetentionDays(officeId: string, days: number): Promise<void> {
    await this.sql.query(
      `INSERT INTO booking_offices (office_id, retention_days) VALUES ($1, $2) ON CONFLICT (office_id) DO UPDATE SET retention_days = excluded.retention_days`,
      [officeId, days],
    );
  }

  purge(c: PurgeCutoff, now: number, limit: number): Promise<PurgeCounts> {
    return atomically(this.db, async (sql) => {
      const ids = (await rows<{ id: string }>(sql, DUE, [c.officeId, c.beforeDay, limit])).map((r) => r.id);
      let messages = 0;
      if (ids.length > 0) {
        await sql.query(
          `UPDATE bookings SET name_sealed = '', email_sealed = NULL, phone_sealed = NULL, email_hash = NULL, phone_hash = NULL,
            identity_key_id = NULL, identity_hash = NULL, hold_key_hash = 'purged:' || id, cancel_hash = NULL, kiosk_code = NULL,
            purged_at = $2 WHERE id = ANY($1::text[])`,
          [ids, now],
        );
        await sql.query('DELETE FROM booking_tokens WHERE booking_id = ANY($1::text[])', [ids]);
        await sql.query('DELETE FROM sms_codes WHERE booking_id = ANY($1::text[])', [ids]);
        messages += await changes(sql, `UPDATE outbox SET ${PURGE_MESSAGE} WHERE booking_id = ANY($1::text[]) AND ${MESSAGE_LEFT}`, [ids]);
      }
      // Draw results to applicants who got no place have no booking: by age.
      messages += await changes(sql, `UPDATE outbox SET ${PURGE_MESSAGE} WHERE office_id = $1 AND booking_id IS NULL AND created_at < $2 AND ${MESSAGE_LEFT}`, [
        c.officeId,
        c.beforeInstant,
      ]);
      const applications = await changes(
        sql,
        `UPDATE applications SET name_sealed = '', email_sealed = NULL, phone_sealed = NULL, email_hash = NULL, phone_hash = NULL,
          identity_key_id = NULL, identity_hash = NULL, contact_key = 'purged:' || id, hold_key_hash = 'purged:' || id,
          purged_at = $3 WHERE office_id = $1 AND day < $2 AND purged_at IS NULL`,
        [c.officeId, c.beforeDay, now],
      );
      // A no-show bans for the office's period, which may outlast retention: its hashes go once both are over.
      await sql.query(
        `UPDATE no_shows SET email_hash = NULL, phone_hash = NULL, identity_key_id = NULL, identity_hash = NULL
        WHERE office_id = $1 AND at <= $2 AND (email_hash IS NOT NULL OR phone_hash IS NOT NULL OR identity_hash IS NOT NULL)
          AND booking_id IN (SELECT id FROM bookings WHERE office_id = $1 AND purged_at IS NOT NULL)`,
        [c.officeId, c.noShowsUntil],
      );
      await sql.query(
        `UPDATE rule_decisions SET email_hash = NULL, phone_hash = NULL, identity_hash = NULL
        WHERE office_id = $1 AND at < $2 AND (email_hash IS NOT NULL OR phone_hash IS NOT NULL OR identity_hash IS NOT NULL)`,
        [c.officeId, c.beforeInstant],
      );
      // A staff ban over (ended or lifted) for the whole period goes, with its hashes and the
      // reason a supervisor wrote; the decision record of it stays, without hashes (above).
      const bans = await changes(
        sql,
        `DELETE FROM bans WHERE office_id = $1 AND CASE WHEN lifted_at IS NOT NULL AND lifted_at < ends_at THEN lifted_at ELSE ends_at END < $2`,
        [c.officeId, c.beforeInstant],
      );
      return { bookings: ids.length, applications, messages, bans };
    }, { savepoint: true });
  }
}

import type { Database, Statement } from 'better-sqlite3';
import { DEFAULT_RETENTION_DAYS, type PurgeCounts, type PurgeCutoff, type RetentionStore } from '../core/booking/retention.ts';

/** The ids of a batch, as one JSON parameter: `IN (SELECT value FROM json_each(?))`. */
const IDS = 'IN (SELECT value FROM json_each(@ids))';

/** A message body (and any error text, which may quote the address) goes; an unsent message will never be. */
export const PURGE_MESSAGE = `sealed = NULL, last_error = CASE WHEN state = 'sent' THEN NULL ELSE 'purged' END,
  state = CASE WHEN state IN ('pending', 'sending') THEN 'failed' ELSE state END`;
export const MESSAGE_LEFT = `(sealed IS NOT NULL OR state IN ('pending', 'sending'))`;

/** The office's row may not exist yet: its other switches keep their defaults. */
const SET_RETENTION_DAYS = `INSERT INTO booking_offices (office_id, retention_days) VALUES (?, ?)
  ON CONFLICT (office_id) DO UPDATE SET retention_days = excluded.retention_days`;

/**
 * The retention purge in SQL. What stays of a booking is what statistics and the public status
 * need: office, service, slot, day, times, state, language, channel, its ticket and number.
 */
export class SqliteRetentionStore implements RetentionStore {
  private readonly s: Record<string, Statement>;

  constructor(db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      days: p('SELECT retention_days FROM booking_offices WHERE office_id = ?').pluck(),
      setDays: p(SET_RETENTION_DAYS),
      due: p(`SELECT id FROM bookings WHERE office_id = @office AND day < @day AND purged_at IS NULL ORDER BY day, id LIMIT @limit`).pluck(),
      bookings: p(`UPDATE bookings SET name_sealed = '', email_sealed = NULL, phone_sealed = NULL, email_hash = NULL, phone_hash = NULL,
        identity_key_id = NULL, identity_hash = NULL, hold_key_hash = 'purged:' || id, cancel_hash = NULL, kiosk_code = NULL,
        purged_at = @now WHERE id ${IDS}`),
      tokens: p(`DELETE FROM booking_tokens WHERE booking_id ${IDS}`),
      codes: p(`DELETE FROM sms_codes WHERE booking_id ${IDS}`),
      messages: p(`UPDATE outbox SET ${PURGE_MESSAGE} WHERE booking_id ${IDS} AND ${MESSAGE_LEFT}`),
      // Draw results to applicants who got no place have no booking: by age.
      looseMessages: p(`UPDATE outbox SET ${PURGE_MESSAGE}
        WHERE office_id = @office AND booking_id IS NULL AND created_at < @before AND ${MESSAGE_LEFT}`),
      applications: p(`UPDATE applications SET name_sealed = '', email_sealed = NULL, phone_sealed = NULL, email_hash = NULL,
        phone_hash = NULL, identity_key_id = NULL, identity_hash = NULL, contact_key = 'purged:' || id, hold_key_hash = 'purged:' || id,
        purged_at = @now WHERE office_id = @office AND day < @day AND purged_at IS NULL`),
      // A no-show bans for the office's period, which may outlast retention: its hashes go once both are over.
      noShows: p(`UPDATE no_shows SET email_hash = NULL, phone_hash = NULL, identity_key_id = NULL, identity_hash = NULL
        WHERE office_id = @office AND at <= @noShows AND (email_hash IS NOT NULL OR phone_hash IS NOT NULL OR identity_hash IS NOT NULL)
          AND booking_id IN (SELECT id FROM bookings WHERE office_id = @office AND purged_at IS NOT NULL)`),
      decisions: p(`UPDATE rule_decisions SET email_hash = NULL, phone_hash = NULL, identity_hash = NULL
        WHERE office_id = @office AND at < @before AND (email_hash IS NOT NULL OR phone_hash IS NOT NULL OR identity_hash IS NOT NULL)`),
      // A staff ban over (ended or lifted) for the whole period goes, with its hashes and the
      // reason a supervisor wrote; the decision record of it stays, without hashes (above).
      bans: p(`DELETE FROM bans WHERE office_id = @office
        AND CASE WHEN lifted_at IS NOT NULL AND lifted_at < ends_at THEN lifted_at ELSE ends_at END < @before`),
    };
  }

  async retentionDays(officeId: string): Promise<number> {
    return (this.s['days']!.get(officeId) as number | undefined) ?? DEFAULT_RETENTION_DAYS;
  }

  async setRetentionDays(officeId: string, days: number): Promise<void> {
    this.s['setDays']!.run(officeId, days);
  }

  async purge(c: PurgeCutoff, now: number, limit: number): Promise<PurgeCounts> {
    const ids = this.s['due']!.all({ office: c.officeId, day: c.beforeDay, limit }) as string[];
    let messages = 0;
    if (ids.length > 0) {
      const batch = { ids: JSON.stringify(ids) };
      this.s['bookings']!.run({ ...batch, now });
      this.s['tokens']!.run(batch);
      this.s['codes']!.run(batch);
      messages += this.s['messages']!.run(batch).changes;
    }
    messages += this.s['looseMessages']!.run({ office: c.officeId, before: c.beforeInstant }).changes;
    const applications = this.s['applications']!.run({ office: c.officeId, day: c.beforeDay, now }).changes;
    this.s['noShows']!.run({ office: c.officeId, noShows: c.noShowsUntil });
    this.s['decisions']!.run({ office: c.officeId, before: c.beforeInstant });
    const bans = this.s['bans']!.run({ office: c.officeId, before: c.beforeInstant }).changes;
    return { bookings: ids.length, applications, messages, bans };
  }
}

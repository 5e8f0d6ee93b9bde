import type { ResendCandidate } from '../../core/booking/resend.ts';
import type { ClaimedMessage, OutboxCount, OutboxCounts, OutboxStore } from '../../core/booking/outbox.ts';
import { reminderHolds, type BookingState, type ConfirmChannel, type MessageKind, type OutboxView } from '../../core/booking/model.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';
import { changes, row, rows, type Sql } from './booking/sql.ts';

const VIEW = `id, booking_id AS "bookingId", channel, kind, state, attempts, next_attempt_at AS "nextAttemptAt", last_error AS "lastError",
  created_at AS "createdAt", sent_at AS "sentAt"`;

interface Due {
  id: string;
  kind: MessageKind;
  state: BookingState | null;
  startAt: number | null;
}

/**
 * Due messages of a channel, locked for this transaction. Several hosts claim at once: a message
 * another host's claim holds is passed over (SKIP LOCKED), not waited for, so two claims get
 * different messages and neither blocks. Ties ordered byte-wise, as SQLite orders.
 */
const DUE = `SELECT o.id, o.kind, b.state, b.start_at AS "startAt" FROM outbox o LEFT JOIN bookings b ON b.id = o.booking_id
  WHERE o.state = 'pending' AND o.channel = $1 AND o.next_attempt_at <= $2
  ORDER BY o.priority, o.next_attempt_at, o.created_at, o.id COLLATE "C" LIMIT $3 FOR UPDATE OF o SKIP LOCKED`;

const CLAIM = `UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ANY($1::text[]) AND state = 'pending'
  RETURNING id, office_id AS "officeId", channel, kind, attempts, sealed`;

/**
 * The delivery side of the outbox on PostgreSQL (the booking store writes messages in; this takes
 * them out), over the pool (each call its own transaction) or the caller's transaction.
 */
export class PgOutbox implements OutboxStore {
  constructor(private readonly db: PgDb) {}

  /** The unit of work under way, if any: see sqlOf. */
  private get sql(): Sql {
    return sqlOf(this.db);
  }

  /**
   * Due messages, now `sending`, most urgent first. A reminder that no longer holds (its booking
   * left `confirmed`, or its time passed while no host was sending) is dropped instead.
   */
  claim(channel: ConfirmChannel, now: number, limit: number): Promise<ClaimedMessage[]> {
    return atomically(this.db, (sql) => claimNow(sql, channel, now, limit), { savepoint: true });
  }

  async recordSent(id: string, now: number, providerId: string): Promise<void> {
    await this.sql.query(`UPDATE outbox SET state = 'sent', sent_at = $1, provider_id = $2, sealed = NULL, last_error = NULL WHERE id = $3 AND state = 'sending'`, [
      now,
      providerId,
      id,
    ]);
  }

  async recordFailed(id: string, error: string, nextAttemptAt: number): Promise<void> {
    await this.sql.query(`UPDATE outbox SET state = 'pending', last_error = $1, next_attempt_at = $2 WHERE id = $3 AND state = 'sending'`, [error, nextAttemptAt, id]);
  }

  /**
   * Messages left `sending` go out again (the one case of a duplicate). Every host's: call it
   * where no other host is sending (the host that holds the outbox's background work, on taking it).
   */
  recoverInterrupted(): Promise<number> {
    return changes(this.sql, `UPDATE outbox SET state = 'pending' WHERE state = 'sending'`, []);
  }

  list(officeId: string, limit: number): Promise<OutboxView[]> {
    return rows<OutboxView>(this.sql, `SELECT ${VIEW} FROM outbox WHERE office_id = $1 ORDER BY created_at DESC, id COLLATE "C" LIMIT $2`, [officeId, limit]);
  }

  async candidate(officeId: string, id: string): Promise<ResendCandidate | null> {
    const r = await row<OutboxView & { hasContent: boolean }>(this.sql, `SELECT ${VIEW}, sealed IS NOT NULL AS "hasContent" FROM outbox WHERE office_id = $1 AND id = $2`, [
      officeId,
      id,
    ]);
    if (r === null) return null;
    const { hasContent, ...message } = r;
    return { message, hasContent };
  }

  async sendNow(id: string, now: number): Promise<void> {
    await this.sql.query(`UPDATE outbox SET next_attempt_at = $1 WHERE id = $2 AND state = 'pending'`, [now, id]);
  }

  ofBooking(bookingId: string): Promise<OutboxView[]> {
    return rows<OutboxView>(this.sql, `SELECT ${VIEW} FROM outbox WHERE booking_id = $1 ORDER BY created_at, id COLLATE "C"`, [bookingId]);
  }
}

async function claimNow(sql: Sql, channel: ConfirmChannel, now: number, limit: number): Promise<ClaimedMessage[]> {
  const out: ClaimedMessage[] = [];
  for (;;) {
    const due = await rows<Due>(sql, DUE, [channel, now, limit - out.length]);
    if (due.length === 0) return out;
    const stale = due.filter((d) => d.kind === 'reminder' && (d.state === null || d.startAt === null || !reminderHolds({ state: d.state, startAt: d.startAt }, now)));
    if (stale.length > 0) await sql.query(`DELETE FROM outbox WHERE id = ANY($1::text[]) AND state = 'pending'`, [stale.map((d) => d.id)]);
    const wanted = due.filter((d) => !stale.includes(d));
    const claimed = await rows<ClaimedMessage & { sealed: string | null }>(sql, CLAIM, [wanted.map((d) => d.id)]);
    // RETURNING gives no order: back into the order of urgency.
    const byId = new Map(claimed.map((c) => [c.id, c]));
    for (const d of wanted) {
      const c = byId.get(d.id);
      if (c !== undefined && c.sealed !== null) out.push({ ...c, sealed: c.sealed });
    }
    if (out.length >= limit) return out;
  }
}

/** The outbox backlog for monitoring (see store/outbox-counts.ts): the same figures from PostgreSQL. */
export function pgOutboxCounts(db: PgDb): OutboxCounts {
  return () =>
    rows<OutboxCount>(
      db,
      `SELECT office_id AS "officeId", channel, CASE WHEN state = 'pending' AND attempts > 0 THEN 'retrying' ELSE state END AS state, count(*)::int AS count
      FROM outbox WHERE state <> 'sent' GROUP BY 1, 2, 3 ORDER BY office_id COLLATE "C", channel COLLATE "C", 3`,
      [],
    );
}

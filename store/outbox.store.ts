import type { Database, Statement } from 'better-sqlite3';
import type { ResendCandidate } from '../core/booking/resend.ts';
import type { ClaimedMessage, OutboxStore } from '../core/booking/outbox.ts';
import { reminderHolds, type BookingState, type ConfirmChannel, type MessageKind, type OutboxView } from '../core/booking/model.ts';
import { storeWrite } from './write-gate.ts';

export interface OutboxRow {
  id: string;
  booking_id: string | null;
  office_id: string;
  channel: ConfirmChannel;
  kind: MessageKind;
  priority: number;
  state: 'pending' | 'sending' | 'sent' | 'failed';
  sealed: string | null;
  attempts: number;
  not_before: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
  provider_id: string | null;
}

/**
 * The delivery side of the outbox (the booking store writes messages in; this takes them out).
 * Writes go through the unit of work (write-gate.ts): inside the unit under way, or as a unit of their own.
 */
export class SqliteOutbox implements OutboxStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      due: p(`SELECT o.id, o.kind, b.state, b.start_at FROM outbox o LEFT JOIN bookings b ON b.id = o.booking_id
        WHERE o.state = 'pending' AND o.channel = ? AND o.next_attempt_at <= ?
        ORDER BY o.priority, o.next_attempt_at, o.created_at LIMIT ?`),
      drop: p(`DELETE FROM outbox WHERE id = ? AND state = 'pending'`),
      claim: p(`UPDATE outbox SET state = 'sending', attempts = attempts + 1 WHERE id = ? AND state = 'pending'
        RETURNING id, office_id, channel, kind, attempts, sealed`),
      sent: p(`UPDATE outbox SET state = 'sent', sent_at = ?, provider_id = ?, sealed = NULL, last_error = NULL WHERE id = ? AND state = 'sending'`),
      failed: p(`UPDATE outbox SET state = 'pending', last_error = ?, next_attempt_at = ? WHERE id = ? AND state = 'sending'`),
      recover: p(`UPDATE outbox SET state = 'pending' WHERE state = 'sending'`),
      list: p(`SELECT * FROM outbox WHERE office_id = ? ORDER BY created_at DESC, id LIMIT ?`),
      ofBooking: p(`SELECT * FROM outbox WHERE booking_id = ? ORDER BY created_at, id`),
      one: p(`SELECT * FROM outbox WHERE office_id = ? AND id = ?`),
      sendNow: p(`UPDATE outbox SET next_attempt_at = ? WHERE id = ? AND state = 'pending'`),
    };
  }

  /**
   * Due messages, now `sending`. A reminder is checked here, at send time, not only when it was
   * queued: one that is no longer true (its booking left `confirmed`, or its time has passed while
   * the host was off) is dropped instead of sent.
   */
  claim(channel: ConfirmChannel, now: number, limit: number): Promise<ClaimedMessage[]> {
    return storeWrite(this.db, () => this.claimNow(channel, now, limit));
  }

  private claimNow(channel: ConfirmChannel, now: number, limit: number): ClaimedMessage[] {
    const out: ClaimedMessage[] = [];
    for (;;) {
      const due = this.s['due']!.all(channel, now, limit - out.length) as { id: string; kind: MessageKind; state: BookingState | null; start_at: number | null }[];
      if (due.length === 0) return out;
      for (const d of due) {
        if (d.kind === 'reminder' && (d.state === null || d.start_at === null || !reminderHolds({ state: d.state, startAt: d.start_at }, now))) {
          this.s['drop']!.run(d.id);
          continue;
        }
        const r = this.s['claim']!.get(d.id) as { id: string; office_id: string; channel: ConfirmChannel; kind: MessageKind; attempts: number; sealed: string | null } | undefined;
        if (r !== undefined && r.sealed !== null) out.push({ id: r.id, officeId: r.office_id, channel: r.channel, kind: r.kind, attempts: r.attempts, sealed: r.sealed });
      }
      if (out.length >= limit) return out;
    }
  }

  recordSent(id: string, now: number, providerId: string): Promise<void> {
    return storeWrite(this.db, () => {
      this.s['sent']!.run(now, providerId, id);
    });
  }

  recordFailed(id: string, error: string, nextAttemptAt: number): Promise<void> {
    return storeWrite(this.db, () => {
      this.s['failed']!.run(error, nextAttemptAt, id);
    });
  }

  /** At start: messages left `sending` by a host that died go out again (the one case of a duplicate). */
  recoverInterrupted(): Promise<number> {
    return storeWrite(this.db, () => this.s['recover']!.run().changes);
  }

  async list(officeId: string, limit: number): Promise<OutboxView[]> {
    return (this.s['list']!.all(officeId, limit) as OutboxRow[]).map(view);
  }

  /** One message of an office, for staff to send again (null: no such message in that office). */
  async candidate(officeId: string, id: string): Promise<ResendCandidate | null> {
    const r = this.s['one']!.get(officeId, id) as OutboxRow | undefined;
    return r === undefined ? null : { message: view(r), hasContent: r.sealed !== null };
  }

  /** A waiting message is due now (its next retry was later). */
  sendNow(id: string, now: number): Promise<void> {
    return storeWrite(this.db, () => {
      this.s['sendNow']!.run(now, id);
    });
  }

  async ofBooking(bookingId: string): Promise<OutboxView[]> {
    return (this.s['ofBooking']!.all(bookingId) as OutboxRow[]).map(view);
  }
}

const view = (r: OutboxRow): OutboxView => ({
  id: r.id,
  bookingId: r.booking_id,
  channel: r.channel,
  kind: r.kind,
  state: r.state,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  createdAt: r.created_at,
  sentAt: r.sent_at,
});

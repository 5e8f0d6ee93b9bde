import type { ConfirmChannel, MessageKind, OutboxView } from './model.ts';
import type { ResendCandidate } from './resend.ts';

/** A message taken out of the outbox to be sent: still sealed (the sender opens it). */
export interface ClaimedMessage {
  id: string;
  officeId: string;
  channel: ConfirmChannel;
  kind: MessageKind;
  attempts: number;
  sealed: string;
}

/**
 * The delivery side of the outbox (the booking store writes messages in; this takes them out).
 * Times are epoch ms from the injected clock.
 */
export interface OutboxStore {
  /**
   * Marks up to `limit` due messages of a channel `sending` and returns them, most urgent first; a
   * reminder that no longer holds (booking cancelled, time passed) is dropped instead.
   */
  claim(channel: ConfirmChannel, now: number, limit: number): Promise<ClaimedMessage[]>;
  recordSent(id: string, now: number, providerId: string): Promise<void>;
  /** Back to pending, to be tried again at `nextAttemptAt`. */
  recordFailed(id: string, error: string, nextAttemptAt: number): Promise<void>;
  /** At start: messages left `sending` by a host that died go out again. Returns how many. */
  recoverInterrupted(): Promise<number>;
  list(officeId: string, limit: number): Promise<OutboxView[]>;
  /** One message of an office, for staff to send again (null: no such message in that office). */
  candidate(officeId: string, id: string): Promise<ResendCandidate | null>;
  /** A waiting message is due now (its next retry was later). */
  sendNow(id: string, now: number): Promise<void>;
  ofBooking(bookingId: string): Promise<OutboxView[]>;
}

/** One figure of the outbox backlog (monitoring: metrics and alerts). */
export interface OutboxCount {
  officeId: string;
  channel: string;
  /** pending, retrying (pending after a failed attempt), sending, failed (given up). */
  state: string;
  count: number;
}

/**
 * The outbox backlog, read on each scrape and alert check, by office, channel and state. Sent
 * messages are left out: they are history (the statistics count them), not backlog.
 */
export type OutboxCounts = () => Promise<OutboxCount[]>;

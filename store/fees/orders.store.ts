import type { Database, Statement } from 'better-sqlite3';
import { isOpen, type Attempt, type AttemptState, type Order, type OrderState, type Refund } from '../../core/fees/model.ts';
import { historyOf } from '../../core/fees/history.ts';
import type { OrderStore, StoredOrder } from '../../core/fees/ports.ts';

interface OrderRow {
  order_no: string;
  booking_id: string;
  seq: number;
  office_id: string;
  service_id: string;
  amount: number;
  currency: string;
  deadline: number;
  state: OrderState;
  kept_attempt: number | null;
  version: number;
}
interface AttemptRow {
  no: number;
  state: AttemptState;
  provider_ref: string | null;
  next_url: string | null;
  captured: number;
}
interface RefundRow {
  attempt_no: number;
  no: number;
  amount: number;
  reason: Refund['reason'];
  state: Refund['state'];
  provider_refund_id: string | null;
}

/**
 * Orders in SQLite, one row per order, attempt and refund. The work is done synchronously inside
 * each call (the promise is already settled), so in the host's unit of work a failed write
 * throws into its savepoint and rolls back with it.
 */
export class SqliteOrderStore implements OrderStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const cols = 'order_no, booking_id, seq, office_id, service_id, amount, currency, deadline, state, kept_attempt, version';
    this.s = {
      insert: db.prepare(`INSERT INTO fee_orders (${cols}, open, created_at, updated_at)
        VALUES (@orderNo, @bookingId, @seq, @officeId, @serviceId, @amount, @currency, @deadline, @state, @keptAttempt, 1, @open, @at, @at)
        ON CONFLICT DO NOTHING`),
      byNo: db.prepare(`SELECT ${cols} FROM fee_orders WHERE order_no = ?`),
      byBooking: db.prepare(`SELECT ${cols} FROM fee_orders WHERE booking_id = ? ORDER BY seq DESC LIMIT 1`),
      byRef: db.prepare(`SELECT o.order_no FROM fee_attempts a JOIN fee_orders o ON o.order_no = a.order_no WHERE a.provider_ref = ?`),
      open: db.prepare(`SELECT ${cols} FROM fee_orders WHERE open = 1 ORDER BY deadline, order_no LIMIT ?`),
      attempts: db.prepare('SELECT no, state, provider_ref, next_url, captured FROM fee_attempts WHERE order_no = ? ORDER BY no'),
      refunds: db.prepare('SELECT attempt_no, no, amount, reason, state, provider_refund_id FROM fee_refunds WHERE order_no = ? ORDER BY attempt_no, no'),
      bump: db.prepare(`UPDATE fee_orders SET state = @state, kept_attempt = @keptAttempt, open = @open, version = version + 1, updated_at = @at
        WHERE order_no = @orderNo AND version = @version`),
      putAttempt: db.prepare(`INSERT INTO fee_attempts (order_no, no, state, provider_ref, next_url, captured) VALUES (@orderNo, @no, @state, @providerRef, @nextUrl, @captured)
        ON CONFLICT (order_no, no) DO UPDATE SET state = excluded.state, provider_ref = excluded.provider_ref, next_url = excluded.next_url, captured = excluded.captured`),
      putRefund: db.prepare(`INSERT INTO fee_refunds (order_no, attempt_no, no, amount, reason, state, provider_refund_id)
        VALUES (@orderNo, @attemptNo, @no, @amount, @reason, @state, @providerRefundId)
        ON CONFLICT (order_no, attempt_no, no) DO UPDATE SET state = excluded.state, provider_refund_id = excluded.provider_refund_id`),
      seen: db.prepare('SELECT 1 FROM fee_webhook_events WHERE event_id = ?'),
      record: db.prepare('INSERT INTO fee_webhook_events (event_id, received_at) VALUES (?, ?) ON CONFLICT DO NOTHING'),
      history: db.prepare(`INSERT INTO fee_history (order_no, at, what, attempt_no, refund_no, state, detail)
        VALUES (@orderNo, @at, @what, @attempt, @refund, @state, @detail)`),
    };
  }

  private read(row: OrderRow | undefined): StoredOrder | null {
    if (row === undefined) return null;
    const refunds = this.s['refunds']!.all(row.order_no) as RefundRow[];
    const attempts: Attempt[] = (this.s['attempts']!.all(row.order_no) as AttemptRow[]).map((a) => ({
      no: a.no,
      state: a.state,
      providerRef: a.provider_ref,
      nextUrl: a.next_url,
      captured: a.captured,
      refunds: refunds
        .filter((r) => r.attempt_no === a.no)
        .map((r) => ({ no: r.no, amount: r.amount, reason: r.reason, state: r.state, providerRefundId: r.provider_refund_id })),
    }));
    const order: Order = { orderNo: row.order_no, amount: row.amount, currency: row.currency, deadline: row.deadline, state: row.state, keptAttempt: row.kept_attempt, attempts };
    return { order, bookingId: row.booking_id, seq: row.seq, officeId: row.office_id, serviceId: row.service_id, version: row.version };
  }

  /** The rows, and the history lines of what changed since `before` (the same transaction keeps both or neither). */
  private writeChildren(before: Order | null, order: Order, at: number): void {
    for (const line of historyOf(before, order, at)) this.s['history']!.run(line);
    for (const a of order.attempts) {
      this.s['putAttempt']!.run({ orderNo: order.orderNo, no: a.no, state: a.state, providerRef: a.providerRef, nextUrl: a.nextUrl, captured: a.captured });
      for (const r of a.refunds) {
        this.s['putRefund']!.run({ orderNo: order.orderNo, attemptNo: a.no, no: r.no, amount: r.amount, reason: r.reason, state: r.state, providerRefundId: r.providerRefundId });
      }
    }
  }

  create(o: Omit<StoredOrder, 'version'>, at: number): Promise<boolean> {
    const done = this.db.transaction(() => {
      const { order } = o;
      const r = this.s['insert']!.run({
        orderNo: order.orderNo,
        bookingId: o.bookingId,
        seq: o.seq,
        officeId: o.officeId,
        serviceId: o.serviceId,
        amount: order.amount,
        currency: order.currency,
        deadline: order.deadline,
        state: order.state,
        keptAttempt: order.keptAttempt,
        open: isOpen(order) ? 1 : 0,
        at,
      });
      if (r.changes === 0) return false;
      this.writeChildren(null, order, at);
      return true;
    })();
    return Promise.resolve(done);
  }

  load(orderNo: string): Promise<StoredOrder | null> {
    return Promise.resolve(this.read(this.s['byNo']!.get(orderNo) as OrderRow | undefined));
  }

  byBooking(bookingId: string): Promise<StoredOrder | null> {
    return Promise.resolve(this.read(this.s['byBooking']!.get(bookingId) as OrderRow | undefined));
  }

  byProviderRef(providerRef: string): Promise<StoredOrder | null> {
    const no = this.s['byRef']!.pluck().get(providerRef) as string | undefined;
    return no === undefined ? Promise.resolve(null) : this.load(no);
  }

  commit(orderNo: string, expectedVersion: number, order: Order, at: number): Promise<boolean> {
    const done = this.db.transaction(() => {
      const before = this.read(this.s['byNo']!.get(orderNo) as OrderRow | undefined)?.order ?? null;
      const r = this.s['bump']!.run({ orderNo, version: expectedVersion, state: order.state, keptAttempt: order.keptAttempt, open: isOpen(order) ? 1 : 0, at });
      if (r.changes === 0) return false;
      this.writeChildren(before, order, at);
      return true;
    })();
    return Promise.resolve(done);
  }

  listOpen(limit: number): Promise<StoredOrder[]> {
    return Promise.resolve((this.s['open']!.all(limit) as OrderRow[]).map((r) => this.read(r)!));
  }

  webhookSeen(eventId: string): Promise<boolean> {
    return Promise.resolve(this.s['seen']!.get(eventId) !== undefined);
  }

  recordWebhookEvent(eventId: string, at: number): Promise<boolean> {
    return Promise.resolve(this.s['record']!.run(eventId, at).changes === 1);
  }
}

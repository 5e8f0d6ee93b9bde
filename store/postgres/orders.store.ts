import { isOpen, type Attempt, type Order, type Refund } from '../../core/fees/model.ts';
import type { OrderStore, StoredOrder } from '../../core/fees/ports.ts';
import { atomically, sqlOn, type PgDb } from './atomic.ts';
import { changes, row, rows, type Sql } from './booking/sql.ts';

interface OrderRow {
  orderNo: string;
  bookingId: string;
  seq: number;
  officeId: string;
  serviceId: string;
  amount: number;
  currency: string;
  deadline: number;
  state: Order['state'];
  keptAttempt: number | null;
  version: number;
}

const ORDER = `order_no AS "orderNo", booking_id AS "bookingId", seq, office_id AS "officeId", service_id AS "serviceId", amount, currency, deadline,
  state, kept_attempt AS "keptAttempt", version`;

/**
 * Fee orders on PostgreSQL, one row per order, attempt and refund, over the pool (each call its
 * own transaction) or the caller's transaction. A commit is compare-and-set on the version: of two
 * hosts committing on the version they both read, one writes and the other is told no.
 */
export class PgOrderStore implements OrderStore {
  constructor(private readonly db: PgDb) {}

  /** The unit of work under way, if any: see sqlOn. */
  private get sql(): Sql {
    return sqlOn(this.db);
  }

  create(o: Omit<StoredOrder, 'version'>, at: number): Promise<boolean> {
    return atomically(this.db, async (sql) => {
      const { order } = o;
      const made = await changes(
        sql,
        `INSERT INTO fee_orders (order_no, booking_id, seq, office_id, service_id, amount, currency, deadline, state, kept_attempt, version, open, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11, $12, $12) ON CONFLICT DO NOTHING`,
        [order.orderNo, o.bookingId, o.seq, o.officeId, o.serviceId, order.amount, order.currency, order.deadline, order.state, order.keptAttempt, isOpen(order) ? 1 : 0, at],
      );
      if (made === 0) return false;
      await writeChildren(sql, order);
      return true;
    });
  }

  async load(orderNo: string): Promise<StoredOrder | null> {
    return read(this.sql, await row<OrderRow>(this.sql, `SELECT ${ORDER} FROM fee_orders WHERE order_no = $1`, [orderNo]));
  }

  async byBooking(bookingId: string): Promise<StoredOrder | null> {
    return read(this.sql, await row<OrderRow>(this.sql, `SELECT ${ORDER} FROM fee_orders WHERE booking_id = $1 ORDER BY seq DESC LIMIT 1`, [bookingId]));
  }

  async byProviderRef(providerRef: string): Promise<StoredOrder | null> {
    const r = await row<{ no: string }>(this.sql, 'SELECT order_no AS no FROM fee_attempts WHERE provider_ref = $1', [providerRef]);
    return r === null ? null : this.load(r.no);
  }

  commit(orderNo: string, expectedVersion: number, order: Order, at: number): Promise<boolean> {
    return atomically(this.db, async (sql) => {
      const bumped = await changes(
        sql,
        `UPDATE fee_orders SET state = $3, kept_attempt = $4, open = $5, version = version + 1, updated_at = $6 WHERE order_no = $1 AND version = $2`,
        [orderNo, expectedVersion, order.state, order.keptAttempt, isOpen(order) ? 1 : 0, at],
      );
      if (bumped === 0) return false;
      await writeChildren(sql, order);
      return true;
    });
  }

  async listOpen(limit: number): Promise<StoredOrder[]> {
    const list = await rows<OrderRow>(this.sql, `SELECT ${ORDER} FROM fee_orders WHERE open = 1 ORDER BY deadline, order_no COLLATE "C" LIMIT $1`, [limit]);
    const out: StoredOrder[] = [];
    for (const r of list) out.push((await read(this.sql, r))!);
    return out;
  }

  async webhookSeen(eventId: string): Promise<boolean> {
    return (await row(this.sql, 'SELECT 1 FROM fee_webhook_events WHERE event_id = $1', [eventId])) !== null;
  }

  async recordWebhookEvent(eventId: string, at: number): Promise<boolean> {
    return (await changes(this.sql, 'INSERT INTO fee_webhook_events (event_id, received_at) VALUES ($1, $2) ON CONFLICT DO NOTHING', [eventId, at])) === 1;
  }
}

async function writeChildren(sql: Sql, order: Order): Promise<void> {
  for (const a of order.attempts) {
    await sql.query(
      `INSERT INTO fee_attempts (order_no, no, state, provider_ref, next_url, captured) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (order_no, no) DO UPDATE SET state = excluded.state, provider_ref = excluded.provider_ref, next_url = excluded.next_url, captured = excluded.captured`,
      [order.orderNo, a.no, a.state, a.providerRef, a.nextUrl, a.captured],
    );
    for (const r of a.refunds) {
      await sql.query(
        `INSERT INTO fee_refunds (order_no, attempt_no, no, amount, reason, state, provider_refund_id) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (order_no, attempt_no, no) DO UPDATE SET state = excluded.state, provider_refund_id = excluded.provider_refund_id`,
        [order.orderNo, a.no, r.no, r.amount, r.reason, r.state, r.providerRefundId],
      );
    }
  }
}

/** An order with its attempts and their refunds (two reads, not one per attempt). */
async function read(sql: Sql, r: OrderRow | null): Promise<StoredOrder | null> {
  if (r === null) return null;
  const attempts = await rows<Omit<Attempt, 'refunds'>>(
    sql,
    'SELECT no, state, provider_ref AS "providerRef", next_url AS "nextUrl", captured FROM fee_attempts WHERE order_no = $1 ORDER BY no',
    [r.orderNo],
  );
  const refunds = await rows<Refund & { attemptNo: number }>(
    sql,
    `SELECT attempt_no AS "attemptNo", no, amount, reason, state, provider_refund_id AS "providerRefundId" FROM fee_refunds WHERE order_no = $1 ORDER BY attempt_no, no`,
    [r.orderNo],
  );
  const { bookingId, seq, officeId, serviceId, version, ...o } = r;
  const order: Order = {
    ...o,
    attempts: attempts.map((a) => ({ ...a, refunds: refunds.filter((x) => x.attemptNo === a.no).map(({ attemptNo: _a, ...x }) => x) })),
  };
  return { order, bookingId, seq, officeId, serviceId, version };
}

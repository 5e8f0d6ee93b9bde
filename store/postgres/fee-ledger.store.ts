import type { FeeHistoryEntry, FeeLedger, StoredOrder } from '../../core/fees/ports.ts';
import { row, rows } from './booking/sql.ts';
import { sqlOf, type PgDb } from './db.ts';
import { ORDER, read, readAll, type OrderRow } from './orders.store.ts';

const ENTRY = `order_no AS "orderNo", at, what, attempt_no AS "attempt", refund_no AS "refund", state, detail`;

/**
 * Fee orders' history on PostgreSQL (`fee_history`, written by PgOrderStore with each commit) and
 * the webhooks handled, read by staff and the exports. History lines keep the order they were
 * written in (their identity column), as SQLite's rowid does.
 */
export class PgFeeLedger implements FeeLedger {
  constructor(private readonly db: PgDb) {}

  async noteWebhook(orderNo: string, eventId: string, eventType: string, at: number): Promise<void> {
    await sqlOf(this.db).query(`INSERT INTO fee_history (order_no, at, what, state, detail) VALUES ($1, $2, 'webhook', $3, $4)`, [orderNo, at, eventType, eventId]);
  }

  history(orderNo: string): Promise<FeeHistoryEntry[]> {
    return rows<FeeHistoryEntry>(sqlOf(this.db), `SELECT ${ENTRY} FROM fee_history WHERE order_no = $1 ORDER BY id`, [orderNo]);
  }

  async ordersOfBooking(bookingId: string): Promise<StoredOrder[]> {
    const sql = sqlOf(this.db);
    return readAll(sql, await rows<OrderRow>(sql, `SELECT ${ORDER} FROM fee_orders WHERE booking_id = $1 ORDER BY seq`, [bookingId]));
  }

  async activity(officeId: string, from: number, to: number): Promise<{ orders: StoredOrder[]; entries: FeeHistoryEntry[] }> {
    const sql = sqlOf(this.db);
    const entries = await rows<FeeHistoryEntry>(
      sql,
      `SELECT ${ENTRY.replace(/(^|, )(\w+)/g, '$1h.$2')} FROM fee_history h JOIN fee_orders o ON o.order_no = h.order_no
      WHERE o.office_id = $1 AND h.at >= $2 AND h.at < $3 ORDER BY h.at, h.id`,
      [officeId, from, to],
    );
    const orders: StoredOrder[] = [];
    for (const no of new Set(entries.map((e) => e.orderNo))) {
      const o = await read(sql, await row<OrderRow>(sql, `SELECT ${ORDER} FROM fee_orders WHERE order_no = $1`, [no]));
      if (o !== null) orders.push(o);
    }
    return { orders, entries };
  }
}

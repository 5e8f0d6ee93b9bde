import type { Database, Statement } from 'better-sqlite3';
import type { FeeHistoryEntry, FeeLedger, StoredOrder } from '../../core/fees/ports.ts';
import { SqliteOrderStore } from './orders.store.ts';

interface HistoryRow {
  order_no: string;
  at: number;
  what: FeeHistoryEntry['what'];
  attempt_no: number | null;
  refund_no: number | null;
  state: string;
  detail: string | null;
}

const entry = (r: HistoryRow): FeeHistoryEntry => ({ orderNo: r.order_no, at: r.at, what: r.what, attempt: r.attempt_no, refund: r.refund_no, state: r.state, detail: r.detail });

/** Fee orders' history in SQLite (`fee_history`, written by the order store with each commit). */
export class SqliteFeeLedger implements FeeLedger {
  private readonly s: Record<string, Statement>;
  private readonly orders: SqliteOrderStore;

  constructor(db: Database) {
    this.orders = new SqliteOrderStore(db);
    const cols = 'order_no, at, what, attempt_no, refund_no, state, detail';
    this.s = {
      note: db.prepare(`INSERT INTO fee_history (order_no, at, what, state, detail) VALUES (?, ?, 'webhook', ?, ?)`),
      history: db.prepare(`SELECT ${cols} FROM fee_history WHERE order_no = ? ORDER BY id`),
      ofBooking: db.prepare('SELECT order_no FROM fee_orders WHERE booking_id = ? ORDER BY seq'),
      activity: db.prepare(`SELECT ${cols.split(', ').map((c) => `h.${c}`).join(', ')} FROM fee_history h JOIN fee_orders o ON o.order_no = h.order_no
        WHERE o.office_id = ? AND h.at >= ? AND h.at < ? ORDER BY h.at, h.id`),
    };
  }

  noteWebhook(orderNo: string, eventId: string, eventType: string, at: number): Promise<void> {
    this.s['note']!.run(orderNo, at, eventType, eventId);
    return Promise.resolve();
  }

  history(orderNo: string): Promise<FeeHistoryEntry[]> {
    return Promise.resolve((this.s['history']!.all(orderNo) as HistoryRow[]).map(entry));
  }

  async ordersOfBooking(bookingId: string): Promise<StoredOrder[]> {
    const nos = this.s['ofBooking']!.pluck().all(bookingId) as string[];
    const out: StoredOrder[] = [];
    for (const no of nos) {
      const o = await this.orders.load(no);
      if (o !== null) out.push(o);
    }
    return out;
  }

  async activity(officeId: string, from: number, to: number): Promise<{ orders: StoredOrder[]; entries: FeeHistoryEntry[] }> {
    const entries = (this.s['activity']!.all(officeId, from, to) as HistoryRow[]).map(entry);
    const orders: StoredOrder[] = [];
    for (const no of new Set(entries.map((e) => e.orderNo))) {
      const o = await this.orders.load(no);
      if (o !== null) orders.push(o);
    }
    return { orders, entries };
  }
}

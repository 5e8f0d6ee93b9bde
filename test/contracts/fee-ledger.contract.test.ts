import { afterEach, describe, expect, it } from 'vitest';
import { newOrder, observe } from '../../core/fees/machine.ts';
import type { FeeLedger, OrderStore } from '../../core/fees/ports.ts';
import { SqliteFeeLedger } from '../../store/fees/ledger.store.ts';
import { SqliteOrderStore } from '../../store/fees/orders.store.ts';
import { PgFeeLedger } from '../../store/postgres/fee-ledger.store.ts';
import { PgOrderStore } from '../../store/postgres/orders.store.ts';
import { postgresDatabase, sqliteDatabase } from './databases.ts';

/**
 * The fee ledger's contract on both databases: the order store writes each order's history with
 * its commits (a refused commit writes none), webhooks are noted beside it, and staff read an
 * order's lines, a booking's orders and an office's activity in a span.
 */
type Made = { orders: OrderStore; ledger: FeeLedger; close(): void | Promise<void> };
const subjects: [string, () => Promise<Made>][] = [
  [
    'sqlite',
    async () => {
      const { db, close } = sqliteDatabase();
      return { orders: new SqliteOrderStore(db), ledger: new SqliteFeeLedger(db), close };
    },
  ],
  [
    'postgres',
    async () => {
      const d = await postgresDatabase();
      return { orders: new PgOrderStore(d.pool), ledger: new PgFeeLedger(d.pool), close: () => d.close() };
    },
  ],
];

const stored = (orderNo: string, bookingId: string, seq = 1, officeId = 'o1') => ({
  order: newOrder({ orderNo, amount: 2500, currency: 'CZK', deadline: 10_000 }),
  bookingId,
  seq,
  officeId,
  serviceId: `${officeId}-s1`,
});

describe.each(subjects)('fee ledger (%s)', (_name, make) => {
  let subject: Made | undefined;
  afterEach(() => subject?.close());

  it('an order’s history: every state it reached with its time, the webhooks noted, none of a refused commit', async () => {
    subject = await make();
    const { orders, ledger } = subject;
    await orders.create(stored('F1', 'bk1'), 100);
    let o = (await orders.load('F1'))!;
    const paying = observe(o.order, { kind: 'pay', at: 200 }).order;
    const created = observe(paying, { kind: 'created', at: 210, attempt: 1, providerRef: 'pay-1', nextUrl: 'http://sim/p' }).order;
    expect(await orders.commit('F1', o.version, created, 210)).toBe(true);
    // A commit on a version that moved writes nothing, history included.
    expect(await orders.commit('F1', o.version, observe(o.order, { kind: 'deadline', at: 20_000 }).order, 220)).toBe(false);
    o = (await orders.load('F1'))!;
    const paid = observe(o.order, { kind: 'provider', at: 300, source: 'webhook', attempt: 1, providerRef: 'pay-1', state: 'succeeded', captured: 2500 }).order;
    expect(await orders.commit('F1', o.version, paid, 300)).toBe(true);
    await ledger.noteWebhook('F1', 'ev-1', 'card_payment_succeeded', 301);
    const lines = (await ledger.history('F1')).map((h) => [h.at, h.what, h.attempt, h.state, h.detail]);
    expect(lines).toEqual([
      [100, 'order', null, 'awaiting_payment', null],
      [210, 'attempt', 1, 'created', 'pay-1'],
      [300, 'order', null, 'paid', null],
      [300, 'attempt', 1, 'succeeded', 'pay-1'],
      [301, 'webhook', null, 'card_payment_succeeded', 'ev-1'],
    ]);
    expect(await ledger.history('nope')).toEqual([]);
  });

  it('a booking’s orders oldest first, and an office’s activity in [from, to)', async () => {
    subject = await make();
    const { orders, ledger } = subject;
    await orders.create(stored('F1', 'bk1'), 100);
    await orders.create(stored('F2', 'bk1', 2), 500);
    await orders.create(stored('F3', 'bk2', 1, 'o2'), 500);
    expect((await ledger.ordersOfBooking('bk1')).map((o) => [o.order.orderNo, o.seq])).toEqual([
      ['F1', 1],
      ['F2', 2],
    ]);
    expect(await ledger.ordersOfBooking('bk9')).toEqual([]);
    const span = await ledger.activity('o1', 200, 501);
    expect(span.orders.map((o) => o.order.orderNo)).toEqual(['F2']);
    expect(span.entries.map((e) => [e.orderNo, e.state])).toEqual([['F2', 'awaiting_payment']]);
    expect((await ledger.activity('o1', 0, 500)).orders.map((o) => o.order.orderNo)).toEqual(['F1']);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { newOrder, observe } from '../../core/fees/machine.ts';
import type { Order } from '../../core/fees/model.ts';
import { fakeOrderStore } from '../../core/fees/orders.fake.ts';
import type { OrderStore, StoredOrder } from '../../core/fees/ports.ts';
import { SqliteOrderStore } from '../../store/fees/orders.store.ts';
import { PgOrderStore } from '../../store/postgres/orders.store.ts';
import { createPool } from '../../store/postgres/pool.ts';
import { postgresDatabase, sqliteDatabase } from './databases.ts';

/**
 * The order store's contract, kept by the SQLite store (a real file), the in-memory fake and the
 * PostgreSQL store (over the pool, each call its own transaction; `second` is another host's
 * pool on the same database).
 */
type Made = { store: OrderStore; second: OrderStore; close(): void | Promise<void> };
const subjects: [string, () => Promise<Made>][] = [
  [
    'sqlite',
    async () => {
      const { db, close } = sqliteDatabase();
      return { store: new SqliteOrderStore(db), second: new SqliteOrderStore(db), close };
    },
  ],
  [
    'fake',
    async () => {
      const store = fakeOrderStore();
      return { store, second: store, close: () => undefined };
    },
  ],
  [
    'postgres',
    async () => {
      const d = await postgresDatabase();
      const other = createPool(d.url, { max: 2 });
      return {
        store: new PgOrderStore(d.pool),
        second: new PgOrderStore(other),
        close: async () => {
          await other.end();
          await d.close();
        },
      };
    },
  ],
];

const order = (orderNo: string, deadline = 1000): Omit<StoredOrder, 'version'> => ({
  order: newOrder({ orderNo, amount: 2500, currency: 'CZK', deadline }),
  bookingId: `bk-${orderNo}`,
  seq: 1,
  officeId: 'o1',
  serviceId: 's1',
});

/** An order with a created attempt at the provider, and then paid twice (a refund requested). */
const paidTwice = (o: Order): Order => {
  let d = observe(o, { kind: 'pay', at: 1 }).order;
  d = observe(d, { kind: 'created', at: 2, attempt: 1, providerRef: 'pay-1', nextUrl: 'http://sim/secure/pay-1' }).order;
  return observe(d, { kind: 'provider', at: 3, source: 'webhook', attempt: 1, providerRef: 'pay-1', state: 'succeeded', captured: 5000 }).order;
};

describe.each(subjects)('order store (%s)', (_name, make) => {
  let subject: Made | undefined;
  afterEach(() => subject?.close());
  const opened = async (): Promise<Made> => (subject = await make());
  const open = async (): Promise<OrderStore> => (await opened()).store;

  it('creates an order once: a second create of the same number or the same booking order is refused', async () => {
    const s = await open();
    expect(await s.create(order('F1'), 0)).toBe(true);
    expect(await s.create(order('F1'), 0)).toBe(false);
    expect(await s.create({ ...order('F2'), bookingId: 'bk-F1' }, 0)).toBe(false);
    expect(await s.create({ ...order('F2'), bookingId: 'bk-F1', seq: 2 }, 0)).toBe(true);
    expect((await s.load('F1'))?.version).toBe(1);
    expect((await s.byBooking('bk-F1'))?.order.orderNo).toBe('F2');
    expect(await s.load('nope')).toBeNull();
  });

  it('commits only on the version it read: the second of two racing commits is refused and changes nothing', async () => {
    const s = await open();
    await s.create(order('F1'), 0);
    const read = (await s.load('F1'))!;
    const next = paidTwice(read.order);
    expect(await s.commit('F1', read.version, next, 5)).toBe(true);
    expect(await s.commit('F1', read.version, observe(read.order, { kind: 'deadline', at: 2000 }).order, 6)).toBe(false);
    const now = (await s.load('F1'))!;
    expect(now.version).toBe(2);
    expect(now.order).toEqual(next);
    expect(now.order.attempts[0]?.refunds).toHaveLength(1);
  });

  it('finds an order by its attempts’ provider references', async () => {
    const s = await open();
    await s.create(order('F1'), 0);
    await s.commit('F1', 1, paidTwice((await s.load('F1'))!.order), 5);
    expect((await s.byProviderRef('pay-1'))?.order.orderNo).toBe('F1');
    expect(await s.byProviderRef('pay-2')).toBeNull();
  });

  it('refuses a provider reference that already belongs to another order', async () => {
    const s = await open();
    await s.create(order('F1'), 0);
    await s.create(order('F2'), 0);
    await s.commit('F1', 1, paidTwice((await s.load('F1'))!.order), 5);
    const other = paidTwice({ ...(await s.load('F2'))!.order });
    await expect(Promise.resolve().then(() => s.commit('F2', 1, other, 6))).rejects.toThrow();
  });

  it('lists the open orders for reconciliation, nearest deadline first, and not the settled ones', async () => {
    const s = await open();
    await s.create(order('F1', 3000), 0);
    await s.create(order('F2', 2000), 0);
    await s.create(order('F3', 1000), 0);
    const f3 = (await s.load('F3'))!;
    await s.commit('F3', 1, observe(f3.order, { kind: 'deadline', at: 5000 }).order, 5000);
    expect((await s.listOpen(10)).map((o) => o.order.orderNo)).toEqual(['F2', 'F1']);
    expect((await s.listOpen(1)).map((o) => o.order.orderNo)).toEqual(['F2']);
    // Paid twice: still open until the duplicate's refund is answered.
    await s.commit('F1', 1, paidTwice((await s.load('F1'))!.order), 10);
    expect((await s.listOpen(10)).map((o) => o.order.orderNo)).toEqual(['F2', 'F1']);
  });

  it('records a webhook event id once', async () => {
    const s = await open();
    expect(await s.webhookSeen('ev1')).toBe(false);
    expect(await s.recordWebhookEvent('ev1', 1)).toBe(true);
    expect(await s.recordWebhookEvent('ev1', 2)).toBe(false);
    expect(await s.webhookSeen('ev1')).toBe(true);
  });
});

describe.each(subjects)('order store, two hosts (%s)', (_name, make) => {
  let subject: Made | undefined;
  afterEach(() => subject?.close());

  it('of two hosts committing on the version both read, one writes and the other is refused', async () => {
    subject = await make();
    const { store, second } = subject;
    await store.create(order('F1'), 0);
    const read = (await store.load('F1'))!;
    const paid = paidTwice(read.order);
    const expired = observe(read.order, { kind: 'deadline', at: 2000 }).order;
    const results = await Promise.all([store.commit('F1', read.version, paid, 5), second.commit('F1', read.version, expired, 6)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const now = (await second.load('F1'))!;
    expect(now.version).toBe(2);
    expect(now.order).toEqual(results[0] ? paid : expired);
  });

  it('of two hosts opening the same booking order at once, one creates it', async () => {
    subject = await make();
    const { store, second } = subject;
    const made = await Promise.all([store.create(order('F1'), 0), second.create({ ...order('F2'), bookingId: 'bk-F1' }, 0)]);
    expect(made.filter(Boolean)).toHaveLength(1);
    expect((await store.byBooking('bk-F1'))?.order.orderNo).toBe(made[0] ? 'F1' : 'F2');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newOrder, observe } from '../../core/fees/machine.ts';
import type { Order } from '../../core/fees/model.ts';
import { fakeOrderStore } from '../../core/fees/orders.fake.ts';
import type { OrderStore, StoredOrder } from '../../core/fees/ports.ts';
import { openDatabase } from '../../store/database.ts';
import { SqliteOrderStore } from '../../store/fees/orders.store.ts';
import { migrate } from '../../store/migrations/index.ts';

/** The order store's contract, kept by the SQLite store (a real file) and the in-memory fake alike. */
const subjects: [string, () => { store: OrderStore; close(): void }][] = [
  [
    'sqlite',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'fronta-orders-'));
      const db = openDatabase(join(dir, 'f.db'));
      migrate(db);
      return {
        store: new SqliteOrderStore(db),
        close: () => {
          db.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
  ['fake', () => ({ store: fakeOrderStore(), close: () => undefined })],
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
  let subject: ReturnType<typeof make> | undefined;
  afterEach(() => subject?.close());
  const open = (): OrderStore => (subject = make()).store;

  it('creates an order once: a second create of the same number or the same booking order is refused', async () => {
    const s = open();
    expect(await s.create(order('F1'), 0)).toBe(true);
    expect(await s.create(order('F1'), 0)).toBe(false);
    expect(await s.create({ ...order('F2'), bookingId: 'bk-F1' }, 0)).toBe(false);
    expect(await s.create({ ...order('F2'), bookingId: 'bk-F1', seq: 2 }, 0)).toBe(true);
    expect((await s.load('F1'))?.version).toBe(1);
    expect((await s.byBooking('bk-F1'))?.order.orderNo).toBe('F2');
    expect(await s.load('nope')).toBeNull();
  });

  it('commits only on the version it read: the second of two racing commits is refused and changes nothing', async () => {
    const s = open();
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
    const s = open();
    await s.create(order('F1'), 0);
    await s.commit('F1', 1, paidTwice((await s.load('F1'))!.order), 5);
    expect((await s.byProviderRef('pay-1'))?.order.orderNo).toBe('F1');
    expect(await s.byProviderRef('pay-2')).toBeNull();
  });

  it('refuses a provider reference that already belongs to another order', async () => {
    const s = open();
    await s.create(order('F1'), 0);
    await s.create(order('F2'), 0);
    await s.commit('F1', 1, paidTwice((await s.load('F1'))!.order), 5);
    const other = paidTwice({ ...(await s.load('F2'))!.order });
    await expect(Promise.resolve().then(() => s.commit('F2', 1, other, 6))).rejects.toThrow();
  });

  it('lists the open orders for reconciliation, nearest deadline first, and not the settled ones', async () => {
    const s = open();
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
    const s = open();
    expect(await s.webhookSeen('ev1')).toBe(false);
    expect(await s.recordWebhookEvent('ev1', 1)).toBe(true);
    expect(await s.recordWebhookEvent('ev1', 2)).toBe(false);
    expect(await s.webhookSeen('ev1')).toBe(true);
  });
});

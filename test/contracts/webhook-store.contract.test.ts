import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { WebhookDelivery, WebhookSubscription } from '../../core/webhooks/model.ts';
import { MemoryWebhookStore, type WebhookStore } from '../../core/webhooks/ports.ts';
import { PgWebhookStore } from '../../store/postgres/webhooks.store.ts';
import { SqliteWebhookStore } from '../../store/webhooks.store.ts';
import { postgresDatabase, sqliteDatabase } from './databases.ts';

/**
 * The same cases against the SQLite adapter, the in-memory fake and the PostgreSQL adapter: over
 * the pool (each call its own transaction, as the delivery loop runs) and over the client of one
 * transaction (as a route's unit of work gives it), where a refused write must leave the
 * transaction usable.
 */

const sub = (id: string, officeId = 'o1'): WebhookSubscription => ({
  id,
  officeId,
  url: 'https://hooks.example.org/in',
  eventTypes: ['ticket.called'],
  extraFields: [],
  allowPrivate: false,
  state: 'active',
  pausedReason: null,
  cursor: 10,
  sealedSecret: 'sealed',
  createdAt: 1,
  createdBy: 'u1',
  updatedAt: 1,
});
const delivery = (id: string, subscriptionId: string, eventId: number): WebhookDelivery => ({
  id,
  subscriptionId,
  officeId: 'o1',
  eventId,
  eventType: 'ticket.called',
  body: '{"id":"x"}',
  state: 'pending',
  attempts: 0,
  createdAt: 100,
  nextAttemptAt: 100,
  lastAttemptAt: null,
  lastStatus: null,
  lastError: null,
  doneAt: null,
});

type Made = { store: WebhookStore; close(): void | Promise<void> };

const adapters: [string, () => Made | Promise<Made>][] = [
  ['memory', () => ({ store: new MemoryWebhookStore(), close: () => undefined })],
  [
    'sqlite',
    () => {
      const { db, close } = sqliteDatabase();
      return { store: new SqliteWebhookStore(db), close };
    },
  ],
  [
    'postgres, a transaction per call',
    async () => {
      const d = await postgresDatabase();
      return { store: new PgWebhookStore(d.pool), close: () => d.close() };
    },
  ],
  [
    'postgres, one transaction',
    async () => {
      const d = await postgresDatabase();
      const client = await d.pool.connect();
      await client.query('BEGIN');
      return {
        store: new PgWebhookStore(client),
        close: async () => {
          await client.query('COMMIT');
          client.release();
          await d.close();
        },
      };
    },
  ],
];

describe.each(adapters)('WebhookStore (%s)', (_name, make) => {
  let s: WebhookStore;
  let close: () => void | Promise<void>;
  beforeEach(async () => {
    const made = await make();
    s = made.store;
    close = () => made.close();
  });
  afterEach(() => close());

  it('keeps subscriptions per office; a patch changes what it names; pausing records why', async () => {
    await s.createSubscription(sub('w1'));
    await s.createSubscription(sub('w2', 'o2'));
    expect((await s.subscriptions('o1')).map((x) => x.id)).toEqual(['w1']);
    const paused = await s.updateSubscription('w1', { url: 'https://b.example.org/', state: { state: 'paused', reason: 'by_admin' } }, 5);
    expect(paused).toMatchObject({ url: 'https://b.example.org/', state: 'paused', pausedReason: 'by_admin', updatedAt: 5, eventTypes: ['ticket.called'] });
    expect((await s.activeSubscriptions()).map((x) => x.id)).toEqual(['w2']);
    expect(await s.updateSubscription('nope', { url: 'x' }, 5)).toBeNull();
    expect((await s.updateSubscription('w1', { state: { state: 'active' } }, 6))?.pausedReason).toBeNull();
  });

  it('moves a cursor only forward; one pending delivery per subscription, which moves the cursor past what it skipped', async () => {
    await s.createSubscription(sub('w1'));
    await s.advanceCursor('w1', 5);
    expect((await s.subscription('w1'))?.cursor).toBe(10);
    await s.createDelivery(delivery('d1', 'w1', 14), 13);
    expect((await s.subscription('w1'))?.cursor).toBe(13);
    await expect(s.createDelivery(delivery('d2', 'w1', 15), 14)).rejects.toThrow();
    expect((await s.pendingDelivery('w1'))?.id).toBe('d1');
    expect((await s.subscription('w1'))?.cursor).toBe(13);
  });

  it('records attempts: a retry keeps it pending, delivered moves the cursor, failed pauses the subscription', async () => {
    await s.createSubscription(sub('w1'));
    await s.createDelivery(delivery('d1', 'w1', 14), 13);
    await s.recordAttempt({ deliveryId: 'd1', at: 101, status: 503, error: null, durationMs: 7 }, { state: 'pending', nextAttemptAt: 200 });
    expect(await s.pendingDelivery('w1')).toMatchObject({ attempts: 1, nextAttemptAt: 200, lastStatus: 503 });
    await s.recordAttempt({ deliveryId: 'd1', at: 201, status: 200, error: null, durationMs: 5 }, { state: 'delivered' });
    expect(await s.pendingDelivery('w1')).toBeNull();
    expect((await s.subscription('w1'))?.cursor).toBe(14);
    await s.createDelivery(delivery('d2', 'w1', 16), 15);
    await s.recordAttempt({ deliveryId: 'd2', at: 300, status: null, error: 'refused', durationMs: 1 }, { state: 'failed' });
    expect(await s.subscription('w1')).toMatchObject({ cursor: 16, state: 'paused', pausedReason: 'delivery_failed' });
    expect(await s.pausedByFailure()).toEqual([{ officeId: 'o1', count: 1 }]);
    const list = await s.deliveries('o1', null, 10);
    expect(list.map((d) => [d.id, d.state, d.attemptLog.length])).toEqual([
      ['d2', 'failed', 1],
      ['d1', 'delivered', 2],
    ]);
    expect(list[0]).not.toHaveProperty('body');
  });

  it('purges finished deliveries past their keeping; deleting a subscription takes its deliveries', async () => {
    await s.createSubscription(sub('w1'));
    await s.createDelivery(delivery('d1', 'w1', 14), 13);
    await s.recordAttempt({ deliveryId: 'd1', at: 150, status: 200, error: null, durationMs: 5 }, { state: 'delivered' });
    await s.createDelivery(delivery('d2', 'w1', 15), 14);
    expect(await s.purgeFinished(100)).toBe(0);
    expect(await s.purgeFinished(151)).toBe(1);
    expect((await s.deliveries('o1', 'w1', 10)).map((d) => d.id)).toEqual(['d2']);
    expect(await s.deleteSubscription('w1')).toBe(true);
    expect(await s.deliveries('o1', null, 10)).toEqual([]);
    expect(await s.deleteSubscription('w1')).toBe(false);
  });
});

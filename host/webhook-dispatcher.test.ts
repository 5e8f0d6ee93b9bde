import { describe, expect, it } from 'vitest';
import type { LoggedEvent, TicketView } from '../core/shared/events.ts';
import { MemoryWebhookStore } from '../core/webhooks/ports.ts';
import type { WebhookPost } from '../drivers/webhooks/http-sender.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';

const T0 = Date.UTC(2026, 10, 23, 8, 0);
const ticket = (n: number): TicketView => ({ id: `t${n}`, number: `A${n}`, serviceId: 's1', state: 'waiting', counterId: null, categoryId: null, arrivedAt: T0, bookedAt: null, recallCount: 0 });
const log: LoggedEvent[] = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, at: T0, type: 'ticket:issued', officeId: 'o1', payload: { ticket: ticket(i + 1) } }));

function dispatcher(store: MemoryWebhookStore, mayRun: () => boolean, sent: WebhookPost[]): WebhookDispatcher {
  let n = 0;
  return new WebhookDispatcher({
    store,
    events: (officeId, afterId, limit) => log.filter((e) => e.officeId === officeId && e.id > afterId).slice(0, limit),
    write: (work) => work(),
    open: (sealed) => sealed,
    send: (post) => {
      sent.push(post);
      return Promise.resolve({ status: 200, error: null, durationMs: 1 });
    },
    clock: { now: () => T0 },
    random: () => 0.5,
    newId: () => `d${++n}`,
    allowLoopback: true,
    mayRun,
  });
}

describe('the webhook delivery loop on several hosts', () => {
  it('stops sending as soon as its host no longer holds the lease, mid-backlog, and the next holder goes on from the next event', async () => {
    const store = new MemoryWebhookStore();
    await store.createSubscription({
      id: 'wh1', officeId: 'o1', url: 'http://127.0.0.1:9/', eventTypes: ['ticket.issued'], extraFields: [], allowPrivate: false, state: 'active', pausedReason: null,
      cursor: 0, sealedSecret: 'secret', createdAt: T0, createdBy: 'admin', updatedAt: T0,
    });
    const first: WebhookPost[] = [];
    // The lease lapses after this host's second send.
    const a = dispatcher(store, () => first.length < 2, first);
    await a.tick();
    await a.idle();
    expect(first.map((p) => p.eventId)).toEqual(['1', '2']);
    const second: WebhookPost[] = [];
    const b = dispatcher(store, () => true, second);
    await b.tick();
    await b.idle();
    expect(second.map((p) => p.eventId)).toEqual(['3', '4', '5']);
    expect((await store.subscription('wh1'))?.cursor).toBe(5);
  });
});

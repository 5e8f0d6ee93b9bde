import { randomBytes } from 'node:crypto';
import type { Keyed } from '../core/booking/ports.ts';
import type { Clock, Ids, QueueRuntime } from '../core/queue/ports.ts';
import type { WebhookSubscription } from '../core/webhooks/model.ts';
import { postWebhook, type Resolve } from '../drivers/webhooks/http-sender.ts';
import type { WebhookServerDeps } from '../server/deps.ts';
import type { Stores } from './stores.ts';
import { WebhookDispatcher } from './webhook-dispatcher.ts';
import type { BackgroundWork } from './background-work.ts';

export interface WebhookParts {
  /** The database's stores (host/stores.ts): SQLite or PostgreSQL. */
  stores: Pick<Stores, 'webhooks' | 'events'>;
  queue: QueueRuntime;
  clock: Clock;
  ids: Ids;
  keyed: Pick<Keyed, 'seal' | 'open'>;
  /** The host's explicit test or demo allowance for loopback targets. */
  allowLoopback: boolean;
  /** Tests: a quicker loop and shorter answers, their own name resolution. */
  intervalMs?: number;
  timeoutMs?: number;
  resolve?: Resolve;
  /** Told when a delivery is given up after a day and its subscription paused. */
  onGiveUp?(subscription: WebhookSubscription, eventId: number): void;
  onError?(error: unknown): void;
  /** Several hosts: only the lease holder delivers (default: this host alone). */
  background?: BackgroundWork;
}

export interface WebhookRuntime {
  server: WebhookServerDeps;
  dispatcher: WebhookDispatcher;
  start(): void;
  stop(): Promise<void>;
}

/**
 * Outgoing webhooks on the host: the store on the shared database, secrets sealed with the host
 * key, and the delivery loop, woken by every commit that appended events.
 */
/** A webhook's signing secret: shown once, kept only sealed. */
export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString('base64url')}`;

export function createWebhooks(p: WebhookParts): WebhookRuntime {
  const store = p.stores.webhooks;
  const log = p.stores.events;
  const dispatcher = new WebhookDispatcher({
    store,
    events: (officeId, afterId, limit) => log.eventsAfter(officeId, afterId, limit),
    write: async (work) => await p.queue.run(() => work()),
    open: (sealed) => p.keyed.open(sealed),
    send: (post) => postWebhook(post, p.resolve),
    clock: p.clock,
    random: () => Math.random(),
    newId: () => p.ids.entityId('whd'),
    allowLoopback: p.allowLoopback,
    ...(p.intervalMs === undefined ? {} : { intervalMs: p.intervalMs }),
    ...(p.timeoutMs === undefined ? {} : { timeoutMs: p.timeoutMs }),
    onGiveUp: (s, d) => p.onGiveUp?.(s, d.eventId),
    onError: (error) => p.onError?.(error),
    ...(p.background === undefined ? {} : { mayRun: () => p.background!.mayRun('webhooks') }),
  });
  let unsubscribe: (() => void) | null = null;
  return {
    server: {
      store,
      newSecret: newWebhookSecret,
      seal: (secret) => p.keyed.seal(secret),
      newId: () => p.ids.entityId('wh'),
      allowLoopback: p.allowLoopback,
      ping: (s) => dispatcher.ping(s),
      kick: () => dispatcher.kick(),
    },
    dispatcher,
    start() {
      unsubscribe = p.queue.onCommit(() => dispatcher.kick());
      dispatcher.start();
    },
    async stop() {
      unsubscribe?.();
      await dispatcher.stop();
    },
  };
}

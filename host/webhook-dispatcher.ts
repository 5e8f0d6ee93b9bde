import type { LoggedEvent } from '../core/shared/events.ts';
import type { Clock } from '../core/queue/ports.ts';
import { KEEP_FINISHED_MS, outcomeOf } from '../core/webhooks/backoff.ts';
import { isDelivered, type SendResult, type WebhookDelivery, type WebhookSubscription } from '../core/webhooks/model.ts';
import { webhookBody } from '../core/webhooks/payload.ts';
import type { WebhookStore } from '../core/webhooks/ports.ts';
import type { WebhookPost } from '../drivers/webhooks/http-sender.ts';
import { oneHost } from './background-work.ts';

export interface WebhookDispatcherDeps {
  store: WebhookStore;
  /** Events of an office after an id, oldest first (the event log: nothing is lost across a restart). */
  events(officeId: string, afterId: number, limit: number): Promise<readonly LoggedEvent[]> | readonly LoggedEvent[];
  /**
   * Runs one store write through the host's unit of work (durable before it resolves). `work`
   * makes a single store call, so an adapter that writes synchronously writes inside the unit.
   */
  write<T>(work: () => Promise<T>): Promise<T>;
  /** Opens a sealed signing secret; null when the key that sealed it is gone. */
  open(sealed: string): string | null;
  send(post: WebhookPost): Promise<SendResult>;
  clock: Clock;
  /** In [0, 1): the back-off's jitter. */
  random(): number;
  newId(): string;
  /** The host's test or demo allowance for loopback targets. */
  allowLoopback: boolean;
  timeoutMs?: number;
  intervalMs?: number;
  /** Told when a delivery is given up and its subscription paused. */
  onGiveUp?(subscription: WebhookSubscription, delivery: WebhookDelivery): void;
  onError?(error: unknown): void;
  /** Whether this host may deliver now (the multi-host lease); default: the one host always may. */
  mayRun?(): boolean | Promise<boolean>;
}

const PAGE = 200;

/**
 * Delivers each active subscription's events from the office's event log, one at a time and in
 * log order: the next event waits until the one before was delivered or given up. A
 * subscription's cursor (its last finished event id) is stored with each delivery's end, so a
 * restart resumes where it stopped; an event whose answer was lost in a crash is sent again with
 * the same `Fronta-Event-Id` for the receiver to drop.
 */
export class WebhookDispatcher {
  private readonly pumps = new Map<string, Promise<void>>();
  private readonly aborts = new Set<AbortController>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ticking: Promise<void> | null = null;
  private purgedAt = -Infinity;
  private again = false;

  constructor(private readonly deps: WebhookDispatcherDeps) {}

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.deps.intervalMs ?? 1000);
    this.timer.unref();
    this.kick();
  }

  /** Looks for work now (after a commit that appended events, or a subscription changed). */
  kick(): void {
    if (this.stopped) return;
    // A commit during a pass is looked at right after it, not a whole interval later.
    if (this.ticking !== null) {
      this.again = true;
      return;
    }
    this.again = false;
    this.ticking = this.tick()
      .catch((e: unknown) => this.deps.onError?.(e))
      .finally(() => {
        this.ticking = null;
        if (this.again) this.kick();
      });
  }

  /** One pass: starts delivering for every active subscription that is not already at it. */
  private mayRun(): Promise<boolean> | boolean {
    return (this.deps.mayRun ?? (() => oneHost.mayRun('webhooks')))();
  }

  async tick(): Promise<void> {
    // Every pass asks first: on several hosts, only the lease holder delivers.
    if (!(await this.mayRun())) return;
    const now = this.deps.clock.now();
    if (now - this.purgedAt >= 3600_000) {
      this.purgedAt = now;
      await this.deps.write(() => this.deps.store.purgeFinished(now - KEEP_FINISHED_MS));
    }
    for (const sub of await this.deps.store.activeSubscriptions()) {
      if (this.stopped) return;
      if (this.pumps.has(sub.id)) continue;
      const p = this.pump(sub.id)
        .catch((e: unknown) => this.deps.onError?.(e))
        .finally(() => this.pumps.delete(sub.id));
      this.pumps.set(sub.id, p);
    }
  }

  /** Waits until nothing is being delivered. */
  async idle(): Promise<void> {
    while (this.ticking !== null || this.pumps.size > 0) await Promise.allSettled([this.ticking, ...this.pumps.values()]);
  }

  /** Stops: sends in flight are cut (their deliveries stay pending and go again at the next start). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    for (const a of this.aborts) a.abort();
    await this.idle();
  }

  /** A signed test event sent at once, outside the log and its order; nothing is recorded. */
  async ping(sub: WebhookSubscription): Promise<SendResult> {
    const now = this.deps.clock.now();
    const id = `ping-${now}`;
    const body = JSON.stringify({ id, type: 'ping', officeId: sub.officeId, occurredAt: new Date(now).toISOString(), data: {} });
    return this.post(sub, { body, eventId: id, eventType: 'ping' });
  }

  private async pump(subscriptionId: string): Promise<void> {
    // A pump may run for minutes (a backlog after an outage): every send asks again, so a host
    // whose lease lapsed meanwhile stops at once instead of racing the host that took it over.
    while (!this.stopped && (await this.mayRun())) {
      const sub = await this.deps.store.subscription(subscriptionId);
      if (sub === null || sub.state !== 'active') return;
      const delivery = (await this.deps.store.pendingDelivery(sub.id)) ?? (await this.nextDelivery(sub));
      if (delivery === null || delivery.nextAttemptAt > this.deps.clock.now()) return;
      const result = await this.post(sub, { body: delivery.body, eventId: String(delivery.eventId), eventType: delivery.eventType });
      if (this.stopped && result.error === 'stopped') return;
      const now = this.deps.clock.now();
      const outcome = outcomeOf({ isOk: isDelivered(result), attempts: delivery.attempts, createdAt: delivery.createdAt, now, random: this.deps.random() });
      await this.deps.write(() =>
        this.deps.store.recordAttempt({ deliveryId: delivery.id, at: now, status: result.status, error: result.error, durationMs: result.durationMs }, outcome),
      );
      if (outcome.state === 'failed') this.deps.onGiveUp?.(sub, delivery);
      if (outcome.state !== 'delivered') return;
    }
  }

  /** The delivery of the subscription's next event it takes (moving its cursor past those it does not); null when none is waiting. */
  private async nextDelivery(sub: WebhookSubscription): Promise<WebhookDelivery | null> {
    let cursor = sub.cursor;
    for (;;) {
      const events = await this.deps.events(sub.officeId, cursor, PAGE);
      for (const e of events) {
        const body = webhookBody(e, sub.extraFields);
        if (body === null || !sub.eventTypes.includes(body.type)) {
          cursor = e.id;
          continue;
        }
        const now = this.deps.clock.now();
        const d: WebhookDelivery = {
          id: this.deps.newId(),
          subscriptionId: sub.id,
          officeId: sub.officeId,
          eventId: e.id,
          eventType: body.type,
          body: JSON.stringify(body),
          state: 'pending',
          attempts: 0,
          createdAt: now,
          nextAttemptAt: now,
          lastAttemptAt: null,
          lastStatus: null,
          lastError: null,
          doneAt: null,
        };
        const skipped = cursor;
        await this.deps.write(() => this.deps.store.createDelivery(d, skipped));
        return d;
      }
      if (cursor > sub.cursor) {
        const skipped = cursor;
        await this.deps.write(() => this.deps.store.advanceCursor(sub.id, skipped));
      }
      if (events.length < PAGE) return null;
    }
  }

  private async post(sub: WebhookSubscription, m: { body: string; eventId: string; eventType: string }): Promise<SendResult> {
    const secret = this.deps.open(sub.sealedSecret);
    if (secret === null) return { status: null, error: 'signing secret cannot be opened (key changed?): rotate it', durationMs: 0 };
    const abort = new AbortController();
    this.aborts.add(abort);
    try {
      return await this.deps.send({
        url: sub.url,
        ...m,
        secret,
        now: this.deps.clock.now(),
        policy: { allowPrivate: sub.allowPrivate, allowLoopback: this.deps.allowLoopback },
        timeoutMs: this.deps.timeoutMs ?? 10_000,
        signal: abort.signal,
      });
    } finally {
      this.aborts.delete(abort);
    }
  }
}

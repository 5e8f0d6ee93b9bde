import type { DeliveryAttempt, DeliveryView, PauseReason, WebhookDelivery, WebhookSubscription } from './model.ts';

/** What an attempt leads to: another try at `nextAttemptAt`, or the end of the delivery. */
export type AttemptOutcome = { state: 'pending'; nextAttemptAt: number } | { state: 'delivered' } | { state: 'failed' };

export type SubscriptionPatch = Partial<Pick<WebhookSubscription, 'url' | 'eventTypes' | 'extraFields' | 'allowPrivate' | 'sealedSecret'>> & {
  state?: { state: 'active' } | { state: 'paused'; reason: PauseReason };
};

/**
 * Where subscriptions and their deliveries are kept. Invariants: a subscription has at most one
 * `pending` delivery (its events go out one at a time, in log order); its cursor moves only
 * forward, and moves past an event's id in the same write that ends that event's delivery.
 */
export interface WebhookStore {
  subscriptions(officeId: string): Promise<WebhookSubscription[]>;
  /** Every office's active subscriptions (the delivery loop's work list). */
  activeSubscriptions(): Promise<WebhookSubscription[]>;
  subscription(id: string): Promise<WebhookSubscription | null>;
  createSubscription(s: WebhookSubscription): Promise<void>;
  /** Null when there is no such subscription. */
  updateSubscription(id: string, patch: SubscriptionPatch, at: number): Promise<WebhookSubscription | null>;
  /** Removes it with its deliveries; false when there was none. */
  deleteSubscription(id: string): Promise<boolean>;
  /** Moves the cursor past events the subscription does not take (never backwards). */
  advanceCursor(subscriptionId: string, eventId: number): Promise<void>;
  /** The subscription's delivery in progress, if any. */
  pendingDelivery(subscriptionId: string): Promise<WebhookDelivery | null>;
  /**
   * Starts delivering one event, moving the cursor to `skippedTo` (the events before it the
   * subscription does not take) in the same write. Throws if one is pending already: a bug.
   */
  createDelivery(d: WebhookDelivery, skippedTo: number): Promise<void>;
  /**
   * Records one attempt and its outcome. `delivered` and `failed` move the cursor to the event;
   * `failed` also pauses the subscription (`delivery_failed`).
   */
  recordAttempt(attempt: DeliveryAttempt, outcome: AttemptOutcome): Promise<void>;
  /** Removes finished deliveries (and their attempts) that ended before `before`; answers how many. */
  purgeFinished(before: number): Promise<number>;
  /** Subscriptions paused because a delivery failed for a day, counted per office (for the alerts). */
  pausedByFailure(): Promise<{ officeId: string; count: number }[]>;
  /** Newest first, each with its attempts (oldest first). */
  deliveries(officeId: string, subscriptionId: string | null, limit: number): Promise<DeliveryView[]>;
}

/** In memory, for core tests. */
export class MemoryWebhookStore implements WebhookStore {
  readonly subs = new Map<string, WebhookSubscription>();
  readonly sent = new Map<string, WebhookDelivery>();
  readonly attempts: DeliveryAttempt[] = [];
  private readonly copy = <T>(v: T): T => structuredClone(v);

  subscriptions(officeId: string) { return Promise.resolve([...this.subs.values()].filter((s) => s.officeId === officeId).map(this.copy)); }
  activeSubscriptions() { return Promise.resolve([...this.subs.values()].filter((s) => s.state === 'active').map(this.copy)); }
  subscription(id: string) { const s = this.subs.get(id); return Promise.resolve(s === undefined ? null : this.copy(s)); }
  createSubscription(s: WebhookSubscription) { this.subs.set(s.id, this.copy(s)); return Promise.resolve(); }
  updateSubscription(id: string, patch: SubscriptionPatch, at: number) {
    const s = this.subs.get(id);
    if (s === undefined) return Promise.resolve(null);
    const { state, ...rest } = patch;
    Object.assign(s, rest, { updatedAt: at });
    if (state !== undefined) Object.assign(s, { state: state.state, pausedReason: state.state === 'paused' ? state.reason : null });
    return Promise.resolve(this.copy(s));
  }
  deleteSubscription(id: string) {
    for (const [k, d] of this.sent) if (d.subscriptionId === id) this.sent.delete(k);
    return Promise.resolve(this.subs.delete(id));
  }
  advanceCursor(subscriptionId: string, eventId: number) {
    const s = this.subs.get(subscriptionId);
    if (s !== undefined) s.cursor = Math.max(s.cursor, eventId);
    return Promise.resolve();
  }
  pendingDelivery(subscriptionId: string) {
    const d = [...this.sent.values()].find((x) => x.subscriptionId === subscriptionId && x.state === 'pending');
    return Promise.resolve(d === undefined ? null : this.copy(d));
  }
  async createDelivery(d: WebhookDelivery, skippedTo: number) {
    if ((await this.pendingDelivery(d.subscriptionId)) !== null) throw new Error('a delivery is already pending');
    this.sent.set(d.id, this.copy(d));
    await this.advanceCursor(d.subscriptionId, skippedTo);
  }
  async recordAttempt(a: DeliveryAttempt, outcome: AttemptOutcome) {
    const d = this.sent.get(a.deliveryId);
    if (d === undefined) return;
    this.attempts.push(this.copy(a));
    Object.assign(d, { attempts: d.attempts + 1, lastAttemptAt: a.at, lastStatus: a.status, lastError: a.error, state: outcome.state });
    if (outcome.state === 'pending') d.nextAttemptAt = outcome.nextAttemptAt;
    else {
      d.doneAt = a.at;
      await this.advanceCursor(d.subscriptionId, d.eventId);
      if (outcome.state === 'failed') await this.updateSubscription(d.subscriptionId, { state: { state: 'paused', reason: 'delivery_failed' } }, a.at);
    }
  }
  purgeFinished(before: number) {
    let n = 0;
    for (const [k, d] of this.sent) if (d.state !== 'pending' && d.doneAt !== null && d.doneAt < before) n += Number(this.sent.delete(k));
    return Promise.resolve(n);
  }
  pausedByFailure() {
    const counts = new Map<string, number>();
    for (const s of this.subs.values()) if (s.pausedReason === 'delivery_failed') counts.set(s.officeId, (counts.get(s.officeId) ?? 0) + 1);
    return Promise.resolve([...counts].map(([officeId, count]) => ({ officeId, count })));
  }
  deliveries(officeId: string, subscriptionId: string | null, limit: number) {
    const rows = [...this.sent.values()]
      .filter((d) => d.officeId === officeId && (subscriptionId === null || d.subscriptionId === subscriptionId))
      .sort((x, y) => y.eventId - x.eventId)
      .slice(0, limit);
    return Promise.resolve(
      rows.map(({ body: _body, ...d }) => ({ ...this.copy(d), attemptLog: this.attempts.filter((a) => a.deliveryId === d.id).map(this.copy) })),
    );
  }
}

import type { Database } from 'better-sqlite3';
import type { DeliveryAttempt, DeliveryView, PauseReason, WebhookDelivery, WebhookEventType, WebhookExtraField, WebhookSubscription } from '../core/webhooks/model.ts';
import type { AttemptOutcome, SubscriptionPatch, WebhookStore } from '../core/webhooks/ports.ts';

interface SubRow {
  id: string;
  office_id: string;
  url: string;
  event_types: string;
  extra_fields: string;
  allow_private: number;
  state: 'active' | 'paused';
  paused_reason: PauseReason | null;
  cursor: number;
  sealed_secret: string;
  created_at: number;
  created_by: string;
  updated_at: number;
}

interface DeliveryRow {
  id: string;
  subscription_id: string;
  office_id: string;
  event_id: number;
  event_type: WebhookEventType;
  body: string;
  state: WebhookDelivery['state'];
  attempts: number;
  created_at: number;
  next_attempt_at: number;
  last_attempt_at: number | null;
  last_status: number | null;
  last_error: string | null;
  done_at: number | null;
}

interface AttemptRow {
  delivery_id: string;
  at: number;
  status: number | null;
  error: string | null;
  duration_ms: number;
}

const subFromRow = (r: SubRow): WebhookSubscription => ({
  id: r.id,
  officeId: r.office_id,
  url: r.url,
  eventTypes: JSON.parse(r.event_types) as WebhookEventType[],
  extraFields: JSON.parse(r.extra_fields) as WebhookExtraField[],
  allowPrivate: r.allow_private === 1,
  state: r.state,
  pausedReason: r.paused_reason,
  cursor: r.cursor,
  sealedSecret: r.sealed_secret,
  createdAt: r.created_at,
  createdBy: r.created_by,
  updatedAt: r.updated_at,
});

const deliveryFromRow = (r: DeliveryRow): WebhookDelivery => ({
  id: r.id,
  subscriptionId: r.subscription_id,
  officeId: r.office_id,
  eventId: r.event_id,
  eventType: r.event_type,
  body: r.body,
  state: r.state,
  attempts: r.attempts,
  createdAt: r.created_at,
  nextAttemptAt: r.next_attempt_at,
  lastAttemptAt: r.last_attempt_at,
  lastStatus: r.last_status,
  lastError: r.last_error,
  doneAt: r.done_at,
});

/** Runs synchronous statements now and answers as a promise: a failure rejects rather than throws. */
function settle(work: () => void): Promise<void> {
  try {
    work();
    return Promise.resolve();
  } catch (e) {
    return Promise.reject(e instanceof Error ? e : new Error(String(e)));
  }
}

/**
 * Webhook subscriptions and deliveries on the host's SQLite database. Statements run at once
 * (better-sqlite3 is synchronous); callers that write do so inside the host's unit of work, so a
 * write commits with its group.
 */
export class SqliteWebhookStore implements WebhookStore {
  private readonly s;

  constructor(private readonly db: Database) {
    this.s = {
      byOffice: db.prepare<[string], SubRow>('SELECT * FROM webhook_subscriptions WHERE office_id = ? ORDER BY created_at, id'),
      active: db.prepare<[], SubRow>(`SELECT * FROM webhook_subscriptions WHERE state = 'active' ORDER BY office_id, created_at, id`),
      one: db.prepare<[string], SubRow>('SELECT * FROM webhook_subscriptions WHERE id = ?'),
      insert: db.prepare(`INSERT INTO webhook_subscriptions (id, office_id, url, event_types, extra_fields, allow_private, state, paused_reason, cursor, sealed_secret, created_at, created_by, updated_at)
        VALUES (@id, @office_id, @url, @event_types, @extra_fields, @allow_private, @state, @paused_reason, @cursor, @sealed_secret, @created_at, @created_by, @updated_at)`),
      update: db.prepare(`UPDATE webhook_subscriptions SET url = @url, event_types = @event_types, extra_fields = @extra_fields, allow_private = @allow_private,
        state = @state, paused_reason = @paused_reason, sealed_secret = @sealed_secret, updated_at = @updated_at WHERE id = @id`),
      remove: db.prepare<[string]>('DELETE FROM webhook_subscriptions WHERE id = ?'),
      cursor: db.prepare<[number, string]>('UPDATE webhook_subscriptions SET cursor = max(cursor, ?) WHERE id = ?'),
      pending: db.prepare<[string], DeliveryRow>(`SELECT * FROM webhook_deliveries WHERE subscription_id = ? AND state = 'pending'`),
      insertDelivery: db.prepare(`INSERT INTO webhook_deliveries (id, subscription_id, office_id, event_id, event_type, body, state, attempts, created_at, next_attempt_at, last_attempt_at, last_status, last_error, done_at)
        VALUES (@id, @subscription_id, @office_id, @event_id, @event_type, @body, @state, @attempts, @created_at, @next_attempt_at, @last_attempt_at, @last_status, @last_error, @done_at)`),
      delivery: db.prepare<[string], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = ?'),
      attempt: db.prepare<[string, number, number | null, string | null, number]>('INSERT INTO webhook_attempts (delivery_id, at, status, error, duration_ms) VALUES (?, ?, ?, ?, ?)'),
      afterAttempt: db.prepare(`UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = @at, last_status = @status, last_error = @error,
        state = @state, next_attempt_at = coalesce(@next, next_attempt_at), done_at = @done_at WHERE id = @id`),
      pause: db.prepare<[number, string]>(`UPDATE webhook_subscriptions SET state = 'paused', paused_reason = 'delivery_failed', updated_at = ? WHERE id = ?`),
      listAll: db.prepare<[string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE office_id = ? ORDER BY event_id DESC, created_at DESC LIMIT ?'),
      listOne: db.prepare<[string, string, number], DeliveryRow>('SELECT * FROM webhook_deliveries WHERE office_id = ? AND subscription_id = ? ORDER BY event_id DESC LIMIT ?'),
      purge: db.prepare<[number]>(`DELETE FROM webhook_deliveries WHERE state <> 'pending' AND done_at < ?`),
      pausedByFailure: db.prepare<[], { officeId: string; count: number }>(
        `SELECT office_id AS officeId, count(*) AS count FROM webhook_subscriptions WHERE state = 'paused' AND paused_reason = 'delivery_failed' GROUP BY office_id`,
      ),
      attemptsOf: db.prepare<[string], AttemptRow>('SELECT * FROM webhook_attempts WHERE delivery_id = ? ORDER BY at, rowid'),
    };
  }

  subscriptions(officeId: string): Promise<WebhookSubscription[]> {
    return Promise.resolve(this.s.byOffice.all(officeId).map(subFromRow));
  }

  activeSubscriptions(): Promise<WebhookSubscription[]> {
    return Promise.resolve(this.s.active.all().map(subFromRow));
  }

  subscription(id: string): Promise<WebhookSubscription | null> {
    const r = this.s.one.get(id);
    return Promise.resolve(r === undefined ? null : subFromRow(r));
  }

  createSubscription(x: WebhookSubscription): Promise<void> {
    this.s.insert.run({ ...this.subParams(x), cursor: x.cursor, office_id: x.officeId, created_at: x.createdAt, created_by: x.createdBy });
    return Promise.resolve();
  }

  updateSubscription(id: string, patch: SubscriptionPatch, at: number): Promise<WebhookSubscription | null> {
    const row = this.s.one.get(id);
    if (row === undefined) return Promise.resolve(null);
    const { state, ...rest } = patch;
    const next: WebhookSubscription = { ...subFromRow(row), ...rest, updatedAt: at };
    if (state !== undefined) {
      next.state = state.state;
      next.pausedReason = state.state === 'paused' ? state.reason : null;
    }
    this.s.update.run(this.subParams(next));
    return Promise.resolve(next);
  }

  deleteSubscription(id: string): Promise<boolean> {
    return Promise.resolve(this.s.remove.run(id).changes > 0);
  }

  advanceCursor(subscriptionId: string, eventId: number): Promise<void> {
    this.s.cursor.run(eventId, subscriptionId);
    return Promise.resolve();
  }

  pendingDelivery(subscriptionId: string): Promise<WebhookDelivery | null> {
    const r = this.s.pending.get(subscriptionId);
    return Promise.resolve(r === undefined ? null : deliveryFromRow(r));
  }

  createDelivery(d: WebhookDelivery, skippedTo: number): Promise<void> {
    // Both or neither (a savepoint inside the unit of work's transaction); a refusal rejects.
    return settle(() =>
      this.db.transaction(() => {
        this.s.cursor.run(skippedTo, d.subscriptionId);
        this.s.insertDelivery.run({
          id: d.id,
          subscription_id: d.subscriptionId,
          office_id: d.officeId,
          event_id: d.eventId,
          event_type: d.eventType,
          body: d.body,
          state: d.state,
          attempts: d.attempts,
          created_at: d.createdAt,
          next_attempt_at: d.nextAttemptAt,
          last_attempt_at: d.lastAttemptAt,
          last_status: d.lastStatus,
          last_error: d.lastError,
          done_at: d.doneAt,
        });
      })(),
    );
  }

  recordAttempt(a: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
    const d = this.s.delivery.get(a.deliveryId);
    if (d === undefined) return Promise.resolve();
    return settle(() =>
      this.db.transaction(() => {
      this.s.attempt.run(a.deliveryId, a.at, a.status, a.error, a.durationMs);
      const done = outcome.state !== 'pending';
      this.s.afterAttempt.run({
        id: a.deliveryId,
        at: a.at,
        status: a.status,
        error: a.error,
        state: outcome.state,
        next: outcome.state === 'pending' ? outcome.nextAttemptAt : null,
        done_at: done ? a.at : null,
      });
      if (done) this.s.cursor.run(d.event_id, d.subscription_id);
      if (outcome.state === 'failed') this.s.pause.run(a.at, d.subscription_id);
      })(),
    );
  }

  purgeFinished(before: number): Promise<number> {
    // Attempts go with their delivery (ON DELETE CASCADE).
    return Promise.resolve(this.s.purge.run(before).changes);
  }

  pausedByFailure(): Promise<{ officeId: string; count: number }[]> {
    return Promise.resolve(this.s.pausedByFailure.all());
  }

  deliveries(officeId: string, subscriptionId: string | null, limit: number): Promise<DeliveryView[]> {
    const rows = subscriptionId === null ? this.s.listAll.all(officeId, limit) : this.s.listOne.all(officeId, subscriptionId, limit);
    return Promise.resolve(
      rows.map(deliveryFromRow).map(({ body: _body, ...d }) => {
        const attemptLog = this.s.attemptsOf.all(d.id).map((x) => ({ deliveryId: x.delivery_id, at: x.at, status: x.status, error: x.error, durationMs: x.duration_ms }));
        return { ...d, attemptLog };
      }),
    );
  }

  private subParams(x: WebhookSubscription) {
    return {
      id: x.id,
      url: x.url,
      event_types: JSON.stringify(x.eventTypes),
      extra_fields: JSON.stringify(x.extraFields),
      allow_private: x.allowPrivate ? 1 : 0,
      state: x.state,
      paused_reason: x.pausedReason,
      sealed_secret: x.sealedSecret,
      updated_at: x.updatedAt,
    };
  }
}

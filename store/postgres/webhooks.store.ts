import type { DeliveryAttempt, DeliveryView, WebhookDelivery, WebhookSubscription } from '../../core/webhooks/model.ts';
import type { AttemptOutcome, SubscriptionPatch, WebhookStore } from '../../core/webhooks/ports.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';
import { changes, columnsOf, fieldsOf, placeholders, row, rows, type Sql } from './booking/sql.ts';

const SUB_FIELDS = [
  'id', 'officeId', 'url', 'eventTypes', 'extraFields', 'allowPrivate', 'state', 'pausedReason', 'cursor', 'sealedSecret', 'createdAt', 'createdBy', 'updatedAt',
] as const satisfies readonly (keyof WebhookSubscription)[];
const DELIVERY_FIELDS = [
  'id', 'subscriptionId', 'officeId', 'eventId', 'eventType', 'body', 'state', 'attempts', 'createdAt', 'nextAttemptAt', 'lastAttemptAt', 'lastStatus',
  'lastError', 'doneAt',
] as const satisfies readonly (keyof WebhookDelivery)[];

/** Lists and a flag are kept as on SQLite (JSON text, 0/1): read back as the model's arrays and boolean. */
const SUB = fieldsOf(SUB_FIELDS, { eventTypes: 'event_types::json', extraFields: 'extra_fields::json', allowPrivate: '(allow_private = 1)' });
const DELIVERY = fieldsOf(DELIVERY_FIELDS);
const ATTEMPT = fieldsOf(['deliveryId', 'at', 'status', 'error', 'durationMs']);

const subValues = (s: WebhookSubscription): unknown[] =>
  SUB_FIELDS.map((f) => (f === 'eventTypes' || f === 'extraFields' ? JSON.stringify(s[f]) : f === 'allowPrivate' ? (s[f] ? 1 : 0) : s[f]));

const FIXED: ReadonlySet<string> = new Set(['id', 'officeId', 'cursor', 'createdAt', 'createdBy']);

const MOVE_CURSOR = 'UPDATE webhook_subscriptions SET cursor = GREATEST(cursor, $1) WHERE id = $2';

/**
 * Webhook subscriptions and deliveries on PostgreSQL, over the pool (each call its own
 * transaction) or the caller's transaction. A write of several statements is one transaction or
 * savepoint (`atomically` of db.ts); a read-then-write locks the row it read, so two hosts' writes to one
 * subscription or delivery follow each other.
 */
export class PgWebhookStore implements WebhookStore {
  constructor(private readonly db: PgDb) {}

  /** The unit of work under way, if any: see sqlOf. */
  private get sql(): Sql {
    return sqlOf(this.db);
  }

  subscriptions(officeId: string): Promise<WebhookSubscription[]> {
    return rows(this.sql, `SELECT ${SUB} FROM webhook_subscriptions WHERE office_id = $1 ORDER BY created_at, id COLLATE "C"`, [officeId]);
  }

  activeSubscriptions(): Promise<WebhookSubscription[]> {
    return rows(this.sql, `SELECT ${SUB} FROM webhook_subscriptions WHERE state = 'active' ORDER BY office_id COLLATE "C", created_at, id COLLATE "C"`, []);
  }

  subscription(id: string): Promise<WebhookSubscription | null> {
    return row(this.sql, `SELECT ${SUB} FROM webhook_subscriptions WHERE id = $1`, [id]);
  }

  async createSubscription(s: WebhookSubscription): Promise<void> {
    await this.sql.query(`INSERT INTO webhook_subscriptions (${columnsOf(SUB_FIELDS)}) VALUES (${placeholders(SUB_FIELDS.length)})`, subValues(s));
  }

  updateSubscription(id: string, patch: SubscriptionPatch, at: number): Promise<WebhookSubscription | null> {
    return atomically(this.db, async (sql) => {
      const current = await row<WebhookSubscription>(sql, `SELECT ${SUB} FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`, [id]);
      if (current === null) return null;
      const { state, ...rest } = patch;
      const next: WebhookSubscription = { ...current, ...rest, updatedAt: at };
      if (state !== undefined) {
        next.state = state.state;
        next.pausedReason = state.state === 'paused' ? state.reason : null;
      }
      // Every field but the ones a patch never changes (office, cursor, creation).
      const v = subValues(next);
      const set = SUB_FIELDS.map((f, i) => [f, i] as const).filter(([f]) => !FIXED.has(f));
      await sql.query(`UPDATE webhook_subscriptions SET ${set.map(([f], n) => `${columnsOf([f])} = $${n + 2}`).join(', ')} WHERE id = $1`, [
        next.id,
        ...set.map(([, i]) => v[i]),
      ]);
      return next;
    }, { savepoint: true });
  }

  async deleteSubscription(id: string): Promise<boolean> {
    // Deliveries and their attempts go with it (ON DELETE CASCADE).
    return (await changes(this.sql, 'DELETE FROM webhook_subscriptions WHERE id = $1', [id])) > 0;
  }

  async advanceCursor(subscriptionId: string, eventId: number): Promise<void> {
    await this.sql.query(MOVE_CURSOR, [eventId, subscriptionId]);
  }

  pendingDelivery(subscriptionId: string): Promise<WebhookDelivery | null> {
    return row(this.sql, `SELECT ${DELIVERY} FROM webhook_deliveries WHERE subscription_id = $1 AND state = 'pending'`, [subscriptionId]);
  }

  /** Both or neither: a second pending delivery is refused by the unique index, and the cursor stays. */
  createDelivery(d: WebhookDelivery, skippedTo: number): Promise<void> {
    return atomically(this.db, async (sql) => {
      await sql.query(MOVE_CURSOR, [skippedTo, d.subscriptionId]);
      await sql.query(`INSERT INTO webhook_deliveries (${columnsOf(DELIVERY_FIELDS)}) VALUES (${placeholders(DELIVERY_FIELDS.length)})`, DELIVERY_FIELDS.map((f) => d[f]));
    }, { savepoint: true });
  }

  recordAttempt(a: DeliveryAttempt, outcome: AttemptOutcome): Promise<void> {
    return atomically(this.db, async (sql) => {
      const d = await row<{ eventId: number; subscriptionId: string }>(
        sql,
        `SELECT event_id AS "eventId", subscription_id AS "subscriptionId" FROM webhook_deliveries WHERE id = $1 FOR UPDATE`,
        [a.deliveryId],
      );
      if (d === null) return;
      await sql.query('INSERT INTO webhook_attempts (delivery_id, at, status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)', [
        a.deliveryId,
        a.at,
        a.status,
        a.error,
        a.durationMs,
      ]);
      const done = outcome.state !== 'pending';
      await sql.query(
        `UPDATE webhook_deliveries SET attempts = attempts + 1, last_attempt_at = $2, last_status = $3, last_error = $4, state = $5,
          next_attempt_at = coalesce($6, next_attempt_at), done_at = $7 WHERE id = $1`,
        [a.deliveryId, a.at, a.status, a.error, outcome.state, outcome.state === 'pending' ? outcome.nextAttemptAt : null, done ? a.at : null],
      );
      if (done) await sql.query(MOVE_CURSOR, [d.eventId, d.subscriptionId]);
      if (outcome.state === 'failed') {
        await sql.query(`UPDATE webhook_subscriptions SET state = 'paused', paused_reason = 'delivery_failed', updated_at = $1 WHERE id = $2`, [a.at, d.subscriptionId]);
      }
    }, { savepoint: true });
  }

  purgeFinished(before: number): Promise<number> {
    // Attempts go with their delivery (ON DELETE CASCADE).
    return changes(this.sql, `DELETE FROM webhook_deliveries WHERE state <> 'pending' AND done_at < $1`, [before]);
  }

  pausedByFailure(): Promise<{ officeId: string; count: number }[]> {
    return rows(
      this.sql,
      `SELECT office_id AS "officeId", count(*) AS count FROM webhook_subscriptions WHERE state = 'paused' AND paused_reason = 'delivery_failed'
      GROUP BY office_id ORDER BY office_id COLLATE "C"`,
      [],
    );
  }

  async deliveries(officeId: string, subscriptionId: string | null, limit: number): Promise<DeliveryView[]> {
    const list = await (subscriptionId === null
      ? rows<WebhookDelivery>(this.sql, `SELECT ${DELIVERY} FROM webhook_deliveries WHERE office_id = $1 ORDER BY event_id DESC, created_at DESC LIMIT $2`, [officeId, limit])
      : rows<WebhookDelivery>(this.sql, `SELECT ${DELIVERY} FROM webhook_deliveries WHERE office_id = $1 AND subscription_id = $2 ORDER BY event_id DESC LIMIT $3`, [
          officeId,
          subscriptionId,
          limit,
        ]));
    const log = await attemptsOf(this.sql, list.map((d) => d.id));
    return list.map(({ body: _body, ...d }) => ({ ...d, attemptLog: log.filter((x) => x.deliveryId === d.id) }));
  }
}

/**
 * The attempts of these deliveries, oldest first. SQLite breaks a tie of `at` by insertion
 * (rowid); attempts are never updated, so their physical order (ctid) is their insertion order
 * until a purge frees space — ties of one delivery's attempts within a millisecond do not happen.
 */
function attemptsOf(sql: Sql, ids: string[]): Promise<DeliveryAttempt[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return rows(sql, `SELECT ${ATTEMPT} FROM webhook_attempts WHERE delivery_id = ANY($1::text[]) ORDER BY at, ctid`, [ids]);
}

import type { BookingOfficeSettings } from '../core/booking/model.ts';
import { PgAlertSettingsStore } from '../store/postgres/alert-settings.store.ts';
import { PgPeopleStore } from '../store/postgres/people.store.ts';
import { PgRetentionStore } from '../store/postgres/retention.store.ts';
import { PgStatsStore } from '../store/postgres/stats.store.ts';
import { PgTemplateStore } from '../store/postgres/templates.store.ts';
import { pgBookingStore } from '../store/postgres/booking/index.ts';
import { PgBookingSettings, savePgBookingPolicy } from '../store/postgres/booking/settings.store.ts';
import { PgConfigStore, saveOfficeConfig } from '../store/postgres/config.store.ts';
import { followingUnit } from '../store/postgres/db.ts';
import { PgEventLog } from '../store/postgres/event-log.ts';
import { migratePostgres } from '../store/postgres/migrate.ts';
import { PgFeeLedger } from '../store/postgres/fee-ledger.store.ts';
import { PgOrderStore } from '../store/postgres/orders.store.ts';
import { PgOutbox, pgOutboxCounts } from '../store/postgres/outbox.store.ts';
import { createPool } from '../store/postgres/pool.ts';
import { PgRatingStore } from '../store/postgres/ratings.store.ts';
import { PgAuditLogStore } from '../store/postgres/audit-log.store.ts';
import { PgRosterStore } from '../store/postgres/roster.store.ts';
import { PgRulesStore } from '../store/postgres/rules.store.ts';
import { inTransaction } from '../store/postgres/transaction.ts';
import { PgUnitOfWork } from '../store/postgres/unit-of-work.ts';
import { PgRateLimits } from '../store/postgres/rate-limits.store.ts';
import { PgWebhookStore } from '../store/postgres/webhooks.store.ts';
import type { StoreLocation, Stores } from './stores.types.ts';

/**
 * Every store on one PostgreSQL database, shared by the hosts of a city: the schema migrated
 * first (hosts starting together take turns on an advisory lock; a database of a newer build is
 * refused), then adapters on one pool. A store's statement inside a unit of work joins the unit's
 * transaction (store/postgres/db.ts), outside one it runs on the pool.
 */
export async function openPostgresStores(location: Extract<StoreLocation, { kind: 'postgres' }>): Promise<Stores> {
  const pool = createPool(location.url, { max: location.poolMax ?? 20, applicationName: location.applicationName ?? 'fronta host' });
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }
  const queue = new PgUnitOfWork(pool);
  // The booking adapters take one transaction's client: this one follows the unit under way.
  const ambient = followingUnit(pool);
  let closed = false;
  return {
    kind: 'postgres',
    queue,
    people: new PgPeopleStore(pool),
    events: new PgEventLog(pool),
    config: new PgConfigStore(pool),
    templates: new PgTemplateStore(pool),
    stats: new PgStatsStore(pool),
    alertSettings: new PgAlertSettingsStore(pool),
    ratings: new PgRatingStore(pool),
    auditLog: new PgAuditLogStore(pool),
    rules: new PgRulesStore(pool),
    roster: new PgRosterStore(pool),
    retention: new PgRetentionStore(pool),
    outbox: new PgOutbox(pool),
    outboxCounts: pgOutboxCounts(pool),
    rateLimits: new PgRateLimits(pool),
    webhooks: new PgWebhookStore(pool),
    orders: new PgOrderStore(pool),
    ledger: new PgFeeLedger(pool),
    booking: (keyed) => pgBookingStore(ambient, keyed),
    seed: {
      officeConfig: (config) => saveOfficeConfig(pool, config),
      bookingPolicy: (policy) => inTransaction(pool, (c) => savePgBookingPolicy(c, policy)),
      bookingOffice: (s) =>
        inTransaction(pool, (c) => new PgBookingSettings(c).putOfficeSettings({ ...s, checkIn: s.checkIn ?? {}, rules: s.rules ?? {} } as BookingOfficeSettings)),
    },
    sqlite: null,
    flush: () => queue.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}


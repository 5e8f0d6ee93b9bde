import { sqliteBookingStore } from '../store/booking.store.ts';
import { saveBookingOffice, saveBookingPolicy } from '../store/booking/settings.store.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import { openDatabase } from '../store/database.ts';
import { SqliteEventLog } from '../store/event-log.ts';
import { SqliteFeeLedger } from '../store/fees/ledger.store.ts';
import { SqliteOrderStore } from '../store/fees/orders.store.ts';
import { SqliteAlertSettingsStore } from '../store/alert-settings.store.ts';
import { SqliteConfigStore } from '../store/office-config.store.ts';
import { outboxCounts } from '../store/outbox-counts.ts';
import { SqliteOutbox } from '../store/outbox.store.ts';
import { SqlitePeopleStore } from '../store/people.store.ts';
import { SqliteRatingStore } from '../store/ratings.store.ts';
import { SqliteAuditLogStore } from '../store/audit-log.store.ts';
import { SqliteRetentionStore } from '../store/retention.store.ts';
import { SqliteRosterStore } from '../store/roster.store.ts';
import { SqliteRulesStore } from '../store/rules.store.ts';
import { SqliteStatsStore } from '../store/stats.store.ts';
import { SqliteTemplateStore } from '../store/templates.store.ts';
import { GroupCommitUnitOfWork } from '../store/unit-of-work.ts';
import { SqliteWebhookStore } from '../store/webhooks.store.ts';
import type { Db } from '../store/database.ts';
import type { Stores } from './stores.types.ts';

/** The bulk configuration writes on a SQLite connection: synchronous transactions, each run whole between two groups. */
export function sqliteSeed(db: Db): Stores['seed'] {
  const write = (work: () => void): Promise<void> => {
    try {
      work();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  };
  return {
    officeConfig: (config) => write(() => saveOfficeConfig(db, config)),
    bookingPolicy: (policy) => write(() => saveBookingPolicy(db, policy)),
    bookingOffice: (settings) => write(() => saveBookingOffice(db, settings)),
  };
}

/** Every store on one SQLite file (opened, created and migrated here), writes through its group commit. */
export function openSqliteStores(file: string): Stores & { queue: GroupCommitUnitOfWork } {
  const db = openDatabase(file);
  const queue = new GroupCommitUnitOfWork(db);
  let closed = false;
  return {
    kind: 'sqlite',
    queue,
    people: new SqlitePeopleStore(db),
    events: new SqliteEventLog(db),
    config: new SqliteConfigStore(db),
    templates: new SqliteTemplateStore(db),
    stats: new SqliteStatsStore(db),
    alertSettings: new SqliteAlertSettingsStore(db),
    ratings: new SqliteRatingStore(db),
    auditLog: new SqliteAuditLogStore(db),
    rules: new SqliteRulesStore(db),
    roster: new SqliteRosterStore(db),
    retention: new SqliteRetentionStore(db),
    outbox: new SqliteOutbox(db),
    outboxCounts: outboxCounts(db),
    rateLimits: null,
    webhooks: new SqliteWebhookStore(db),
    orders: new SqliteOrderStore(db),
    ledger: new SqliteFeeLedger(db),
    booking: (keyed) => sqliteBookingStore(db, keyed),
    seed: sqliteSeed(db),
    sqlite: { db, file },
    flush: () => queue.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await queue.flush();
      db.close();
    },
  };
}

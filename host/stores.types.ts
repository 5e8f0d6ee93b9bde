import type { AccessStore } from '../core/access/access.ts';
import type { PeopleStore } from '../core/access/people.ts';
import type { AuditLogStore } from '../core/audit/audit-log.ts';
import type { AlertSettingsStore } from '../core/alerts/ports.ts';
import type { BookingPolicy } from '../core/booking/model.ts';
import type { OutboxStore } from '../core/booking/outbox.ts';
import type { BookingStore, Keyed } from '../core/booking/ports.ts';
import type { RetentionStore } from '../core/booking/retention.ts';
import type { ConfigStore } from '../core/config/ports.ts';
import type { FeeLedger, OrderStore } from '../core/fees/ports.ts';
import type { EventLog, QueueRuntime } from '../core/queue/ports.ts';
import type { RatingStore } from '../core/queue/rating.ts';
import type { RosterStore } from '../core/rules/roster.ts';
import type { RulesStore } from '../core/rules/service-rules.ts';
import type { StatsStore } from '../core/stats/ports.ts';
import type { TemplateStore } from '../core/templates/ports.ts';
import type { WebhookStore } from '../core/webhooks/ports.ts';
import type { saveBookingOffice } from '../store/booking/settings.store.ts';
import type { OfficeConfig } from '../store/config.store.ts';
import type { Db } from '../store/database.ts';
import type { OutboxCount } from '../store/outbox-counts.ts';
import type { RateLimitCounters } from '../server/shared-rate-limits.ts';

/**
 * Every store the host uses, on one database: the office's SQLite file (the embedded default) or
 * a city's PostgreSQL (several hosts on one database). The host, the CLI and the API test harness
 * open them here and nowhere else; what only a SQLite file has (the WAL checkpointer, backups, the
 * office file on the data folder) reads `sqlite`, null on PostgreSQL.
 */
export interface Stores {
  kind: 'sqlite' | 'postgres';
  /** Units of work; `flush` waits for those under way to be durable. */
  queue: QueueRuntime & { flush(): Promise<void> };
  /** Credentials and the back office's users, devices and offices: one object, so a revoked device is forgotten at once. */
  people: AccessStore & PeopleStore;
  events: EventLog;
  config: ConfigStore;
  templates: TemplateStore;
  stats: StatsStore;
  alertSettings: AlertSettingsStore;
  ratings: RatingStore;
  auditLog: AuditLogStore;
  rules: RulesStore;
  roster: RosterStore;
  retention: RetentionStore;
  outbox: OutboxStore;
  /** The outbox backlog per office, channel and state (metrics, alerts). */
  outboxCounts: () => Promise<OutboxCount[]>;
  webhooks: WebhookStore;
  orders: OrderStore;
  /** Each fee order's history and the staff's reads of orders (the order store writes the history). */
  ledger: FeeLedger;
  /** Rate-limit counters every host shares (PostgreSQL); null on SQLite, whose one host counts in memory. */
  rateLimits: RateLimitCounters | null;
  /** The booking store, its contacts sealed with `keyed`. */
  booking(keyed: Pick<Keyed, 'seal'>): BookingStore;
  /** Bulk configuration writes (the demo office, fixtures, imports), each in one transaction. */
  seed: {
    officeConfig(config: OfficeConfig): Promise<void>;
    bookingPolicy(policy: BookingPolicy): Promise<void>;
    /** An office's booking switches; check-in settings and rules not given are the defaults. */
    bookingOffice(settings: Parameters<typeof saveBookingOffice>[1]): Promise<void>;
  };
  /** The SQLite file and its connection; null on PostgreSQL. */
  sqlite: { db: Db; file: string } | null;
  /** Waits for the writes under way to be durable. */
  flush(): Promise<void>;
  /** Flushes, then closes the connection (or the pool). */
  close(): Promise<void>;
}

/** Where the data lives: `sqlite:` a file, or a `postgres://` URL. */
export type StoreLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolMax?: number; applicationName?: string };

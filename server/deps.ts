import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { AccessStore } from '../core/access/access.ts';
import type { ConfirmRule, HoldCheck } from '../core/booking/deps.ts';
import type { ConfigStore } from '../core/config/ports.ts';
import type { PeopleStore } from '../core/access/people.ts';
import type { AuditLogStore } from '../core/audit/audit-log.ts';
import type { OutboxStore } from '../core/booking/outbox.ts';
import type { BookingStore, Keyed, Secrets } from '../core/booking/ports.ts';
import type { Clock, EventLog, Ids, QueueRuntime } from '../core/queue/ports.ts';
import type { LoggedEvent } from '../core/shared/events.ts';
import type { RetentionStore } from '../core/booking/retention.ts';
import type { RosterStore } from '../core/rules/roster.ts';
import type { RulesStore } from '../core/rules/service-rules.ts';
import type { SpeechSynth } from '../core/queue/voice.ts';
import type { TemplateStore } from '../core/templates/ports.ts';
import type { StatsStore } from '../core/stats/ports.ts';
import type { Alert } from '../core/alerts/alerts.ts';
import type { AlertSettingsStore } from '../core/alerts/ports.ts';
import type { RatingStore } from '../core/queue/rating.ts';
import type { WebhookStore } from '../core/webhooks/ports.ts';
import type { SendResult, WebhookSubscription } from '../core/webhooks/model.ts';
import type { FeeLedger, OrderStore, PaymentPort, ProviderPayment } from '../core/fees/ports.ts';
import type { MetricsConfig } from './metrics.ts';
import type { PrintAgents, PrintRelay } from './print-agents.ts';
import type { RateLimitCounters } from './shared-rate-limits.ts';

/**
 * What the host hands the HTTP edge. Its own module so that routes depend on it and not on the
 * app that registers them.
 */
export interface ServerDeps {
  queue: QueueRuntime;
  /** The office configuration (back office, office file); absent = not editable over the API. */
  config?: ConfigStore;
  access: AccessStore;
  /**
   * The back office's users, devices and offices (absent: those routes are not offered). The
   * same object as `access` where both are SQLite, so a disabled user or a revoked device is
   * forgotten by the credential cache at once.
   */
  people?: PeopleStore;
  events: EventLog;
  /**
   * Where the sockets' live events come from; absent = this host's own commits (`queue.onCommit`),
   * right for one host. Several hosts on one database: the event log's tail (store/postgres/
   * event-tail.ts), every host's commits in each office's id order.
   */
  live?: LiveEvents;
  clock: Clock;
  ids: Ids;
  /** Address printed in links and QR codes (FRONTA_PUBLIC_URL). */
  publicUrl: string;
  /** Secure cookies when served over HTTPS. */
  secureCookies?: boolean;
  /** Origins (besides the request's Host and the public URL) whose pages may change state with cookies. */
  allowedOrigins?: readonly string[];
  logger?: FastifyServerOptions['logger'];
  logRequests?: boolean;
  /** Login attempts per IP per minute. */
  loginRateLimit?: number;
  /** Where the rate limits count (several hosts: the shared database); absent = this process's memory. */
  rateLimits?: RateLimitCounters;
  /** Speech for hall-display announcements (espeak-ng on the host); absent = VOICE_UNAVAILABLE. */
  speech?: SpeechSynth;
  /** Message and ticket templates offices changed, with their audit; absent = defaults only and no template routes. */
  templates?: TemplateStore;
  /** Print agents of the kiosks (`/agent` namespace); built here when not given. */
  printAgents?: PrintAgents;
  /** Several hosts: how a kiosk's print request reaches the host holding its agent; absent = every agent is on this host. */
  printRelay?: PrintRelay;
  /** How long issue-and-print waits for the agent's acknowledgement (ms, default 6000). */
  printTimeoutMs?: number;
  /** Statistics (reports and exports); absent = the host answers no statistics routes. */
  stats?: StatsStore;
  /** Online booking (portal API); absent = the host offers no online booking. */
  booking?: BookingServerDeps;
  /** Alerts on the floor view and counters (thresholds, outbox figures); absent = none are raised. */
  alerts?: AlertsConfig;
  /** Fees paid online (needs `booking` and `config`); absent = no payment routes. */
  fees?: FeesServerDeps;
  /** The nightly backups of the SQLite file, as admins set them in the back office; absent on PostgreSQL or with backups off. */
  backups?: BackupsAdmin;
  /** Every audit record of an office in one read (the back office's audit page); absent = no such route. */
  auditLog?: AuditLogStore;
  /** Clients' ratings of their visits; absent = the ticket page offers none. */
  ratings?: RatingStore;
  /** Prometheus `/metrics` (answered to the configured addresses only); absent = no such page. */
  metrics?: MetricsConfig;
  /** Outgoing webhooks (admins of the office); absent = no webhook routes. */
  webhooks?: WebhookServerDeps;
  /** Extra plugins (static pages) registered by the host. */
  register?: (app: FastifyInstance) => Promise<void> | void;
}

/** A source of committed events for the sockets, each office's in id order. */
export interface LiveEvents {
  subscribe(listener: (events: readonly LoggedEvent[]) => void): () => void;
  /** The office's last id published to listeners (or known at start): a reconnecting socket's replay stops there and live events take over. */
  position(officeId: string): number | undefined;
}

/** What the host gives the booking edge. */
export interface BookingServerDeps {
  store: BookingStore;
  secrets: Secrets;
  keyed: Keyed;
  /** Rules run before a hold is granted (Online booking II plugs in here). */
  checks: readonly HoldCheck[];
  /** Rules run when a hold's contact is confirmed (cancel-all of an identity key). */
  onConfirm?: readonly ConfirmRule[];
  /** Per-service rules about people (rosters, outcomes, eligibility) and the retention setting; absent = none. */
  serviceRules?: ServiceRulesDeps;
  outbox: Pick<OutboxStore, 'list' | 'candidate' | 'sendNow'>;
  /** Told after a commit that queued messages, so the worker sends at once. */
  onQueued?: () => void;
  /**
   * Requests per client per minute on the guessable endpoints (codes, numbers, holds). The client
   * is the first X-Forwarded-For address when `trustProxy` (an office behind a reverse proxy),
   * else the peer address.
   */
  limits?: { holdPerMin?: number; guessPerMin?: number; lookupPerMin?: number };
  trustProxy?: boolean;
}

/** What the host gives the payment edge. */
export interface FeesServerDeps {
  orders: OrderStore;
  payments: PaymentPort;
  /** The header carrying the provider's signature (`pay-signature`). */
  signatureHeader: string;
  /** Verifies a webhook on its raw body (signature, 5-minute tolerance) and reads it; null when forged, too old or not a payment event. */
  readWebhook(rawBody: string, signature: string | undefined, nowMs: number): { eventId: string; eventType?: string; payment: ProviderPayment } | null;
  /** Each order's history and the office's fee exports (back office), on the same database as `orders`. */
  ledger: FeeLedger;
}

export interface ServiceRulesDeps {
  rules: RulesStore;
  roster: RosterStore;
  retention: RetentionStore;
}

/** What the monitor needs besides the queue: thresholds, the outbox backlog, and who to tell by mail. */
export interface AlertsConfig {
  settings: AlertSettingsStore;
  outbox: () => Promise<readonly { officeId: string; channel: string; state: string; count: number }[]>;
  /** Called with the alerts just raised, when the office asked for e-mails (the host mails its supervisors). */
  onRaised?: ((officeId: string, raised: readonly Alert[]) => void | Promise<void>) | undefined;
  /** Webhook subscriptions paused after a day of failed delivery, per office (absent: not watched). */
  webhooksPaused?: () => Promise<readonly { officeId: string; count: number }[]>;
  /** How often the figures are looked at besides the events that change them (ms, default 15 s). */
  intervalMs?: number;
  /**
   * Several hosts: whether this host looks now (it holds the alerts' lease), so an alert is raised
   * and mailed once, not once per host. Absent = always (one host).
   */
  mayRun?: () => Promise<boolean>;
}

/** What the webhook routes need from the host: the store, the secret's sealing, the delivery loop. */
export interface WebhookServerDeps {
  store: WebhookStore;
  /** A new signing secret (random, high entropy). */
  newSecret(): string;
  seal(secret: string): string;
  newId(): string;
  /** The host's test or demo allowance for loopback targets (plain HTTP included). */
  allowLoopback: boolean;
  /** Sends a signed test event to the subscription's endpoint now. */
  ping(subscription: WebhookSubscription): Promise<SendResult>;
  /** Tells the delivery loop to look for work (a subscription was created or resumed). */
  kick(): void;
}

/** The host's nightly backups: the plan in force (local `HH:MM`, days kept), changing it, and the backups there are. */
export interface BackupsAdmin {
  plan(): { dir: string; keepDays: number; at: string };
  /** Saves the plan and re-arms the next backup by it. */
  save(plan: { keepDays: number; at: string }): { dir: string; keepDays: number; at: string };
  /** Newest first; `at` is the file's time (epoch ms). */
  list(): { name: string; bytes: number; at: number }[];
}

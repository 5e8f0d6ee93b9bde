import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { AccessStore } from '../core/access/access.ts';
import type { PeopleStore } from '../core/access/people.ts';
import type { Clock, Ids, QueueRuntime } from '../core/queue/ports.ts';
import type { Db } from '../store/database.ts';
import { espeakSpeech } from '../drivers/voice/espeak.ts';
import { build } from '../server/app.ts';
import { startCheckpointer } from '../store/checkpointer.ts';
import { startStatsRollups } from './stats-rollups.ts';
import { oneHost, type BackgroundWork } from './background-work.ts';
import { startMultiHost } from './multi-host.ts';
import { createBooking, demoMessagesPage } from './booking.ts';
import { createWebhooks } from './webhooks.ts';
import type { HostConfig } from './config.ts';
import { startStalePrintSweep } from './stale-prints.ts';
import { DemoPrinters, demoPrinterRoutes } from './demo-printers.ts';
import { guardDemoRoutes } from './demo-guard.ts';
import { demoOffice } from './demo.ts';
import { homePage } from './home-page.ts';
import { databaseFile } from './paths.ts';
import { systemClock, randomIds } from './system.ts';
import { serveStaticFiles } from './static-files.ts';
import { servePages } from './web-pages.ts';
import { createPayments, feeSweep, webhookReader, type PaymentsRuntime } from './payments.ts';
import { feeRuntime } from '../server/fee-runtime.ts';
import { SettableClock, testClockRoutes } from './test-clock.ts';
import { openStores, type Stores } from './stores.ts';
import { testPageLimitRoute } from './test-storage.ts';
import { NightlyBackupScheduler } from './backup-schedule.ts';

export interface Host {
  app: FastifyInstance;
  clock: Clock;
  /** The demo's in-process kiosk printers (empty unless `serve` starts them). */
  demoPrinters: DemoPrinters;
  /** The payment provider (the simulator in the demo); null when fees online are not set up. */
  payments: PaymentsRuntime | null;
  /** Every store, on the SQLite file or on PostgreSQL (`--database`). */
  stores: Stores;
  /** The SQLite connection (benches, SQLite-only tools); throws on PostgreSQL. */
  readonly db: Db;
  queue: QueueRuntime;
  access: AccessStore & PeopleStore;
  /** Nightly backups of the SQLite file (started by `serve`); null on PostgreSQL or with backups off. */
  backups: NightlyBackupScheduler | null;
  close(): Promise<void>;
}

export interface HostParts {
  clock?: Clock;
  ids?: Ids;
  /** Who runs the background work: this host alone (SQLite, the default) or the lease holder among several. */
  background?: BackgroundWork;
}


/** Wires store, server and pages together. Does not listen: `serve` does. */
export async function createHost(config: HostConfig, parts: HostParts = {}): Promise<Host> {
  mkdirSync(config.dataDir, { recursive: true });
  const stores = await openStores(config.database === null ? { kind: 'sqlite', file: databaseFile(config.dataDir) } : { kind: 'postgres', url: config.database });
  const { queue, people: access } = stores;
  const fakeClock = config.fakeClockAt === null ? null : new SettableClock(config.fakeClockAt);
  const clock = parts.clock ?? fakeClock ?? systemClock;
  const ids = parts.ids ?? randomIds;
  let log: FastifyInstance['log'] | null = null;
  // On PostgreSQL other hosts may share the database: their calls reach this host's sockets, and background work takes turns.
  const multi = config.database === null ? null : await startMultiHost(config.database, { onError: (error) => log?.warn({ error }, 'multi-host tail or lease failed') });
  const background = parts.background ?? multi?.background ?? oneHost;
  // Tickets left `printing` by a host that stopped: on SQLite this host was the only one, so the pass also runs before it serves.
  const stalePrints = startStalePrintSweep({ queue, clock, ids, mayRun: () => background.mayRun('stale-prints'), onError: (error) => log?.warn({ error }, 'stale print pass failed') });
  if (stores.sqlite !== null) await stalePrints.pass();
  const demoPrinters = new DemoPrinters();
  const booking = await createBooking({ stores, queue, clock, config: config.booking, dataDir: config.dataDir, publicUrl: config.publicUrl, background });
  const payments = await createPayments(config.payments, config.demo);
  const stats = stores.stats;
  const webhooks = createWebhooks({
    stores,
    queue,
    clock,
    ids,
    keyed: booking.keyed,
    allowLoopback: config.webhookLoopback,
    onGiveUp: (s, eventId) => log?.warn({ webhook: s.id, officeId: s.officeId, eventId }, 'webhook delivery given up after a day: subscription paused'),
    onError: (error) => log?.warn({ error }, 'webhook delivery loop failed'),
    background,
  });
  const fees = payments === null ? null : { orders: stores.orders, ledger: stores.ledger, payments: payments.port, ...webhookReader(payments.webhookSecret) };
  // `log` is the app's once it is built; a backup cannot be due before then.
  const backups =
    config.backups === null || stores.sqlite === null
      ? null
      : new NightlyBackupScheduler(config.dataDir, config.backups, { info: (f, m) => log?.info(f, m), error: (f, m) => log?.error(f, m) });
  const configStore = stores.config;
  const app = await build({
    queue,
    access,
    people: access,
    events: stores.events,
    ...(multi === null ? {} : { live: multi.live, printRelay: multi.relay }),
    ...(stores.rateLimits === null ? {} : { rateLimits: stores.rateLimits }),
    config: configStore,
    templates: stores.templates,
    stats,
    clock,
    ids,
    publicUrl: config.publicUrl,
    secureCookies: config.secureCookies,
    allowedOrigins: config.allowedOrigins,
    logger: { level: config.logLevel },
    logRequests: config.logLevel === 'debug' || config.logLevel === 'trace',
    speech: espeakSpeech({ cacheDir: join(config.dataDir, 'voice-cache') }),
    booking: booking.server,
    metrics: { ...config.metrics, outbox: stores.outboxCounts },
    alerts: { settings: stores.alertSettings, outbox: stores.outboxCounts, webhooksPaused: () => webhooks.server.store.pausedByFailure(), mayRun: () => background.mayRun('alerts') },
    ratings: stores.ratings,
    auditLog: stores.auditLog,
    ...(backups === null ? {} : { backups }),
    webhooks: webhooks.server,
    ...(fees === null ? {} : { fees }),
    register: async (a) => {
      homePage(a, () => queue.read((s) => s.listOffices()), { demo: config.demo });
      // Without --demo no /demo route exists at all: they show personal data and switch printers.
      if (config.demo) {
        await a.register(async (demo) => {
          guardDemoRoutes(demo, { access, clock, officeId: demoOffice().office.id, trustProxy: config.booking.trustProxy });
          demoMessagesPage(demo, booking, config.publicUrl);
          demoPrinterRoutes(demo, demoPrinters);
        });
      }
      if (fakeClock !== null) {
        testClockRoutes(a, fakeClock);
        if (stores.sqlite !== null) testPageLimitRoute(a, stores.sqlite.db);
      }
      await serveStaticFiles(a);
      await servePages(a);
    },
  });
  if (fakeClock !== null) app.log.warn({ now: new Date(fakeClock.now()).toISOString() }, 'FRONTA_FAKE_CLOCK is set: the host runs on a test clock that stands still; never use this in production');
  log = app.log;
  // Payment deadlines and reconciliation run with the booking sweeps.
  if (fees !== null) booking.addSweep(feeSweep(feeRuntime({ queue, clock, ids, publicUrl: config.publicUrl, booking: booking.server, fees, config: configStore })));
  booking.start();
  webhooks.start();
  // The demo's provider tells this host about payments (the route exists now).
  payments?.simulator?.setWebhookUrl(`${config.publicUrl}/api/v1/payments/webhook`);
  const rollups = startStatsRollups(stats, () => queue.read((s) => s.listOffices()), clock, (error) => app.log.warn({ error }, 'statistics rollup failed'), () =>
    background.mayRun('stats-rollups'),
  );
  // The WAL is SQLite's: PostgreSQL checkpoints by itself.
  const checkpointer = stores.sqlite === null ? null : startCheckpointer(stores.sqlite.db, stores.sqlite.file, { onError: (message) => app.log.warn({ message }, 'WAL checkpoint failed') });
  let closed = false;
  return {
    app,
    clock,
    demoPrinters,
    payments,
    stores,
    get db(): Db {
      if (stores.sqlite === null) throw new Error('this host runs on PostgreSQL: it has no SQLite connection');
      return stores.sqlite.db;
    },
    queue,
    access,
    backups,
    async close() {
      if (closed) return;
      closed = true;
      backups?.stop();
      await demoPrinters.close();
      await webhooks.stop();
      await booking.close();
      await payments?.close();
      await rollups.stop();
      await stalePrints.stop();
      await background.close();
      await app.close();
      await multi?.close();
      await stores.flush();
      await checkpointer?.stop();
      await stores.close();
    },
  };
}

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock, Ids } from '../core/queue/ports.ts';
import { espeakSpeech } from '../drivers/voice/espeak.ts';
import { build } from '../server/app.ts';
import { SqlitePeopleStore } from '../store/people.store.ts';
import { startCheckpointer } from '../store/checkpointer.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { SqliteEventLog } from '../store/event-log.ts';
import { SqliteTemplateStore } from '../store/templates.store.ts';
import { SqliteStatsStore } from '../store/stats.store.ts';
import { startStatsRollups } from './stats-rollups.ts';
import { outboxCounts } from '../store/outbox-counts.ts';
import { SqliteAlertSettingsStore } from '../store/alert-settings.store.ts';
import { SqliteRatingStore } from '../store/ratings.store.ts';
import { SqliteConfigStore } from '../store/office-config.store.ts';
import { GroupCommitUnitOfWork } from '../store/unit-of-work.ts';
import { createBooking, demoMessagesPage } from './booking.ts';
import { createWebhooks } from './webhooks.ts';
import type { HostConfig } from './config.ts';
import { voidStalePrints } from '../core/queue/print-ticket.ts';
import { DemoPrinters, demoPrinterRoutes } from './demo-printers.ts';
import { guardDemoRoutes } from './demo-guard.ts';
import { demoOffice } from './demo.ts';
import { homePage } from './home-page.ts';
import { databaseFile } from './paths.ts';
import { systemClock, randomIds } from './system.ts';
import { serveStaticFiles } from './static-files.ts';
import { servePages } from './web-pages.ts';
import { createPayments, webhookReader, type PaymentsRuntime } from './payments.ts';
import { SqliteOrderStore } from '../store/fees/orders.store.ts';
import { SettableClock, testClockRoutes } from './test-clock.ts';
import { testPageLimitRoute } from './test-storage.ts';

export interface Host {
  app: FastifyInstance;
  clock: Clock;
  /** The demo's in-process kiosk printers (empty unless `serve` starts them). */
  demoPrinters: DemoPrinters;
  /** The payment provider (the simulator in the demo); null when fees online are not set up. */
  payments: PaymentsRuntime | null;
  db: Db;
  queue: GroupCommitUnitOfWork;
  access: SqlitePeopleStore;
  close(): Promise<void>;
}

export interface HostParts {
  clock?: Clock;
  ids?: Ids;
}


/** Wires store, server and pages together. Does not listen: `serve` does. */
export async function createHost(config: HostConfig, parts: HostParts = {}): Promise<Host> {
  mkdirSync(config.dataDir, { recursive: true });
  const file = databaseFile(config.dataDir);
  const db = openDatabase(file);
  const queue = new GroupCommitUnitOfWork(db);
  const access = new SqlitePeopleStore(db);
  const fakeClock = config.fakeClockAt === null ? null : new SettableClock(config.fakeClockAt);
  const clock = parts.clock ?? fakeClock ?? systemClock;
  const ids = parts.ids ?? randomIds;
  // Tickets still `printing` were in flight when the host stopped: nobody will acknowledge them.
  for (const office of await queue.read((s) => s.listOffices())) {
    await queue.run((store) => voidStalePrints({ store, clock, ids }, office.id));
  }
  const demoPrinters = new DemoPrinters();
  const booking = await createBooking({ db, queue, clock, config: config.booking, dataDir: config.dataDir, publicUrl: config.publicUrl });
  const payments = await createPayments(config.payments, config.demo);
  const stats = new SqliteStatsStore(db);
  let log: FastifyInstance['log'] | null = null;
  const webhooks = createWebhooks({
    db,
    queue,
    clock,
    ids,
    keyed: booking.keyed,
    allowLoopback: config.webhookLoopback,
    onGiveUp: (s, eventId) => log?.warn({ webhook: s.id, officeId: s.officeId, eventId }, 'webhook delivery given up after a day: subscription paused'),
    onError: (error) => log?.warn({ error }, 'webhook delivery loop failed'),
  });
  const app = await build({
    queue,
    access,
    people: access,
    events: new SqliteEventLog(db),
    config: new SqliteConfigStore(db),
    templates: new SqliteTemplateStore(db),
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
    metrics: { ...config.metrics, outbox: outboxCounts(db) },
    alerts: { settings: new SqliteAlertSettingsStore(db), outbox: outboxCounts(db), webhooksPaused: () => webhooks.server.store.pausedByFailure() },
    ratings: new SqliteRatingStore(db),
    webhooks: webhooks.server,
    ...(payments === null ? {} : { fees: { orders: new SqliteOrderStore(db), payments: payments.port, ...webhookReader(payments.webhookSecret) } }),
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
        testPageLimitRoute(a, db);
      }
      await serveStaticFiles(a);
      await servePages(a);
    },
  });
  if (fakeClock !== null) app.log.warn({ now: new Date(fakeClock.now()).toISOString() }, 'FRONTA_FAKE_CLOCK is set: the host runs on a test clock that stands still; never use this in production');
  log = app.log;
  booking.start();
  webhooks.start();
  // The demo's provider tells this host about payments (the route exists now).
  payments?.simulator?.setWebhookUrl(`${config.publicUrl}/api/v1/payments/webhook`);
  const rollups = startStatsRollups(stats, () => queue.read((s) => s.listOffices()), clock, (error) => app.log.warn({ error }, 'statistics rollup failed'));
  const checkpointer = startCheckpointer(db, file, { onError: (message) => app.log.warn({ message }, 'WAL checkpoint failed') });
  let closed = false;
  return {
    app,
    clock,
    demoPrinters,
    payments,
    db,
    queue,
    access,
    async close() {
      if (closed) return;
      closed = true;
      await demoPrinters.close();
      await webhooks.stop();
      await booking.close();
      await payments?.close();
      await rollups.stop();
      await app.close();
      await queue.flush();
      await checkpointer.stop();
      db.close();
    },
  };
}

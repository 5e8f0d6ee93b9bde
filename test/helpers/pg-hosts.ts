import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BookingPolicy } from '../../core/booking/model.ts';
import { createBooking, type BookingRuntime } from '../../host/booking.ts';
import { createWebhooks, type WebhookRuntime } from '../../host/webhooks.ts';
import { readBookingConfig } from '../../host/config.ts';
import type { BookingServerDeps } from '../../server/deps.ts';
import { testKeyed } from './booking.ts';
import { build } from '../../server/app.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { openStores, type Stores } from '../../host/stores.ts';
import { startMultiHost, type MultiHost } from '../../host/multi-host.ts';
import { randomIds } from '../../host/system.ts';
import type { OfficeConfig } from '../../store/config.store.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from './fakes.ts';
import { PASSWORD } from './harness.ts';
import { testOffice } from './office.ts';
import { testDatabase, type TestDatabase } from './postgres.ts';

/**
 * Several hosts in this process on one PostgreSQL database, each listening on its own port with
 * its own pool, unit of work, event-log tail and lease keeper — what separate host processes
 * share is the database, and that is all these share (credentials and sessions included).
 */
export interface PgTestHost {
  app: FastifyInstance;
  url: string;
  stores: Stores;
  multi: MultiHost;
  /** Online booking, when asked for (its sweep, outbox worker and sinks are this host's). */
  booking: BookingRuntime | null;
  /** Outgoing webhooks, when asked for (their delivery loop under this host's lease). */
  webhooks: WebhookRuntime | null;
  close(): Promise<void>;
  /** Stops as a host that died: its leases are not given up, the other hosts take its work over once they lapse. */
  crash(): Promise<void>;
}

export interface PgHostsOptions {
  config?: OfficeConfig;
  ttlMs?: number;
  /** Online booking on every host: these policies, rate limits keyed per client behind a trusted proxy. */
  booking?: { policies: readonly BookingPolicy[]; limits?: BookingServerDeps['limits'] };
  /** The alert monitor on every host (under the alerts' lease), looking every `intervalMs`; mails need `booking`. */
  alerts?: { intervalMs: number };
  /** Outgoing webhooks on every host, loopback targets allowed, delivering under the webhooks' lease. */
  webhooks?: { intervalMs: number; timeoutMs: number };
}

export interface PgHosts {
  database: TestDatabase;
  hosts: PgTestHost[];
  config: OfficeConfig;
  /** Every host's clock (one, as hosts in sync would have). */
  clock: FakeClock;
  kioskToken: string;
  displayToken: string;
  /** The session cookie of admin or clerkN, valid on every host. */
  cookie(username: string): string;
  /** Starts one more host on the same database (another after one died). */
  add(): Promise<PgTestHost>;
  close(): Promise<void>;
}

export async function startPgHosts(n: number, opts: PgHostsOptions = {}): Promise<PgHosts> {
  const database = await testDatabase({ migrated: true });
  const dir = mkdtempSync(join(tmpdir(), 'fronta-pg-hosts-'));
  const config = opts.config ?? testOffice();
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const hosts: PgTestHost[] = [];
  const add = async (): Promise<PgTestHost> => {
    const stores = await openStores({ kind: 'postgres', url: database.url, poolMax: 10 });
    const multi = await startMultiHost(database.url, { ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }), pollMs: 1000 });
    const booking =
      opts.booking === undefined
        ? null
        : await createBooking({
            stores,
            queue: stores.queue,
            clock,
            config: { ...readBookingConfig({}), trustProxy: true },
            dataDir: dir,
            publicUrl: 'http://fronta.test',
            keyed: testKeyed(),
            limits: opts.booking.limits ?? { holdPerMin: 100_000, guessPerMin: 100_000, lookupPerMin: 100_000 },
            background: multi.background,
          });
    const webhooks =
      opts.webhooks === undefined
        ? null
        : createWebhooks({ stores, queue: stores.queue, clock, ids: randomIds, keyed: testKeyed(), allowLoopback: true, ...opts.webhooks, background: multi.background });
    const app = await build({
      queue: stores.queue,
      access: stores.people,
      people: stores.people,
      events: stores.events,
      config: stores.config,
      live: multi.live,
      printRelay: multi.relay,
      ...(stores.rateLimits === null ? {} : { rateLimits: stores.rateLimits }),
      clock,
      ids: randomIds,
      publicUrl: 'http://fronta.test',
      loginRateLimit: 10_000,
      ...(booking === null ? {} : { booking: booking.server }),
      ...(webhooks === null ? {} : { webhooks: webhooks.server }),
      ...(opts.alerts === undefined
        ? {}
        : { alerts: { settings: stores.alertSettings, outbox: stores.outboxCounts, intervalMs: opts.alerts.intervalMs, mayRun: () => multi.background.mayRun('alerts') } }),
      logger: { level: process.env['PG_HOSTS_LOG'] ?? 'silent' },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const host: PgTestHost = {
      app,
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      stores,
      multi,
      booking,
      webhooks,
      async close() {
        await webhooks?.stop();
        await booking?.close();
        await app.close();
        await multi.close();
        await stores.close();
      },
      async crash() {
        await webhooks?.stop();
        await booking?.close();
        await app.close();
        await multi.crash();
        await stores.close();
      },
    };
    webhooks?.start();
    hosts.push(host);
    return host;
  };

  const seedStores = await openStores({ kind: 'postgres', url: database.url, poolMax: 2 });
  await seedStores.seed.officeConfig(config);
  for (const p of opts.booking?.policies ?? []) await seedStores.seed.bookingPolicy(p);
  const officeId = config.office.id;
  const names = ['admin', ...config.counters.map((_, i) => `clerk${i + 1}`)];
  for (const username of names) {
    await createUser(seedStores.people, { ids: randomIds, clock }, { officeId, username, password: PASSWORD, role: username === 'admin' ? 'admin' : 'clerk', passwordCostLog2: 10 });
  }
  const kioskToken = (await createDevice(seedStores.people, { ids: randomIds, clock }, { officeId, kind: 'kiosk', name: 'kiosk' })).token;
  const displayToken = (await createDevice(seedStores.people, { ids: randomIds, clock }, { officeId, kind: 'display', name: 'display' })).token;
  await seedStores.close();
  for (let i = 0; i < n; i += 1) await add();

  const cookies = new Map<string, string>();
  for (const username of names) {
    const res = await hosts[0]!.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    const set = res.cookies.find((c) => c.name === 'fronta_session');
    if (set === undefined) throw new Error(`login of ${username} failed: ${res.body}`);
    cookies.set(username, `fronta_session=${set.value}`);
  }
  return {
    database,
    hosts,
    config,
    clock,
    kioskToken,
    displayToken,
    cookie: (u) => cookies.get(u) ?? '',
    add,
    async close() {
      await Promise.allSettled(hosts.map((h) => h.close()));
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

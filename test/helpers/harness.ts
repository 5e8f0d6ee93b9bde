import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { build } from '../../server/app.ts';
import type { BookingServerDeps, ServerDeps, WebhookServerDeps } from '../../server/deps.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { openStores, type Stores } from '../../host/stores.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { startCheckpointer } from '../../store/checkpointer.ts';
import { NightlyBackupScheduler } from '../../host/backup-schedule.ts';
import type { OfficeConfig } from '../../store/config.store.ts';
import type { Db } from '../../store/database.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from './fakes.ts';
import { testOffice } from './office.ts';
import { testDatabase, type TestDatabase } from './postgres.ts';

export const PASSWORD = 'correct horse battery';

/** Which database a test host runs on: FRONTA_TEST_STORE=postgres makes PostgreSQL the default. */
export type TestStore = 'sqlite' | 'postgres';

export const defaultTestStore = (): TestStore => (process.env['FRONTA_TEST_STORE'] === 'postgres' ? 'postgres' : 'sqlite');

/** The two stores, for `describe.each(BOTH_STORES)`: an API suite that holds on both. */
export const BOTH_STORES: readonly TestStore[] = ['sqlite', 'postgres'];

export interface TestHost {
  app: FastifyInstance;
  store: TestStore;
  /** Every store of the host (host/stores.ts), on SQLite or PostgreSQL. */
  stores: Stores;
  /** The SQLite connection; on PostgreSQL any use of it throws (a SQLite-only test). */
  db: Db;
  queue: Stores['queue'];
  clock: FakeClock;
  ids: SequentialIds;
  config: OfficeConfig;
  kioskToken: string;
  displayToken: string;
  /**
   * Runs one statement both dialects read alike, without parameters, and gives its rows (none for
   * a write): a fixture no route makes (a capacity set behind the back office's back, a day's
   * counter far along), or a look at what is stored (nothing personal in clear).
   */
  sql<T = Record<string, unknown>>(text: string): Promise<T[]>;
  /** Session cookie header value of a seeded user: admin, clerk1…clerk4. */
  cookie(username: string): string;
  dir: string;
  close(): Promise<void>;
}

/**
 * A real host in process: SQLite file in a temp folder, real server, fake clock. Users admin and
 * clerk1..clerkN (N = number of counters), one kiosk and one display token.
 */
export async function startTestHost(
  opts: {
    /** The database (default: FRONTA_TEST_STORE, else sqlite): PostgreSQL gets a database of its own on the run's server. */
    store?: TestStore;
    config?: OfficeConfig;
    loginRateLimit?: number;
    /** Issue-and-print: how long the host waits for a print agent's acknowledgement (ms). */
    printTimeoutMs?: number;
    /** Wires online booking (see test/helpers/booking.ts). */
    booking?: (parts: { db: Db; stores: Stores; queue: Stores['queue']; clock: FakeClock; dir: string }) => Promise<BookingServerDeps>;
    /** Checkpoint the WAL from a thread, as the real host does (store/checkpointer.ts); SQLite only. */
    checkpointer?: boolean;
    /** Origins besides the Host and http://fronta.test whose pages may change state with cookies. */
    allowedOrigins?: string[];
    /** Extra plugins, e.g. the built pages (host/web-pages.ts) for a browser test against this host. */
    register?: (app: FastifyInstance) => Promise<void> | void;
    /** Clients may rate their visits (the rating store). */
    ratings?: boolean;
    /** Raises alerts (see server/alert-monitor.ts). */
    alerts?: (db: Db, stores: Stores) => NonNullable<ServerDeps['alerts']>;
    /** Serves `/metrics` (see server/metrics.ts). */
    metrics?: (db: Db, stores: Stores) => NonNullable<ServerDeps['metrics']>;
    /** Outgoing webhooks (see host/webhooks.ts). */
    webhooks?: (parts: { db: Db; stores: Stores; queue: Stores['queue']; clock: FakeClock }) => WebhookServerDeps;
    /** Fees paid online (see test/fees.api.test.ts). */
    fees?: (db: Db, stores: Stores) => NonNullable<ServerDeps['fees']>;
  } = {},
): Promise<TestHost> {
  const store = opts.store ?? defaultTestStore();
  const dir = mkdtempSync(join(tmpdir(), 'fronta-test-'));
  let pg: TestDatabase | null = null;
  let stores: Stores;
  if (store === 'postgres') {
    pg = await testDatabase({ migrated: true });
    stores = await openStores({ kind: 'postgres', url: pg.url, poolMax: 20 });
  } else {
    stores = await openStores({ kind: 'sqlite', file: join(dir, 'fronta.db') });
  }
  const db = stores.sqlite?.db ?? noSqlite();
  // Counts and instants come back as numbers, as from SQLite (the host's pool reads them so).
  let sqlPool: PgPool | undefined;
  if (opts.checkpointer === true && stores.sqlite === null) throw new Error('the WAL checkpointer is SQLite\'s: no checkpointer on PostgreSQL');
  const checkpointer = opts.checkpointer === true ? startCheckpointer(db, join(dir, 'fronta.db')) : null;
  const config = opts.config ?? testOffice();
  await stores.seed.officeConfig(config);
  const queue = stores.queue;
  const access = stores.people;
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const ids = new SequentialIds();
  const officeId = config.office.id;
  const names = ['admin', ...config.counters.map((_, i) => `clerk${i + 1}`)];
  // Cheap hashes keep fixtures fast; the cost travels inside each hash, so login checks the same way.
  for (const username of names) {
    await createUser(access, { ids, clock }, { officeId, username, password: PASSWORD, role: username === 'admin' ? 'admin' : 'clerk', passwordCostLog2: 10 });
  }
  const kioskToken = (await createDevice(access, { ids, clock }, { officeId, kind: 'kiosk', name: 'kiosk' })).token;
  const displayToken = (await createDevice(access, { ids, clock }, { officeId, kind: 'display', name: 'display' })).token;
  const booking = opts.booking === undefined ? undefined : await opts.booking({ db, stores, queue, clock, dir });
  const app = await build({
    ...(booking === undefined ? {} : { booking }),
    queue,
    config: stores.config,
    access,
    people: access,
    events: stores.events,
    templates: stores.templates,
    stats: stores.stats,
    auditLog: stores.auditLog,
    // The nightly backups' settings on the SQLite file (not started: no timer runs in a test).
    ...(stores.sqlite === null ? {} : { backups: new NightlyBackupScheduler(dir, { dir: join(dir, 'backups'), keepDays: 14, at: '02:30' }, { info: () => {}, error: () => {} }) }),
    clock,
    ids,
    publicUrl: 'http://fronta.test',
    loginRateLimit: opts.loginRateLimit ?? 1000,
    ...(opts.printTimeoutMs === undefined ? {} : { printTimeoutMs: opts.printTimeoutMs }),
    ...(opts.allowedOrigins === undefined ? {} : { allowedOrigins: opts.allowedOrigins }),
    ...(opts.register === undefined ? {} : { register: opts.register }),
    ...(opts.metrics === undefined ? {} : { metrics: opts.metrics(db, stores) }),
    ...(opts.alerts === undefined ? {} : { alerts: opts.alerts(db, stores) }),
    ...(opts.fees === undefined ? {} : { fees: opts.fees(db, stores) }),
    ...(opts.ratings === true ? { ratings: stores.ratings } : {}),
    ...(opts.webhooks === undefined ? {} : { webhooks: opts.webhooks({ db, stores, queue, clock }) }),
  });
  const cookies = new Map<string, string>();
  for (const username of names) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    const set = res.cookies.find((c) => c.name === 'fronta_session');
    if (set === undefined) throw new Error(`login of ${username} failed: ${res.body}`);
    cookies.set(username, `fronta_session=${set.value}`);
  }
  return {
    app,
    store,
    stores,
    db,
    queue,
    clock,
    ids,
    config,
    kioskToken,
    displayToken,
    dir,
    cookie: (u) => cookies.get(u) ?? '',
    async sql<T>(text: string): Promise<T[]> {
      if (pg === null) {
        const statement = db.prepare(text);
        if (statement.reader) return statement.all() as T[];
        statement.run();
        return [];
      }
      sqlPool ??= createPool(pg.url, { max: 1, applicationName: 'fronta test sql' });
      return (await sqlPool.query(text)).rows as T[];
    },
    async close() {
      await app.close();
      await stores.flush();
      await checkpointer?.stop();
      await stores.close();
      await sqlPool?.end();
      await pg?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Stands in for the SQLite connection on PostgreSQL: a test that reaches for it is SQLite-only, and says so. */
function noSqlite(): Db {
  return new Proxy({} as Db, {
    get(_target, prop) {
      throw new Error(`this test host runs on PostgreSQL: db.${String(prop)} is SQLite's (use h.stores)`);
    },
  });
}

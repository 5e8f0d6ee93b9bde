import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { build } from '../../server/app.ts';
import type { BookingServerDeps, ServerDeps, WebhookServerDeps } from '../../server/deps.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { SqlitePeopleStore } from '../../store/people.store.ts';
import { startCheckpointer } from '../../store/checkpointer.ts';
import { saveOfficeConfig, type OfficeConfig } from '../../store/config.store.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { SqliteEventLog } from '../../store/event-log.ts';
import { SqliteTemplateStore } from '../../store/templates.store.ts';
import { SqliteStatsStore } from '../../store/stats.store.ts';
import { SqliteRatingStore } from '../../store/ratings.store.ts';
import { SqliteConfigStore } from '../../store/office-config.store.ts';
import { GroupCommitUnitOfWork } from '../../store/unit-of-work.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from './fakes.ts';
import { testOffice } from './office.ts';

export const PASSWORD = 'correct horse battery';

export interface TestHost {
  app: FastifyInstance;
  db: Db;
  queue: GroupCommitUnitOfWork;
  clock: FakeClock;
  ids: SequentialIds;
  config: OfficeConfig;
  kioskToken: string;
  displayToken: string;
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
    config?: OfficeConfig;
    loginRateLimit?: number;
    /** Issue-and-print: how long the host waits for a print agent's acknowledgement (ms). */
    printTimeoutMs?: number;
    /** Wires online booking (see test/helpers/booking.ts). */
    booking?: (parts: { db: Db; queue: GroupCommitUnitOfWork; clock: FakeClock; dir: string }) => Promise<BookingServerDeps>;
    /** Checkpoint the WAL from a thread, as the real host does (store/checkpointer.ts). */
    checkpointer?: boolean;
    /** Origins besides the Host and http://fronta.test whose pages may change state with cookies. */
    allowedOrigins?: string[];
    /** Extra plugins, e.g. the built pages (host/web-pages.ts) for a browser test against this host. */
    register?: (app: FastifyInstance) => Promise<void> | void;
    /** Clients may rate their visits (the SQLite rating store). */
    ratings?: boolean;
    /** Raises alerts (see server/alert-monitor.ts). */
    alerts?: (db: Db) => NonNullable<ServerDeps['alerts']>;
    /** Serves `/metrics` (see server/metrics.ts). */
    metrics?: (db: Db) => NonNullable<ServerDeps['metrics']>;
    /** Outgoing webhooks (see host/webhooks.ts). */
    webhooks?: (parts: { db: Db; queue: GroupCommitUnitOfWork; clock: FakeClock }) => WebhookServerDeps;
    /** Fees paid online (see test/fees.api.test.ts). */
    fees?: (db: Db) => NonNullable<ServerDeps['fees']>;
  } = {},
): Promise<TestHost> {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-test-'));
  const db = openDatabase(join(dir, 'fronta.db'));
  const checkpointer = opts.checkpointer === true ? startCheckpointer(db, join(dir, 'fronta.db')) : null;
  const config = opts.config ?? testOffice();
  saveOfficeConfig(db, config);
  const queue = new GroupCommitUnitOfWork(db);
  const access = new SqlitePeopleStore(db);
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
  const booking = opts.booking === undefined ? undefined : await opts.booking({ db, queue, clock, dir });
  const app = await build({
    ...(booking === undefined ? {} : { booking }),
    queue,
    config: new SqliteConfigStore(db),
    access,
    people: access,
    events: new SqliteEventLog(db),
    templates: new SqliteTemplateStore(db),
    stats: new SqliteStatsStore(db),
    clock,
    ids,
    publicUrl: 'http://fronta.test',
    loginRateLimit: opts.loginRateLimit ?? 1000,
    ...(opts.printTimeoutMs === undefined ? {} : { printTimeoutMs: opts.printTimeoutMs }),
    ...(opts.allowedOrigins === undefined ? {} : { allowedOrigins: opts.allowedOrigins }),
    ...(opts.register === undefined ? {} : { register: opts.register }),
    ...(opts.metrics === undefined ? {} : { metrics: opts.metrics(db) }),
    ...(opts.alerts === undefined ? {} : { alerts: opts.alerts(db) }),
    ...(opts.fees === undefined ? {} : { fees: opts.fees(db) }),
    ...(opts.ratings === true ? { ratings: new SqliteRatingStore(db) } : {}),
    ...(opts.webhooks === undefined ? {} : { webhooks: opts.webhooks({ db, queue, clock }) }),
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
    db,
    queue,
    clock,
    ids,
    config,
    kioskToken,
    displayToken,
    dir,
    cookie: (u) => cookies.get(u) ?? '',
    async close() {
      await app.close();
      await queue.flush();
      await checkpointer?.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

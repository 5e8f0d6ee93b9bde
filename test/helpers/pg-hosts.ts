import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
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
  close(): Promise<void>;
}

export interface PgHosts {
  database: TestDatabase;
  hosts: PgTestHost[];
  config: OfficeConfig;
  kioskToken: string;
  displayToken: string;
  /** The session cookie of admin or clerkN, valid on every host. */
  cookie(username: string): string;
  /** Starts one more host on the same database (another after one died). */
  add(): Promise<PgTestHost>;
  close(): Promise<void>;
}

export async function startPgHosts(n: number, opts: { config?: OfficeConfig; ttlMs?: number } = {}): Promise<PgHosts> {
  const database = await testDatabase({ migrated: true });
  const config = opts.config ?? testOffice();
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const hosts: PgTestHost[] = [];
  const add = async (): Promise<PgTestHost> => {
    const stores = await openStores({ kind: 'postgres', url: database.url, poolMax: 10 });
    const multi = await startMultiHost(database.url, { ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }), pollMs: 1000 });
    const app = await build({
      queue: stores.queue,
      access: stores.people,
      people: stores.people,
      events: stores.events,
      config: stores.config,
      live: multi.live,
      clock,
      ids: randomIds,
      publicUrl: 'http://fronta.test',
      loginRateLimit: 10_000,
      logger: { level: process.env['PG_HOSTS_LOG'] ?? 'silent' },
    });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const host: PgTestHost = {
      app,
      url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`,
      stores,
      multi,
      async close() {
        await app.close();
        await multi.close();
        await stores.close();
      },
    };
    hosts.push(host);
    return host;
  };

  const seedStores = await openStores({ kind: 'postgres', url: database.url, poolMax: 2 });
  await seedStores.seed.officeConfig(config);
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
    kioskToken,
    displayToken,
    cookie: (u) => cookies.get(u) ?? '',
    add,
    async close() {
      await Promise.allSettled(hosts.map((h) => h.close()));
      await database.drop();
    },
  };
}

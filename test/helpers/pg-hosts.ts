import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { build } from '../../server/app.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { openStores, type Stores } from '../../host/stores.ts';
import { startMultiHost, type MultiHost } from '../../host/multi-host.ts';
import { randomIds } from '../../host/system.ts';
import { saveOfficeConfig, type OfficeConfig } from '../../store/config.store.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { SqlitePeopleStore } from '../../store/people.store.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from './fakes.ts';
import { PASSWORD } from './harness.ts';
import { testOffice } from './office.ts';
import { testDatabase, type TestDatabase } from './postgres.ts';
import { createPool } from '../../store/postgres/pool.ts';

/**
 * Several hosts in this process on one PostgreSQL database, each listening on its own port with
 * its own pool, unit of work, event-log tail and lease keeper — what separate host processes
 * share is the database, and that is all these share for the queue and its events. Credentials
 * (users, sessions, device tokens) live in one SQLite file every host opens, until the PostgreSQL
 * people store is wired into `openStores`.
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
  const dir = mkdtempSync(join(tmpdir(), 'fronta-pg-hosts-'));
  const peopleFile = join(dir, 'people.db');
  const seedDb = openDatabase(peopleFile);
  const config = opts.config ?? testOffice();
  saveOfficeConfig(seedDb, config);
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const seedPeople = new SqlitePeopleStore(seedDb);
  const officeId = config.office.id;
  const names = ['admin', ...config.counters.map((_, i) => `clerk${i + 1}`)];
  for (const username of names) {
    await createUser(seedPeople, { ids: randomIds, clock }, { officeId, username, password: PASSWORD, role: username === 'admin' ? 'admin' : 'clerk', passwordCostLog2: 10 });
  }
  const kioskToken = (await createDevice(seedPeople, { ids: randomIds, clock }, { officeId, kind: 'kiosk', name: 'kiosk' })).token;
  const displayToken = (await createDevice(seedPeople, { ids: randomIds, clock }, { officeId, kind: 'display', name: 'display' })).token;
  // The queue's tables refer to users and devices: the same rows in PostgreSQL.
  const seedPg = await openStores({ kind: 'postgres', url: database.url, poolMax: 2 });
  await seedPg.seed.officeConfig(config);
  await seedPg.close();
  await copyRows(seedDb, database.url, ['users', 'devices']);
  seedDb.close();

  const hosts: PgTestHost[] = [];
  const dbs: Db[] = [];
  const add = async (): Promise<PgTestHost> => {
    const stores = await openStores({ kind: 'postgres', url: database.url, poolMax: 10 });
    const db = openDatabase(peopleFile);
    dbs.push(db);
    const people = new SqlitePeopleStore(db);
    const multi = await startMultiHost(database.url, { ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }), pollMs: 1000 });
    const app = await build({ queue: stores.queue, access: people, people, events: stores.events, live: multi.live, clock, ids: randomIds, publicUrl: 'http://fronta.test', loginRateLimit: 10_000, logger: { level: process.env['PG_HOSTS_LOG'] ?? 'silent' } });
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
      for (const db of dbs) db.close();
      await database.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Copies whole tables of the SQLite file into PostgreSQL (the same columns in both dialects). */
async function copyRows(db: Db, url: string, tables: readonly string[]): Promise<void> {
  const pool = createPool(url, { max: 1 });
  try {
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
        const cols = Object.keys(row);
        await pool.query(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row));
      }
    }
  } finally {
    await pool.end();
  }
}

import type { QueueDeps } from '../../core/queue/issue-ticket.ts';
import type { Counter, Ticket } from '../../core/shared/model.ts';
import type { Result } from '../../core/shared/result.ts';
import { openStores, type Stores } from '../../host/stores.ts';
import type { OfficeConfig } from '../../store/config.store.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { ticketFromRow, type TicketRow } from '../../store/rows.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from './fakes.ts';
import type { TestStore } from './harness.ts';
import { testDatabase, type TestDatabase } from './postgres.ts';

/**
 * One office's queue on a real store, fresh for one property run: an in-memory SQLite database
 * (its group commit and live image), or a PostgreSQL database of its own cloned from the run's
 * migrated template (one transaction per unit, every call a round trip to the server, so units
 * started together really interleave at each await). Clerks u0…uN-1 exist; nothing else is open.
 */
export interface QueueWorld {
  store: TestStore;
  queue: Stores['queue'];
  clock: FakeClock;
  ids: SequentialIds;
  /** One use case as one unit of work. */
  run: <T>(f: (d: QueueDeps) => Promise<Result<T>>) => Promise<Result<T>>;
  /** Every ticket as the store reads it back, in issue order. */
  tickets(): Promise<Ticket[]>;
  counter(id: string): Promise<Counter>;
  close(): Promise<void>;
}

export async function openQueueWorld(store: TestStore, config: OfficeConfig, clerks: number): Promise<QueueWorld> {
  let pg: TestDatabase | null = null;
  let pool: PgPool | null = null;
  let stores: Stores;
  if (store === 'postgres') {
    pg = await testDatabase({ migrated: true });
    stores = await openStores({ kind: 'postgres', url: pg.url, poolMax: 24, applicationName: 'fronta property test' });
    pool = createPool(pg.url, { max: 1, applicationName: 'fronta property test sql' });
  } else {
    stores = await openStores({ kind: 'sqlite', file: ':memory:' });
  }
  const sql = async <T>(text: string): Promise<T[]> => {
    if (pool !== null) return (await pool.query(text)).rows as T[];
    const statement = stores.sqlite!.db.prepare(text);
    if (statement.reader) return statement.all() as T[];
    statement.run();
    return [];
  };
  await stores.seed.officeConfig(config);
  const officeId = config.office.id;
  for (let k = 0; k < clerks; k++) {
    await sql(`INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at) VALUES ('u${k}', '${officeId}', 'u${k}', 'u${k}', 'clerk', '-', 0)`);
  }
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const ids = new SequentialIds();
  const queue = stores.queue;
  return {
    store,
    queue,
    clock,
    ids,
    run: (f) => queue.run((s) => f({ store: s, clock, ids })),
    async tickets() {
      // SQLite: the table itself, not the live image the store answers from (a test compares both).
      const all =
        stores.sqlite === null
          ? await queue.read(async (s) => await Promise.all((await sql<{ id: string }>('SELECT id FROM tickets')).map(async (r) => (await s.getTicket(r.id))!)))
          : (await sql<TicketRow>('SELECT * FROM tickets')).map(ticketFromRow);
      return all.sort((a, b) => a.issuedAt - b.issuedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },
    async counter(id) {
      const c = await queue.read((s) => s.getCounter(id));
      if (c === null) throw new Error(`no counter ${id}`);
      return c;
    },
    async close() {
      await stores.close();
      await pool?.end();
      await pg?.drop();
    },
  };
}

/**
 * Starts every call at once and waits for all of them, even when one fails: a failed assertion
 * must not leave calls of the burst running into the next run's fixtures.
 */
export async function together<T>(calls: readonly (() => Promise<T>)[]): Promise<T[]> {
  const settled = await Promise.allSettled(calls.map((c) => c()));
  const failed = settled.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return settled.map((x) => (x as PromiseFulfilledResult<T>).value);
}

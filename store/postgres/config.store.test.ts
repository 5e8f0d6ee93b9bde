import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ConfigCommit } from '../../core/config/ports.ts';
import { doneTicket } from '../../test/contracts/stores.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { TICKET_COLUMNS, TICKET_FIELDS } from '../rows.ts';
import { PgConfigStore, saveOfficeConfig } from './config.store.ts';
import { createPool, type PgPool } from './pool.ts';

/**
 * A counter removed on one host while another host calls a client to it: the removal waits for
 * the call's transaction and then sees the client there (busy), rather than removing the counter
 * under an uncommitted call it could not see.
 */

let database: TestDatabase;
let pool: PgPool;

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  pool = createPool(database.url, { max: 4 });
  await saveOfficeConfig(pool, testOffice());
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const INSERT = `INSERT INTO tickets (${TICKET_FIELDS.map((f) => TICKET_COLUMNS[f]).join(', ')}) VALUES (${TICKET_FIELDS.map((_, i) => `$${i + 1}`).join(', ')})`;

it('a counter removal waits for a call to that counter on another host, then is refused as busy', async () => {
  const config = new PgConfigStore(pool);
  const loaded = (await config.load('o1'))!;
  const removal: ConfigCommit = {
    officeId: 'o1', version: loaded.version, next: { ...loaded.config, counters: loaded.config.counters.filter((c) => c.id !== 'o1-c2') }, sections: ['counters'],
    changes: [], before: {}, after: {}, userId: null, via: 'api', undoOf: null, at: T0, removedServiceIds: [], removedCounterIds: ['o1-c2'],
  };
  const caller = await pool.connect();
  try {
    await caller.query('BEGIN');
    const t = doneTicket('t1', T0, { state: 'called', counterId: 'o1-c2', servingAt: null, doneAt: null });
    await caller.query(INSERT, TICKET_FIELDS.map((f) => t[f]));
    let settled = false;
    const committing = config.commit(removal).finally(() => (settled = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(settled).toBe(false);
    await caller.query('COMMIT');
    expect(await committing).toMatchObject({ kind: 'busy', live: { busyCounterIds: ['o1-c2'] } });
  } finally {
    caller.release();
  }
  expect((await config.load('o1'))!.config.counters.map((c) => c.id)).toContain('o1-c2');
});

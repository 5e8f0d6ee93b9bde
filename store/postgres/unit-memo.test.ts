import { afterAll, beforeAll, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { atomically, sqlOf } from './db.ts';
import { createPool, type PgPool } from './pool.ts';
import { PgUnitOfWork } from './unit-of-work.ts';

/** Set-up rows read once per transaction: never older than the unit's own writes, never carried into the next unit. */

let database: TestDatabase;
let pool: PgPool;
let uow: PgUnitOfWork;

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  pool = createPool(database.url, { max: 4 });
  await saveOfficeConfig(pool, testOffice());
  uow = new PgUnitOfWork(pool);
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

const nameOf = async (s: { getService(id: string): Promise<{ names: Record<string, string> } | null> }): Promise<string | undefined> =>
  (await s.getService('o1-s1'))?.names['en'];

it('a unit sees its own writes, through its store or another store joined to it, and a savepoint rolled back', async () => {
  const seen = await uow.run(async (store) => {
    const names: (string | undefined)[] = [await nameOf(store)];
    await store.setServiceNames('o1-s1', { en: 'Passports' });
    names.push(await nameOf(store));
    // A store on the pool writes in the unit's transaction (db.ts): the memo forgets too.
    await sqlOf(pool).query(`UPDATE services SET names = '{"en":"Visas"}' WHERE id = 'o1-s1'`);
    names.push(await nameOf(store));
    await atomically(pool, async (sql) => {
      await sql.query(`UPDATE services SET names = '{"en":"Undone"}' WHERE id = 'o1-s1'`);
      names.push(await nameOf(store));
      throw new Error('refused');
    }, { savepoint: true }).catch(() => undefined);
    names.push(await nameOf(store));
    return names;
  });
  expect(seen.slice(1)).toEqual(['Passports', 'Visas', 'Undone', 'Visas']);
});

it('an average written in the unit replaces the one the services were read with', async () => {
  const [before, after] = await uow.run(async (store) => {
    await store.listServices('o1');
    const b = await store.averageServiceMs('o1-s2');
    await store.setAverageServiceMs('o1-s2', 123_000);
    return [b, await store.averageServiceMs('o1-s2')];
  });
  expect(before).toBeNull();
  expect(after).toBe(123_000);
});

it('what another host commits is read by the next unit, and by a unit after a lock', async () => {
  await uow.run(async (store) => void (await store.setServiceNames('o1-s1', { en: 'Before' })));
  let other = '';
  const seen = await uow.run(async (store) => {
    const first = await nameOf(store);
    // Another host (another connection) renames the service and commits.
    await pool.query(`UPDATE services SET names = '{"en":"Renamed"}' WHERE id = 'o1-s1'`);
    const again = await nameOf(store);
    await store.lockCounter('o1-c1');
    return [first, again, await nameOf(store)];
  });
  other = (await uow.run((store) => nameOf(store))) ?? '';
  expect(seen).toEqual(['Before', 'Before', 'Renamed']);
  expect(other).toBe('Renamed');
});

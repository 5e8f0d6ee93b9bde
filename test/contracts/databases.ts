import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { saveOfficeConfig as savePgOfficeConfig } from '../../store/postgres/config.store.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { testOffice } from '../helpers/office.ts';
import { testDatabase } from '../helpers/postgres.ts';

/**
 * The databases a store's contract suite runs on, each with offices `o1` and `o2` (services
 * `o1-s1`…): a real SQLite file in a temp folder, or a PostgreSQL database of its own on the test
 * server (cloned from the migrated template) — a case commits what it writes, several pools may
 * work on it at once (two hosts), and nothing is left for the next case.
 */
export function sqliteDatabase(): { db: Db; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-contract-'));
  const db = openDatabase(join(dir, 'f.db'));
  saveOfficeConfig(db, testOffice());
  saveOfficeConfig(db, testOffice({ id: 'o2' }));
  return {
    db,
    close: () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function postgresDatabase(): Promise<{ pool: PgPool; url: string; close: () => Promise<void> }> {
  const database = await testDatabase({ migrated: true });
  const pool = createPool(database.url, { max: 4 });
  await savePgOfficeConfig(pool, testOffice());
  await savePgOfficeConfig(pool, testOffice({ id: 'o2' }));
  return {
    pool,
    url: database.url,
    close: async () => {
      await pool.end();
      await database.drop();
    },
  };
}

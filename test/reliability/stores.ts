import { BOTH_STORES, type TestStore } from '../helpers/harness.ts';
import { startChildHost, type ChildHost } from '../helpers/child-host.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { FULL_SIZE } from './report.ts';

/**
 * The stores a part runs on: both at full size (`npm run test:reliability`); at CI size (`npm
 * test`) PostgreSQL too only for a part cheap enough to run twice (`ciOnBoth`).
 */
export function partStores(ciOnBoth: boolean): readonly TestStore[] {
  return FULL_SIZE || ciOnBoth ? BOTH_STORES : ['sqlite'];
}

export interface StoreChildHost extends ChildHost {
  /** The host's PostgreSQL database (null on SQLite): dropped by `dropStoreDatabases`. */
  database: TestDatabase | null;
}

const databases: TestDatabase[] = [];

/**
 * `fronta serve --demo` as a child process on `store`: its SQLite file in `dataDir`, or a fresh
 * database of the run's PostgreSQL server (`--database postgres://…`; the demo seeds it as it
 * seeds a file). Kill the host before `dropStoreDatabases`.
 */
export async function startStoreChildHost(store: TestStore, dataDir: string, timeoutMs: number, env: Record<string, string> = {}): Promise<StoreChildHost> {
  const database = store === 'postgres' ? await testDatabase() : null;
  if (database !== null) databases.push(database);
  const host = await startChildHost(dataDir, timeoutMs, database === null ? [] : ['--database', database.url], env);
  return Object.assign(host, { database });
}

/** Drops the databases of the hosts started so far (after they have been killed). */
export async function dropStoreDatabases(): Promise<void> {
  for (const d of databases.splice(0)) await d.drop();
}

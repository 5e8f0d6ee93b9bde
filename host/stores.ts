import type { StoreLocation, Stores } from './stores.types.ts';

export type { StoreLocation, Stores } from './stores.types.ts';

/** Opens (creating and migrating where needed) every store on one database. */
export async function openStores(location: StoreLocation): Promise<Stores> {
  if (location.kind === 'sqlite') {
    const { openSqliteStores } = await import('./stores.sqlite.ts');
    return openSqliteStores(location.file);
  }
  // Loaded only here: a SQLite host never loads the PostgreSQL client.
  const { openPostgresStores } = await import('./stores.postgres.ts');
  return openPostgresStores(location);
}

import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { DatabaseTooNewError, MIGRATIONS } from '../store/migrations/index.ts';
import { parseKey, resolveKeyFile, sealKeyId, type KeySettings } from './crypto.ts';
import { databaseFile } from './paths.ts';

/**
 * What `fronta serve` looks at before it opens anything for writing: a database it must not
 * touch (from a newer build, damaged, not a database at all) and a key that would not open the
 * data (missing, or another one). Each is one line for the operator, and the host does not
 * start: never a stack trace, never a migration run on a damaged file, never a fresh key
 * quietly made beside data sealed under the old one. The file is opened read-only.
 */
export function startRefusal(dataDir: string, keys: KeySettings): string | null {
  const file = databaseFile(dataDir);
  if (!existsSync(file)) return null;
  const untouched = 'the file was left as it is';
  let inUse: string[];
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const version = db.pragma('user_version', { simple: true }) as number;
    const latest = MIGRATIONS.at(-1)?.version ?? 0;
    if (version > latest) return `${file}: ${new DatabaseTooNewError(version, latest).message}, or restore a backup this one made; ${untouched}`;
    const check = db.pragma('quick_check(1)', { simple: true }) as string;
    if (check !== 'ok') return `the database ${file} is damaged (${check}); restore a backup (fronta restore FILE); ${untouched}`;
    inUse = sealKeysInUse(db);
  } catch (e) {
    return `the database ${file} cannot be read (${e instanceof Error ? e.message : String(e)}): damaged, or not a Fronta database; restore a backup (fronta restore FILE); ${untouched}`;
  } finally {
    db?.close();
  }
  return keyRefusal(inUse, keys, dataDir, file);
}

/**
 * Whether the configured key opens the data: `inUse` the key ids the sealed values name, `where`
 * the database as the operator knows it (the file, or the PostgreSQL URL without its password).
 */
export function keyRefusal(inUse: readonly string[], keys: KeySettings, dataDir: string, where: string): string | null {
  if (inUse.length === 0) return null;
  let master: Buffer;
  let source: string;
  let previous: Buffer[];
  try {
    previous = keys.previousKeys.map(parseKey);
    if (keys.secretKey !== undefined && keys.secretKey !== '') {
      master = parseKey(keys.secretKey);
      source = 'FRONTA_SECRET_KEY';
    } else {
      const keyFile = resolveKeyFile(keys, dataDir).file;
      if (!existsSync(keyFile)) {
        return `the key file ${keyFile} does not exist, but ${where} holds contacts sealed with a key (id ${inUse.join(', ')}); give that key with --key-file or FRONTA_KEY_FILE (a new key would leave them unreadable)`;
      }
      source = `the key file ${keyFile}`;
      master = parseKey(readFileSync(keyFile, 'utf8'));
    }
  } catch (e) {
    return `the sealing key cannot be read: ${e instanceof Error ? e.message : String(e)}`;
  }
  const known = new Set([master, ...previous].map(sealKeyId));
  if (inUse.some((id) => known.has(id))) return null;
  return `${source} is not the key ${where} was sealed with (key id ${[...known][0]}, the data uses ${inUse.join(', ')}); give the right key with --key-file or FRONTA_KEY_FILE`;
}

/** Tables and columns that hold sealed values (`v1.<key id>.…`), where the schema has them. */
const SEALED = [
  ['bookings', 'name_sealed'],
  ['applications', 'name_sealed'],
  ['roster_entries', 'name_sealed'],
  ['draws', 'seed_sealed'],
  ['outbox', 'sealed'],
] as const;

/** The ids of the keys the database's sealed values name. */
function sealKeysInUse(db: Database.Database): string[] {
  const tables = new Set((db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[]));
  const query = sealKeysQuery(tables);
  return query === null ? [] : (db.prepare(query).pluck().all() as string[]);
}

/** The SELECT of the key ids in use over the sealed columns of the tables there are (the same SQL in both dialects). */
export function sealKeysQuery(tables: ReadonlySet<string>): string | null {
  const parts = SEALED.filter(([t]) => tables.has(t)).map(([t, c]) => `SELECT ${c} AS v FROM ${t}`);
  if (parts.length === 0) return null;
  return `SELECT DISTINCT substr(v, 4, 8) AS id FROM (${parts.join(' UNION ALL ')}) AS sealed WHERE v LIKE 'v1.%'`;
}

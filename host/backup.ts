import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../store/migrations/index.ts';
import { databaseFile } from './paths.ts';

/**
 * Backups of the data folder's database, taken while the host runs. SQLite's online backup from a
 * connection of its own: the host goes on issuing tickets meanwhile. The copy is made in one step
 * (one read transaction), so it is the database as of one commit: every ticket acknowledged before
 * the backup began is in it. Between steps a write by the host would restart a stepwise copy,
 * which under a busy lobby might never finish.
 *
 * The sealing key is NOT in a backup (it lives outside the data folder on purpose): back the key
 * file up separately, or the restored contacts cannot be opened.
 */

const BACKUP_NAME = /^fronta-(\d{8}T\d{6}Z)\.db$/;

export interface BackupResult {
  file: string;
  bytes: number;
  ms: number;
}

const stamp = (at: number): string => new Date(at).toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

export class BackupError extends Error {}

/** `PRAGMA integrity_check` of a database file, read-only; null when sound, else what is wrong. */
export function integrityProblem(file: string): string | null {
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
  try {
    const rows = db.pragma('integrity_check') as { integrity_check: string }[];
    const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
    return problems.length === 0 ? null : problems.slice(0, 5).join('; ');
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    db.close();
  }
}

/** Copies the database into `toDir` as `fronta-<UTC time>.db`, checked before it gets its name. */
export async function backupDatabase(dataDir: string, toDir: string, at: number): Promise<BackupResult> {
  const source = databaseFile(dataDir);
  if (!existsSync(source)) throw new BackupError(`no Fronta data in ${dataDir}`);
  mkdirSync(toDir, { recursive: true });
  const file = join(toDir, `fronta-${stamp(at)}.db`);
  const partial = `${file}.partial`;
  const started = performance.now();
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    // All pages in one step: one snapshot, never restarted by the host's commits.
    await db.backup(partial, { progress: () => 1_000_000_000 });
  } finally {
    db.close();
  }
  // The copy keeps the live file's WAL mode, and a read-only check of a WAL file leaves its -wal
  // and -shm behind (never pruned, beside every backup): a backup is one self-contained file.
  const copy = new Database(partial, { fileMustExist: true });
  try {
    copy.pragma('journal_mode = DELETE');
  } finally {
    copy.close();
  }
  const problem = integrityProblem(partial);
  if (problem !== null) {
    rmSync(partial, { force: true });
    throw new BackupError(`the copy failed its integrity check: ${problem}`);
  }
  renameSync(partial, file);
  return { file, bytes: statSync(file).size, ms: Math.round(performance.now() - started) };
}

/** Deletes this folder's backups older than `keepDays` (never the newest one). Returns the names removed. */
export function pruneBackups(dir: string, keepDays: number, now: number): string[] {
  if (!existsSync(dir)) return [];
  const backups = readdirSync(dir)
    .filter((n) => BACKUP_NAME.test(n))
    .sort();
  const newest = backups.at(-1);
  const removed: string[] = [];
  for (const name of backups) {
    if (name === newest) continue;
    if (now - statSync(join(dir, name)).mtimeMs > keepDays * 86_400_000) {
      unlinkSync(join(dir, name));
      removed.push(name);
    }
  }
  return removed;
}

/** Written by a running host, removed when it stops: `restore` must not swap a database under it. */
export const hostPidFile = (dataDir: string): string => join(dataDir, 'host.pid');

export function markHostRunning(dataDir: string): () => void {
  const file = hostPidFile(dataDir);
  writeFileSync(file, `${process.pid}\n`);
  return () => {
    try {
      if (readFileSync(file, 'utf8').trim() === String(process.pid)) unlinkSync(file);
    } catch {
      // Already gone: nothing to clean.
    }
  };
}

/** The pid of a live host on this data folder, or null (no file, or its process is gone). */
export function runningHost(dataDir: string): number | null {
  let pid: number;
  try {
    pid = Number(readFileSync(hostPidFile(dataDir), 'utf8').trim());
  } catch {
    return null;
  }
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (e) {
    // EPERM: alive but someone else's process — still a host we must not pull the floor from.
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}

/**
 * Puts a backup in place of the data folder's database. Refused while a host runs on the folder, for
 * a file that fails its integrity check, or one written by a newer Fronta. The database it replaces
 * is kept beside it (`before-restore-<time>/`), never deleted.
 */
export function restoreDatabase(dataDir: string, backup: string, at: number): { keptAt: string | null } {
  const pid = runningHost(dataDir);
  if (pid !== null) throw new BackupError(`a host is running on ${dataDir} (pid ${pid}): stop it first (systemctl stop fronta)`);
  if (!existsSync(backup)) throw new BackupError(`no such file: ${backup}`);
  const problem = integrityProblem(backup);
  if (problem !== null) throw new BackupError(`${basename(backup)} is not a sound database: ${problem}`);
  const version = readVersion(backup);
  if (version > MIGRATIONS.length) {
    throw new BackupError(`${basename(backup)} was written by a newer Fronta (database version ${version}, this one knows ${MIGRATIONS.length}): upgrade first`);
  }
  mkdirSync(dataDir, { recursive: true });
  const target = databaseFile(dataDir);
  let keptAt: string | null = null;
  if (existsSync(target)) {
    keptAt = join(dataDir, `before-restore-${stamp(at)}`);
    mkdirSync(keptAt, { recursive: true });
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(target + suffix)) renameSync(target + suffix, join(keptAt, basename(target) + suffix));
  }
  copyFileSync(backup, `${target}.restoring`);
  renameSync(`${target}.restoring`, target);
  return { keptAt };
}

function readVersion(file: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('user_version', { simple: true }) as number;
  } finally {
    db.close();
  }
}

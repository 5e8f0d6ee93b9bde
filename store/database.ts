import Database from 'better-sqlite3';
import { migrate } from './migrations/index.ts';

export type Db = Database.Database;

/**
 * Opens (creating if needed) and migrates the database. WAL so readers never block the writer;
 * `synchronous=FULL` so a commit is on disk before anyone is told it happened — a ticket in a
 * client's hand must survive a power cut. Group commit (unit-of-work.ts) pays for that.
 */
export function openDatabase(file: string): Db {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

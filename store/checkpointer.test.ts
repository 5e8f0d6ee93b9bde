import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startCheckpointer } from './checkpointer.ts';
import { openDatabase } from './database.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const waitUntil = async (ok: () => boolean, ms: number): Promise<boolean> => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (ok()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return ok();
};

describe('the checkpointer thread', () => {
  it('copies committed pages into the database file while the writer keeps writing, and hands the automatic checkpoint back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fronta-ckpt-'));
    dirs.push(dir);
    const file = join(dir, 'fronta.db');
    const db = openDatabase(file);
    db.exec('CREATE TABLE filler (id INTEGER PRIMARY KEY, blob BLOB NOT NULL) STRICT');
    db.pragma('wal_checkpoint(TRUNCATE)');
    const before = statSync(file).size;
    const checkpointer = startCheckpointer(db, file, { everyMs: 25 });
    // The writer's own automatic checkpoint is raised out of the way while the thread runs.
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(8_000);
    // About 2,000 pages in 400 durable commits: under the writer's threshold, so only the thread checkpoints.
    const insert = db.prepare('INSERT INTO filler (blob) VALUES (?)');
    for (let i = 0; i < 400; i++) db.transaction(() => insert.run(Buffer.alloc(20_000, i % 256))).immediate();
    expect(await waitUntil(() => statSync(file).size > before + 7_000_000, 5_000)).toBe(true);
    await checkpointer.stop();
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(1_000);
    db.close();
    // Another connection reads every row from the file.
    const reader = new Database(file, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM filler').pluck().get()).toBe(400);
    reader.close();
  });
});

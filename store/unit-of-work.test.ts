import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './database.ts';
import { GroupCommitUnitOfWork } from './unit-of-work.ts';
import { storeWrite } from './write-gate.ts';

let dir: string;
let db: Db;
let uow: GroupCommitUnitOfWork;
const notes = (): string[] => (db.prepare('SELECT note FROM t ORDER BY id').pluck().all() as string[]);
const later = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'fronta-uow-'));
  db = openDatabase(join(dir, 'f.db'));
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT');
  uow = new GroupCommitUnitOfWork(db);
});
afterEach(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('group commit of async units', () => {
  it('runs the units of a group one after another, never interleaved, and rolls back a failed one alone', async () => {
    const order: string[] = [];
    const unit = (name: string, fail = false) =>
      uow.run(async () => {
        order.push(`${name} begins`);
        db.prepare('INSERT INTO t (note) VALUES (?)').run(name);
        await Promise.resolve();
        order.push(`${name} ends`);
        if (fail) throw new Error(name);
        return name;
      });
    const results = await Promise.allSettled([unit('a'), unit('b', true), unit('c')]);
    expect(order).toEqual(['a begins', 'a ends', 'b begins', 'b ends', 'c begins', 'c ends']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(notes()).toEqual(['a', 'c']);
  });

  it('refuses a stranger’s transaction while a group is open, and makes a stranger’s store write wait for the next group', async () => {
    const seen: { direct?: unknown; nextRan?: boolean } = {};
    let gate: Promise<unknown> | null = null;
    let next: Promise<string> | null = null;
    // Set up outside the unit: whatever it runs is someone else's code, not the unit's.
    const stranger = later(5).then(() => {
      try {
        db.transaction(() => db.prepare('INSERT INTO t (note) VALUES (?)').run('direct')).immediate();
      } catch (error) {
        seen.direct = error;
      }
      gate = storeWrite(db, () => db.prepare('INSERT INTO t (note) VALUES (?)').run('stranger'));
      next = uow.run(async () => {
        seen.nextRan = true;
        db.prepare('INSERT INTO t (note) VALUES (?)').run('next');
        return 'next';
      });
    });
    const slow = uow.run(async () => {
      db.prepare('INSERT INTO t (note) VALUES (?)').run('slow');
      // A unit must not wait for real I/O; this one does, so that a stranger runs meanwhile.
      await later(20);
      expect(seen.nextRan).toBeUndefined();
      return 'slow';
    });
    await stranger;
    await expect(slow).resolves.toBe('slow');
    await gate!;
    await expect(next!).resolves.toBe('next');
    expect(seen.direct).toBeInstanceOf(Error);
    expect(notes()).toEqual(['slow', 'stranger', 'next']);
  });

  it('a store write outside any group becomes a unit of its own, committed before it answers', async () => {
    await storeWrite(db, () => db.prepare('INSERT INTO t (note) VALUES (?)').run('own'));
    expect(db.inTransaction).toBe(false);
    expect(notes()).toEqual(['own']);
  });
});

describe('after a commit', () => {
  it('a caller answered by the group may write at once: its write is a unit of the next group', async () => {
    const first = uow.run(() => db.prepare('INSERT INTO t (note) VALUES (?)').run('first'));
    const followUp = first.then(() => storeWrite(db, () => db.prepare('INSERT INTO t (note) VALUES (?)').run('follow-up')));
    await followUp;
    expect(notes()).toEqual(['first', 'follow-up']);
  });
});

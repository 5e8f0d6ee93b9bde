import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testOffice } from '../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { openDatabase } from './database.ts';
import { DatabaseTooNewError, MIGRATIONS, migrate } from './migrations.ts';

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'fronta-mig-')), 'f.db');

describe('migrations', () => {
  it('bring an empty database to the latest version, durably configured', () => {
    const db = openDatabase(tmpFile());
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });

  it('migration 1 holds real rows and its constraints refuse bad ones', () => {
    const db = openDatabase(tmpFile());
    saveOfficeConfig(db, testOffice());
    const insert = db.prepare(`INSERT INTO tickets (id, office_id, service_id, prefix, seq, day, number, state, arrived_at, issued_at)
      VALUES (?, 'o1', 'o1-s1', 'A', ?, '2026-11-23', ?, ?, 0, 0)`);
    insert.run('t1', 1, 'A001', 'waiting');
    expect(() => insert.run('t2', 1, 'A001', 'waiting')).toThrow(/UNIQUE/); // a number twice on a day
    expect(() => insert.run('t3', 2, 'A002', 'lost')).toThrow(/CHECK/); // no such state
    expect(() => db.prepare(`UPDATE services SET prefix = 'a1' WHERE id = 'o1-s1'`).run()).toThrow(/CHECK/);
    expect(db.prepare(`SELECT waiting FROM queue_counts WHERE service_id = 'o1-s1'`).pluck().get()).toBe(1);
    db.close();
  });

  it('re-opening an up-to-date database changes nothing', () => {
    const file = tmpFile();
    const db = openDatabase(file);
    saveOfficeConfig(db, testOffice());
    db.close();
    const again = openDatabase(file);
    expect(again.prepare('SELECT count(*) FROM services').pluck().get()).toBe(3);
    again.close();
  });

  it('refuses a database written by a newer build', () => {
    const file = tmpFile();
    const raw = new Database(file);
    raw.pragma(`user_version = ${MIGRATIONS.length + 1}`);
    expect(() => migrate(raw)).toThrow(DatabaseTooNewError);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this build/);
  });
});

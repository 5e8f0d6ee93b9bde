import Database from 'better-sqlite3';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testOffice } from '../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { openDatabase } from './database.ts';
import { SqliteConfigStore } from './office-config.store.ts';
import { DatabaseTooNewError, MIGRATIONS, migrate } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';

const tmpFile = () => join(mkdtempSync(join(tmpdir(), 'fronta-mig-')), 'f.db');

describe('migrations', () => {
  it('bring an empty database to the latest version, durably configured', () => {
    const db = openDatabase(tmpFile());
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.at(-1)!.version);
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
    expect(db.prepare(`SELECT issued FROM daily_issued WHERE service_id = 'o1-s1'`).pluck().get()).toBe(1);
    db.close();
  });

  it('migration 3 gives existing devices a printer mode of none and accepts only agent or none', () => {
    const file = tmpFile();
    const raw = new Database(file);
    // A database as version 2 left it, with real rows.
    raw.transaction(() => {
      raw.exec(MIGRATIONS[0]!.sql);
      raw.exec(MIGRATIONS[1]!.sql);
      raw.pragma('user_version = 2');
    })();
    raw.exec(`INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ('o1', 'O', 'Europe/Prague', '["cs"]', '[]', '[]', '{}')`);
    raw.exec(`INSERT INTO devices (id, office_id, kind, name, token_hash, created_at) VALUES ('k1', 'o1', 'kiosk', 'Hall', 'h1', 0), ('d1', 'o1', 'display', 'TV', 'h2', 0)`);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT id, printer FROM devices ORDER BY id').all()).toEqual([
      { id: 'd1', printer: 'none' },
      { id: 'k1', printer: 'none' },
    ]);
    db.prepare(`UPDATE devices SET printer = 'agent' WHERE id = 'k1'`).run();
    expect(() => db.prepare(`UPDATE devices SET printer = 'laser' WHERE id = 'k1'`).run()).toThrow(/CHECK/);
    db.close();
  });

  it('migrations 18 and 19 keep existing users and devices as they were (no install admin, no password to change, never seen) and start an empty audit', () => {
    const file = tmpFile();
    const raw = new Database(file);
    // A database as version 14 left it, with real rows.
    const before = MIGRATIONS.filter((m) => m.version <= 14);
    raw.transaction(() => {
      for (const m of before) raw.exec(m.sql);
      raw.pragma('user_version = 14');
    })();
    raw.exec(`INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ('o1', 'O', 'Europe/Prague', '["cs"]', '[]', '[]', '{}')`);
    raw.exec(`INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at) VALUES ('u1', 'o1', 'jana', 'Jana', 'admin', 'h', 0)`);
    raw.exec(`INSERT INTO devices (id, office_id, kind, name, token_hash, created_at) VALUES ('k1', 'o1', 'kiosk', 'Hall', 'h1', 0)`);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT email, is_install_admin, must_change_password FROM users').all()).toEqual([{ email: null, is_install_admin: 0, must_change_password: 0 }]);
    expect(db.prepare('SELECT last_seen_at FROM devices').all()).toEqual([{ last_seen_at: null }]);
    expect(db.prepare('SELECT count(*) FROM people_audit').pluck().get()).toBe(0);
    expect(() => db.prepare(`UPDATE users SET is_install_admin = 2`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO people_audit (office_id, at, via, entity, entity_id, action) VALUES ('o1', 0, 'web', 'user', 'u1', 'created')`).run()).toThrow(/CHECK/);
    db.close();
  });

  it('migration 15 keeps an office configured before it: its name, closed days and counters read back as the configuration', async () => {
    const file = tmpFile();
    const raw = new Database(file);
    raw.transaction(() => {
      for (const m of MIGRATIONS.slice(0, 14)) raw.exec(m.sql);
      raw.pragma('user_version = 14');
    })();
    raw.pragma('foreign_keys = ON');
    raw.exec(`INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ('o1', 'Úřad', 'Europe/Prague', '["cs","en"]',
      '[[["08:00","12:00"],["13:00","17:00"]],[],[],[],[],[],[]]', '["2026-12-24"]', '{"maxWaitMin":0,"maxRecalls":2,"defaultServiceMin":5,"priorityCategories":[]}')`);
    raw.exec(`INSERT INTO departments (id, office_id, names, position) VALUES ('d1', 'o1', '{"cs":"Odbor"}', 1)`);
    raw.exec(`INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position) VALUES ('s1', 'o1', 'd1', 'A', '{"cs":"Pasy"}', 50, 1)`);
    raw.exec(`INSERT INTO counters (id, office_id, number, service_ids, status) VALUES ('c1', 'o1', '1', '["s1"]', 'closed')`);
    raw.close();
    const db = openDatabase(file);
    const loaded = await new SqliteConfigStore(db).load('o1');
    expect(loaded?.config).toMatchObject({
      office: { names: { cs: 'Úřad' }, voiceLanguages: ['cs'], address: null },
      hours: { mon: { open: '08:00', close: '17:00', breaks: [{ from: '12:00', to: '13:00' }] }, tue: null },
      calendar: { closedDays: [{ date: '2026-12-24' }], changedDays: [] },
      services: [{ id: 's1', prefix: 'A', hours: null, online: null }],
      counters: [{ id: 'c1', number: '1', name: null, departmentId: null, serviceIds: ['s1'] }],
    });
    expect(() => db.prepare(`INSERT INTO config_changes (office_id, at, via, sections, changes, before, after) VALUES ('o1', 0, 'mail', '[]', '[]', '{}', '{}')`).run()).toThrow(/CHECK/);
    db.close();
  });

  it('migration 23 moves the alert thresholds the monitor used into the office configuration, and drops their table', async () => {
    const file = tmpFile();
    const raw = new Database(file);
    raw.transaction(() => {
      for (const m of MIGRATIONS.filter((x) => x.version <= 22)) raw.exec(m.sql);
      raw.pragma('user_version = 22');
    })();
    const office = (id: string): string => `INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ('${id}', 'Úřad', 'Europe/Prague', '["cs"]',
      '[[],[],[],[],[],[],[]]', '[]', '{"maxWaitMin":0,"maxRecalls":2,"defaultServiceMin":5,"priorityCategories":[]}')`;
    raw.exec(office('o1'));
    raw.exec(office('o2'));
    raw.exec(office('o3'));
    raw.exec(`INSERT INTO alert_settings (office_id, settings, changed_at, changed_by) VALUES ('o1', '{"targetWaitMin":12,"serviceTargets":{"s1":5},"outboxBacklog":9,"providerFailures":2,"emailSupervisors":true}', 1, 'u1')`);
    // Saved before the e-mail switch existed.
    raw.exec(`INSERT INTO alert_settings (office_id, settings, changed_at, changed_by) VALUES ('o2', '{"targetWaitMin":40,"serviceTargets":{},"outboxBacklog":50,"providerFailures":3}', 1, 'u1')`);
    raw.exec(`UPDATE offices SET alerts = '{"waitingOver":null,"waitMinOver":25}' WHERE id = 'o3'`);
    raw.close();
    const db = openDatabase(file);
    const alerts = (id: string): unknown => JSON.parse((db.prepare('SELECT alerts FROM offices WHERE id = ?').pluck().get(id) as string));
    expect(alerts('o1')).toEqual({ targetWaitMin: 12, serviceTargets: { s1: 5 }, outboxBacklog: 9, providerFailures: 2, emailSupervisors: true });
    expect(alerts('o2')).toEqual({ targetWaitMin: 40, serviceTargets: {}, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false });
    expect(alerts('o3')).toEqual({ targetWaitMin: 25, serviceTargets: {}, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false });
    expect(db.prepare("SELECT count(*) FROM sqlite_schema WHERE name = 'alert_settings'").pluck().get()).toBe(0);
    db.close();
  });

  it('migration 26 rebuilds bookings for awaiting_payment: rows, their references and indexes kept, foreign keys still enforced', () => {
    const file = tmpFile();
    const raw = new Database(file);
    raw.transaction(() => {
      for (const m of MIGRATIONS.filter((x) => x.version <= 25)) raw.exec(m.sql);
      raw.pragma('user_version = 25');
    })();
    raw.pragma('foreign_keys = ON');
    saveOfficeConfig(raw, testOffice());
    raw.exec(`INSERT INTO slots (id, service_id, day, start_min, start_at, places, taken) VALUES ('o1-s1~2026-12-01~0900', 'o1-s1', '2026-12-01', 540, 1, 5, 1)`);
    raw.exec(`INSERT INTO bookings (id, number, office_id, service_id, slot_id, day, start_at, state, language, channel, name_sealed, hold_key_hash, hold_expires_at, created_at, kiosk_code, sequence)
      VALUES ('b1', 'N1', 'o1', 'o1-s1', 'o1-s1~2026-12-01~0900', '2026-12-01', 1, 'confirmed', 'cs', 'email', 'sealed', 'h1', 2, 0, '12345678', 3)`);
    raw.exec(`INSERT INTO booking_tokens (hash, booking_id, purpose, expires_at) VALUES ('t1', 'b1', 'confirm', 9)`);
    const indexes = (d: Database.Database): unknown => d.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'bookings' ORDER BY name`).pluck().all();
    const before = indexes(raw);
    raw.close();
    const db = openDatabase(file);
    expect(db.prepare('SELECT id, state, kiosk_code, sequence FROM bookings').all()).toEqual([{ id: 'b1', state: 'confirmed', kiosk_code: '12345678', sequence: 3 }]);
    expect(indexes(db)).toEqual(before);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.prepare(`UPDATE bookings SET state = 'awaiting_payment' WHERE id = 'b1'`).run().changes).toBe(1);
    expect(() => db.prepare(`UPDATE bookings SET state = 'paid' WHERE id = 'b1'`).run()).toThrow(/CHECK/);
    expect(() => db.prepare(`INSERT INTO booking_tokens (hash, booking_id, purpose, expires_at) VALUES ('t2', 'nobody', 'confirm', 9)`).run()).toThrow(/FOREIGN KEY/);
    expect(() => db.prepare(`DELETE FROM bookings WHERE id = 'b1'`).run()).toThrow(/FOREIGN KEY/);
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
    raw.pragma(`user_version = ${MIGRATIONS.at(-1)!.version + 1}`);
    expect(() => migrate(raw)).toThrow(DatabaseTooNewError);
    raw.close();
    expect(() => openDatabase(file)).toThrow(/newer than this build/);
  });

  it('one file per version: numbered 1, 2, 3… without a gap, each declaring the version its name carries, all listed', async () => {
    const dir = new URL('./migrations/', import.meta.url);
    const files = readdirSync(dir)
      .filter((f) => /^\d{4}-.+\.ts$/.test(f) && !f.endsWith('.test.ts'))
      .sort();
    expect(files.length).toBeGreaterThan(0);
    const declared: Migration[] = [];
    for (const [i, file] of files.entries()) {
      expect(file).toMatch(/^\d{4}-[a-z0-9]+(-[a-z0-9]+)*\.ts$/);
      const m = ((await import(new URL(file, dir).href)) as { default: Migration }).default;
      expect({ file, version: m.version }).toEqual({ file, version: Number(file.slice(0, 4)) });
      expect({ file, version: m.version }).toEqual({ file, version: i + 1 });
      declared.push(m);
    }
    // The index runs exactly these, in this order: a file left out of it would never run.
    expect(MIGRATIONS).toEqual(declared);
  });
});

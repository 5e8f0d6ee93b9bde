import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NightlyBackupScheduler, type BackupTimers } from '../host/backup-schedule.ts';
import { integrityProblem } from '../host/backup.ts';
import { startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * The nightly backup as the back office sets it: an admin changes its hour and retention over the
 * API; the scheduler, on a fake clock and timer, takes a real backup of the live SQLite file when
 * that hour comes, deletes the backups past the retention (never the newest), and arms the next night.
 */

/** A clock and one pending timer that the test fires: no global patching. */
class FakeTimers implements BackupTimers {
  at: number;
  pending: { run: () => void; due: number } | null = null;
  constructor(at: number) {
    this.at = at;
  }
  now = (): number => this.at;
  setTimeout = (run: () => void, ms: number): unknown => (this.pending = { run, due: this.at + ms });
  clearTimeout = (handle: unknown): void => {
    if (handle === this.pending) this.pending = null;
  };
  /** Moves the clock to the pending timer's moment and runs it. */
  fire(): void {
    const p = this.pending!;
    this.pending = null;
    this.at = p.due;
    p.run();
  }
}

const DAY = 86_400_000;
const localHhMm = (ms: number): string => {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
};

let h: TestHost;
beforeEach(async () => {
  h = await startTestHost();
});
afterEach(async () => {
  await h.close();
});

const admin = (method: 'GET' | 'PUT', payload?: object, who = 'admin') =>
  h.app.inject({ method, url: '/api/v1/offices/o1/backups', headers: { cookie: h.cookie(who), 'accept-language': 'en' }, ...(payload === undefined ? {} : { payload }) });

describe('nightly backups set in the back office', () => {
  it('an admin reads and sets the hour and retention; bad values are refused naming the field and change nothing; clerks may not', async () => {
    expect((await admin('GET')).json()).toEqual({ keepDays: 14, at: '02:30', dir: join(h.dir, 'backups'), backups: [] });
    const set = await admin('PUT', { keepDays: 3, at: '23:15' });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ keepDays: 3, at: '23:15' });
    for (const [body, field] of [
      [{ keepDays: 0, at: '01:00' }, 'keepDays'],
      [{ keepDays: 3, at: '24:00' }, 'at'],
      [{ keepDays: 3, at: '1:00' }, 'at'],
      [{ keepDays: 3 }, 'at'],
    ] as const) {
      const r = await admin('PUT', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error).toMatchObject({ code: 'VALIDATION_FAILED', field: expect.stringContaining(field) });
    }
    expect((await admin('GET')).json()).toMatchObject({ keepDays: 3, at: '23:15' });
    expect((await admin('GET', undefined, 'clerk1')).statusCode).toBe(403);
  });

  it('when its hour comes the scheduler backs up the live database, prunes past the retention, and arms the next night', async () => {
    const start = Date.now();
    const timers = new FakeTimers(start);
    const backups = join(h.dir, 'backups');
    const scheduler = new NightlyBackupScheduler(h.dir, { dir: backups, keepDays: 14, at: '02:30' }, { info: () => {}, error: () => {} }, timers).start();
    try {
      // Old backups: one inside the retention an admin is about to set, one past it.
      const old = (name: string, days: number): void => {
        writeFileSync(join(backups, name), 'old');
        const t = (start - days * DAY) / 1000;
        utimesSync(join(backups, name), t, t);
      };
      mkdirSync(backups, { recursive: true });
      old('fronta-20200101T023000Z.db', 5);
      old('fronta-20200102T023000Z.db', 0.5);

      // The admin moves the backup to two hours from now (local time), through the route's port.
      const due = start + 2 * 3_600_000;
      scheduler.save({ keepDays: 3, at: localHhMm(due) });
      const wanted = new Date(due);
      wanted.setSeconds(0, 0);
      expect(timers.pending!.due).toBe(wanted.getTime());

      // Tickets issued before the night's backup are in it.
      const issued = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
      expect(issued.statusCode).toBe(201);
      timers.fire();
      await scheduler.running;

      const names = readdirSync(backups).sort();
      const taken = names.filter((n) => !n.startsWith('fronta-2020'));
      expect(taken, names.join(' ')).toHaveLength(1);
      expect(integrityProblem(join(backups, taken[0]!))).toBeNull();
      const copy = new Database(join(backups, taken[0]!), { readonly: true });
      expect(copy.prepare('SELECT COUNT(*) AS n FROM tickets WHERE id = ?').get(issued.json().ticket.id)).toEqual({ n: 1 });
      copy.close();
      // Five days old is past three days: deleted; half a day old is kept.
      expect(names).toContain('fronta-20200102T023000Z.db');
      expect(existsSync(join(backups, 'fronta-20200101T023000Z.db'))).toBe(false);
      expect(scheduler.list().map((b) => b.name)).toEqual([taken[0], 'fronta-20200102T023000Z.db']);

      // The next night is armed, a day later.
      expect(timers.pending!.due).toBe(wanted.getTime() + DAY);
    } finally {
      scheduler.stop();
    }
    expect(timers.pending).toBeNull();
  });
});

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../host/config.ts';
import { createHost } from '../host/host.ts';
import { seedDemo } from '../host/seed-demo.ts';
import { randomIds, systemClock } from '../host/system.ts';
import { createDevice } from '../server/provisioning.ts';
import { openDatabase } from '../store/database.ts';
import { createPool } from '../store/postgres/pool.ts';
import { REPO_ROOT } from './helpers/child-host.ts';
import { testDatabase, type TestDatabase } from './helpers/postgres.ts';

/**
 * `fronta store copy`: the demo office's appliance, with tickets issued at a kiosk and bookings
 * held on the portal, moved into a real PostgreSQL server — every table counted and checksummed on
 * both sides; a non-empty target is refused; a target that loses rows is caught and left unchanged.
 */

const BIN = join(REPO_ROOT, 'bin', 'fronta.js');
let data: string;
const databases: TestDatabase[] = [];

async function newTarget(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const d = await testDatabase(opts);
  databases.push(d);
  return d;
}

function copy(to: string, from = `sqlite:${data}`): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, 'store', 'copy', '--from', from, '--to', to], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const pool = createPool(url, { max: 1 });
  try {
    return (await pool.query<T>(sql)).rows;
  } finally {
    await pool.end();
  }
}

beforeAll(async () => {
  data = mkdtempSync(join(tmpdir(), 'fronta-copy-'));
  const host = await createHost(readConfig({ data, port: '0', 'log-level': 'silent', demo: true }, {}));
  try {
    await seedDemo(host.stores, { ids: randomIds, clock: systemClock }, data);
    const kiosk = await createDevice(host.access, { ids: randomIds, clock: systemClock }, { officeId: 'demo', kind: 'kiosk', name: 'Test kiosk', printer: 'none' });
    for (const serviceId of ['cashier', 'id-cards', 'id-cards', 'vehicles', 'cashier']) {
      const res = await host.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${kiosk.token}` }, payload: { serviceId } });
      expect(res.statusCode, res.body).toBe(201);
    }
    let held = 0;
    for (let d = 1; d <= 14 && held < 2; d += 1) {
      const day = new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
      const slots = (await host.app.inject({ url: `/api/v1/booking/services/id-cards/days/${day}/slots` })).json<{ slots?: { id: string; free: number }[] }>();
      for (const slot of (slots.slots ?? []).filter((s) => s.free > 0).slice(0, 2 - held)) {
        const res = await host.app.inject({
          method: 'POST',
          url: '/api/v1/booking/holds',
          payload: { slotId: slot.id, name: `JANA NOVÁKOVÁ ${held}`, email: `jana${held}@example.org`, channel: 'email' },
        });
        expect(res.statusCode, res.body).toBe(201);
        held += 1;
      }
    }
    expect(held).toBe(2);
  } finally {
    await host.close();
  }
});

afterAll(async () => {
  for (const d of databases) await d.drop();
  rmSync(data, { recursive: true, force: true });
});

describe('fronta store copy', () => {
  it('moves every table of the appliance and proves it with counts and checksums', async () => {
    const target = await newTarget();
    const r = copy(target.url);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/counts and checksums match/);
    expect(r.out).not.toMatch(/MISMATCH/);
    const source = openDatabase(join(data, 'fronta.db'));
    try {
      for (const table of ['tickets', 'bookings', 'events', 'users', 'devices', 'outbox', 'daily_issued']) {
        const n = source.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
        expect(r.out, table).toMatch(new RegExp(`^${table}\\s+${n}\\s+${n}\\s+[0-9a-f]{16}$`, 'm'));
        const [row] = await query<{ n: number }>(target.url, `SELECT count(*)::bigint AS n FROM ${table}`);
        expect(row?.n, table).toBe(n);
      }
      expect(source.prepare(`SELECT count(*) FROM tickets`).pluck().get()).toBe(5);
      expect(source.prepare(`SELECT count(*) FROM bookings WHERE state = 'held'`).pluck().get()).toBe(2);
      // What triggers derive came with the rows, not twice: issued counts and the configuration's version.
      const issued = source.prepare(`SELECT service_id, day, issued FROM daily_issued ORDER BY service_id`).all();
      expect(await query(target.url, `SELECT service_id, day, issued FROM daily_issued ORDER BY service_id COLLATE "C"`)).toEqual(issued);
      const version = source.prepare('SELECT version FROM config_version').pluck().get();
      expect(await query(target.url, 'SELECT version FROM config_version')).toEqual([{ version }]);
      // The event log continues after the copied ids, as it would have on the appliance.
      const last = source.prepare('SELECT max(id) FROM events').pluck().get() as number;
      const [next] = await query<{ id: number }>(target.url, `INSERT INTO events (office_id, type, payload, at) VALUES ('demo', 'test', '{}', 0) RETURNING id`);
      expect(next?.id).toBe(last + 1);
    } finally {
      source.close();
    }
  });

  it('refuses a target that already holds data, and changes nothing there', async () => {
    const target = await newTarget();
    expect(copy(target.url).code).toBe(0);
    const before = await query(target.url, 'SELECT count(*)::bigint AS n FROM tickets');
    const again = copy(target.url);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/target database is not empty \(.*tickets/);
    expect(await query(target.url, 'SELECT count(*)::bigint AS n FROM tickets')).toEqual(before);
  });

  it('a target that loses rows is caught, reported per table, and rolled back to empty', async () => {
    const target = await newTarget({ migrated: true });
    const pool = createPool(target.url, { max: 1 });
    try {
      // A rule (unlike a trigger, not switched off by the copy) swallows every event written.
      await pool.query('CREATE RULE lose_events AS ON INSERT TO events DO INSTEAD NOTHING');
    } finally {
      await pool.end();
    }
    const r = copy(target.url);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^events\s+\d+\s+0\s+[0-9a-f]{16} ≠ [0-9a-f]{16}\s+MISMATCH$/m);
    expect(r.out).toMatch(/^tickets\s+5\s+5\s+[0-9a-f]{16}$/m);
    expect(r.err).toMatch(/rolled back, the target is unchanged/);
    expect(await query(target.url, 'SELECT count(*)::bigint AS n FROM tickets')).toEqual([{ n: 0 }]);
  });

  it('a row the target’s constraints refuse: one line naming the table, exit 2, nothing written', async () => {
    const target = await newTarget({ migrated: true });
    const pool = createPool(target.url, { max: 1 });
    try {
      // Stands for a constraint the two dialects would read differently: the cashier's tickets break it.
      await pool.query(`ALTER TABLE tickets ADD CONSTRAINT no_cashier CHECK (prefix <> 'P')`);
    } finally {
      await pool.end();
    }
    const r = copy(target.url);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^fronta: the target refused a row of tickets: .*no_cashier/);
    expect(await query(target.url, 'SELECT count(*)::bigint AS n FROM offices')).toEqual([{ n: 0 }]);
  });

  it('says in one line what is wrong with its arguments or the server', async () => {
    expect(copy('mysql://x').err).toMatch(/--to postgres:\/\//);
    expect(copy('postgres://fronta@127.0.0.1:1/x', 'sqlite:/nonexistent/folder').err).toMatch(/no Fronta database at/);
    const unreachable = copy('postgres://fronta:secret@127.0.0.1:1/x');
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toMatch(/^fronta: cannot use postgres:\/\/fronta:\*\*\*@127\.0\.0\.1:1\/x/);
    expect(unreachable.err).not.toContain('secret');
  });
});

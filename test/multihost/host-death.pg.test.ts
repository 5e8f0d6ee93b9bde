import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { killChildHosts, readDemoCredentials, startChildHost, type ChildHost } from '../helpers/child-host.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';

/**
 * Two real host processes (`fronta serve --database postgres://…`) behind one imaginary load
 * balancer; the one running the background work is SIGKILLed in the middle of a burst of ticket
 * issues. Every ticket a host answered is in the database, and the survivor runs the background
 * work within 10 s.
 */

let database: TestDatabase;
let sql: PgPool;
const dirs: string[] = [];

beforeAll(async () => {
  database = await testDatabase();
  sql = createPool(database.url, { max: 2 });
});

afterAll(async () => {
  await killChildHosts();
  await sql.end();
  await database.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const start = (): Promise<ChildHost> => {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-pg-host-'));
  dirs.push(dir);
  return startChildHost(dir, 90_000, ['--database', database.url]);
};

/** Tasks whose passes come every few seconds (the purge and rollups ask hourly and every ten minutes). */
const FREQUENT = ['webhooks', 'outbox', 'booking-sweep'];

const holders = async (): Promise<Map<string, string>> =>
  new Map((await sql.query<{ name: string; owner: string }>(`SELECT name, owner FROM leases WHERE expires_at > (extract(epoch FROM clock_timestamp()) * 1000)::bigint`)).rows.map((r) => [r.name, r.owner]));
const pidOf = (owner: string): number => Number(owner.split(':').at(-2));

it('a host SIGKILLed mid-load loses no answered ticket, and its background work resumes on the other within 10 s', async () => {
  const first = await start();
  const second = await start();
  const creds = readDemoCredentials(dirs[0]!);
  // The demo's kiosks print through an agent connected to one host; this load is about the queue, so they issue straight to it.
  await sql.query(`UPDATE devices SET printer = 'none' WHERE kind = 'kiosk'`);
  // The load runs until the takeover is seen and 20 more are answered: the demo's daily capacities would run out first on a fast machine.
  await sql.query('UPDATE services SET daily_walk_in_capacity = 100000');
  await expect.poll(async () => { const now = await holders(); return FREQUENT.every((t) => now.has(t)); }, { timeout: 15_000 }).toBe(true);
  const held = await holders();
  // Each task on exactly one host: the lease rows name one owner each.
  const victim = [first, second].find((h) => h.proc.pid === pidOf(held.get('booking-sweep')!))!;
  const survivor = victim === first ? second : first;
  const victimTasks = FREQUENT.filter((t) => pidOf(held.get(t)!) === victim.proc.pid);

  const answered: string[] = [];
  const refused: string[] = [];
  let stop = false;
  const hosts = [first, second];
  const load = Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; !stop; i += 1) {
        const host = hosts[(w + i) % 2]!;
        const res = await fetch(`${host.url}/api/v1/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${creds.kioskToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ serviceId: ['cashier', 'id-cards', 'vehicles'][i % 3] }),
        }).catch(() => null);
        if (res?.status === 201) answered.push(((await res.json()) as { ticket: { id: string } }).ticket.id);
        else if (res !== null) refused.push(`${res.status} ${(await res.text()).slice(0, 200)}`);
        else refused.push('no answer');
      }
    }),
  );
  await expect.poll(() => answered.length, { timeout: 20_000 }).toBeGreaterThan(60);
  victim.proc.kill('SIGKILL');
  const killedAt = performance.now();
  await victim.exited;
  // The survivor serves on, and takes the victim's work over.
  let tookOver = Infinity;
  while (performance.now() - killedAt < 12_000) {
    const now = await holders();
    if (victimTasks.every((t) => now.get(t) !== undefined && pidOf(now.get(t)!) === survivor.proc.pid)) {
      tookOver = performance.now() - killedAt;
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const before = answered.length;
  await expect.poll(() => answered.length, { timeout: 10_000, message: `${refused.length} refused: ${refused.slice(-5).join(' | ')}\n${survivor.output().slice(-2000)}` }).toBeGreaterThan(before + 20);
  stop = true;
  await load;
  expect(tookOver, `tasks ${victimTasks.join(', ')} still not on the survivor`).toBeLessThan(10_000);

  const stored = new Set((await sql.query<{ id: string }>('SELECT id FROM tickets')).rows.map((r) => r.id));
  expect(answered.filter((id) => !stored.has(id))).toEqual([]);
  const dup = await sql.query('SELECT office_id, prefix, day, seq FROM tickets GROUP BY 1, 2, 3, 4 HAVING count(*) > 1');
  expect(dup.rows).toEqual([]);
}, 150_000);

import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startBareServer } from './host.ts';
import type { RushPlan, RushResult } from './rush-client.ts';
import { policy } from '../../test/helpers/booking.ts';
import { startPgHosts } from '../../test/helpers/pg-hosts.ts';
import { createPool } from '../../store/postgres/pool.ts';

/**
 * The release-instant rush against N hosts on one PostgreSQL (test/helpers/pg-hosts.ts: each host
 * its own pool, unit of work, event-log tail and leases), clients split across them as a load
 * balancer would. What the database holds afterwards is counted here: the places booked, any
 * slot over its capacity, any identity with two bookings.
 */
export const RUSH_PLACES = 240;
export const RUSH_DAY = '2026-11-25'; // Wednesday; the hosts' clock stands at Monday 23 Nov 09:00 Prague
const CLIENT = fileURLToPath(new URL('./rush-client.ts', import.meta.url));

export interface PgRushResult extends RushResult {
  booked: number;
  oversold: number;
  duplicateIdentities: number;
}

export function runRushClients(plan: RushPlan): Promise<RushResult> {
  return new Promise((resolve, reject) => {
    const child = fork(CLIENT, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 2, 2, 'ipc'] });
    let result: RushResult | null = null;
    child.on('message', (m) => {
      result = m as RushResult;
    });
    child.on('error', reject);
    child.on('exit', (code) => (result !== null ? resolve(result) : reject(new Error(`rush client exited with code ${String(code)} and no result`))));
    child.send(plan);
  });
}

export async function pgRush(hosts: number, clients: number): Promise<PgRushResult> {
  const h = await startPgHosts(hosts, {
    booking: { policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: RUSH_PLACES * 2 }, onlineSharePct: 50, slotMin: 15 })], limits: {} },
  });
  const bare = await startBareServer('/api/v1/booking/holds');
  try {
    // The sweep of whichever host holds its lease stores the day's slots in the minute before it opens.
    await Promise.all(h.hosts.map((x) => x.booking!.sweep()));
    const r = await runRushClients({ url: h.hosts[0]!.url, urls: h.hosts.map((x) => x.url), bareUrl: bare.url, clients, serviceId: 'o1-s1', day: RUSH_DAY });
    const sql = createPool(h.database.url, { max: 1 });
    const one = async (text: string): Promise<number> => Number((await sql.query<{ n: number | string }>(text, [RUSH_DAY])).rows[0]?.n ?? 0);
    const booked = await one(`SELECT count(*) AS n FROM bookings WHERE day = $1 AND state IN ('held', 'confirmed')`);
    const oversold = await one(
      `SELECT coalesce(sum(c - places), 0) AS n FROM (SELECT s.places AS places, count(b.id) AS c FROM slots s JOIN bookings b ON b.slot_id = s.id AND b.state IN ('held', 'confirmed') WHERE s.day = $1 GROUP BY s.id, s.places) x WHERE c > places`,
    );
    const duplicateIdentities = await one(
      `SELECT count(*) AS n FROM (SELECT email_hash FROM bookings WHERE day = $1 AND state IN ('held', 'confirmed') GROUP BY email_hash HAVING count(*) > 1) x`,
    );
    await sql.end();
    return { ...r, booked, oversold, duplicateIdentities };
  } finally {
    await bare.close();
    await h.close();
  }
}

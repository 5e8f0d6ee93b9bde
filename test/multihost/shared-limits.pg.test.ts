import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPgHosts, type PgHosts } from '../helpers/pg-hosts.ts';
import { testOffice } from '../helpers/office.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { issueTicket } from '../../core/queue/issue-ticket.ts';
import { randomIds } from '../../host/system.ts';
import { MONDAY_0900_PRAGUE } from '../helpers/fakes.ts';

/**
 * Two hosts on one PostgreSQL behind a load balancer: what one client or one clerk does through
 * both hosts at once counts once — a rate limit is not doubled, a double press at one counter does
 * not seat two clients there.
 */

const COUNTERS = 6;
const GUESSES_PER_MIN = 6;
let h: PgHosts;
let sql: PgPool;

beforeAll(async () => {
  h = await startPgHosts(2, {
    config: testOffice({ services: 1, counters: Array.from({ length: COUNTERS }, () => [0]) }),
    booking: { policies: [], limits: { holdPerMin: 100_000, guessPerMin: GUESSES_PER_MIN, lookupPerMin: 100_000 } },
  });
  sql = createPool(h.database.url, { max: 2 });
}, 60_000);

afterAll(async () => {
  await sql.end();
  await h.close();
});

async function post(host: number, path: string, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(h.hosts[host]!.url + path, { method: 'POST', headers });
  return { status: res.status, json: await res.json() };
}

/** One client behind the proxy (its own address), guessing a hold's key through one host. */
const guess = async (host: number, client: string): Promise<number> =>
  (await fetch(`${h.hosts[host]!.url}/api/v1/booking/holds/${randomBytes(32).toString('base64url')}`, { headers: { 'x-forwarded-for': client } })).status;

it('a client guessing through both hosts gets the limit of one minute once, not once per host', async () => {
  const client = '203.0.113.7';
  const answers: number[] = [];
  // In turn across the hosts, then both at once: either way the client's count is one.
  for (let i = 0; i < GUESSES_PER_MIN; i += 1) answers.push(await guess(i % 2, client));
  expect(answers).toEqual(Array.from({ length: GUESSES_PER_MIN }, () => 404));
  const more = await Promise.all(Array.from({ length: 6 }, (_, i) => guess(i % 2, client)));
  expect(more).toEqual(Array.from({ length: 6 }, () => 429));
  // Another client is counted apart.
  expect(await guess(1, '203.0.113.8')).toBe(404);
  const limited = await fetch(`${h.hosts[0]!.url}/api/v1/booking/holds/${randomBytes(32).toString('base64url')}`, { headers: { 'x-forwarded-for': client, 'accept-language': 'cs' } });
  expect(limited.status).toBe(429);
  expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
});

it('clerks pressing call-next twice, the presses reaching both hosts at once, never end with two clients at one counter', async () => {
  const clock = { now: () => MONDAY_0900_PRAGUE };
  await h.hosts[0]!.stores.queue.run(async (store) => {
    for (let j = 0; j < 400; j += 1) {
      const r = await issueTicket({ store, clock, ids: randomIds }, { serviceId: 'o1-s1' });
      if (!r.ok) throw new Error(r.error.code);
    }
  });
  const act = (host: number, counter: number, action: string) => post(host, `/api/v1/counters/o1-c${counter}/${action}`, { cookie: h.cookie(`clerk${counter}`) });
  for (let c = 1; c <= COUNTERS; c += 1) expect((await act(0, c, 'open')).status).toBe(200);
  for (let round = 0; round < 30; round += 1) {
    // Every clerk's two presses at once, one through each host (a counter with a client ends it first; an idle one calls).
    const answers = await Promise.all(Array.from({ length: COUNTERS * 2 }, (_, i) => act(i % 2, (i >> 1) + 1, 'call-next')));
    for (const a of answers) expect([200, 409]).toContain(a.status);
    const seated = await sql.query<{ counter_id: string; n: string }>(
      `SELECT counter_id, count(*) AS n FROM tickets WHERE state IN ('called', 'serving') GROUP BY counter_id HAVING count(*) > 1`,
    );
    expect(seated.rows, `round ${round}`).toEqual([]);
    // Every other round the counters are idle again, so the presses race on a counter with nobody at it.
    if (round % 2 === 0) for (let c = 1; c <= COUNTERS; c += 1) await act(c % 2, c, 'finish');
  }
}, 120_000);

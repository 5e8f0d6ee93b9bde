import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { testOffice } from '../helpers/office.ts';
import { startPgHosts, type PgHosts } from '../helpers/pg-hosts.ts';

/**
 * Two hosts on one PostgreSQL, each with its alert monitor: one of them looks (the holder of the
 * alerts' lease), so an alert is announced and mailed once, not once per host; when that host
 * dies, the other takes over without announcing or mailing again what was already raised.
 */

let h: PgHosts;
let sql: PgPool;

beforeAll(async () => {
  // One counter, serving nobody yet: a ticket of any service raises `queue_unserved` for it.
  h = await startPgHosts(2, { config: testOffice({ services: 3, counters: [[0]] }), booking: { policies: [] }, alerts: { intervalMs: 200 }, ttlMs: 1500 });
  sql = createPool(h.database.url, { max: 2 });
}, 60_000);

afterAll(async () => {
  await sql.end();
  await h.close();
});

async function call(host: number, method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(`${h.hosts[host]!.url}/api/v1${path}`, {
    method,
    headers: { cookie: h.cookie('admin'), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

const issue = async (host: number, serviceId: string): Promise<number> =>
  (await fetch(`${h.hosts[host]!.url}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${h.kioskToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId }) })).status;

/** Every `alerts:changed` of the office: the services each one announced unserved. */
const announced = async (): Promise<string[][]> =>
  (await sql.query<{ payload: string }>(`SELECT payload FROM events WHERE type = 'alerts:changed' ORDER BY id`)).rows.map((r) =>
    (JSON.parse(r.payload) as { alerts: { kind: string; serviceId?: string }[] }).alerts.filter((a) => a.kind === 'queue_unserved').map((a) => a.serviceId!),
  );
const alertMails = async (): Promise<number> => Number((await sql.query<{ n: string }>(`SELECT count(*) AS n FROM outbox WHERE kind = 'alert'`)).rows[0]!.n);
const holder = async (): Promise<string | undefined> => (await sql.query<{ owner: string }>(`SELECT owner FROM leases WHERE name = 'alerts'`)).rows[0]?.owner;
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('an alert is announced and mailed once across both hosts; the survivor of its holder goes on without repeating it', async () => {
  const users = (await call(0, 'GET', '/offices/o1/users')).json.users as { id: string; username: string }[];
  expect((await call(0, 'PATCH', `/offices/o1/users/${users.find((u) => u.username === 'admin')!.id}`, { email: 'boss@example.org' })).status).toBe(200);
  const settings = (await call(0, 'GET', '/offices/o1/alert-settings')).json as Record<string, unknown>;
  expect((await call(1, 'PUT', '/offices/o1/alert-settings', { ...settings, officeId: undefined, emailSupervisors: true })).status).toBe(200);

  expect(await issue(1, 'o1-s1')).toBe(201);
  await expect.poll(announced, { timeout: 10_000 }).toEqual([['o1-s1']]);
  // Both hosts look every 200 ms: a dozen more chances each to announce it again.
  await settle(2500);
  expect(await announced()).toEqual([['o1-s1']]);
  expect(await alertMails()).toBe(1);
  // Either host's pages show it (the one not looking learned it from the log).
  for (const host of [0, 1]) await expect.poll(async () => (await call(host, 'GET', '/offices/o1/alerts')).json.alerts.map((a: { serviceId: string }) => a.serviceId)).toEqual(['o1-s1']);

  const owner = await holder();
  const dead = h.hosts.findIndex((x) => x.multi.background.hostId === owner);
  expect(dead).toBeGreaterThanOrEqual(0);
  const survivor = 1 - dead;
  await h.hosts[dead]!.crash();
  const diedAt = performance.now();
  expect(await issue(survivor, 'o1-s2')).toBe(201);
  await expect.poll(announced, { timeout: 15_000 }).toEqual([['o1-s1'], ['o1-s1', 'o1-s2']]);
  const tookOver = performance.now() - diedAt;
  expect(await holder()).toBe(h.hosts[survivor]!.multi.background.hostId);
  await settle(1500);
  // The alert of o1-s1 was not raised (nor mailed) again by the new holder: one more mail, for o1-s2.
  expect(await announced()).toEqual([['o1-s1'], ['o1-s1', 'o1-s2']]);
  expect(await alertMails()).toBe(2);
  expect(tookOver).toBeLessThan(10_000);
}, 60_000);

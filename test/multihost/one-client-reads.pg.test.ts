import { afterAll, beforeAll, expect, it } from 'vitest';
import { startPgHosts, type PgHosts } from '../helpers/pg-hosts.ts';
import { testOffice } from '../helpers/office.ts';

/**
 * A read of the queue runs in one transaction on one connection, while the routes ask for its
 * parts at once (Promise.all over services and counters). A PostgreSQL connection runs one
 * statement at a time: the unit hands its statements over one after the other, so each answer is
 * its own statement's, every part comes from the same snapshot, and `pg` never has to queue them
 * itself (deprecated in pg 8, removed in pg 9).
 */

let h: PgHosts;
const warnings: string[] = [];
const onWarning = (w: Error): void => {
  warnings.push(`${w.name}: ${w.message}`);
};

beforeAll(async () => {
  process.on('warning', onWarning);
  h = await startPgHosts(1, { config: testOffice({ services: 9, counters: Array.from({ length: 9 }, (_, i) => [i]) }) });
}, 60_000);

afterAll(async () => {
  process.off('warning', onWarning);
  await h.close();
});

it("the office's services and queue, read with their parts asked at once, match what each part is alone", async () => {
  const kiosk = { authorization: `Bearer ${h.kioskToken}`, 'content-type': 'application/json' };
  for (let s = 1; s <= 9; s += 1) for (let i = 0; i < s; i += 1) expect((await fetch(`${h.hosts[0]!.url}/api/v1/tickets`, { method: 'POST', headers: kiosk, body: JSON.stringify({ serviceId: `o1-s${s}` }) })).status).toBe(201);
  const reads = await Promise.all(Array.from({ length: 20 }, () => fetch(`${h.hosts[0]!.url}/api/v1/offices/o1/services`).then((r) => r.json() as Promise<{ services: { id: string; waiting: number; walkInRemaining: number }[] }>)));
  for (const r of reads) {
    expect(r.services.map((s) => [s.id, s.waiting])).toEqual(Array.from({ length: 9 }, (_, i) => [`o1-s${i + 1}`, i + 1]));
  }
  const queue = await fetch(`${h.hosts[0]!.url}/api/v1/offices/o1/queue`, { headers: { cookie: h.cookie('admin') } });
  const body = (await queue.json()) as { counters: { counter: { id: string } }[]; waiting: unknown[] };
  expect(body.counters.map((c) => c.counter.id)).toEqual(Array.from({ length: 9 }, (_, i) => `o1-c${i + 1}`));
  expect(body.waiting).toHaveLength(45);
  expect(warnings.filter((w) => w.includes('client.query()'))).toEqual([]);
}, 60_000);

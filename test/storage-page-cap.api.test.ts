import { afterEach, expect, it } from 'vitest';
import { startTestHost, type TestHost } from './helpers/harness.ts';

// SQLite only, by nature: max_page_count and the WAL checkpointer are SQLite's; PostgreSQL has no page cap to set.

/**
 * A database that cannot grow (SQLite's page cap, as the reliability suite fills a disk where it
 * may not mount one): SQLite ends the whole group's transaction itself when a statement finds no
 * page. Every write is then refused with 503 STORAGE_FULL — never a 500 about the savepoint of a
 * unit that no longer exists — and writes go on once the cap is lifted.
 */

let h: TestHost | null = null;
afterEach(async () => {
  await h?.close();
  h = null;
});

it('writes refused by a page cap are STORAGE_FULL, never a 500, and go on once it is lifted', { timeout: 60_000 }, async () => {
  h = await startTestHost({ store: 'sqlite', checkpointer: true });
  const host = h;
  const kiosk = { authorization: `Bearer ${host.kioskToken}` };
  const clerk = { cookie: host.cookie('clerk1') };
  expect((await host.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/open', headers: clerk })).statusCode).toBe(200);
  for (let i = 0; i < 30; i++) await host.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk, payload: { serviceId: 'o1-s1' } });
  host.db.pragma('max_page_count = 1');
  const seen = new Map<string, number>();
  const end = Date.now() + 3_000;
  // Kiosk issues and a clerk's calls in flight together: they share group commits.
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (Date.now() < end) {
        const r =
          w === 0
            ? await host.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/call-next', headers: clerk })
            : await host.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk, payload: { serviceId: ['o1-s1', 'o1-s2', 'o1-s3'][w % 3] } });
        const key = `${r.statusCode} ${r.json<{ error?: { code: string } }>().error?.code ?? 'ok'}`;
        seen.set(key, (seen.get(key) ?? 0) + 1);
      }
    }),
  );
  expect([...seen.keys()].filter((k) => k.startsWith('5') && k !== '503 STORAGE_FULL')).toEqual([]);
  expect(seen.get('503 STORAGE_FULL') ?? 0).toBeGreaterThan(0);
  host.db.pragma('max_page_count = 4294967294');
  expect((await host.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk, payload: { serviceId: 'o1-s2' } })).statusCode).toBe(201);
});

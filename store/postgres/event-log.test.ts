import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DomainEvent } from '../../core/shared/events.ts';
import { testDatabase, type TestDatabase } from '../../test/helpers/postgres.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { appendEvent, PgEventLog } from './event-log.ts';
import { createPool, type PgPool } from './pool.ts';
import { inTransaction } from './transaction.ts';

/**
 * The event log as a reconnecting display reads it on PostgreSQL, with two hosts appending: an id
 * once seen means every smaller id of that office was already there to see.
 */

let database: TestDatabase;
let hosts: PgPool[];
let log: PgEventLog;

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  hosts = [createPool(database.url, { max: 3 }), createPool(database.url, { max: 3 })];
  await saveOfficeConfig(hosts[0]!, testOffice());
  await saveOfficeConfig(hosts[0]!, testOffice({ id: 'o2' }));
  log = new PgEventLog(hosts[1]!);
});

afterAll(async () => {
  await Promise.all(hosts.map((h) => h.end()));
  await database.drop();
});

const closed = (officeId: string, day: string): DomainEvent => ({ type: 'service:closed', officeId, payload: { serviceId: `${officeId}-s1`, day } });
const append = (pool: PgPool, event: DomainEvent, at: number): Promise<number> => inTransaction(pool, (c) => appendEvent(c, new Set(), event, at));

it('replays what a client missed, oldest first, a page at a time; the latest of a type, newest first', async () => {
  const ids: number[] = [];
  for (let i = 1; i <= 5; i += 1) ids.push(await append(hosts[i % 2]!, closed('o1', `2026-11-0${i}`), i));
  await append(hosts[0]!, closed('o2', '2026-11-01'), 6);
  const alert: DomainEvent = { type: 'alerts:changed', officeId: 'o1', payload: { alerts: [] } };
  const alertId = await append(hosts[0]!, alert, 7);

  expect(await log.lastEventId('o1')).toBe(alertId);
  expect(await log.lastEventId('nobody')).toBe(0);
  const page = await log.eventsAfter('o1', ids[0]!, 3);
  expect(page.map((e) => e.id)).toEqual(ids.slice(1, 4));
  expect(page[0]).toEqual({ id: ids[1], officeId: 'o1', type: 'service:closed', payload: { serviceId: 'o1-s1', day: '2026-11-02' }, at: 2 });
  expect((await log.eventsAfter('o1', ids[3]!, 10)).map((e) => e.id)).toEqual([ids[4], alertId]);
  expect((await log.latestOfType('o1', 'alerts:changed', 5)).map((e) => [e.id, e.payload])).toEqual([[alertId, alert.payload]]);
  await expect(log.latestOfType('o1', 'service:closed', 5)).rejects.toThrow(/no index/);
});

it('an event committed on host B while host A still holds an earlier id of the office waits for A, so no reader skips it', async () => {
  const before = await log.lastEventId('o1');
  const a = await hosts[0]!.connect();
  try {
    await a.query('BEGIN');
    const first = await appendEvent(a, new Set(), closed('o1', '2026-12-01'), 10);
    let secondDone = false;
    const second = append(hosts[1]!, closed('o1', '2026-12-02'), 11).then((id) => ((secondDone = true), id));
    // Another office's log is not held up by o1's.
    await append(hosts[1]!, closed('o2', '2026-12-02'), 12);
    await new Promise((r) => setTimeout(r, 300));
    expect(secondDone).toBe(false);
    expect(await log.eventsAfter('o1', before, 10)).toEqual([]);
    await a.query('COMMIT');
    const secondId = await second;
    expect((await log.eventsAfter('o1', before, 10)).map((e) => e.id)).toEqual([first, secondId]);
  } finally {
    a.release();
  }
});

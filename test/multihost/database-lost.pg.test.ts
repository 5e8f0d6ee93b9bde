import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStores, type Stores } from '../../host/stores.ts';
import { randomIds } from '../../host/system.ts';
import { build } from '../../server/app.ts';
import { createDevice } from '../../server/provisioning.ts';
import { Cable } from '../helpers/cable.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from '../helpers/fakes.ts';
import { testOffice } from '../helpers/office.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

/**
 * A host on PostgreSQL loses its network to the database (a TCP relay between them is cut): every
 * request meanwhile is a 503 DATABASE_UNAVAILABLE in the caller's language — not a 500, not a
 * crash — and once the network is back the host serves again by itself, with no restart.
 */

let database: TestDatabase;
let cable: Cable;
let stores: Stores;
let app: FastifyInstance;
let kioskToken: string;

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  const direct = new URL(database.url);
  cable = new Cable({ host: direct.hostname, port: Number(direct.port) });
  await cable.plugIn();
  const viaCable = new URL(database.url);
  viaCable.port = String(cable.port);
  stores = await openStores({ kind: 'postgres', url: viaCable.href, poolMax: 4 });
  await stores.seed.officeConfig(testOffice());
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  kioskToken = (await createDevice(stores.people, { ids: randomIds, clock }, { officeId: 'o1', kind: 'kiosk', name: 'kiosk' })).token;
  app = await build({ queue: stores.queue, access: stores.people, people: stores.people, events: stores.events, clock, ids: randomIds, publicUrl: 'http://fronta.test', logger: false });
}, 60_000);

afterAll(async () => {
  await app.close();
  await stores.close();
  await cable.cut();
  await database.drop();
});

const issue = () =>
  app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${kioskToken}`, 'accept-language': 'cs' }, payload: { serviceId: 'o1-s1' } });

it('answers 503 DATABASE_UNAVAILABLE while the database is out of reach, and serves again once it is back', async () => {
  expect((await issue()).statusCode).toBe(201);
  await cable.cut();
  for (const res of [await issue(), await app.inject({ url: '/api/v1/offices/o1/services', headers: { 'accept-language': 'cs' } }), await app.inject({ url: '/api/health' })]) {
    expect(res.statusCode, res.body).toBe(503);
    expect(res.json().error.code).toBe('DATABASE_UNAVAILABLE');
    expect(res.json().error.message).toMatch(/[Dd]atabáz|database/);
  }
  await cable.plugIn();
  await expect.poll(async () => (await issue()).statusCode, { timeout: 10_000 }).toBe(201);
  const numbers = (await stores.queue.read((s) => s.waitingTickets('o1'))).map((t) => t.number);
  expect(numbers).toHaveLength(2);
}, 60_000);

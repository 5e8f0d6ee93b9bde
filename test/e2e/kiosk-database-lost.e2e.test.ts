/// <reference lib="dom" />
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStores, type Stores } from '../../host/stores.ts';
import { randomIds } from '../../host/system.ts';
import { servePages } from '../../host/web-pages.ts';
import { build } from '../../server/app.ts';
import { createDevice } from '../../server/provisioning.ts';
import { Cable } from '../helpers/cable.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from '../helpers/fakes.ts';
import { testOffice } from '../helpers/office.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { ensurePagesBuilt, launchBrowser } from './support.ts';

/**
 * A host on PostgreSQL loses its database (the TCP relay between them is cut): the kiosk page,
 * told DATABASE_UNAVAILABLE, turns out of order instead of showing the error to client after
 * client, and offers its services again by itself once the host answers, with no reload.
 */

let database: TestDatabase;
let cable: Cable;
let stores: Stores;
let app: FastifyInstance;
let browser: Browser;
let base: string;
let kioskToken: string;

beforeAll(async () => {
  ensurePagesBuilt();
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
  app = await build({ queue: stores.queue, access: stores.people, people: stores.people, events: stores.events, clock, ids: randomIds, publicUrl: 'http://fronta.test', logger: false, register: (a) => servePages(a) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  // A failed run may leave the database cut off: the store's pool could not close.
  if (cable !== undefined && !cable.isPluggedIn) await cable.plugIn();
  await browser?.close();
  await app?.close();
  await stores?.close();
  await cable?.cut();
  await database?.drop();
});

describe('the kiosk page when the host loses its database', () => {
  it('goes out of order on DATABASE_UNAVAILABLE and back, without a reload, once the host answers', { timeout: 90_000 }, async () => {
    const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 } })).newPage();
    await page.goto(`${base}/kiosk`);
    await page.locator('#token').fill(kioskToken);
    await page.getByRole('button', { name: /Pair|Spárovat/ }).click();
    const tile = page.locator('button.tile[data-service="o1-s1"]');
    await tile.waitFor();
    // A mark on this very document: a reload would lose it.
    await page.evaluate(() => document.documentElement.setAttribute('data-e2e-mark', 'kept'));

    await cable.cut();
    const refused = await page.evaluate(async (token) => {
      const res = await fetch('/api/v1/tickets', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ serviceId: 'o1-s1' }) });
      return { status: res.status, code: ((await res.json()) as { error?: { code: string } }).error?.code };
    }, kioskToken);
    expect(refused).toEqual({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    await tile.click();
    await page.getByTestId('out-of-order').waitFor({ timeout: 10_000 });
    expect(await page.locator('button.tile').count()).toBe(0);
    expect(await page.getByTestId('kiosk-error').count()).toBe(0);
    // Still out of order while the database stays away (the kiosk keeps asking, in vain).
    await page.waitForTimeout(6_000);
    expect(await page.getByTestId('out-of-order').count()).toBe(1);

    await cable.plugIn();
    await tile.waitFor({ timeout: 20_000 });
    await tile.click();
    await page.getByTestId('ticket-number').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.documentElement.getAttribute('data-e2e-mark'))).toBe('kept');
    expect(await stores.queue.read((s) => s.waitingTickets('o1'))).toHaveLength(1);
  });
});

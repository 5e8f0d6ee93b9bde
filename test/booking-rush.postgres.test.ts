import { afterAll, beforeAll, expect, it } from 'vitest';
import { slotId } from '../core/queue/capacity.ts';
import { pgBookingStore } from '../store/postgres/booking/index.ts';
import { savePgOfficeConfig } from '../store/postgres/booking/fixtures-config.ts';
import { createPool, type PgPool } from '../store/postgres/pool.ts';
import { inTransaction } from '../store/postgres/transaction.ts';
import { aBooking, DAY, NINE, SERVICE } from './contracts/booking-stores.ts';
import { testKeyed } from './helpers/booking.ts';
import { testOffice } from './helpers/office.ts';
import { testDatabase, type TestDatabase } from './helpers/postgres.ts';

/**
 * A release rush on two hosts sharing one PostgreSQL: each host (its own pool) runs 300 hold
 * attempts at once against a day of 240 places, and every person tries on both hosts at the same
 * moment. Each attempt is what a hold does to the store, in one transaction: create the day if it
 * is the first, check the person has no active booking, take a place (another slot when the one
 * chosen is full), insert the hold.
 */

const SLOTS = 24;
const PLACES = 10;
const PEOPLE = 300;
const NOW = NINE - 86_400_000;
const specs = Array.from({ length: SLOTS }, (_, i) => {
  const minute = 540 + 15 * i;
  return { id: slotId(SERVICE, DAY, minute), startMin: minute, startAt: NINE + 15 * i * 60_000, places: PLACES };
});

let database: TestDatabase;
let hosts: PgPool[];

beforeAll(async () => {
  database = await testDatabase({ migrated: true });
  hosts = [createPool(database.url, { max: 8, applicationName: 'host-a' }), createPool(database.url, { max: 8, applicationName: 'host-b' })];
  await inTransaction(hosts[0]!, (c) => savePgOfficeConfig(c, testOffice()));
});

afterAll(async () => {
  await Promise.all(hosts.map((p) => p.end()));
  await database.drop();
});

type Outcome = 'held' | 'already-booked' | 'sold-out';

function attempt(pool: PgPool, person: number, host: number): Promise<Outcome> {
  return inTransaction(pool, async (client) => {
    const store = pgBookingStore(client, testKeyed());
    const wanted = specs[person % SLOTS]!;
    if ((await store.slot(wanted.id)) === null) await store.ensureSlots(SERVICE, DAY, specs);
    const identity = [{ keyId: 'k1', hash: `person-${person}` }];
    if ((await store.activeBookingsByIdentity(SERVICE, identity, NOW)).length > 0) return 'already-booked';
    let slot: string | null = (await store.reserve(wanted.id)) ? wanted.id : null;
    // The slot chosen filled up: the person takes the first other slot with a place, as a client would.
    for (const other of slot === null ? await store.slots(SERVICE, DAY) : []) {
      if (other.taken < other.places && (await store.reserve(other.id))) {
        slot = other.id;
        break;
      }
    }
    if (slot === null) return 'sold-out';
    const at = specs.find((s) => s.id === slot)!.startAt;
    const id = `h${host}-p${person}`;
    await store.insertBooking(
      aBooking({ id, number: id, holdKeyHash: id, slotId: slot, startAt: at, identityKeyId: 'k1', identityHash: `person-${person}`, holdExpiresAt: NOW + 900_000, createdAt: NOW }),
    );
    return 'held';
  });
}

it('two hosts × 300 holds at once on 240 places: exactly 240 held, none over a slot, one booking per person', async () => {
  const outcomes = await Promise.all(hosts.flatMap((pool, host) => Array.from({ length: PEOPLE }, (_, person) => attempt(pool, person, host))));
  const count = (o: Outcome): number => outcomes.filter((x) => x === o).length;
  expect(count('held')).toBe(SLOTS * PLACES);

  const q = async <T>(text: string): Promise<T[]> => (await hosts[1]!.query(text)).rows as T[];
  const [totals] = await q<{ taken: number; over: number; slots: number }>(
    `SELECT sum(taken)::bigint AS taken, count(*) FILTER (WHERE taken > places) AS over, count(*) AS slots FROM slots`,
  );
  expect(totals).toEqual({ taken: SLOTS * PLACES, over: 0, slots: SLOTS });
  // Every place taken is a booking, slot by slot.
  expect(await q(`SELECT s.id FROM slots s LEFT JOIN bookings b ON b.slot_id = s.id GROUP BY s.id, s.taken HAVING count(b.id) <> s.taken`)).toEqual([]);
  expect(await q(`SELECT identity_hash FROM bookings GROUP BY identity_hash HAVING count(*) > 1`)).toEqual([]);
  // Everyone refused either had a booking already (their try on the other host) or came after the last place.
  expect(count('already-booked') + count('sold-out')).toBe(2 * PEOPLE - SLOTS * PLACES);
  expect(count('already-booked')).toBeGreaterThanOrEqual(SLOTS * PLACES);
}, 180_000);

it('a confirm link opened on both hosts at the same moment confirms once', async () => {
  await inTransaction(hosts[0]!, async (c) => {
    const store = pgBookingStore(c, testKeyed());
    await store.ensureSlots(SERVICE, DAY, specs);
    await store.insertBooking(aBooking({ id: 'link', number: 'link', holdKeyHash: 'link', slotId: specs[0]!.id }));
    await store.insertToken('token-hash', 'link', 'confirm', NOW + 3_600_000);
  });
  for (let round = 0; round < 20; round += 1) {
    const at = NOW + round;
    if (round > 0) await hosts[0]!.query('UPDATE booking_tokens SET used_at = NULL');
    const seen = await Promise.all(
      hosts.flatMap((pool) => [0, 1].map(() => inTransaction(pool, (c) => pgBookingStore(c, testKeyed()).consumeToken('token-hash', 'confirm', at)))),
    );
    expect(seen.map((s) => s.kind).sort()).toEqual(['used', 'used', 'used', 'valid']);
  }
});

it('the identity check refuses a REPEATABLE READ unit, where waiting for the lock would not show the other booking', async () => {
  const check = inTransaction(hosts[0]!, (c) => pgBookingStore(c, testKeyed()).activeBookingsByIdentity(SERVICE, [{ keyId: 'k1', hash: 'p' }], NOW), {
    isolation: 'repeatable read',
  });
  await expect(check).rejects.toThrow(/REPEATABLE READ/);
  const serializable = inTransaction(hosts[0]!, (c) => pgBookingStore(c, testKeyed()).activeBookingsByIdentity(SERVICE, [{ keyId: 'k1', hash: 'p' }], NOW), {
    isolation: 'serializable',
  });
  await expect(serializable).resolves.toEqual([]);
});

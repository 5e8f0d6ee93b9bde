import { expect, it } from 'vitest';
import { pgRush, RUSH_PLACES } from '../../bench/lib/pg-rush.ts';

/**
 * The release instant on two hosts sharing one PostgreSQL: clients split across them, every one
 * trying to hold a place (and another when turned away) until held or sold out. The database ends
 * with exactly the day's places booked, no time over its capacity, no identity twice.
 */
it('the booking rush split across two hosts books exactly 240 places: none oversold, no identity twice', async () => {
  const r = await pgRush(2, 600);
  expect({ booked: r.booked, oversold: r.oversold, duplicateIdentities: r.duplicateIdentities, held: r.held, errors: r.errors }).toEqual({
    booked: RUSH_PLACES,
    oversold: 0,
    duplicateIdentities: 0,
    held: RUSH_PLACES,
    errors: 0,
  });
  expect(r.soldOut).toBe(600 - RUSH_PLACES);
}, 120_000);

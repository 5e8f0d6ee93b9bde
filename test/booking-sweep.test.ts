import { afterEach, describe, expect, it } from 'vitest';
import { addDays } from '../core/booking/release.ts';
import { policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';

/**
 * The sweep stores a first-come day's slots in the minute before the day opens, so that at the
 * release instant a full slot is refused by a read; looking at a day never writes.
 */
describe('storing the days about to open', () => {
  let h: BookingTestHost;
  afterEach(async () => h.close());

  const storedDays = (): string[] =>
    (h.db.prepare(`SELECT DISTINCT day FROM slots WHERE service_id = 'o1-s1' ORDER BY day`).pluck().all() as string[]);

  it('stores open days and the day opening within a minute, never one further off', async () => {
    // The clock stands at Monday 2026-11-23 09:00 Prague; each day opens 7 days ahead at 09:02.
    h = await startBookingHost({ policies: [policy('o1-s1', { horizonDays: 7, release: { kind: 'rolling', openAt: '09:02' } })] });
    const today = '2026-11-23';
    const slotsUrl = (day: string) => `/api/v1/booking/services/o1-s1/days/${day}/slots`;

    // Looking at an open day changes nothing in the database.
    const look = await h.app.inject({ method: 'GET', url: slotsUrl(addDays(today, 1)) });
    expect(look.statusCode).toBe(200);
    expect(storedDays()).toEqual([]);

    await h.booking.sweep();
    const open = storedDays();
    expect(open).not.toContain(addDays(today, 7)); // opens in 2 minutes
    expect(open.length).toBeGreaterThan(0);
    expect(open.every((d) => d < addDays(today, 7))).toBe(true);

    h.clock.advance(61_000); // 59 s before it opens
    await h.booking.sweep();
    expect(storedDays()).toContain(addDays(today, 7));
    const before = await h.app.inject({ method: 'GET', url: slotsUrl(addDays(today, 7)) });
    expect(before.json().status).toBe('not-yet');

    h.clock.advance(60_000); // open now: its places are the stored ones
    const after = await h.app.inject({ method: 'GET', url: slotsUrl(addDays(today, 7)) });
    expect(after.json().status).toBe('open');
    const stored = h.db.prepare(`SELECT count(*) FROM slots WHERE service_id = 'o1-s1' AND day = ?`).pluck().get(addDays(today, 7));
    expect(after.json().slots.length).toBe(stored);

    // A second sweep stores nothing twice.
    const rows = h.db.prepare('SELECT count(*) FROM slots').pluck().get();
    await h.booking.sweep();
    expect(h.db.prepare('SELECT count(*) FROM slots').pluck().get()).toBe(rows);
  });
});

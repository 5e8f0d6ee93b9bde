import { afterEach, describe, expect, it } from 'vitest';
import { policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { bookAndConfirm, holdAt } from './helpers/rules.ts';
import cs from '../locales/cs.json' with { type: 'json' };

/**
 * A day already open for booking has its slots stored; then the admin changes the service's
 * hours (or the office's calendar). The portal offers only times inside the hours in force, a
 * hold outside them is refused, new time gets its slots, and a booking made before the change
 * keeps its time (moving it is the office-change step's).
 */
let h: BookingTestHost;
afterEach(async () => h.close());

const DAY = '2026-11-25'; // Wednesday; the fake clock stands at Monday 23 Nov 09:00 Prague
const open = (from: string, to: string, breaks: { from: string; to: string }[] = []) => ({ open: from, close: to, breaks });
const weekWithWednesday = (wed: ReturnType<typeof open>) => {
  const day = open('08:00', '17:00');
  return { mon: day, tue: day, wed, thu: day, fri: day, sat: null, sun: null };
};
const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

interface OfferedSlot {
  id: string;
  startMin: number;
  free: number;
}

async function offered(): Promise<OfferedSlot[]> {
  const res = await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().slots as { id: string; time: string; free: number }[]).map((x) => ({ id: x.id, startMin: minutes(x.time), free: x.free }));
}

async function freeOfDay(): Promise<number> {
  const res = await h.app.inject({ url: '/api/v1/booking/services/o1-s1/days' });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json().days as { day: string; free: number }[]).find((d) => d.day === DAY)!.free;
}

async function setServiceHours(wed: ReturnType<typeof open>): Promise<void> {
  const res = await h.app.inject({ method: 'PATCH', url: '/api/v1/offices/o1/services/o1-s1', headers: { cookie: h.cookie('admin') }, payload: { hours: weekWithWednesday(wed) } });
  expect(res.statusCode, res.body).toBe(200);
}

/** The office's own hours (a service's must lie inside them; this one has none of its own). */
async function setOfficeHours(wed: ReturnType<typeof open>): Promise<void> {
  const res = await h.app.inject({ method: 'PUT', url: '/api/v1/offices/o1/hours', headers: { cookie: h.cookie('admin') }, payload: weekWithWednesday(wed) });
  expect(res.statusCode, res.body).toBe(200);
}

const everyStartWithin = (slots: readonly OfferedSlot[], intervals: [string, string][]): boolean =>
  slots.every((s) => intervals.some(([from, to]) => s.startMin >= minutes(from) && s.startMin + 30 <= minutes(to)));

describe.each(BOTH_STORES)('changed hours reach a day already open for booking (%s)', (store) => {
  // Capacity from counter-minutes, all of it online: longer hours give the day more places.
  const start = () => startBookingHost({ store, policies: [policy('o1-s1', { dayCapacity: { kind: 'counter-minutes', serviceMin: 30 }, onlineSharePct: 100 })] });

  it('narrowed: only times inside the new hours are offered, a hold outside is refused, the booking made before keeps its time', async () => {
    h = await start();
    const number = await bookAndConfirm(h, `o1-s1~${DAY}~0800`, { name: 'Klient A', email: 'a@example.org' });
    const before = await offered();
    expect(before.map((s) => s.startMin)).toEqual(Array.from({ length: 18 }, (_, i) => 480 + 30 * i));

    await setServiceHours(open('09:00', '12:00'));
    const after = await offered();
    expect(after.map((s) => s.startMin)).toEqual([540, 570, 600, 630, 660, 690]);
    expect(after.map((s) => s.free)).toEqual(before.filter((s) => s.startMin >= 540 && s.startMin < 720).map((s) => s.free));
    expect(await freeOfDay()).toBe(after.reduce((n, s) => n + s.free, 0));

    // A stored, empty slot after the new closing time, and one before the old opening time.
    for (const time of ['1400', '0700']) {
      const refused = await holdAt(h, `o1-s1~${DAY}~${time}`, { name: 'Klient B', email: 'b@example.org' }, 'cs');
      expect(refused.statusCode, refused.body).toBe(409);
      expect(refused.json().error).toMatchObject({ code: 'SLOT_OUTSIDE_HOURS', message: cs.errors.SLOT_OUTSIDE_HOURS });
    }
    expect((await holdAt(h, `o1-s1~${DAY}~0900`, { name: 'Klient C', email: 'c@example.org' })).statusCode).toBe(201);

    const booked = await h.app.inject({ url: `/api/v1/booking/bookings/${number}` });
    expect(booked.json()).toMatchObject({ state: 'confirmed', day: DAY, time: '08:00' });
  });

  it('a day full inside the new hours is sold out, though slots stored outside them are still empty', async () => {
    h = await start();
    await bookAndConfirm(h, `o1-s1~${DAY}~0800`, { name: 'Klient A', email: 'a@example.org' });
    await setServiceHours(open('09:00', '10:00'));
    let n = 0;
    for (const s of await offered()) {
      for (let i = 0; i < s.free; i++) {
        n++;
        const held = await holdAt(h, s.id, { name: `Klient ${n}`, email: `k${n}@example.org` });
        expect(held.statusCode, held.body).toBe(201);
      }
    }
    expect(n).toBeGreaterThan(0);
    expect(await freeOfDay()).toBe(0);
    const late = await holdAt(h, `o1-s1~${DAY}~0930`, { name: 'Klient Z', email: 'z@example.org' });
    expect(late.json().error.code).toBe('DAY_SOLD_OUT');
  });

  it('widened (the office’s hours, the service having none): the new time is offered and can be booked; the places already taken stay taken', async () => {
    h = await start();
    await bookAndConfirm(h, `o1-s1~${DAY}~0800`, { name: 'Klient A', email: 'a@example.org' });
    const before = await offered();
    await setOfficeHours(open('07:00', '18:00'));
    const after = await offered();
    expect(after[0]!.startMin).toBe(420);
    expect(after.find((s) => s.startMin === 450)!.free).toBeGreaterThan(0);
    expect(everyStartWithin(after, [['07:00', '18:00']])).toBe(true);
    // Slots stored before keep their places and what is taken of them.
    for (const s of before) expect(after.find((a) => a.id === s.id)).toEqual(s);
    // Never more places than the day's capacity under the new hours: counter 1 serves three
    // services (a third of its 660 minutes), counter 2 only this one: 880 minutes ÷ 30.
    expect(after.reduce((n, s) => n + s.free, 0) + 1).toBeLessThanOrEqual(29);

    const held = await holdAt(h, `o1-s1~${DAY}~0700`, { name: 'Klient D', email: 'd@example.org' });
    expect(held.statusCode, held.body).toBe(201);
    const seven = (await offered()).find((s) => s.startMin === 420)!;
    expect(seven.free).toBe(after[0]!.free - 1);
  });

  it('a break and a one-off short day on the calendar take their times off the offer too', async () => {
    h = await start();
    await bookAndConfirm(h, `o1-s1~${DAY}~1200`, { name: 'Klient A', email: 'a@example.org' });
    await setServiceHours(open('08:00', '17:00', [{ from: '12:00', to: '13:00' }]));
    const withBreak = await offered();
    expect(withBreak.some((s) => s.startMin >= 720 && s.startMin < 780)).toBe(false);
    expect(everyStartWithin(withBreak, [['08:00', '12:00'], ['13:00', '17:00']])).toBe(true);

    // A short day for this service on the calendar: its hours rule that day over the weekly ones.
    const calendar = { closedDays: [], changedDays: [{ date: DAY, hours: open('10:00', '11:00'), serviceIds: ['o1-s1'] }] };
    const put = await h.app.inject({ method: 'PUT', url: '/api/v1/offices/o1/calendar', headers: { cookie: h.cookie('admin') }, payload: calendar });
    expect(put.statusCode, put.body).toBe(200);
    expect((await offered()).map((s) => s.startMin)).toEqual([600, 630]);
    expect((await holdAt(h, `o1-s1~${DAY}~1100`, { name: 'Klient B', email: 'b@example.org' })).json().error.code).toBe('SLOT_OUTSIDE_HOURS');
  });
});

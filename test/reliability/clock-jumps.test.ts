import { afterEach, describe, expect, it } from 'vitest';
import type { Booking } from '../../core/booking/model.ts';
import { insertConfirmedBooking, startBookingHost, type BookingTestHost } from '../helpers/booking.ts';
import { FULL_SIZE, report } from './report.ts';
import { partStores } from './stores.ts';

/**
 * Time sync corrects the host's clock by −10 and +10 minutes in the middle of the day (the
 * harness's fake clock; the real host reads the system clock the same way, through its Clock).
 * Backwards: numbering goes on from where it was, never a number twice or again, and what had
 * lapsed or expired stays so. Forwards: the bookings whose check-in window has really passed
 * lapse at the next sweep, holds whose time is up expire, and nothing else changes. On SQLite and
 * on PostgreSQL (numbering and sweeps are the store's statements).
 */

const MIN = 60_000;
const TODAY = '2026-11-23'; // the fake clock stands at Monday 23 Nov 09:00 Prague (UTC+1)
const ROUNDS = FULL_SIZE ? 20 : 3;

let h: BookingTestHost;
afterEach(async () => h.close());

let seq = 0;
/** A booking of o1-s1 at `startAt`, written straight to the store (as in the check-in tests). */
function booking(startAt: number, over: Partial<Booking> = {}): Promise<Booking> {
  seq++;
  const phone = `+42060100${String(seq).padStart(4, '0')}`;
  return insertConfirmedBooking(h, { key: seq, day: TODAY, startAt, number: `BKCLOCK${String(seq).padStart(3, '0')}`, kioskCode: String(70_000_000 + seq), phone }, over);
}

const states = async (): Promise<Record<string, string>> =>
  Object.fromEntries((await h.sql<{ id: string; state: string }>('SELECT id, state FROM bookings ORDER BY id')).map((r) => [r.id, r.state]));
const tickets = async (): Promise<Record<string, string>> =>
  Object.fromEntries((await h.sql<{ id: string; shown: string }>("SELECT id, state || ' ' || number AS shown FROM tickets ORDER BY id")).map((r) => [r.id, r.shown]));

describe.each(partStores(true))('clock jumps of ±10 minutes mid-day on %s', (store) => {
  it('numbers never repeat or go back; a forward jump lapses and expires only what really passed', { timeout: 120_000 }, async () => {
    h = await startBookingHost({ store });
    const t0 = h.clock.now(); // 09:00
    let runs = 0;
    let faults = 0;
    const issued: { id: string; number: string; serviceId: string }[] = [];
    const calls: string[] = [];
    const fiveXx: string[] = [];
    const issue = async (serviceId: string): Promise<void> => {
      const r = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId } });
      runs++;
      if (r.statusCode >= 500) fiveXx.push(r.body);
      expect(r.statusCode, r.body).toBe(201);
      const t = r.json().ticket as { id: string; number: string; serviceId: string };
      issued.push(t);
    };
    const callNext = async (): Promise<void> => {
      const r = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/call-next', headers: { cookie: h.cookie('clerk1') }, payload: {} });
      runs++;
      if (r.statusCode >= 500) fiveXx.push(r.body);
      if (r.statusCode === 200 && r.json().ticket !== null) calls.push(r.json().ticket.id as string);
    };
    const checkIn = async (code: string) => {
      runs++;
      const r = await h.app.inject({ method: 'POST', url: '/api/v1/kiosk/check-in', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { code } });
      if (r.statusCode >= 500) fiveXx.push(r.body);
      return r;
    };
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/open', headers: { cookie: h.cookie('clerk1') }, payload: {} })).statusCode).toBe(200);

    // The day so far: bookings around now, two holds, a few walk-ins.
    const passed = await booking(t0 - 10 * MIN); // window until 09:05: inside now, past after +10
    const inside = await booking(t0 + 2 * MIN); // window until 09:17: still inside after +10
    const later = await booking(t0 + 60 * MIN); // far off either way
    const holdDue = await booking(t0 + 120 * MIN, { state: 'held', holdExpiresAt: t0 + 5 * MIN, confirmedAt: null, kioskCode: null });
    const holdKept = await booking(t0 + 120 * MIN, { state: 'held', holdExpiresAt: t0 + 15 * MIN, confirmedAt: null, kioskCode: null });
    for (let i = 0; i < 4; i++) await issue(i % 2 === 0 ? 'o1-s1' : 'o1-s2');
    await h.booking.sweep();
    const beforeForward = { bookings: await states(), tickets: await tickets() };
    expect(beforeForward.bookings).toMatchObject({ [passed.id]: 'confirmed', [holdDue.id]: 'held' });

    // +10 minutes: 09:10.
    h.clock.advance(10 * MIN);
    faults++;
    await h.booking.sweep();
    const afterForward = { bookings: await states(), tickets: await tickets() };
    expect(afterForward.tickets, 'no ticket changed by the jump').toEqual(beforeForward.tickets);
    const changed = Object.keys(afterForward.bookings).filter((id) => afterForward.bookings[id] !== beforeForward.bookings[id]);
    expect(Object.fromEntries(changed.map((id) => [id, `${beforeForward.bookings[id]} → ${afterForward.bookings[id]}`]))).toEqual({
      [passed.id]: 'confirmed → lapsed',
      [holdDue.id]: 'held → expired',
    });
    expect(afterForward.bookings[holdKept.id]).toBe('held');
    expect(afterForward.bookings[later.id]).toBe('confirmed');
    // The lapsed client is late, the other one is on time.
    expect((await checkIn(passed.kioskCode!)).statusCode).toBe(410);
    const onTime = await checkIn(inside.kioskCode!);
    expect(onTime.statusCode, onTime.body).toBe(201);
    issued.push(onTime.json().ticket);

    // −10 minutes: 09:00 again. What lapsed stays lapsed; numbers go on.
    h.clock.advance(-10 * MIN);
    faults++;
    await h.booking.sweep();
    const afterBack = await states();
    expect(afterBack[passed.id]).toBe('lapsed');
    expect(afterBack[holdDue.id]).toBe('expired');
    const again = await checkIn(passed.kioskCode!);
    expect(again.statusCode, 'a lapsed booking gives no ticket after the clock went back into its window').not.toBe(201);
    expect((await checkIn(inside.kioskCode!)).statusCode, 'a used code gives no second ticket').not.toBe(201);

    // Then the day goes on with corrections both ways, issuing and calling throughout (o1-s1's walk-in
    // places are few: it books online).
    for (let r = 0; r < ROUNDS; r++) {
      for (let i = 0; i < 5; i++) await issue(['o1-s2', 'o1-s3'][i % 2]!);
      await callNext();
      h.clock.advance(-10 * MIN);
      faults++;
      for (let i = 0; i < 5; i++) await issue(['o1-s2', 'o1-s3'][i % 2]!);
      await callNext();
      await callNext();
      h.clock.advance(10 * MIN + MIN);
      faults++;
      await h.booking.sweep();
      for (let i = 0; i < 3; i++) await issue('o1-s3');
      await callNext();
    }

    // Each prefix counts up in the order of issue, whatever the clock said.
    const byPrefix = new Map<string, number[]>();
    for (const t of issued) {
      const [, prefix, n] = /^([A-Z]+)(\d+)$/.exec(t.number)!;
      byPrefix.set(prefix!, [...(byPrefix.get(prefix!) ?? []), Number(n)]);
    }
    const backwards = [...byPrefix].filter(([, ns]) => ns.some((n, i) => i > 0 && n <= ns[i - 1]!));
    expect(backwards).toEqual([]);
    const rows = await h.sql<{ office_id: string; prefix: string; day: string; seq: number; id: string }>('SELECT office_id, prefix, day, seq, id FROM tickets');
    const keys = rows.map((t) => `${t.office_id}/${t.prefix}/${t.day}/${t.seq}`);
    const duplicates = keys.length - new Set(keys).size + (calls.length - new Set(calls).size);
    expect(duplicates).toBe(0);
    const lost = issued.filter((t) => !rows.some((r) => r.id === t.id)).length;
    expect(lost).toBe(0);
    expect(fiveXx).toEqual([]);
    report({
      part: 'clock-jumps',
      store,
      runs,
      faults,
      ackedChecked: issued.length + calls.length,
      lost,
      duplicates,
      fiveXx: fiveXx.length,
      extra: { jumps: '-10min,+10min', lapsed_by_forward_jump: 1, expired_by_forward_jump: 1, other_changes: 0 },
    });
  });
});

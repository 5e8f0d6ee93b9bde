import { expect, it } from 'vitest';
import type { OutgoingMessage } from '../../core/booking/model.ts';
import { aBooking, DAY, eachBookingStore, NINE, OFFICE, seedSlots, SERVICE } from './booking-stores.ts';

const reminder = (bookingId: string): OutgoingMessage => ({
  bookingId,
  officeId: OFFICE,
  channel: 'email',
  kind: 'reminder',
  to: 'a@example.org',
  language: 'en',
  params: {},
  notBefore: NINE - 86_400_000,
});

eachBookingStore((s) => {
  it('a booking is found by each of its keys, and by nothing else', async () => {
    await seedSlots(s().store);
    const b = aBooking({ cancelHash: 'c1', ticketId: null });
    await s().store.insertBooking(b);
    expect(await s().store.booking(b.id)).toEqual(b);
    expect(await s().store.bookingByNumber(b.number)).toEqual(b);
    expect(await s().store.bookingByHoldKey(b.holdKeyHash)).toEqual(b);
    expect(await s().store.bookingByCancelHash('c1')).toEqual(b);
    expect(await s().store.booking('nope')).toBeNull();
    expect(await s().store.bookingByNumber('nope')).toBeNull();
    expect(await s().store.bookingByTicket('t1')).toBeNull();
  });

  it('transition is compare-and-set: only from the state it names', async () => {
    await seedSlots(s().store);
    const b = aBooking();
    await s().store.insertBooking(b);
    const moved = await s().store.transition(b.id, 'held', 'confirmed', { confirmedAt: 5, kioskCode: '12345678' });
    expect(moved).toMatchObject({ state: 'confirmed', confirmedAt: 5, kioskCode: '12345678', holdExtended: false });
    expect(await s().store.transition(b.id, 'held', 'cancelled', { cancelledAt: 6 })).toBeNull();
    expect(await s().store.booking(b.id)).toMatchObject({ state: 'confirmed', cancelledAt: null });
    expect(await s().store.transition('nope', 'held', 'expired', {})).toBeNull();
  });

  it('a move out of confirmed drops the pending reminders; a move into it keeps them', async () => {
    await seedSlots(s().store);
    const b = aBooking();
    await s().store.insertBooking(b);
    await s().store.enqueue(reminder(b.id), 'm1', 0);
    await s().store.transition(b.id, 'held', 'confirmed', { confirmedAt: 1 });
    expect(await s().reminders(b.id)).toBe(1);
    await s().store.transition(b.id, 'confirmed', 'cancelled', { cancelledAt: 2 });
    expect(await s().reminders(b.id)).toBe(0);
  });

  it('lapsed holds: held ones whose time ran out, oldest first, at most the limit', async () => {
    const [nine, half] = await seedSlots(s().store, 3);
    const late = aBooking({ holdExpiresAt: 300 });
    const early = aBooking({ holdExpiresAt: 100, slotId: half! });
    const live = aBooking({ holdExpiresAt: 10_000 });
    const confirmed = aBooking({ holdExpiresAt: 50, state: 'confirmed' });
    for (const b of [late, early, live, confirmed]) await s().store.insertBooking(b);
    expect((await s().store.lapsedHolds(1000, 10)).map((b) => b.id)).toEqual([early.id, late.id]);
    expect((await s().store.lapsedHolds(1000, 1)).map((b) => b.id)).toEqual([early.id]);
    expect((await s().store.lapsedHolds(1000, 10, nine)).map((b) => b.id)).toEqual([late.id]);
    expect(await s().store.hasLapsedHold(nine!, 1000)).toBe(true);
    expect(await s().store.hasLapsedHold(nine!, 200)).toBe(false);
  });

  it('a kiosk code stays taken while its booking is active or its day has not passed', async () => {
    await seedSlots(s().store, 3);
    await s().store.insertBooking(aBooking({ state: 'cancelled', kioskCode: '11111111' }));
    await s().store.insertBooking(aBooking({ state: 'checked_in', kioskCode: '22222222', day: '2026-11-20' }));
    expect(await s().store.kioskCodeInUse(OFFICE, '11111111', DAY)).toBe(true);
    expect(await s().store.kioskCodeInUse(OFFICE, '11111111', '2026-11-25')).toBe(false);
    expect(await s().store.kioskCodeInUse(OFFICE, '22222222', '2026-11-25')).toBe(true);
    expect(await s().store.kioskCodeInUse('o2', '22222222', DAY)).toBe(false);
  });

  it('a kiosk code names its active booking first, else the latest of the day', async () => {
    await seedSlots(s().store, 3);
    const old = aBooking({ state: 'cancelled', kioskCode: '33333333', startAt: NINE });
    const later = aBooking({ state: 'cancelled', kioskCode: '33333333', startAt: NINE + 60_000 });
    await s().store.insertBooking(old);
    await s().store.insertBooking(later);
    expect((await s().store.bookingByKioskCode(OFFICE, '33333333', DAY))?.id).toBe(later.id);
    const active = aBooking({ state: 'confirmed', kioskCode: '33333333', startAt: NINE - 60_000, day: '2026-11-23' });
    await s().store.insertBooking(active);
    expect((await s().store.bookingByKioskCode(OFFICE, '33333333', DAY))?.id).toBe(active.id);
    expect(await s().store.bookingByKioskCode(OFFICE, '99999999', DAY)).toBeNull();
  });

  it('confirmed bookings to lapse and between two times, earliest first', async () => {
    await seedSlots(s().store, 3);
    const a = aBooking({ state: 'confirmed', startAt: NINE + 1000 });
    const b = aBooking({ state: 'confirmed', startAt: NINE });
    const held = aBooking({ startAt: NINE });
    for (const x of [a, b, held]) await s().store.insertBooking(x);
    expect((await s().store.bookingsToLapse(OFFICE, NINE + 1000, 10)).map((x) => x.id)).toEqual([b.id]);
    expect((await s().store.bookingsToLapse(OFFICE, NINE + 2000, 1)).map((x) => x.id)).toEqual([b.id]);
    expect((await s().store.confirmedBookingsBetween(OFFICE, NINE, NINE + 1000)).map((x) => x.id)).toEqual([b.id, a.id]);
  });

  it('a person is matched by any of their hashes; only live holds and confirmed bookings can be cancelled', async () => {
    await seedSlots(s().store, 5);
    const now = NINE - 5000;
    const byEmail = aBooking({ emailHash: 'ex', state: 'confirmed' });
    const byPhone = aBooking({ emailHash: null, phoneHash: 'px', holdExpiresAt: now + 1 });
    const byId = aBooking({ identityKeyId: 'k1', identityHash: 'ix', state: 'checked_in' });
    const lapsed = aBooking({ emailHash: 'ex', holdExpiresAt: now });
    const stranger = aBooking({ state: 'confirmed' });
    for (const x of [byEmail, byPhone, byId, lapsed, stranger]) await s().store.insertBooking(x);
    const person = { emailHash: 'ex', phoneHash: null, identity: [{ keyId: 'k1', hash: 'ix' }], contactHashes: ['px'] };
    expect((await s().store.cancellableBookingsOf(OFFICE, person, now)).map((x) => x.id)).toEqual([byEmail.id, byPhone.id]);
    expect((await s().store.activeBookingsByIdentity(SERVICE, person.identity, now)).map((x) => x.id)).toEqual([byId.id]);
    expect(await s().store.activeBookingsByIdentity(SERVICE, [], now)).toEqual([]);
  });
});

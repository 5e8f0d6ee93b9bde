import type { BookingRecordStore } from '../ports.ts';
import type { Booking } from '../model.ts';
import { byKeys, matchesPerson } from './person-match.ts';

const ACTIVE: ReadonlySet<Booking['state']> = new Set(['confirmed', 'checked_in']);

/**
 * In-memory bookings. `dropReminders` is the outbox's (a move out of `confirmed` drops the
 * booking's pending reminders, as the adapter does in the same transaction).
 */
export function memoryBookingRecords(dropReminders: (bookingId: string) => void = () => undefined) {
  const rows = new Map<string, Booking>();
  const all = (): Booking[] => [...rows.values()];
  const find = (pred: (b: Booking) => boolean): Booking | null => {
    const b = all().find(pred);
    return b === undefined ? null : { ...b };
  };
  const list = (pred: (b: Booking) => boolean, order: (a: Booking, b: Booking) => number, limit = Infinity): Booking[] =>
    all().filter(pred).sort(order).slice(0, limit).map((b) => ({ ...b }));
  const live = (b: Booking, now: number): boolean => b.state === 'confirmed' || b.state === 'awaiting_payment' || (b.state === 'held' && b.holdExpiresAt > now);
  const lapsed = (b: Booking, now: number): boolean => b.state === 'held' && b.holdExpiresAt <= now;
  const byCreation = byKeys<Booking>((b) => b.createdAt, (b) => b.id);
  const byStart = byKeys<Booking>((b) => b.startAt, (b) => b.id);

  return {
    insertBooking: async (b) => {
      if (rows.has(b.id) || all().some((x) => x.number === b.number)) throw new Error(`booking ${b.id} (${b.number}) exists`);
      rows.set(b.id, { ...b });
    },
    booking: async (id) => find((b) => b.id === id),
    bookingByNumber: async (number) => find((b) => b.number === number),
    bookingByHoldKey: async (hash) => find((b) => b.holdKeyHash === hash),
    bookingByCancelHash: async (hash) => find((b) => b.cancelHash === hash),
    transition: async (id, from, to, patch) => {
      const b = rows.get(id);
      if (b === undefined || b.state !== from) return null;
      const moved: Booking = { ...b, ...patch, id, state: to };
      rows.set(id, moved);
      if (to !== 'confirmed') dropReminders(id);
      return { ...moved };
    },
    dropReminders: async (id) => dropReminders(id),
    lapsedHolds: async (now, limit, slotId) =>
      list((b) => lapsed(b, now) && (slotId === undefined || b.slotId === slotId), byKeys((b) => b.holdExpiresAt), limit),
    hasLapsedHold: async (slotId, now) => all().some((b) => b.slotId === slotId && lapsed(b, now)),
    kioskCodeInUse: async (officeId, code, day) => all().some((b) => b.officeId === officeId && b.kioskCode === code && (ACTIVE.has(b.state) || b.day >= day)),
    bookingByKioskCode: async (officeId, code, day) =>
      list(
        (b) => b.officeId === officeId && b.kioskCode === code && (ACTIVE.has(b.state) || b.day === day),
        byKeys((b) => (ACTIVE.has(b.state) ? 0 : 1), (b) => -b.startAt),
        1,
      )[0] ?? null,
    bookingByTicket: async (ticketId) => find((b) => b.ticketId === ticketId),
    bookingsToLapse: async (officeId, startedBefore, limit) =>
      list((b) => b.state === 'confirmed' && b.officeId === officeId && b.startAt < startedBefore, byStart, limit),
    confirmedBookingsBetween: async (officeId, from, to) =>
      list((b) => b.state === 'confirmed' && b.officeId === officeId && b.startAt >= from && b.startAt <= to, byStart),
    activeBookingsByIdentity: async (serviceId, identity, now) => {
      const ids = new Set(identity.map((k) => k.hash));
      return list(
        (b) => b.serviceId === serviceId && b.identityHash !== null && ids.has(b.identityHash) && (ACTIVE.has(b.state) || live(b, now)),
        byCreation,
      );
    },
    cancellableBookingsOf: async (officeId, person, now) => list((b) => b.officeId === officeId && matchesPerson(b, person) && live(b, now), byCreation),
  } satisfies BookingRecordStore;
}

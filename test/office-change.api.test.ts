import { afterEach, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { bookAndConfirm, firstSlot, holdAt } from './helpers/rules.ts';

/**
 * The office closes a day that already has bookings: the admin moves them (or cancels them), and
 * every client gets the office-change mail — through a real SMTP server on loopback — with a
 * calendar entry of the same UID as their confirmation's and SEQUENCE + 1, and links to accept or
 * cancel the new time.
 */
let h: BookingTestHost;
afterEach(async () => h.close());

const DAY = '2026-11-25'; // Wednesday; the fake clock stands at Monday 23 Nov 09:00 Prague

async function drain(): Promise<void> {
  for (let i = 0; i < 20 && (await h.booking.worker.tick()) > 0; i++) await h.booking.worker.idle();
  await h.booking.worker.idle();
}

const ics = (m: { attachments: { filename: string; content: string }[] }): string => m.attachments.find((a) => a.filename === 'booking.ics')?.content ?? '';
const field = (cal: string, name: string): string => new RegExp(`^${name}:(.*)$`, 'm').exec(cal)?.[1]?.trim() ?? '';

// Booking numbers, ids and days are letters, digits and dashes: safe in a statement's text.
const idOf = async (number: string): Promise<string> => (await h.sql<{ id: string }>(`SELECT id FROM bookings WHERE number = '${number}'`))[0]!.id;

/** Five clients booked on DAY; then the office closes that day. Their booking ids, numbers, e-mails and confirmation UIDs. */
async function fiveBookedThenDayClosed() {
  const booked: { id: string; number: string; email: string; uid: string }[] = [];
  for (let i = 1; i <= 5; i++) {
    const email = `client${i}@example.org`;
    const number = await bookAndConfirm(h, await firstSlot(h, 'o1-s1', DAY), { name: `Klient ${i}`, email });
    await drain();
    const confirmation = await h.booking.mailSink!.next((m) => m.to.includes(email) && m.subject.includes(number));
    expect(field(ics(confirmation), 'SEQUENCE')).toBe('0');
    const id = await idOf(number);
    booked.push({ id, number, email, uid: field(ics(confirmation), 'UID') });
  }
  // The admin closes the day as the back office does: the preview lists the five bookings first.
  const calendar = { closedDays: [{ date: DAY }], changedDays: [] };
  const put = (query: string) => h.app.inject({ method: 'PUT', url: `/api/v1/offices/o1/calendar${query}`, headers: { cookie: h.cookie('admin') }, payload: calendar });
  const preview = await put('?preview=1');
  expect(preview.statusCode, preview.body).toBe(200);
  expect((preview.json().affectedBookings as { bookingId: string }[]).map((a) => a.bookingId).sort()).toEqual(booked.map((b) => b.id).sort());
  expect((await put('')).statusCode).toBe(200);
  return booked;
}

const change = (bookingIds: string[], action: 'move' | 'cancel', who = 'admin', query = '') =>
  h.app.inject({ method: 'POST', url: `/api/v1/offices/o1/office-change${query}`, headers: { cookie: h.cookie(who) }, payload: { bookingIds, action } });
const confirmedOn = async (day: string): Promise<unknown> => (await h.sql<{ n: number }>(`SELECT count(*) AS n FROM bookings WHERE day = '${day}' AND state = 'confirmed'`))[0]!.n;

describe.each(BOTH_STORES)('office changes to bookings on %s', (store) => {
  it('closing a day with 5 bookings: each is moved and its client gets the office-change mail with the same UID and SEQUENCE + 1', async () => {
    h = await startBookingHost({ store });
    const booked = await fiveBookedThenDayClosed();
    expect((await change([booked[0]!.id], 'move', 'clerk1')).json().error.code).toBe('FORBIDDEN');

    // The preview the back office shows first: the time each would get (no two promised one last
    // place), with nothing changed and nobody told.
    const preview = await change(booked.map((b) => b.id), 'move', 'admin', '?preview=1');
    expect(preview.statusCode, preview.body).toBe(200);
    const proposed = preview.json().bookings as { bookingId: string; outcome: string; toStartAt: number }[];
    expect(new Set(proposed.map((o) => o.toStartAt)).size).toBe(5);
    expect(await confirmedOn(DAY)).toBe(5);
    await drain();
    expect(await h.booking.mailSink!.next((m) => m.subject.startsWith('Your booking was changed'), 300).catch(() => null)).toBeNull();

    const res = await change(booked.map((b) => b.id), 'move');
    expect(res.statusCode, res.body).toBe(200);
    const outcomes = res.json().bookings as { bookingId: string; outcome: string; toStartAt: number }[];
    expect(outcomes.map((o) => o.outcome)).toEqual(['moved', 'moved', 'moved', 'moved', 'moved']);
    expect(outcomes).toEqual(proposed.map((p) => ({ ...p, reason: null })));
    await drain();

    for (const b of booked) {
      const mail = await h.booking.mailSink!.next((m) => m.to.includes(b.email) && m.subject === `Your booking was changed: ${b.number}`);
      const cal = ics(mail);
      expect(field(cal, 'UID')).toBe(b.uid);
      expect(field(cal, 'SEQUENCE')).toBe('1');
      expect(field(cal, 'METHOD')).toBe('PUBLISH');
      // The new time, never on the closed day (DTSTART is UTC; Wednesday in Prague is 25 Nov).
      const to = outcomes.find((o) => o.bookingId === b.id)!.toStartAt;
      expect(field(cal, 'DTSTART')).toBe(new Date(to).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
      expect(new Date(to).toISOString().slice(0, 10)).not.toBe(DAY);
      expect(mail.text).toMatch(/Accept the new time: http:\/\/fronta\.test\/portal\/\?accept=[A-Za-z0-9_-]{43}/);
      expect(mail.text).toMatch(/Cancel the booking: http:\/\/fronta\.test\/portal\/\?cancel=[A-Za-z0-9_-]{43}/);
    }
    expect(await confirmedOn(DAY)).toBe(0);

    // The client accepts the new time through the link; the cancel link of the same mail cancels it.
    const first = await h.booking.mailSink!.next((m) => m.to.includes(booked[0]!.email) && m.subject.startsWith('Your booking was changed'));
    const token = /\?accept=([A-Za-z0-9_-]{43})/.exec(first.text)![1]!;
    const accepted = await h.app.inject({ method: 'POST', url: '/api/v1/booking/accept-change', payload: { token } });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(await h.sql(`SELECT change_accepted_at FROM bookings WHERE id = '${booked[0]!.id}'`)).toEqual([{ change_accepted_at: h.clock.now() }]);
    const cancelled = await h.app.inject({ method: 'POST', url: '/api/v1/booking/cancel', payload: { token } });
    expect(cancelled.statusCode, cancelled.body).toBe(200);
  });

  it('cancelling them instead: each client gets a calendar cancellation of the same UID, SEQUENCE + 1, and the places return', async () => {
    h = await startBookingHost({ store });
    const booked = await fiveBookedThenDayClosed();
    const res = await change(booked.map((b) => b.id), 'cancel');
    expect(res.statusCode, res.body).toBe(200);
    expect((res.json().bookings as { outcome: string }[]).every((o) => o.outcome === 'cancelled')).toBe(true);
    await drain();
    for (const b of booked) {
      const mail = await h.booking.mailSink!.next((m) => m.to.includes(b.email) && m.subject === `Booking cancelled: ${b.number}`);
      const cal = ics(mail);
      expect([field(cal, 'UID'), field(cal, 'SEQUENCE'), field(cal, 'METHOD'), field(cal, 'STATUS')]).toEqual([b.uid, '1', 'CANCEL', 'CANCELLED']);
      expect(mail.text).toMatch(/opening hours changed/);
    }
    // PostgreSQL's sum of BIGINTs is a NUMERIC, read as text.
    expect(Number((await h.sql<{ n: unknown }>(`SELECT coalesce(sum(taken), 0) AS n FROM slots WHERE service_id = 'o1-s1' AND day = '${DAY}'`))[0]!.n)).toBe(0);
    // Done once: a second run changes nothing more.
    const again = await change(booked.map((b) => b.id), 'cancel');
    expect((again.json().bookings as { outcome: string; reason: string }[]).every((o) => o.outcome === 'kept' && o.reason === 'not-active')).toBe(true);
  });

  it('a booking is moved within its service’s own hours, not the office’s, even where the day’s places were stored under the older hours', async () => {
    h = await startBookingHost({ store });
    const THU = '2026-11-26';
    // A hold on Thursday stores that day's places under the office's hours, 08:00–17:00.
    expect((await holdAt(h, `o1-s1~${THU}~0800`, { name: 'Klient T', email: 'thu@example.org' })).statusCode).toBe(201);
    expect((await h.sql<{ n: number }>(`SELECT count(*) AS n FROM slots WHERE service_id = 'o1-s1' AND day = '${THU}'`))[0]!.n).toBeGreaterThan(0);
    // The service now keeps its own hours: Thursday afternoons only.
    const open = { open: '08:00', close: '17:00', breaks: [] };
    const hours = { mon: open, tue: open, wed: open, thu: { open: '14:00', close: '17:00', breaks: [] }, fri: open, sat: null, sun: null };
    const patched = await h.app.inject({ method: 'PATCH', url: '/api/v1/offices/o1/services/o1-s1', headers: { cookie: h.cookie('admin') }, payload: { hours } });
    expect(patched.statusCode, patched.body).toBe(200);
    // The last time on Wednesday, then Wednesday closes: Thursday 08:00 is nearest by the office's
    // hours, but the service opens at 14:00 that day (Tuesday's last time is further).
    const number = await bookAndConfirm(h, `o1-s1~${DAY}~1630`, { name: 'Klient W', email: 'wed@example.org' });
    const id = await idOf(number);
    expect((await h.app.inject({ method: 'PUT', url: '/api/v1/offices/o1/calendar', headers: { cookie: h.cookie('admin') }, payload: { closedDays: [{ date: DAY }], changedDays: [] } })).statusCode).toBe(200);
    const thu14 = Date.UTC(2026, 10, 26, 13, 0); // 14:00 in Prague
    const preview = await change([id], 'move', 'admin', '?preview=1');
    expect(preview.json().bookings[0]).toMatchObject({ outcome: 'moved', toStartAt: thu14 });
    const moved = await change([id], 'move');
    expect(moved.json().bookings[0]).toMatchObject({ outcome: 'moved', toStartAt: thu14 });
  });
});

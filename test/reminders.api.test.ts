import { afterEach, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { holdAt } from './helpers/rules.ts';

/**
 * A reminder is sent only while it is true: the booking is still confirmed and its time is still
 * ahead. The worker of these hosts is never started, so "the host was off" is simply the clock
 * moving without a worker tick; every mail goes through a real SMTP server on loopback.
 */
let h: BookingTestHost;
afterEach(async () => h.close());

const DAY = '2026-11-25'; // Wednesday; the fake clock stands at Monday 23 Nov 09:00 Prague
const at = (hhmm: string, day = DAY): number => Date.parse(`${day}T${hhmm}:00+01:00`);

async function drain(): Promise<void> {
  for (let i = 0; i < 20 && (await h.booking.worker.tick()) > 0; i++) await h.booking.worker.idle();
  await h.booking.worker.idle();
}

/** Holds the slot at `time` on DAY and confirms it by its e-mail link: the booking's number, id and kiosk code. */
async function book(time: string, email: string): Promise<{ number: string; id: string; kioskCode: string }> {
  const res = await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` });
  const slot = (res.json().slots as { id: string; time: string }[]).find((s) => s.time === time)!;
  const held = await holdAt(h, slot.id, { name: 'Jana Nováková', email });
  expect(held.statusCode, held.body).toBe(201);
  await drain();
  const mail = await h.booking.mailSink!.next((m) => m.to.includes(email) && /confirm=/.test(m.text));
  const token = /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  const confirmed = await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token } });
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  await drain(); // the confirmation itself
  const { number, kioskCode } = confirmed.json<{ number: string; kioskCode: string }>();
  // Booking numbers are letters and digits: safe in the statement's text.
  const id = (await h.sql<{ id: string }>(`SELECT id FROM bookings WHERE number = '${number}'`))[0]!.id;
  return { number, id, kioskCode };
}

const remindersTo = (email: string) => h.booking.mailSink!.messages.filter((m) => m.to.includes(email) && /^Reminder/.test(m.subject));
const pendingReminders = async (bookingId: string) =>
  (await h.sql<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE booking_id = '${bookingId}' AND kind = 'reminder' AND state = 'pending'`))[0]!.n;

describe.each(BOTH_STORES)('reminders only while they are true on %s', (store) => {
  it('a host off the evening before and started after the booking time sends none for it; a later booking still gets its own', async () => {
    h = await startBookingHost({ store });
    await book('08:00', 'past@example.org');
    await book('16:00', 'later@example.org');
    // Off from before Tuesday 08:00 (when both reminders fell due) until Wednesday 09:00.
    h.clock.set(at('09:00'));
    await drain();
    expect(remindersTo('past@example.org')).toEqual([]);
    const later = remindersTo('later@example.org');
    expect(later).toHaveLength(1);
    // Sent on the day itself: it names the time, never "tomorrow".
    expect(later[0]!.subject).not.toMatch(/tomorrow/i);
    expect(later[0]!.subject).toMatch(/16:00|4:00\sPM/);
  });

  it('a checked-in booking never gets one, nor a lapsed one; a confirmed booking still ahead does', async () => {
    h = await startBookingHost({ store });
    const checkedIn = await book('08:30', 'checked@example.org');
    const lapsed = await book('09:00', 'lapsed@example.org');
    await book('11:00', 'coming@example.org');

    h.clock.set(at('08:20')); // the office opens at 08:00
    const checkIn = await h.app.inject({
      method: 'POST',
      url: '/api/v1/kiosk/check-in',
      headers: { authorization: `Bearer ${h.kioskToken}` },
      payload: { code: checkedIn.kioskCode },
    });
    expect(checkIn.statusCode, checkIn.body).toBe(201);
    // Checked in: its reminder leaves the outbox with that change, not at send time.
    expect(await pendingReminders(checkedIn.id)).toBe(0);

    h.clock.set(at('09:20')); // 09:00 + 15 late minutes have passed
    await h.booking.sweep();
    expect(await h.sql(`SELECT state FROM bookings WHERE id = '${lapsed.id}'`)).toEqual([{ state: 'lapsed' }]);
    expect(await pendingReminders(lapsed.id)).toBe(0);

    await drain();
    expect(remindersTo('checked@example.org')).toEqual([]);
    expect(remindersTo('lapsed@example.org')).toEqual([]);
    expect(remindersTo('coming@example.org')).toHaveLength(1);
  });

  it('a confirmed booking gets its reminder the day before, once', async () => {
    h = await startBookingHost({ store });
    await book('10:00', 'jana@example.org');
    h.clock.set(at('10:00', '2026-11-24'));
    await drain();
    await drain();
    expect(remindersTo('jana@example.org')).toHaveLength(1);
  });
});

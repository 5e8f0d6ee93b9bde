import { io } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_NAMESPACE } from '../contracts/print.ts';
import type { Booking } from '../core/booking/model.ts';
import { createDevice } from '../server/provisioning.ts';
import { insertConfirmedBooking, policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { envelopeProblems } from './helpers/error-envelope.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';

/**
 * Check-in of booked clients (issue 7) through the API, on the fake clock: the ±15-minute window,
 * one queue with walk-ins, lapse and no-show, the manual check-in at the counter, and the kiosk's
 * lock against guessed codes.
 */

let h: BookingTestHost;
afterEach(async () => {
  await h.close();
});

const MIN = 60_000;
const TODAY = '2026-11-23'; // the fake clock stands at Monday 23 Nov 09:00 Prague
let seq = 0;
// Per host from 1: booking ids bk1, bk2… sort as they were made (see noShows).
beforeEach(() => {
  seq = 0;
});

/** A confirmed booking of o1-s1 at `startAt` (see insertConfirmedBooking). */
function confirmedBooking(startAt: number, kioskCode: string, over: Partial<Booking> = {}): Promise<Booking> {
  seq++;
  return insertConfirmedBooking(h, { key: seq, day: TODAY, startAt, number: `BKNGTEST${String(seq).padStart(2, '0')}`, kioskCode }, over);
}

const checkIn = (code: string, opts: { lang?: string; token?: string; walkIn?: boolean } = {}) =>
  h.app.inject({
    method: 'POST',
    url: '/api/v1/kiosk/check-in',
    headers: { authorization: `Bearer ${opts.token ?? h.kioskToken}`, 'accept-language': opts.lang ?? 'en' },
    payload: opts.walkIn === undefined ? { code } : { code, walkIn: opts.walkIn },
  });

// Ids and the test's own values are letters, digits and dashes: safe in a statement's text.
const bookingState = async (id: string) => (await h.sql<{ state: string }>(`SELECT state FROM bookings WHERE id = '${id}'`))[0]?.state;
/** No-shows as recorded, in the order they were (one instant: in the order the bookings were made). */
const noShows = () => h.sql('SELECT booking_id, reason, excused_at FROM no_shows ORDER BY at, booking_id');
/** The one value a statement reads, as a number on both stores (PostgreSQL's sum of BIGINTs is a NUMERIC, read as text). */
const scalar = async (select: string): Promise<number> => Number(Object.values((await h.sql(select))[0]!)[0]);
const act = (who: string, counter: string, action: string) =>
  h.app.inject({ method: 'POST', url: `/api/v1/counters/${counter}/${action}`, headers: { cookie: h.cookie(who) }, payload: {} });

describe.each(BOTH_STORES)('on %s', (store) => {
  describe('check-in of booked clients at the kiosk', () => {
    it('at −16, −15, 0, +15, +16 minutes: refused early, accepted, accepted, accepted, lapsed', async () => {
      h = await startBookingHost({ store });
      const now = h.clock.now();
      // Check-in at −16 min means the booking starts 16 minutes from now.
      const cases = [];
      for (const c of [
        { offset: -16, code: '11111116' },
        { offset: -15, code: '11111115' },
        { offset: 0, code: '22222200' },
        { offset: 15, code: '33333315' },
        { offset: 16, code: '33333316' },
      ]) cases.push({ ...c, booking: await confirmedBooking(now - c.offset * MIN, c.code) });
      const answers = [];
      for (const c of cases) answers.push(await checkIn(c.code, { lang: 'cs' }));
      expect(answers.map((r) => r.statusCode)).toEqual([409, 201, 201, 201, 410]);
      expect(answers[0]!.json().error).toEqual({ code: 'CODE_TOO_EARLY', message: 'Na svou objednávku jdete příliš brzy. Vraťte se prosím v 09:01.' });
      expect(answers[4]!.json().error.code).toBe('BOOKING_LAPSED');
      for (const r of [answers[0]!, answers[4]!]) expect(envelopeProblems(r, 'cs'), r.body).toEqual([]);

      const accepted = answers.slice(1, 4).map((r) => r.json());
      expect(accepted.map((a) => a.bookedTime)).toEqual(['09:15', '09:00', '08:45']);
      for (const [i, a] of accepted.entries()) {
        expect(a.walkIn).toBe(false);
        expect(a.ticket).toMatchObject({ state: 'waiting', serviceId: 'o1-s1', bookedAt: cases[i + 1]!.booking.startAt, arrivedAt: now });
        expect(await bookingState(cases[i + 1]!.booking.id)).toBe('checked_in');
      }
      expect(await h.sql(`SELECT ticket_id FROM bookings WHERE id = '${cases[2]!.booking.id}'`)).toEqual([{ ticket_id: accepted[1].ticket.id }]);
      // The lapsed booking counts as a no-show; the early one is untouched and can come back at 09:01.
      expect(await bookingState(cases[4]!.booking.id)).toBe('lapsed');
      expect(await noShows()).toEqual([{ booking_id: cases[4]!.booking.id, reason: 'lapsed', excused_at: null }]);
      expect(await bookingState(cases[0]!.booking.id)).toBe('confirmed');
      h.clock.advance(MIN);
      expect((await checkIn(cases[0]!.code)).statusCode).toBe(201);

      // A used code gives no second ticket.
      const again = await checkIn(cases[2]!.code, { lang: 'ro' });
      expect(again.json().error.code).toBe('BOOKING_ALREADY_CHECKED_IN');
      expect(envelopeProblems(again, 'ro')).toEqual([]);
      expect(await scalar('SELECT count(*) FROM tickets WHERE booked_at IS NOT NULL')).toBe(4);
      // Booked arrivals do not use up the walk-in capacity.
      expect(await scalar('SELECT coalesce(sum(issued), 0) FROM daily_issued')).toBe(0);
    });

    it('one queue: an early check-in waits while a walk-in waits, a booked arrival whose time has come goes first', async () => {
      h = await startBookingHost({ store });
      const now = h.clock.now();
      await confirmedBooking(now + 10 * MIN, '44444444');
      expect((await act('clerk2', 'o1-c2', 'open')).statusCode).toBe(200); // counter 2 serves o1-s1 only
      const walkIn = async () =>
        (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } })).json()
          .ticket;
      const w1 = await walkIn();
      h.clock.advance(MIN);
      const booked = (await checkIn('44444444')).json().ticket;
      h.clock.advance(MIN);
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(w1.id); // early: the walk-in first
      const w2 = await walkIn();
      h.clock.advance(8 * MIN); // 09:10: the booked time has come
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(booked.id);
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(w2.id);
      // Nobody else waits: an early check-in is called before its time.
      await confirmedBooking(h.clock.now() + 12 * MIN, '55555555');
      const early = (await checkIn('55555555')).json().ticket;
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(early.id);
    });

    it('lapse job and the clerk’s no-show record the booking as a no-show', async () => {
      h = await startBookingHost({ store });
      const now = h.clock.now();
      const overdue = await confirmedBooking(now - 16 * MIN, '66666661');
      const inWindow = await confirmedBooking(now - 15 * MIN, '66666662');
      const booked = await confirmedBooking(now, '66666663');
      await h.booking.sweep();
      expect([await bookingState(overdue.id), await bookingState(inWindow.id)]).toEqual(['lapsed', 'confirmed']);

      await act('clerk2', 'o1-c2', 'open');
      const ticket = (await checkIn('66666663')).json().ticket;
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(ticket.id);
      expect((await act('clerk2', 'o1-c2', 'no-show')).statusCode).toBe(200);
      expect(await bookingState(booked.id)).toBe('no_show');
      expect(await noShows()).toEqual([
        { booking_id: overdue.id, reason: 'lapsed', excused_at: null },
        { booking_id: booked.id, reason: 'clerk', excused_at: null },
      ]);
      // The no-show's code gives nothing more.
      expect((await checkIn('66666663')).json().error.code).toBe('BOOKING_ALREADY_CHECKED_IN');
    });

    it('where the office offers it, a late client takes a walk-in ticket instead and is not counted as a no-show', async () => {
      h = await startBookingHost({ store });
      await h.stores.seed.bookingOffice({ officeId: 'o1', suspended: false, suspendedMessage: {}, checkIn: { late: 'walk-in' } });
      const late = await confirmedBooking(h.clock.now() - 20 * MIN, '77777777');
      const offered = await checkIn('77777777', { lang: 'zh-CN' });
      expect([offered.statusCode, offered.json().error.code]).toEqual([409, 'BOOKING_LATE_WALK_IN']);
      expect(envelopeProblems(offered, 'zh-CN')).toEqual([]);
      const taken = await checkIn('77777777', { walkIn: true });
      expect(taken.statusCode, taken.body).toBe(201);
      expect(taken.json()).toMatchObject({ walkIn: true, ticket: { bookedAt: null, number: 'A001' } });
      expect(await noShows()).toEqual([{ booking_id: late.id, reason: 'lapsed', excused_at: h.clock.now() }]);
      expect((await checkIn('77777777', { walkIn: true })).json().error.code).toBe('BOOKING_ALREADY_CHECKED_IN');
    });

    it('a clerk checks a booked client in by booking number and sees what to verify', async () => {
      h = await startBookingHost({ store });
      const b = await confirmedBooking(h.clock.now() + 40 * MIN, '88888888');
      expect((await act('clerk2', 'o1-c2', 'open')).statusCode).toBe(200);
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/counters/o1-c2/check-in',
        headers: { cookie: h.cookie('clerk2'), 'accept-language': 'cs' },
        payload: { number: b.number.toLowerCase() },
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ name: 'JANA NOVÁKOVÁ', phoneEnd: '123', serviceName: 'Služba 1', bookedTime: '09:40', ticket: { bookedAt: b.startAt } });
      expect(await bookingState(b.id)).toBe('checked_in');
      expect((await checkIn('88888888')).json().error.code).toBe('BOOKING_ALREADY_CHECKED_IN');
      const anonymous = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c2/check-in', payload: { number: b.number } });
      expect(anonymous.statusCode).toBe(401);
    });

    it('a check-in whose ticket is never printed leaves the booking as it was: the client can check in again', async () => {
      h = await startBookingHost({ store, printTimeoutMs: 800 });
      const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
      const { token } = await createDevice(h.stores.people, { clock: h.clock, ids: { ticketId: () => 'unused', entityId: (p) => `${p}_printing` } }, {
        officeId: 'o1',
        kind: 'kiosk',
        name: 'Printing kiosk',
        printer: 'agent',
      });
      const b = await confirmedBooking(h.clock.now() + 5 * MIN, '77777777');
      // An agent that reports a ready printer and then never acknowledges a job (a jammed cutter).
      const silent = io(new URL(AGENT_NAMESPACE, base).toString(), { auth: { token }, transports: ['websocket'] });
      try {
        await new Promise<void>((resolve) => silent.on('connect', () => resolve()));
        // It reads a good printer once, when asked before the number is taken, then stays silent.
        silent.once('print:hold' as never, ((_hold: unknown, ack: (r: unknown) => void) => ack({ ok: true, status: { state: 'ok', isPaperNearEnd: false } })) as never);
        silent.emit('printer:status' as never, { state: 'ok', isPaperNearEnd: false });
        await expect.poll(() => scalar(`SELECT count(*) FROM events WHERE type = 'printer:changed'`)).toBeGreaterThan(0);
        const failed = await checkIn('77777777', { token });
        expect([failed.statusCode, failed.json().error.code]).toEqual([409, 'PRINT_FAILED']);
        expect(await h.sql('SELECT state FROM tickets')).toEqual([{ state: 'void' }]);
        expect(await h.sql(`SELECT state, ticket_id, checked_in_at FROM bookings WHERE id = '${b.id}'`)).toEqual([{ state: 'confirmed', ticket_id: null, checked_in_at: null }]);
      } finally {
        silent.disconnect();
      }
      // At a kiosk that prints (or the counter), the same code checks in.
      expect((await checkIn('77777777')).statusCode).toBe(201);
      expect(await bookingState(b.id)).toBe('checked_in');
    });

    // A thousand requests, five statements each on PostgreSQL: 7–15 s on two busy cores, over the default 30 s when both workers run.
    it('1,000 random codes from one kiosk: none checks in, and the lock engages (that kiosk only)', { timeout: 60_000 }, async () => {
      h = await startBookingHost({ store });
      const real = [];
      for (const code of ['31415926', '27182818', '16180339']) real.push(await confirmedBooking(h.clock.now(), code));
      let state = 0x2545f491;
      const random = () => {
        state ^= state << 13;
        state ^= state >>> 17;
        state ^= state << 5;
        return (state >>> 0) % 100_000_000;
      };
      const codes = new Map<string, number>();
      for (let i = 0; i < 1000; i++) {
        const r = await checkIn(String(random()).padStart(8, '0'));
        const code = r.json().error?.code ?? `HTTP ${r.statusCode}`;
        codes.set(code, (codes.get(code) ?? 0) + 1);
        h.clock.advance(100); // 1,000 attempts over 100 seconds: the lock expires and engages again
      }
      expect([...codes.keys()].sort()).toEqual(['BOOKING_CODE_UNKNOWN', 'CHECK_IN_LOCKED']);
      // Two lock periods in 100 s: only 2 × 5 codes were ever looked at (the fifth wrong one locks).
      expect([codes.get('BOOKING_CODE_UNKNOWN'), codes.get('CHECK_IN_LOCKED')]).toEqual([8, 992]);
      for (const b of real) expect(await bookingState(b.id)).toBe('confirmed');
      // While locked, even a right code is refused on this kiosk; another kiosk is not locked.
      h.clock.advance(60_000);
      expect((await checkIn('00000000')).json().error.code).toBe('BOOKING_CODE_UNKNOWN');
      for (let i = 0; i < 4; i++) await checkIn('00000000');
      const locked = await checkIn(real[0]!.kioskCode!, { lang: 'cs' });
      expect(locked.json().error).toEqual({ code: 'CHECK_IN_LOCKED', message: 'Příliš mnoho chybných kódů. Zadávání kódu je zablokováno na 60 s.' });
      const other = await createDevice(h.stores.people, { clock: h.clock, ids: { ticketId: () => 'x', entityId: (p) => `${p}_second` } }, {
        officeId: 'o1',
        kind: 'kiosk',
        name: 'Corridor',
      });
      expect((await checkIn(real[0]!.kioskCode!, { token: other.token })).statusCode).toBe(201);
      h.clock.advance(60_000);
      expect((await checkIn(real[1]!.kioskCode!)).statusCode).toBe(201);
    });
  });

  describe('a booked arrival’s ticket, at the counter and on its status page', () => {
    const lookup = async (number: string) => (await h.app.inject({ method: 'GET', url: `/api/v1/booking/bookings/${number}` })).json().state;
    const ticketStatus = async (id: string) => (await h.app.inject({ method: 'GET', url: `/api/v1/tickets/${id}` })).json();
    const walkIn = async () =>
      (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } })).json().ticket;

    it('the booking is done once its ticket is served (Done, or call-next), a no-show by recall too; the public lookup says so', async () => {
      h = await startBookingHost({ store });
      const now = h.clock.now();
      const [first, second, third] = [await confirmedBooking(now, '12121212'), await confirmedBooking(now + MIN, '23232323'), await confirmedBooking(now + 2 * MIN, '34343434')];
      for (const b of [first, second, third]) expect((await checkIn(b.kioskCode!)).statusCode).toBe(201);
      const w = await walkIn();
      h.clock.advance(5 * MIN); // all three are due
      await act('clerk2', 'o1-c2', 'open');

      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.bookedAt).toBe(first.startAt);
      expect((await act('clerk2', 'o1-c2', 'start')).statusCode).toBe(200);
      expect(await bookingState(first.id)).toBe('checked_in'); // being served is not done yet
      expect((await act('clerk2', 'o1-c2', 'finish')).statusCode).toBe(200);
      expect(await bookingState(first.id)).toBe('done');
      expect(await lookup(first.number)).toBe('done');

      // Call-next ends the current ticket as served: its booking is done in the same transaction.
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.bookedAt).toBe(second.startAt);
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.bookedAt).toBe(third.startAt);
      expect(await bookingState(second.id)).toBe('done');

      // One recall too many marks the third a no-show: its booking follows.
      for (let i = 0; i < 2; i++) expect((await act('clerk2', 'o1-c2', 'recall')).json().ticket.state).toBe('called');
      expect((await act('clerk2', 'o1-c2', 'recall')).json().ticket.state).toBe('no_show');
      expect(await bookingState(third.id)).toBe('no_show');
      expect(await noShows()).toEqual([{ booking_id: third.id, reason: 'clerk', excused_at: null }]);

      // A walk-in served changes no booking; a done booking's code gives nothing more.
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(w.id);
      expect((await act('clerk2', 'o1-c2', 'call-next')).statusCode).toBe(200);
      expect([await bookingState(first.id), await bookingState(second.id), await bookingState(third.id)]).toEqual(['done', 'done', 'no_show']);
      expect((await checkIn(first.kioskCode!)).json().error.code).toBe('BOOKING_ALREADY_CHECKED_IN');
    });

    it('the status page of a booked ticket: its place in the order counters call, its booked time, then its counter', async () => {
      h = await startBookingHost({ store });
      const now = h.clock.now();
      const w1 = await walkIn();
      await confirmedBooking(now + 10 * MIN, '45454545');
      const booked = (await checkIn('45454545')).json().ticket;
      const w2 = await walkIn();

      // Early: every walk-in of the service goes first.
      expect(await ticketStatus(booked.id)).toMatchObject({ ahead: 2, bookedTime: '09:10', counterNumber: null, ticket: { state: 'waiting' } });
      expect(await ticketStatus(w2.id)).toMatchObject({ ahead: 1, bookedTime: null });
      // Its time has come: it goes before the walk-ins, who now have it ahead of them.
      h.clock.advance(10 * MIN);
      expect((await ticketStatus(booked.id)).ahead).toBe(0);
      expect((await ticketStatus(w1.id)).ahead).toBe(1);
      expect((await ticketStatus(w2.id)).ahead).toBe(2);

      await act('clerk2', 'o1-c2', 'open');
      expect((await act('clerk2', 'o1-c2', 'call-next')).json().ticket.id).toBe(booked.id);
      expect(await ticketStatus(booked.id)).toMatchObject({ ahead: 0, counterNumber: '2', bookedTime: '09:10', ticket: { state: 'called' } });
      expect((await ticketStatus(w1.id)).ahead).toBe(0);
    });
  });

  describe('a clerk finds a booked client by name and time', () => {
    const search = (query: string, who = 'clerk2', counter = 'o1-c2') =>
      h.app.inject({ method: 'GET', url: `/api/v1/counters/${counter}/bookings?${query}`, headers: { cookie: h.cookie(who), 'accept-language': 'cs' } });

    it('today’s confirmed bookings of the clerk’s office only, nearest the time first, with what to verify; the one found checks in', async () => {
      // The service asks for an identity document: the clerk is told which one to see.
      h = await startBookingHost({ store, policies: [policy('o1-s1', { identityKey: { required: false, label: { en: 'Chassis serial (VIN)', cs: 'Výrobní číslo (VIN)' } } })] });
      await h.stores.seed.officeConfig(testOffice({ id: 'o2' }));
      const now = h.clock.now(); // 09:00
      const k = h.booking.keyed;
      const named = (name: string) => ({ nameSealed: k.seal(name) });
      const jana = await confirmedBooking(now + 30 * MIN, '56565656', named('Jana Nováková'));
      const jan = await confirmedBooking(now + 90 * MIN, '67676767', named('Jan NOVÁK'));
      // Not to be found: another office's booking, a cancelled one, one of tomorrow.
      await confirmedBooking(now + 30 * MIN, '78787878', { ...named('Jana Nováková'), officeId: 'o2', serviceId: 'o2-s1' });
      await confirmedBooking(now + 30 * MIN, '89898989', { ...named('Jana Nováková'), state: 'cancelled', kioskCode: null });
      await confirmedBooking(now + 24 * 60 * MIN, '90909090', { ...named('Jana Nováková'), day: '2026-11-24' });
      expect((await act('clerk2', 'o1-c2', 'open')).statusCode).toBe(200);

      const found = await search('name=NOVAKOVA&time=09:30');
      expect(found.statusCode, found.body).toBe(200);
      expect(found.json()).toEqual({
        bookings: [
          { number: jana.number, serviceId: 'o1-s1', serviceName: 'Služba 1', time: '09:30', startAt: jana.startAt, name: 'Jana Nováková', phoneEnd: '123', identityLabel: 'Výrobní číslo (VIN)' },
        ],
      });
      // Words in any order, accents and case ignored; without a time, the whole day by booked time.
      expect((await search('name=nov')).json().bookings.map((b: { number: string }) => b.number)).toEqual([jana.number, jan.number]);
      expect((await search(`name=${encodeURIComponent('novák jan')}&time=10:45`)).json().bookings.map((b: { number: string }) => b.number)).toEqual([jan.number]);
      // ±30 minutes around the time given.
      expect((await search('name=nov&time=11:01')).json().bookings).toEqual([]);
      expect((await search('name=nov&time=10:00')).json().bookings.map((b: { number: string }) => b.number)).toEqual([jana.number, jan.number]);

      // The number found checks the client in; they are no longer a candidate.
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c2/check-in', headers: { cookie: h.cookie('clerk2') }, payload: { number: jana.number } });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ name: 'Jana Nováková', phoneEnd: '123', identityLabel: 'Chassis serial (VIN)', bookedTime: '09:30' });
      expect((await search('name=novakova')).json().bookings).toEqual([]);
    });

    it('only for the clerk signed in at the counter, with a name and a well-formed time', async () => {
      h = await startBookingHost({ store });
      await confirmedBooking(h.clock.now() + 30 * MIN, '13131313');
      expect((await search('name=novakova')).json().error.code).toBe('COUNTER_NOT_ASSIGNED');
      await act('clerk2', 'o1-c2', 'open');
      expect((await search('name=novakova', 'clerk3')).json().error.code).toBe('COUNTER_NOT_ASSIGNED');
      const anonymous = await h.app.inject({ method: 'GET', url: '/api/v1/counters/o1-c2/bookings?name=novakova' });
      expect(anonymous.statusCode).toBe(401);
      for (const bad of ['name=n', 'time=09:30', 'name=novakova&time=25:00', 'name=novakova&time=9:30']) {
        const r = await search(bad);
        expect([r.statusCode, r.json().error.code], bad).toEqual([400, 'VALIDATION_FAILED']);
        expect(envelopeProblems(r, 'cs')).toEqual([]);
      }
      expect((await search('name=novakova')).json().bookings).toHaveLength(1);
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { startMailSink, type MailSink } from '../drivers/mail/smtp.ts';
import { smtpTransport } from '../drivers/mail/smtp.ts';
import { policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { envelopeProblems } from './helpers/error-envelope.ts';

let h: BookingTestHost;
const extra: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await h.close();
  for (const e of extra.splice(0)) await e.close();
});

const DAY = '2026-11-25'; // Wednesday; the fake clock stands at Monday 23 Nov 09:00 Prague

async function slots(day = DAY) {
  const res = await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${day}/slots` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json().slots as { id: string; free: number; time: string }[];
}

async function hold(body: Record<string, unknown>, lang = 'en') {
  return h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', headers: { 'accept-language': lang }, payload: body });
}

/** Drives the outbox until nothing is due (sending happens on real loopback servers). */
async function drain() {
  for (let i = 0; i < 20; i++) {
    const n = await h.booking.worker.tick();
    await h.booking.worker.idle();
    if (n === 0) return;
  }
}

const linkToken = (text: string, key: string): string => {
  const m = new RegExp(`[?&]${key}=([A-Za-z0-9_-]{43})`).exec(text);
  if (m === null) throw new Error(`no ${key} link in: ${text}`);
  return m[1]!;
};
// Booking on both stores: holds, capacity, codes and the outbox answer alike on SQLite and PostgreSQL.
describe.each(BOTH_STORES)('on %s', (store) => {
  const start = (opts: Parameters<typeof startBookingHost>[0] & object): Promise<BookingTestHost> => startBookingHost({ store, ...opts });

  describe('online booking through the API, with real SMTP and SMPP servers on loopback', () => {
    it('e-mail: hold → the mail arrives → the link page → Confirm → confirmed mail with .ics → lookup → cancel', async () => {
      h = await start({});
      const free = await slots();
      expect(free.length).toBe(18); // 08:00–17:00 in 30-minute slots
      expect(free.reduce((n, s) => n + s.free, 0)).toBe(20); // 50 % of 40
      const res = await hold({ slotId: free[0]!.id, name: 'JANA NOVÁKOVÁ', email: 'Jana@Example.org', channel: 'email' }, 'cs');
      expect(res.statusCode, res.body).toBe(201);
      const { holdKey, booking } = res.json();
      expect(booking).toMatchObject({ state: 'held', number: null, kioskCode: null, canExtend: true, time: '08:00' });
      expect((await slots())[0]!.free).toBe(free[0]!.free - 1);

      await drain();
      const mail = await h.booking.mailSink!.next((m) => m.to.includes('jana@example.org'));
      expect(mail.subject).toContain('Potvrďte objednávku');
      const token = linkToken(mail.text, 'confirm');

      // The page behind the link shows what it confirms and consumes nothing (mail scanners prefetch).
      for (let i = 0; i < 2; i++) {
        const peek = await h.app.inject({ url: `/api/v1/booking/confirm/${token}` });
        expect(peek.json()).toMatchObject({ state: 'valid', time: `${DAY} 08:00` });
      }
      const confirmed = await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token } });
      expect(confirmed.statusCode, confirmed.body).toBe(200);
      const c = confirmed.json();
      expect(c.state).toBe('confirmed');
      expect(c.number).toMatch(/^[0-9A-HJKMNP-TV-Z]{10}$/);
      expect(c.kioskCode).toMatch(/^\d{8}$/);
      const again = await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token } });
      expect(again.statusCode).toBe(410);
      expect(again.json().error.code).toBe('TOKEN_USED');
      // The used link, re-opened (or tapped twice), shows the booking it confirmed to its holder: nothing more than the confirmation answered.
      const reopened = (await h.app.inject({ url: `/api/v1/booking/confirm/${token}` })).json();
      expect(reopened).toMatchObject({ state: 'used', booking: { state: 'confirmed', number: c.number, kioskCode: c.kioskCode, time: '08:00' } });
      expect(Object.keys(reopened.booking).sort()).toEqual(Object.keys(c).sort());
      expect(JSON.stringify(reopened)).not.toMatch(/jana|example|nováková/i);
      // The holder sees the same booking with the hold key.
      expect((await h.app.inject({ url: `/api/v1/booking/holds/${holdKey}` })).json()).toMatchObject({ state: 'confirmed', number: c.number, kioskCode: c.kioskCode });

      await drain();
      const done = await h.booking.mailSink!.next((m) => m.subject.includes(c.number));
      expect(done.text).toContain(c.kioskCode);
      expect(done.attachments.map((a) => a.filename).sort()).toEqual(['booking.ics', 'kiosk-code.svg']);
      const ics = done.attachments.find((a) => a.filename === 'booking.ics')!.content;
      expect(ics).toMatch(/UID:.+@fronta/);
      expect(ics).toContain('DTSTART:20261125T070000Z');
      const icsHttp = await h.app.inject({ url: `/api/v1/booking/bookings/${c.number}/ics` });
      expect(icsHttp.headers['content-type']).toContain('text/calendar');
      expect(icsHttp.body).toContain(/UID:(.+@fronta)/.exec(ics)![1]!);

      // Public status: state and time, no personal data.
      const status = await h.app.inject({ url: `/api/v1/booking/bookings/${c.number.toLowerCase()}` });
      expect(status.json()).toMatchObject({ number: c.number, state: 'confirmed', time: '08:00', day: DAY });
      expect(status.body).not.toMatch(/jana|example|nováková/i);

      // Cancel by the link in the confirmation: final, and the place returns at once.
      const cancelToken = linkToken(done.text, 'cancel');
      const cancelled = await h.app.inject({ method: 'POST', url: '/api/v1/booking/cancel', payload: { token: cancelToken } });
      expect(cancelled.json()).toMatchObject({ state: 'cancelled' });
      expect((await slots())[0]!.free).toBe(free[0]!.free);
      const twice = await h.app.inject({ method: 'POST', url: '/api/v1/booking/cancel', payload: { token: cancelToken } });
      expect(twice.json().error.code).toBe('BOOKING_ALREADY_CANCELLED');
      await drain();
      await h.booking.mailSink!.next((m) => m.subject.includes('zrušena'));
      // Nothing personal in the database in clear.
      const dump = JSON.stringify(await h.sql('SELECT * FROM bookings')) + JSON.stringify(await h.sql('SELECT * FROM outbox'));
      expect(dump).not.toMatch(/jana|example\.org|nováková/i);
    });

    it('SMS: hold → the code arrives over SMPP → a wrong code costs a try → the right one confirms → the confirmation SMS arrives', async () => {
      h = await start({});
      const [slot] = await slots();
      const res = await hold({ slotId: slot!.id, name: '王小明', phone: '+86 138 0000 1234', channel: 'sms' }, 'zh-CN');
      expect(res.statusCode, res.body).toBe(201);
      const { holdKey } = res.json();
      await drain();
      const sms = await h.booking.smsSink!.next((m) => m.to === '+8613800001234');
      expect(sms.text).toContain('验证码');
      const code = /#(\d{6})$/.exec(sms.text)![1]!;
      expect(sms.text).toContain('@fronta.test #'); // the one-time-code line phones fill in
      const wrong = await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${holdKey}/code`, headers: { 'accept-language': 'zh-CN' }, payload: { code: code === '000000' ? '111111' : '000000' } });
      expect(wrong.statusCode).toBe(400);
      expect(wrong.json().error).toEqual({ code: 'CODE_WRONG', message: '验证码不正确。剩余次数：4。' });
      const right = await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${holdKey}/code`, payload: { code } });
      expect(right.statusCode, right.body).toBe(200);
      expect(right.json()).toMatchObject({ state: 'confirmed' });
      await drain();
      const confirmed = await h.booking.smsSink!.next((m) => m.text.includes(right.json().number));
      expect(confirmed.text).toContain(right.json().kioskCode);
    });

    it('a code is locked after five wrong tries; resend waits for its cool-down', async () => {
      h = await start({});
      const [slot] = await slots();
      const { holdKey } = (await hold({ slotId: slot!.id, name: 'A B', phone: '+420601000001', channel: 'sms' })).json();
      const codes: string[] = [];
      for (let i = 0; i < 7; i++) {
        codes.push((await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${holdKey}/code`, payload: { code: 'x1' } })).json().error.code);
      }
      expect(codes).toEqual(['CODE_WRONG', 'CODE_WRONG', 'CODE_WRONG', 'CODE_WRONG', 'CODE_LOCKED', 'CODE_LOCKED', 'CODE_LOCKED']);
      const soon = await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${holdKey}/resend` });
      expect(soon.json().error.code).toBe('CODE_RESEND_TOO_SOON');
      h.clock.advance(61_000);
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${holdKey}/resend` })).statusCode).toBe(200);
    });

    it('a hold that is never confirmed expires and frees its slot; one extension is allowed', async () => {
      h = await start({ policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: 2 }, onlineSharePct: 50 })] });
      const [slot] = await slots();
      expect(slot!.free).toBe(1);
      const first = (await hold({ slotId: slot!.id, name: 'A', email: 'a@example.org', channel: 'email' })).json();
      const taken = await hold({ slotId: slot!.id, name: 'B', email: 'b@example.org', channel: 'email' });
      expect(taken.json().error.code).toBe('DAY_SOLD_OUT');
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${first.holdKey}/extend` })).json().canExtend).toBe(false);
      expect((await h.app.inject({ method: 'POST', url: `/api/v1/booking/holds/${first.holdKey}/extend` })).json().error.code).toBe('HOLD_ALREADY_EXTENDED');
      h.clock.advance(30 * 60_000);
      // Lazily: the next attempt finds the lapsed hold and takes its place.
      const second = await hold({ slotId: slot!.id, name: 'B', email: 'b@example.org', channel: 'email' });
      expect(second.statusCode, second.body).toBe(201);
      expect((await h.app.inject({ url: `/api/v1/booking/holds/${first.holdKey}` })).json().state).toBe('expired');
      // And by the sweep.
      h.clock.advance(16 * 60_000);
      await h.booking.sweep();
      expect((await slots())[0]!.free).toBe(1);
      await drain();
      const link = h.booking.mailSink!.messages.find((m) => m.to.includes('b@example.org'))!;
      const late = await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token: linkToken(link.text, 'confirm') } });
      expect(late.statusCode).toBe(410);
    });

    it('SMTP down for two minutes: every message is delivered after it returns, none twice', async () => {
      const sink = await startMailSink();
      const port = sink.port;
      await sink.close();
      let current: MailSink | null = null;
      h = await start({ parts: { transports: { email: smtpTransport({ url: `smtp://127.0.0.1:${port}`, from: 'fronta@test' }) } } });
      extra.push({ close: async () => current?.close() });
      const all = await slots();
      for (let i = 0; i < 6; i++) {
        const r = await hold({ slotId: all[i]!.id, name: `Client ${i}`, email: `c${i}@example.org`, channel: 'email' });
        expect(r.statusCode, r.body).toBe(201); // booking never waits for the mail server
      }
      // Two minutes of a dead server (fake clock): every attempt fails and is rescheduled.
      for (let t = 0; t < 120; t += 10) {
        await drain();
        h.clock.advance(10_000);
      }
      const states = await h.sql<{ state: string; attempts: number; last_error: string }>('SELECT state, attempts, last_error FROM outbox');
      expect(states.every((s) => s.state === 'pending' && s.attempts >= 2 && s.last_error !== null)).toBe(true);
      current = await startMailSink({ port });
      h.clock.advance(5 * 60_000);
      await drain();
      expect(current.messages.length).toBe(6);
      expect(new Set(current.messages.map((m) => m.to[0])).size).toBe(6);
      h.clock.advance(60 * 60_000);
      await drain();
      expect(current.messages.length).toBe(6);
      const staff = await h.app.inject({ url: '/api/v1/booking/offices/o1/outbox', headers: { cookie: h.cookie('admin') } });
      expect(staff.json().messages.every((m: { state: string }) => m.state === 'sent')).toBe(true);
      expect(staff.body).not.toContain('example.org');
      expect((await h.app.inject({ url: '/api/v1/booking/offices/o1/outbox' })).statusCode).toBe(401);
    });

    it('expired, used and forged tokens and keys are answered 4xx in the caller’s language', async () => {
      h = await start({});
      const forged = 'A'.repeat(43);
      const cases = [
        await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token: forged }, headers: { 'accept-language': 'ro' } }),
        await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token: 'short' }, headers: { 'accept-language': 'ro' } }),
        await h.app.inject({ url: `/api/v1/booking/holds/${forged}`, headers: { 'accept-language': 'ro' } }),
        await h.app.inject({ method: 'POST', url: '/api/v1/booking/cancel', payload: { token: forged }, headers: { 'accept-language': 'ro' } }),
        await h.app.inject({ method: 'POST', url: '/api/v1/booking/cancel', payload: { number: 'ZZZZZZZZZZ', contact: 'x@example.org' }, headers: { 'accept-language': 'ro' } }),
        await h.app.inject({ url: '/api/v1/booking/bookings/nope', headers: { 'accept-language': 'ro' } }),
        await h.app.inject({ url: '/api/v1/booking/services/o1-s2/days/2026-11-25/slots', headers: { 'accept-language': 'ro' } }),
        await hold({ slotId: 'o1-s1~2026-11-28~0800', name: 'A', email: 'a@example.org', channel: 'email' }, 'ro'),
        await hold({ slotId: 'o1-s1~2027-11-25~0800', name: 'A', email: 'a@example.org', channel: 'email' }, 'ro'),
        await hold({ slotId: 'o1-s1~2026-11-25~0815', name: 'A', email: 'a@example.org', channel: 'email' }, 'ro'),
        await hold({ slotId: 'o1-s1~2026-11-25~0800', name: 'A', email: 'not-an-address', channel: 'email' }, 'ro'),
        await hold({ slotId: 'o1-s1~2026-11-25~0800', name: 'A', channel: 'sms' }, 'ro'),
      ];
      const codes = cases.map((r) => r.json().error.code);
      expect(codes).toEqual([
        'TOKEN_INVALID',
        'VALIDATION_FAILED',
        'HOLD_NOT_FOUND',
        'TOKEN_INVALID',
        'BOOKING_NOT_FOUND',
        'BOOKING_NOT_FOUND',
        'BOOKING_NOT_OFFERED',
        'DAY_CLOSED',
        'DAY_BEYOND_HORIZON',
        'SLOT_NOT_FOUND',
        'CONTACT_INVALID',
        'CONTACT_REQUIRED',
      ]);
      for (const r of cases) expect(envelopeProblems(r, 'ro'), r.body).toEqual([]);
      // A token expires with the hold it confirms.
      const [slot] = await slots();
      await hold({ slotId: slot!.id, name: 'A', email: 'a@example.org', channel: 'email' });
      await drain();
      const token = linkToken(h.booking.mailSink!.messages.at(-1)!.text, 'confirm');
      h.clock.advance(2 * 3600_000);
      const expired = await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token } });
      expect([expired.statusCode, expired.json().error.code]).toEqual([410, 'TOKEN_EXPIRED']);
    });

    it('10,000 wrong codes or booking numbers from one client are rate-limited', async () => {
      h = await start({ parts: { limits: { guessPerMin: 20, lookupPerMin: 30 } } });
      const [slot] = await slots();
      const { holdKey } = (await hold({ slotId: slot!.id, name: 'A', phone: '+420601000002', channel: 'sms' })).json();
      const statuses = new Map<number, number>();
      for (let i = 0; i < 10_000; i++) {
        const r = await h.app.inject({
          method: i % 2 === 0 ? 'POST' : 'GET',
          url: i % 2 === 0 ? `/api/v1/booking/holds/${holdKey}/code` : `/api/v1/booking/bookings/${String(i).padStart(10, '0')}`,
          ...(i % 2 === 0 ? { payload: { code: String(i % 1_000_000).padStart(6, '0') } } : {}),
        });
        statuses.set(r.statusCode, (statuses.get(r.statusCode) ?? 0) + 1);
      }
      expect(statuses.get(429)).toBeGreaterThanOrEqual(10_000 - 20 - 30);
      // The hold was never confirmed by guessing.
      expect((await h.app.inject({ url: `/api/v1/booking/holds/${holdKey}` })).json().state).not.toBe('confirmed');
    });

    it('crisis mode stops all booking with the office’s message; the kiosk’s walk-in cap is the rest of the day', async () => {
      h = await start({ policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: 4 }, onlineSharePct: 50 })] });
      const services = await h.app.inject({ url: '/api/v1/offices/o1/services' });
      expect(services.json().services.find((s: { id: string }) => s.id === 'o1-s1').walkInRemaining).toBe(2);
      for (let i = 0; i < 2; i++) expect((await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } })).statusCode).toBe(201);
      const third = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
      expect(third.json().error.code).toBe('CAPACITY_EXHAUSTED');
      const [slot] = await slots();
      await h.stores.seed.bookingOffice({ officeId: 'o1', suspended: true, suspendedMessage: { en: 'Booking by phone only.' } });
      const r = await hold({ slotId: slot!.id, name: 'A', email: 'a@example.org', channel: 'email' });
      expect(r.json().error).toEqual({ code: 'BOOKING_SUSPENDED', message: 'Online booking is switched off: Booking by phone only.' });
    });
  });
});

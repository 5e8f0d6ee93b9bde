import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';
import { insertConfirmedBooking, startBookingHost, type BookingTestHost } from './helpers/booking.ts';

/**
 * A client rates a finished visit on the ticket's page — once, changeable for a day, a number from
 * 1 to 5 and nothing else — and supervisors read the ratings per service and counter.
 */

let h: TestHost;

const kiosk = () => ({ authorization: `Bearer ${h.kioskToken}` });
const act = (counter: string, action: string) => h.app.inject({ method: 'POST', url: `/api/v1/counters/${counter}/${action}`, headers: { cookie: h.cookie('clerk1') } });
const rate = (id: string, body: unknown) => h.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/rating`, payload: body as object });
const status = async (id: string) => (await h.app.inject({ url: `/api/v1/tickets/${id}` })).json();

/** A visit served at counter 1 and ended. */
async function servedVisit(): Promise<string> {
  const id = (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId: 'o1-s1' } })).json().ticket.id as string;
  await act('o1-c1', 'open');
  await act('o1-c1', 'call-next');
  await act('o1-c1', 'start');
  await act('o1-c1', 'call-next');
  return id;
}

describe.each(BOTH_STORES)('rating a visit on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store, ratings: true });
  });
  afterEach(async () => {
    await h.close();
  });

  it('is offered once the visit is done, stores a number, and a second tap replaces the first', async () => {
    const waiting = (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId: 'o1-s2' } })).json().ticket.id as string;
    expect((await status(waiting)).rating).toEqual({ open: false, given: null });
    const early = await rate(waiting, { rating: 4 });
    expect(early.statusCode).toBe(409);
    expect(early.json().error.code).toBe('RATING_NOT_OPEN');

    const id = await servedVisit();
    expect((await status(id)).rating).toEqual({ open: true, given: null });
    expect((await rate(id, { rating: 2 })).json()).toEqual({ rating: 2 });
    expect((await rate(id, { rating: 5 })).statusCode).toBe(200);
    expect((await status(id)).rating).toEqual({ open: true, given: 5 });
    expect(await h.sql('SELECT COUNT(*) AS n FROM ticket_ratings')).toEqual([{ n: 1 }]);

    // A day later the page still shows what was given, but nothing can be changed.
    h.clock.advance(24 * 60 * 60_000 + 1);
    expect((await status(id)).rating).toEqual({ open: false, given: 5 });
    expect((await rate(id, { rating: 1 })).statusCode).toBe(409);
  });

  it('refuses anything but a whole number from 1 to 5, and free text, changing nothing', async () => {
    const id = await servedVisit();
    for (const body of [{ rating: 0 }, { rating: 6 }, { rating: 4.5 }, { rating: '5' }, { rating: 5, comment: 'the clerk, Jana N., was rude' }, {}]) {
      const res = await rate(id, body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
    expect((await rate('no-such-ticket', { rating: 3 })).statusCode).toBe(404);
    expect(await h.sql('SELECT COUNT(*) AS n FROM ticket_ratings')).toEqual([{ n: 0 }]);
  });

  it('is not offered where the office turned ratings off', async () => {
    await h.stores.seed.officeConfig({ ...h.config, office: { ...h.config.office, settings: { ...h.config.office.settings, ratings: false } } });
    await h.queue.read((s) => s.getOffice('o1')); // the store notices the change (config version)
    const id = await servedVisit();
    expect((await status(id)).rating).toEqual({ open: false, given: null });
    expect((await rate(id, { rating: 5 })).statusCode).toBe(409);
  });

  it('gives supervisors the ratings per service and counter; clerks get none', async () => {
    const a = await servedVisit();
    const b = await servedVisit();
    await rate(a, { rating: 5 });
    await rate(b, { rating: 2 });
    const res = await h.app.inject({ url: '/api/v1/offices/o1/ratings?from=2026-11-23&to=2026-11-23', headers: { cookie: h.cookie('admin') } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      officeId: 'o1',
      from: '2026-11-23',
      to: '2026-11-23',
      total: { count: 2, mean: 3.5, distribution: [0, 1, 0, 0, 1] },
      services: [{ serviceId: 'o1-s1', count: 2, mean: 3.5, distribution: [0, 1, 0, 0, 1] }],
      counters: [{ counterId: 'o1-c1', count: 2, mean: 3.5, distribution: [0, 1, 0, 0, 1] }],
    });
    const nextDay = await h.app.inject({ url: '/api/v1/offices/o1/ratings?from=2026-11-24&to=2026-11-30', headers: { cookie: h.cookie('admin') } });
    expect(nextDay.json().total).toEqual({ count: 0, mean: null, distribution: [0, 0, 0, 0, 0] });
    expect((await h.app.inject({ url: '/api/v1/offices/o1/ratings?from=2026-11-23&to=2026-11-23', headers: { cookie: h.cookie('clerk1') } })).statusCode).toBe(403);
  });

  it('are in the statistics page’s report and its CSV with the same numbers, per service and counter; not in a clerk’s view', async () => {
    await rate(await servedVisit(), { rating: 4 });
    await rate(await servedVisit(), { rating: 1 });
    const stats = async (user: string, query = '') =>
      (await h.app.inject({ url: `/api/v1/offices/o1/stats?from=2026-11-23&to=2026-11-23&groupBy=service${query}`, headers: { cookie: h.cookie(user) } })).json();
    const same = { count: 2, mean: 2.5, distribution: [1, 0, 0, 1, 0] };
    expect((await stats('admin')).ratings).toEqual({ total: same, services: [{ serviceId: 'o1-s1', ...same }], counters: [{ counterId: 'o1-c1', ...same }] });
    expect((await stats('admin', '&service=o1-s2')).ratings.total).toEqual({ count: 0, mean: null, distribution: [0, 0, 0, 0, 0] });
    expect((await stats('clerk1')).ratings).toBeNull();
    const csv = (await h.app.inject({ url: '/api/v1/offices/o1/stats.csv?from=2026-11-23&to=2026-11-23&groupBy=service', headers: { cookie: h.cookie('admin'), 'accept-language': 'cs' } })).body;
    const section = csv.slice(csv.indexOf('Hodnocení návštěv'));
    expect(section.split('\r\n').slice(1, 5)).toEqual(['Služba / Přepážka;Hodnocení;Průměr (1–5);1;2;3;4;5', expect.stringMatching(/;2;2,5;1;0;0;1;0$/), 'Přepážka 1;2;2,5;1;0;0;1;0', 'Celkem;2;2,5;1;0;0;1;0']);
  });
});

/**
 * Where the office asks for it, a client who booked with a contact gets a message after service
 * with a link to the one-tap rating: through the outbox and a real SMTP server on loopback.
 */
describe.each(BOTH_STORES)('the rating request after service on %s', (store) => {
  let b: BookingTestHost;
  beforeEach(async () => {
    b = await startBookingHost({ store });
  });
  afterEach(async () => {
    await b.close();
  });

  const START = Date.UTC(2026, 10, 23, 8, 0); // 09:00 Prague, where the fake clock stands
  let key = 0;
  const booked = (over: Parameters<typeof insertConfirmedBooking>[2]) => {
    key++;
    return insertConfirmedBooking(b, { key, day: '2026-11-23', startAt: START, number: `BKRATE${String(key).padStart(4, '0')}`, kioskCode: `7777777${key}` }, over);
  };
  const askForRatings = (settings: { ratingMessage?: boolean; ratings?: boolean }) =>
    b.stores.seed.officeConfig({ ...b.config, office: { ...b.config.office, settings: { ...b.config.office.settings, ...settings } } });
  const act = (action: string) => b.app.inject({ method: 'POST', url: `/api/v1/counters/o1-c1/${action}`, headers: { cookie: b.cookie('clerk1') }, payload: {} });
  /** Checks the booking in at the kiosk, serves it at counter 1 and ends the visit; the ticket's id. */
  async function serve(code: string): Promise<string> {
    const res = await b.app.inject({ method: 'POST', url: '/api/v1/kiosk/check-in', headers: { authorization: `Bearer ${b.kioskToken}` }, payload: { code } });
    expect(res.statusCode, res.body).toBe(201);
    await act('open');
    expect((await act('call-next')).json().ticket.id).toBe(res.json().ticket.id);
    await act('start');
    await act('call-next');
    return res.json().ticket.id as string;
  }
  async function drain(): Promise<void> {
    for (let i = 0; i < 10; i++) {
      const n = await b.booking.worker.tick();
      await b.booking.worker.idle();
      if (n === 0) return;
    }
  }
  const ratingMessages = () => b.sql("SELECT state, channel FROM outbox WHERE kind = 'rating'");

  it('is mailed to the booked client in their language with the link to the ticket page, whose rating then counts', async () => {
    // An admin turns it on with the office's fairness settings (the rest as they were).
    const fairness = (await b.app.inject({ url: '/api/v1/offices/o1/config', headers: { cookie: b.cookie('admin') } })).json().fairness as Record<string, unknown>;
    expect(fairness['ratingMessage']).toBeUndefined();
    const on = await b.app.inject({ method: 'PUT', url: '/api/v1/offices/o1/fairness', headers: { cookie: b.cookie('admin') }, payload: { ...fairness, ratingMessage: true } });
    expect(on.statusCode, on.body).toBe(200);
    expect((await b.app.inject({ url: '/api/v1/offices/o1/config', headers: { cookie: b.cookie('admin') } })).json().fairness.ratingMessage).toBe(true);
    const k = b.booking.keyed;
    const booking = await booked({ channel: 'email', language: 'cs', emailSealed: k.seal('jana@example.org'), phoneSealed: null });
    const id = await serve(booking.kioskCode!);
    await drain();
    const mail = await b.booking.mailSink!.next((m) => m.to.includes('jana@example.org'));
    expect(mail.subject).toBe('Jak jste byli spokojeni? Stačí jedno ťuknutí');
    expect(mail.text).toContain(booking.number);
    expect(mail.text).toContain(`http://fronta.test/t/${id}`);
    // The link is the ticket's own page: the rating is open there and counts for the visit.
    expect((await b.app.inject({ url: `/api/v1/tickets/${id}` })).json().rating).toEqual({ open: true, given: null });
    expect((await b.app.inject({ method: 'POST', url: `/api/v1/tickets/${id}/rating`, payload: { rating: 4 } })).statusCode).toBe(200);
    expect(await b.sql(`SELECT rating FROM ticket_ratings WHERE ticket_id = '${id}'`)).toEqual([{ rating: 4 }]);
    expect(await ratingMessages()).toEqual([{ state: 'sent', channel: 'email' }]);
  });

  it('goes by SMS to a client who booked with a phone, and uses the office’s own template', async () => {
    await askForRatings({ ratingMessage: true });
    const put = await b.app.inject({
      method: 'PUT',
      url: '/api/v1/offices/o1/templates/rating/cs',
      headers: { cookie: b.cookie('admin') },
      payload: { subject: 'Hodnocení {{number}}', text: 'Ohodnoťte nás: {{ratingUrl}}', sms: 'Úřad {{office}} prosí o hodnocení: {{ratingUrl}}', smsSegments: 5 },
    });
    expect(put.statusCode, put.body).toBe(200);
    const booking = await booked({ channel: 'sms' });
    const id = await serve(booking.kioskCode!);
    await drain();
    const sms = await b.booking.smsSink!.next((m) => m.text.includes(`/t/${id}`));
    expect(sms.text).toBe(`Úřad Office o1 prosí o hodnocení: http://fronta.test/t/${id}`);
  });

  it('is not sent where the office did not ask for it, where it takes no ratings, to a walk-in, or to a no-show', async () => {
    // Off by default.
    await serve((await booked({})).kioskCode!);
    // Asked for, but the office takes no ratings at all.
    await askForRatings({ ratingMessage: true, ratings: false });
    await serve((await booked({})).kioskCode!);
    await askForRatings({ ratingMessage: true });
    // A walk-in left no contact.
    await b.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${b.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
    await act('call-next');
    await act('start');
    // A booked client called who did not come.
    const code = (await booked({})).kioskCode!;
    expect((await b.app.inject({ method: 'POST', url: '/api/v1/kiosk/check-in', headers: { authorization: `Bearer ${b.kioskToken}` }, payload: { code } })).statusCode).toBe(201);
    await act('call-next');
    await act('no-show');
    await drain();
    expect(await ratingMessages()).toEqual([]);
  });
});

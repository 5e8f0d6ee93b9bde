import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveOfficeConfig } from '../store/config.store.ts';
import { startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * A client rates a finished visit on the ticket's page — once, changeable for a day, a number from
 * 1 to 5 and nothing else — and supervisors read the ratings per service and counter.
 */

let h: TestHost;
beforeEach(async () => {
  h = await startTestHost({ ratings: true });
});
afterEach(async () => {
  await h.close();
});

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

describe('rating a visit', () => {
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
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM ticket_ratings').get()).toEqual({ n: 1 });

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
    expect(h.db.prepare('SELECT COUNT(*) AS n FROM ticket_ratings').get()).toEqual({ n: 0 });
  });

  it('is not offered where the office turned ratings off', async () => {
    saveOfficeConfig(h.db, { ...h.config, office: { ...h.config.office, settings: { ...h.config.office.settings, ratings: false } } });
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

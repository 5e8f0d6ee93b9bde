import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * A ticket's public status (`GET /api/v1/tickets/:id`, the QR code's page): besides the number
 * and the place in line, which service, which office and how long the wait is likely to be —
 * and nothing about the person holding it.
 */

let h: TestHost;
afterEach(async () => {
  await h.close();
});

const issue = async (serviceId: string): Promise<{ id: string; number: string }> =>
  (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId } })).json().ticket;

const status = async (id: string, lang = 'cs') => (await h.app.inject({ url: `/api/v1/tickets/${id}`, headers: { 'accept-language': lang } })).json();

describe.each(BOTH_STORES)('a ticket’s public status on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store });
  });

  it('names the service and the office, counts who is ahead, and estimates the wait only when it can', async () => {
    await issue('o1-s1');
    await issue('o1-s1');
    const third = await issue('o1-s1');
    const before = await status(third.id);
    expect(before).toMatchObject({ ahead: 2, officeName: 'Office o1', service: { name: 'Služba 1', names: { en: 'Service 1', cs: 'Služba 1' } } });
    // No counter open for the service: no estimate rather than a guess.
    expect(before.estimatedWaitMin).toBeNull();
    expect((await status(third.id, 'en')).service.name).toBe('Service 1');

    // Counters 1 and 2 open (both serve S1): 2 ahead × 5 min default / 2 counters.
    for (const [user, counter] of [['clerk1', 'o1-c1'], ['clerk2', 'o1-c2']] as const) {
      const res = await h.app.inject({ method: 'POST', url: `/api/v1/counters/${counter}/open`, headers: { cookie: h.cookie(user) } });
      expect(res.statusCode).toBe(200);
    }
    expect((await status(third.id)).estimatedWaitMin).toBe(5);
    // Nothing personal on a public page: exactly these fields.
    expect(Object.keys(await status(third.id)).sort()).toEqual(['ahead', 'bookedTime', 'counterNumber', 'estimatedWaitMin', 'officeId', 'officeName', 'rating', 'service', 'ticket']);
  });
});

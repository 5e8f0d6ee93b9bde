import { afterEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';

/**
 * A clerk calls a chosen waiting ticket out of turn, with a reason: the ticket is called at their
 * counter (the hall display gets the call as any other), the rest of the line keeps its order,
 * and supervisors read who called which ticket out of turn and why.
 */
let h: TestHost;
afterEach(async () => h.close());

const post = (url: string, who: string, payload?: object, lang = 'en') =>
  h.app.inject({ method: 'POST', url, headers: { cookie: h.cookie(who), 'accept-language': lang }, ...(payload === undefined ? {} : { payload }) });
const issue = async (serviceId = 'o1-s1') =>
  (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId } })).json().ticket as { id: string; number: string };

describe.each(BOTH_STORES)('calling a chosen ticket out of turn on %s', (store) => {
  it('calls the chosen ticket with the reason recorded; the others keep their order', async () => {
    h = await startTestHost({ store });
    const [a1, a2, a3] = [await issue(), await issue(), await issue()];
    expect((await post('/api/v1/counters/o1-c1/open', 'clerk1')).statusCode).toBe(200);

    const called = await post('/api/v1/counters/o1-c1/call-chosen', 'clerk1', { ticketId: a3.id, reason: 'wheelchair user, cannot wait standing' });
    expect(called.statusCode, called.body).toBe(200);
    expect(called.json().ticket).toMatchObject({ number: a3.number, state: 'called' });
    // The hall display announces it like any call; the reason is not in that event.
    const calls = (await h.sql<{ payload: string }>(`SELECT payload FROM events WHERE type = 'ticket:called'`)).map((e) => e.payload);
    expect(calls.map((p) => JSON.parse(p).ticket.number)).toEqual([a3.number]);
    expect(calls[0]).not.toContain('wheelchair');

    // Call next ends A003 and goes on in order: A001, then A002.
    expect((await post('/api/v1/counters/o1-c1/call-next', 'clerk1')).json().ticket.number).toBe(a1.number);
    expect((await post('/api/v1/counters/o1-c1/call-next', 'clerk1')).json().ticket.number).toBe(a2.number);

    const audit = await h.app.inject({ url: '/api/v1/offices/o1/out-of-order-calls', headers: { cookie: h.cookie('admin') } });
    expect(audit.statusCode, audit.body).toBe(200);
    expect(audit.json().calls).toEqual([
      expect.objectContaining({ ticketNumber: a3.number, counterNumber: expect.any(String), username: 'clerk1', reason: 'wheelchair user, cannot wait standing' }),
    ]);
    const clerkAudit = await h.app.inject({ url: '/api/v1/offices/o1/out-of-order-calls', headers: { cookie: h.cookie('clerk1') } });
    expect(clerkAudit.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses without a reason (in the caller’s language), a ticket no longer waiting, and one the counter does not serve', async () => {
    h = await startTestHost({ store });
    const t1 = await issue();
    await post('/api/v1/counters/o1-c1/open', 'clerk1', { serviceIds: ['o1-s1'] });
    const noReason = await post('/api/v1/counters/o1-c1/call-chosen', 'clerk1', { ticketId: t1.id, reason: '   ' }, 'cs');
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json().error.code).toBe('VALIDATION_FAILED');
    expect(noReason.json().error.message).toMatch(/reason|důvod/i);
    const missing = await post('/api/v1/counters/o1-c1/call-chosen', 'clerk1', { ticketId: t1.id });
    expect(missing.json().error.code).toBe('VALIDATION_FAILED');
    expect(await h.sql(`SELECT state FROM tickets WHERE id = '${t1.id}'`)).toEqual([{ state: 'waiting' }]);

    expect((await post('/api/v1/counters/o1-c1/call-chosen', 'clerk1', { ticketId: t1.id, reason: 'urgent' })).statusCode).toBe(200);
    const again = await post('/api/v1/counters/o1-c1/call-chosen', 'clerk1', { ticketId: t1.id, reason: 'urgent' });
    expect(again.json().error.code).toBe('TICKET_STATE_INVALID');

    const other = await issue('o1-s2');
    const notServed = await post('/api/v1/counters/o1-c1/call-chosen', 'clerk1', { ticketId: other.id, reason: 'urgent' });
    expect(notServed.json().error.code).toBe('COUNTER_DOES_NOT_SERVE');
    const elsewhere = await post('/api/v1/counters/o1-c1/call-chosen', 'clerk2', { ticketId: other.id, reason: 'urgent' });
    expect(elsewhere.json().error.code).toBe('COUNTER_NOT_ASSIGNED');
  });
});

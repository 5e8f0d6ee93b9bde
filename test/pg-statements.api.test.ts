import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestHost, type TestHost } from './helpers/harness.ts';
import { listing, repeated, statementsOf } from './helpers/pg-statements.ts';

/**
 * What a kiosk ticket and a call-next cost on PostgreSQL, in statements: each is a round trip to
 * a server the city's hosts share, so the figures are pinned (the device or clerk look-up, BEGIN
 * and COMMIT included) and no statement may be sent twice with the same values in one request.
 * Lower them here when a change saves one; a change that needs more must say why.
 */
const ISSUE = 17;
// 17 with the office's call turn (LOCK.calls): two counters calling at once must not skip a due booked arrival.
const CALL_NEXT = 17;

let h: TestHost;
beforeAll(async () => {
  h = await startTestHost({ store: 'postgres' });
});
afterAll(async () => {
  await h.close();
});

const issue = () => h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
const act = (action: string) => h.app.inject({ method: 'POST', url: `/api/v1/counters/o1-c2/${action}`, headers: { cookie: h.cookie('clerk2') } });

it('a kiosk ticket and a call-next read nothing twice and send the pinned number of statements', async () => {
  expect((await issue()).statusCode).toBe(201);
  let status = 0;
  const issued = await statementsOf(async () => void (status = (await issue()).statusCode));
  expect(status).toBe(201);
  expect(repeated(issued), listing(issued)).toEqual([]);
  expect(issued.length, listing(issued)).toBe(ISSUE);

  expect((await act('open')).statusCode).toBe(200);
  let number = '';
  const called = await statementsOf(async () => void (number = (await act('call-next')).json().ticket.number));
  expect(number).toBe('A001');
  expect(repeated(called), listing(called)).toEqual([]);
  expect(called.length, listing(called)).toBe(CALL_NEXT);
});

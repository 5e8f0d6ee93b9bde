import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';

let h: TestHost;

const kiosk = () => ({ authorization: `Bearer ${h.kioskToken}` });

async function issue(serviceId: string, extra: Record<string, unknown> = {}) {
  return h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId, ...extra } });
}

async function act(user: string, counter: string, action: string, payload?: Record<string, unknown>) {
  return h.app.inject({
    method: 'POST',
    url: `/api/v1/counters/${counter}/${action}`,
    headers: { cookie: h.cookie(user) },
    ...(payload === undefined ? {} : { payload }),
  });
}
// The queue engine's API on both stores: the same answers from SQLite's group commit and from PostgreSQL.
describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store });
  });
  afterEach(async () => {
    await h.close();
  });

  describe('the API through inject', () => {
    it('issues numbered tickets and serves them at a counter', async () => {
      const a = await issue('o1-s1');
      expect(a.statusCode).toBe(201);
      expect(a.json().ticket.number).toBe('A001');
      expect((await issue('o1-s1')).json()).toMatchObject({ ticket: { number: 'A002' }, ahead: 1 });
      expect((await issue('o1-s2')).json().ticket.number).toBe('B001');

      expect((await act('clerk2', 'o1-c2', 'open')).statusCode).toBe(200);
      const called = await act('clerk2', 'o1-c2', 'call-next');
      expect(called.json()).toMatchObject({ counter: { number: '2' }, ticket: { number: 'A001', state: 'called' } });
      expect((await act('clerk2', 'o1-c2', 'start')).json().ticket.state).toBe('serving');
      h.clock.advance(4 * 60_000);
      const next = await act('clerk2', 'o1-c2', 'call-next');
      expect(next.json().ticket.number).toBe('A002');
      const empty = await act('clerk2', 'o1-c2', 'call-next');
      expect(empty.statusCode).toBe(200);
      expect(empty.json().ticket).toBeNull();
      const none = await act('clerk2', 'o1-c2', 'call-next');
      expect(none.statusCode).toBe(409);
      expect(none.json().error.code).toBe('QUEUE_EMPTY');

      const services = await h.app.inject({ url: '/api/v1/offices/o1/services' });
      const s2 = services.json().services.find((s: { id: string }) => s.id === 'o1-s2');
      expect(s2).toMatchObject({ waiting: 1, walkInRemaining: 9999 });
    });

    it('answers errors in the caller’s language', async () => {
      await act('clerk1', 'o1-c1', 'open');
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/v1/counters/o1-c1/call-next',
        headers: { cookie: h.cookie('clerk1'), 'accept-language': 'cs-CZ,cs;q=0.9,en;q=0.8' },
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toEqual({ error: { code: 'QUEUE_EMPTY', message: 'Na služby vaší přepážky nikdo nečeká.' } });
      const zh = await h.app.inject({ url: '/api/v1/offices/nope/services', headers: { 'accept-language': 'zh' } });
      expect(zh.json().error).toEqual({ code: 'OFFICE_NOT_FOUND', message: '没有该办事处。' });
    });

    it('lets a clerk act only at the counter they signed in at', async () => {
      await issue('o1-s1');
      await act('clerk1', 'o1-c1', 'open');
      const other = await act('clerk2', 'o1-c1', 'call-next');
      expect(other.statusCode).toBe(403);
      expect(other.json().error.code).toBe('COUNTER_NOT_ASSIGNED');
      expect((await act('clerk2', 'o1-c1', 'open')).json().error.code).toBe('COUNTER_BUSY');
    });

    it('refuses tickets when the office is closed or capacity is used up', async () => {
      h.clock.advance(9 * 3600_000); // 18:00
      expect((await issue('o1-s1')).json().error.code).toBe('OFFICE_CLOSED');
      h.clock.advance(-9 * 3600_000);
      await h.sql(`UPDATE services SET daily_walk_in_capacity = 2 WHERE id = 'o1-s1'`);
      expect((await issue('o1-s1')).statusCode).toBe(201);
      expect((await issue('o1-s1')).statusCode).toBe(201);
      const full = await issue('o1-s1');
      expect(full.statusCode).toBe(409);
      expect(full.json().error.code).toBe('CAPACITY_EXHAUSTED');
    });

    it('numbers restart each office-local day and grow to four digits', async () => {
      await h.sql(`INSERT INTO ticket_numbers VALUES ('o1', 'A', '2026-11-23', 999)`);
      expect((await issue('o1-s1')).json().ticket.number).toBe('A1000');
      h.clock.advance(24 * 3600_000);
      expect((await issue('o1-s1')).json().ticket.number).toBe('A001');
    });

    it('only a kiosk issues tickets; a display cannot', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.displayToken}` }, payload: { serviceId: 'o1-s1' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    });

    it('transfers keep number and arrival; park and resume put the client back ahead', async () => {
      const first = (await issue('o1-s1')).json().ticket;
      h.clock.advance(60_000);
      await issue('o1-s2');
      await act('clerk2', 'o1-c2', 'open');
      await act('clerk2', 'o1-c2', 'call-next');
      await act('clerk2', 'o1-c2', 'start');
      const moved = await act('clerk2', 'o1-c2', 'transfer', { serviceId: 'o1-s2' });
      expect(moved.statusCode).toBe(200);
      const t = await h.app.inject({ url: `/api/v1/tickets/${first.id}` });
      expect(t.json().ticket).toMatchObject({ number: 'A001', serviceId: 'o1-s2', state: 'waiting', arrivedAt: first.arrivedAt });
      // It arrived before B001, so counter 3 (service 2) calls it first.
      await act('clerk3', 'o1-c3', 'open');
      expect((await act('clerk3', 'o1-c3', 'call-next')).json().ticket.number).toBe('A001');
      await act('clerk3', 'o1-c3', 'start');
      expect((await act('clerk3', 'o1-c3', 'park')).json().ticket.state).toBe('parked');
      expect((await act('clerk3', 'o1-c3', 'call-next')).json().ticket.number).toBe('B001');
      const resumed = await h.app.inject({ method: 'POST', url: `/api/v1/counters/o1-c3/tickets/${first.id}/resume`, headers: { cookie: h.cookie('clerk3') } });
      expect(resumed.statusCode).toBe(200);
      expect((await act('clerk3', 'o1-c3', 'call-next')).json().ticket.number).toBe('A001');
    });

    it('caps recalls: one more than the office allows marks a no-show', async () => {
      await issue('o1-s1');
      await act('clerk1', 'o1-c1', 'open');
      await act('clerk1', 'o1-c1', 'call-next');
      expect((await act('clerk1', 'o1-c1', 'recall')).json().ticket.recallCount).toBe(1);
      expect((await act('clerk1', 'o1-c1', 'recall')).json().ticket.recallCount).toBe(2);
      const third = await act('clerk1', 'o1-c1', 'recall');
      expect(third.json().ticket.state).toBe('no_show');
    });

    it('never hands a ticket to a paused counter', async () => {
      await issue('o1-s1');
      await act('clerk1', 'o1-c1', 'open');
      await act('clerk1', 'o1-c1', 'pause');
      const res = await act('clerk1', 'o1-c1', 'call-next');
      expect(res.json().error.code).toBe('COUNTER_PAUSED');
      await act('clerk1', 'o1-c1', 'unpause');
      expect((await act('clerk1', 'o1-c1', 'call-next')).json().ticket.number).toBe('A001');
    });

    it('serves the OpenAPI document and health', async () => {
      const doc = await h.app.inject({ url: '/api/docs/json' });
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json().paths)).toContain('/api/v1/counters/{counterId}/call-next');
      expect((await h.app.inject({ url: '/api/health' })).json()).toEqual({ status: 'ok', offices: 1 });
    });
  });

  describe('a clerk narrows a counter for the session', () => {
    it('calls only the chosen services, and signing in again restores all of them', async () => {
      const h2 = await startTestHost({ store });
      try {
        const kioskH = { authorization: `Bearer ${h2.kioskToken}` };
        const post = (url: string, headers: Record<string, string>, payload?: Record<string, unknown>) =>
          h2.app.inject({ method: 'POST', url, headers, ...(payload === undefined ? {} : { payload }) });
        await post('/api/v1/tickets', kioskH, { serviceId: 'o1-s1' });
        h2.clock.advance(60_000);
        await post('/api/v1/tickets', kioskH, { serviceId: 'o1-s2' });
        const clerk = { cookie: h2.cookie('clerk1') };
        // Counter 1 serves all three services; today its clerk takes only service 2.
        const opened = await post('/api/v1/counters/o1-c1/open', clerk, { serviceIds: ['o1-s2'] });
        expect(opened.json().counter).toMatchObject({ serviceIds: ['o1-s1', 'o1-s2', 'o1-s3'], sessionServiceIds: ['o1-s2'] });
        expect((await post('/api/v1/counters/o1-c1/call-next', clerk)).json().ticket.number).toBe('B001');
        expect((await post('/api/v1/counters/o1-c1/open', clerk, { serviceIds: ['o1-s9'] })).json().error.code).toBe('COUNTER_DOES_NOT_SERVE');
        await post('/api/v1/counters/o1-c1/finish', clerk);
        expect((await post('/api/v1/counters/o1-c1/open', clerk)).json().counter.sessionServiceIds).toBeNull();
        expect((await post('/api/v1/counters/o1-c1/call-next', clerk)).json().ticket.number).toBe('A001');
      } finally {
        await h2.close();
      }
    });
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { spokenNumber } from '../core/queue/voice.ts';
import { build } from '../server/app.ts';
import { createUser } from '../server/provisioning.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from './helpers/fakes.ts';
import { BOTH_STORES, PASSWORD, startTestHost, type TestHost } from './helpers/harness.ts';

let h: TestHost;
afterEach(async () => {
  await h.close();
});

const kiosk = () => ({ authorization: `Bearer ${h.kioskToken}` });

async function supervisorCookie(): Promise<string> {
  const access = h.stores.people;
  const ids = { ticketId: () => 'unused', entityId: (prefix: string) => `${prefix}_boss` };
  await createUser(access, { ids, clock: h.clock }, { officeId: 'o1', username: 'boss', password: PASSWORD, role: 'supervisor', passwordCostLog2: 10 });
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'boss', password: PASSWORD } });
  return `fronta_session=${res.cookies.find((c) => c.name === 'fronta_session')!.value}`;
}

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store });
  });

  describe('display pairing', () => {
    it('sets an HttpOnly device cookie for a valid token, which then identifies the display', async () => {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/devices/pair', headers: { authorization: `Bearer ${h.displayToken}` } });
      expect(res.statusCode).toBe(200);
      expect(res.json().device.kind).toBe('display');
      const cookie = res.cookies.find((c) => c.name === 'fronta_device')!;
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
      const me = await h.app.inject({ url: '/api/v1/auth/me', headers: { cookie: `fronta_device=${cookie.value}` } });
      expect(me.json().device.kind).toBe('display');
    });

    it('refuses an unknown token and a request without one', async () => {
      const bad = await h.app.inject({ method: 'POST', url: '/api/v1/devices/pair', headers: { authorization: `Bearer ${'x'.repeat(40)}` } });
      expect(bad.json().error.code).toBe('AUTH_TOKEN_INVALID');
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/devices/pair' })).json().error.code).toBe('AUTH_REQUIRED');
    });
  });

  describe('voice announcements', () => {
    it('speaks numbers the way a hall hears them', () => {
      expect(spokenNumber('A017')).toBe('A 17');
      expect(spokenNumber('CP1000')).toBe('C P 1000');
    });

    it('builds the phrase from the locale template and validated numbers only', async () => {
      const spoken: { lang: string; text: string }[] = [];
      const app = await build({
        queue: h.queue,
        access: h.stores.people,
        events: h.stores.events,
        clock: new FakeClock(MONDAY_0900_PRAGUE),
        ids: new SequentialIds(),
        publicUrl: 'http://fronta.test',
        speech: {
          wav: async (lang, text) => {
            spoken.push({ lang, text });
            return new Uint8Array([0x52, 0x49, 0x46, 0x46]);
          },
        },
      });
      const auth = { authorization: `Bearer ${h.displayToken}` };
      const ok = await app.inject({ url: '/api/v1/announcements/voice?lang=cs&number=A017&counter=3', headers: auth });
      expect(ok.statusCode).toBe(200);
      expect(ok.headers['content-type']).toBe('audio/wav');
      await app.inject({ url: '/api/v1/announcements/voice?lang=zh-CN&number=B002&counter=12&recall=1', headers: auth });
      expect(spoken).toEqual([
        { lang: 'cs', text: 'Lístek A 17, přepážka 3.' },
        { lang: 'zh-CN', text: '请 B 2 号到 12 号窗口，再次呼叫。' },
      ]);
      const injected = await app.inject({ url: '/api/v1/announcements/voice?lang=en&number=A1;rm&counter=3', headers: auth });
      expect(injected.json().error.code).toBe('VALIDATION_FAILED');
      expect((await app.inject({ url: '/api/v1/announcements/voice?lang=en&number=A1&counter=3' })).json().error.code).toBe('AUTH_REQUIRED');
      await app.close();
    });

    it('answers VOICE_UNAVAILABLE when the host has no speech engine', async () => {
      const res = await h.app.inject({ url: '/api/v1/announcements/voice?lang=en&number=A001&counter=1', headers: { authorization: `Bearer ${h.displayToken}` } });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('VOICE_UNAVAILABLE');
    });
  });

  describe('supervisor floor view', () => {
    it('shows counters with their clerk and the lines; clerks may not see it', async () => {
      await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId: 'o1-s1' } });
      await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/open', headers: { cookie: h.cookie('clerk1') } });
      const boss = await supervisorCookie();
      const floor = await h.app.inject({ url: '/api/v1/offices/o1/floor', headers: { cookie: boss } });
      expect(floor.statusCode).toBe(200);
      const body = floor.json();
      expect(body.counters[0]).toMatchObject({ counter: { id: 'o1-c1', status: 'open' }, clerk: { displayName: 'clerk1' } });
      expect(body.services[0]).toMatchObject({ id: 'o1-s1', waiting: 1, closedForDay: false });
      expect(body.kiosks).toHaveLength(1);
      const clerk = await h.app.inject({ url: '/api/v1/offices/o1/floor', headers: { cookie: h.cookie('clerk1') } });
      expect(clerk.json().error.code).toBe('FORBIDDEN');
    });

    it('closes a service for the rest of the day: no new tickets, waiting ones still served, open again tomorrow', async () => {
      await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId: 'o1-s1' } });
      const boss = await supervisorCookie();
      const closed = await h.app.inject({ method: 'POST', url: '/api/v1/offices/o1/services/o1-s1/close-for-day', headers: { cookie: boss } });
      expect(closed.json()).toEqual({ serviceId: 'o1-s1', day: '2026-11-23' });
      const refused = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId: 'o1-s1' } });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.code).toBe('SERVICE_CLOSED');
      const services = (await h.app.inject({ url: '/api/v1/offices/o1/services' })).json().services;
      expect(services.find((s: { id: string }) => s.id === 'o1-s1').isOpen).toBe(false);
      expect(services.find((s: { id: string }) => s.id === 'o1-s2').isOpen).toBe(true);
      const closedEvents = () => h.sql("SELECT count(*) AS n FROM events WHERE type = 'service:closed'");
      expect(await closedEvents()).toEqual([{ n: 1 }]);
      // Closing again changes nothing and announces nothing.
      await h.app.inject({ method: 'POST', url: '/api/v1/offices/o1/services/o1-s1/close-for-day', headers: { cookie: boss } });
      expect(await closedEvents()).toEqual([{ n: 1 }]);
      await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c2/open', headers: { cookie: h.cookie('clerk2') } });
      const served = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c2/call-next', headers: { cookie: h.cookie('clerk2') } });
      expect(served.json().ticket.number).toBe('A001');
      h.clock.advance(24 * 3600_000);
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId: 'o1-s1' } })).statusCode).toBe(201);
    });
  });

  describe('reception at a counter', () => {
    it('issues a ticket for a client when the clerk is signed in at the counter', async () => {
      const clerk = { cookie: h.cookie('clerk1') };
      const before = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/tickets', headers: clerk, payload: { serviceId: 'o1-s2' } });
      expect(before.json().error.code).toBe('COUNTER_NOT_ASSIGNED');
      await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/open', headers: clerk });
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/tickets', headers: clerk, payload: { serviceId: 'o1-s2' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ ticket: { number: 'B001', state: 'waiting' }, ahead: 0 });
    });
  });
});

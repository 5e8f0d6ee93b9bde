import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUser, createDevice } from '../server/provisioning.ts';
import { createWebhooks, type WebhookRuntime } from '../host/webhooks.ts';
import { testKeyed } from './helpers/booking.ts';
import { BOTH_STORES, PASSWORD, startTestHost, type TestHost } from './helpers/harness.ts';
import { SequentialIds } from './helpers/fakes.ts';
import { testOffice } from './helpers/office.ts';

/** Who may manage an office's webhooks (its admins only), what bad input gets, and what a day of failures leads to. */

let h: TestHost;
let runtime: WebhookRuntime;
let failing: Server;
let failingUrl = '';
const given: { o2admin: string; supervisor: string } = { o2admin: '', supervisor: '' };
const cookies: Record<string, string> = {};

const call = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, cookie: string, payload?: object, lang = 'en') =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: { cookie, 'accept-language': lang }, ...(payload === undefined ? {} : { payload }) });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe.each(BOTH_STORES)('webhook subscriptions on %s', (store) => {
  beforeAll(async () => {
    failing = createServer((_req, res) => res.writeHead(500).end('down for maintenance'));
    await new Promise<void>((r) => failing.listen(0, '127.0.0.1', r));
    failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}/hook`;
    h = await startTestHost({
      store,
      alerts: (_db, stores) => ({ settings: stores.alertSettings, outbox: () => Promise.resolve([]), webhooksPaused: () => stores.webhooks.pausedByFailure(), intervalMs: 20 }),
      webhooks: (parts) => {
        runtime = createWebhooks({ ...parts, ids: new SequentialIds(), keyed: testKeyed(), allowLoopback: true, intervalMs: 5, timeoutMs: 500 });
        return runtime.server;
      },
    });
    runtime.start();
    await h.stores.seed.officeConfig(testOffice({ id: 'o2' }));
    const access = h.stores.people;
    let n = 0;
    const deps = { ids: { ticketId: () => `tw${++n}`, entityId: (prefix: string) => `${prefix}_w${++n}` }, clock: h.clock };
    await createUser(access, deps, { officeId: 'o2', username: 'o2admin', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
    await createUser(access, deps, { officeId: 'o1', username: 'boss', password: PASSWORD, role: 'supervisor', passwordCostLog2: 10 });
    await createDevice(access, deps, { officeId: 'o2', kind: 'kiosk', name: 'o2 kiosk' });
    for (const username of ['o2admin', 'boss']) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
      cookies[username] = `fronta_session=${res.cookies.find((c) => c.name === 'fronta_session')!.value}`;
    }
    given.o2admin = cookies['o2admin']!;
    given.supervisor = cookies['boss']!;
  });

  afterAll(async () => {
    await runtime.stop();
    await h.close();
    await new Promise<void>((r) => failing.close(() => r()));
  });

  it('are for the admins of the office only: clerks, supervisors and admins of another office are refused', async () => {
    const body = { url: 'https://hooks.example.org/fronta', eventTypes: ['ticket.called'] };
    for (const cookie of [h.cookie('clerk1'), given.supervisor, given.o2admin]) {
      expect((await call('POST', '/offices/o1/webhooks', cookie, body)).json().error.code).toBe('FORBIDDEN');
      expect((await call('GET', '/offices/o1/webhooks', cookie)).statusCode).toBe(403);
      expect((await call('GET', '/offices/o1/webhook-deliveries', cookie)).statusCode).toBe(403);
    }
    expect((await h.app.inject({ method: 'GET', url: '/api/v1/offices/o1/webhooks' })).json().error.code).toBe('AUTH_REQUIRED');
    const made = await call('POST', '/offices/o1/webhooks', h.cookie('admin'), body);
    expect(made.statusCode).toBe(201);
    const id = made.json().webhook.id as string;
    // Another office's admin cannot reach it through their own office either.
    expect((await call('DELETE', `/offices/o2/webhooks/${id}`, given.o2admin)).json().error.code).toBe('WEBHOOK_NOT_FOUND');
    for (const cookie of [h.cookie('clerk1'), given.supervisor, given.o2admin]) {
      expect((await call('POST', `/offices/o1/webhooks/${id}/rotate-secret`, cookie)).statusCode).toBe(403);
      expect((await call('PATCH', `/offices/o1/webhooks/${id}`, cookie, { state: 'paused' })).statusCode).toBe(403);
      expect((await call('DELETE', `/offices/o1/webhooks/${id}`, cookie)).statusCode).toBe(403);
    }
    expect((await call('DELETE', `/offices/o1/webhooks/${id}`, h.cookie('admin'))).statusCode).toBe(204);
  });

  it('refuse a bad address in the caller’s language, naming the field, and change nothing', async () => {
    const refused = await call('POST', '/offices/o1/webhooks', h.cookie('admin'), { url: 'https://192.168.1.20/in', eventTypes: ['ticket.issued'] }, 'cs');
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error).toEqual({ code: 'WEBHOOK_TARGET_PRIVATE', message: expect.stringContaining('soukrom') as string, field: 'url' });
    expect((await call('POST', '/offices/o1/webhooks', h.cookie('admin'), { url: 'http://hooks.example.org/', eventTypes: ['ticket.issued'] }, 'zh-CN')).json().error).toMatchObject({ code: 'WEBHOOK_HTTPS_REQUIRED', field: 'url', message: expect.stringContaining('HTTPS') as string });
    expect((await call('POST', '/offices/o1/webhooks', h.cookie('admin'), { url: 'https://hooks.example.org/', eventTypes: ['ticket.eaten'] }, 'cs')).json().error.code).toBe('VALIDATION_FAILED');
    // An admin's explicit allowance admits a private target.
    expect((await call('POST', '/offices/o1/webhooks', h.cookie('admin'), { url: 'https://192.168.1.20/in', eventTypes: ['ticket.issued'], allowPrivate: true })).statusCode).toBe(201);
    const list = (await call('GET', '/offices/o1/webhooks', h.cookie('admin'))).json();
    expect(list.webhooks.map((w: { url: string }) => w.url)).toEqual(['https://192.168.1.20/in']);
    expect(JSON.stringify(list)).not.toMatch(/whsec_|sealed/i);
    // Taking the allowance back would leave a refused address: refused.
    expect((await call('PATCH', `/offices/o1/webhooks/${list.webhooks[0].id}`, h.cookie('admin'), { allowPrivate: false })).json().error.code).toBe('WEBHOOK_TARGET_PRIVATE');
    await call('DELETE', `/offices/o1/webhooks/${list.webhooks[0].id}`, h.cookie('admin'));
  });

  it('show the secret once, rotate it, ping the endpoint, and pause with the delivery failed after a day of errors', async () => {
    const made = await call('POST', '/offices/o1/webhooks', h.cookie('admin'), { url: failingUrl, eventTypes: ['ticket.issued'] });
    const { webhook, secret } = made.json<{ webhook: { id: string }; secret: string }>();
    expect(secret).toMatch(/^whsec_/);
    const rotated = (await call('POST', `/offices/o1/webhooks/${webhook.id}/rotate-secret`, h.cookie('admin'))).json();
    expect(rotated.secret).not.toBe(secret);
    expect((await call('POST', `/offices/o1/webhooks/${webhook.id}/ping`, h.cookie('admin'))).json()).toMatchObject({ status: 500, delivered: false });

    await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
    // Read from the database: a day on the clock outlives the admin's session.
    const state = async () => (await h.sql<{ state: string; pausedReason: string | null }>(`SELECT state, paused_reason AS "pausedReason" FROM webhook_subscriptions WHERE id = '${webhook.id}'`))[0]!;
    for (let i = 0; i < 400 && (await state()).state === 'active'; i++) {
      h.clock.advance(10 * 60_000);
      await sleep(10);
    }
    expect(await state()).toMatchObject({ state: 'paused', pausedReason: 'delivery_failed' });
    const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: PASSWORD } });
    const admin = `fronta_session=${login.cookies.find((c) => c.name === 'fronta_session')!.value}`;
    const [d] = (await call('GET', `/offices/o1/webhook-deliveries?webhookId=${webhook.id}`, admin)).json().deliveries as { state: string; attempts: number; lastStatus: number; createdAt: number; doneAt: number; attemptLog: unknown[] }[];
    expect(d).toMatchObject({ state: 'failed', lastStatus: 500 });
    expect(d!.doneAt - d!.createdAt).toBeGreaterThanOrEqual(24 * 3600_000);
    expect(d!.attemptLog.length).toBe(d!.attempts);
    // The floor and the counters say so until an admin resumes it.
    await expect.poll(async () => (await call('GET', '/offices/o1/alerts', admin)).json().alerts.map((a: { kind: string }) => a.kind)).toContain('webhook_paused');
    // Resumed, it goes on from the next event.
    expect((await call('PATCH', `/offices/o1/webhooks/${webhook.id}`, admin, { state: 'active' })).json().webhook).toMatchObject({ state: 'active', pausedReason: null });
    await expect.poll(async () => (await call('GET', '/offices/o1/alerts', admin)).json().alerts.map((a: { kind: string }) => a.kind)).not.toContain('webhook_paused');
  });
});

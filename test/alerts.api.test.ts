import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alerts/alerts.ts';
import type { LoggedEvent } from '../core/shared/events.ts';
import type { ClientToServer, ServerToClient } from '../contracts/socket.ts';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';

/**
 * A supervisor's floor and the counters learn, without reloading, that a line waits with nobody to
 * serve it or that a wait passed its target; thresholds are the supervisors' to set, per service.
 */

let h: TestHost;
let base: string;
const sockets: Socket[] = [];

const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await fetch(`${base}/api/v1${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) };
};
const issue = (serviceId: string) => call('POST', '/tickets', { authorization: `Bearer ${h.kioskToken}` }, { serviceId });
const staff = (user: string) => ({ cookie: h.cookie(user) });

/** A counter page's socket: every `alerts:changed` it is sent. */
function listen(cookie: string): Promise<{ events: Alert[][] }> {
  const socket: Socket<ServerToClient, ClientToServer> = connect(base, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: false });
  sockets.push(socket);
  const events: Alert[][] = [];
  socket.on('alerts:changed', (e: LoggedEvent) => {
    if (e.type === 'alerts:changed') events.push(e.payload.alerts);
  });
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('sync:done', () => resolve({ events }));
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>): Promise<T> {
  const end = Date.now() + 3000;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`not within 3 s: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const kinds = (alerts: readonly Alert[]) => alerts.map((a) => `${a.kind}:${a.serviceId ?? a.deviceId ?? a.channel ?? ''}`).sort();
const alertsNow = async () => kinds((await call('GET', '/offices/o1/alerts', staff('clerk1'))).json.alerts as Alert[]);

describe.each(BOTH_STORES)('alerts on %s', (store) => {
  beforeEach(async () => {
    // Counter 1 serves A and B, counter 2 only C.
    h = await startTestHost({
      store,
      config: testOffice({ services: 3, counters: [[0, 1], [2]] }),
      alerts: (_db, stores) => ({ settings: stores.alertSettings, outbox: stores.outboxCounts, intervalMs: 60_000 }),
    });
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.close();
    await h.close();
  });

  it('a line with nobody to serve it is pushed to the counters, and cleared when a counter opens for it', async () => {
    const counter = await listen(h.cookie('clerk1'));
    expect((await issue('o1-s1')).status).toBe(201);
    expect((await issue('o1-s3')).status).toBe(201);
    // Both lines (under load the first look may come between the two tickets).
    const raised = await until('unserved lines alerted', () => (counter.events.at(-1)?.length === 2 ? counter.events.at(-1) : undefined));
    expect(kinds(raised)).toEqual(['queue_unserved:o1-s1', 'queue_unserved:o1-s3']);
    expect(await alertsNow()).toEqual(['queue_unserved:o1-s1', 'queue_unserved:o1-s3']);

    // Counter 1 opens: A is served now, C still is not.
    expect((await call('POST', '/counters/o1-c1/open', staff('clerk1'))).status).toBe(200);
    const after = await until('A cleared', () => {
      const last = counter.events.at(-1);
      return last !== undefined && kinds(last).length === 1 ? last : undefined;
    });
    expect(kinds(after)).toEqual(['queue_unserved:o1-s3']);
    expect(after[0]!.since, 'an alert that lasts keeps the time it was raised').toBe(raised.find((a) => a.serviceId === 'o1-s3')!.since);
  });

  it('a wait past its target alerts, with a target per service set by a supervisor', async () => {
    for (const c of ['o1-c1', 'o1-c2']) await call('POST', `/counters/${c}/open`, staff(c === 'o1-c1' ? 'clerk1' : 'clerk2'));
    await issue('o1-s1');
    await issue('o1-s2');
    h.clock.advance(12 * 60_000);
    const settings = { targetWaitMin: 30, serviceTargets: { 'o1-s2': 10 }, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false };
    // A clerk reads alerts but does not set them.
    expect((await call('PUT', '/offices/o1/alert-settings', staff('clerk1'), settings)).status).toBe(403);
    const put = await call('PUT', '/offices/o1/alert-settings', staff('admin'), settings);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ officeId: 'o1', serviceTargets: { 'o1-s2': 10 } });
    expect(await alertsNow()).toEqual(['wait_over_target:o1-s2']);
    const [alert] = (await call('GET', '/offices/o1/alerts', staff('clerk2'))).json.alerts as Alert[];
    expect(alert).toMatchObject({ value: 12, threshold: 10 });

    h.clock.advance(20 * 60_000);
    await call('PUT', '/offices/o1/alert-settings', staff('admin'), settings);
    expect(await alertsNow()).toEqual(['wait_over_target:o1-s1', 'wait_over_target:o1-s2']);
    expect((await call('GET', '/offices/o1/alert-settings', staff('admin'))).json).toEqual({ officeId: 'o1', ...settings });

    // One place: the thresholds are the configuration's alerts section, audited and undoable.
    expect((await call('GET', '/offices/o1/config', staff('admin'))).json.alerts).toEqual(settings);
    const audit = (await call('GET', '/offices/o1/audit', staff('admin'))).json.changes as { id: number; sections: string[] }[];
    expect(audit[0]!.sections).toEqual(['alerts']);
    const lower = await call('PUT', '/offices/o1/alerts', staff('admin'), { ...settings, serviceTargets: {}, targetWaitMin: 60 });
    expect(lower.status).toBe(200);
    expect((await call('GET', '/offices/o1/alert-settings', staff('admin'))).json).toMatchObject({ targetWaitMin: 60, serviceTargets: {} });
    // Written through the configuration's own route, the thresholds apply at once too (the monitor's interval is a minute here).
    expect(await alertsNow()).toEqual([]);
    const undone = await call('POST', `/offices/o1/audit/${lower.json.changeId}/undo`, staff('admin'));
    expect(undone.status).toBe(200);
    expect(await alertsNow()).toEqual(['wait_over_target:o1-s1', 'wait_over_target:o1-s2']);
  });

  it('refuses a threshold for a service the office does not have, naming the field, and changes nothing', async () => {
    const before = (await call('GET', '/offices/o1/alert-settings', staff('admin'))).json;
    const bad = await call('PUT', '/offices/o1/alert-settings', { ...staff('admin'), 'accept-language': 'cs' }, { ...before, officeId: undefined, serviceTargets: { nope: 5 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.code).toBe('CONFIG_UNKNOWN_REFERENCE');
    expect(bad.json.error.message).toMatch(/alerts\.serviceTargets\.nope/);
    const zero = await call('PUT', '/offices/o1/alert-settings', staff('admin'), { ...before, officeId: undefined, targetWaitMin: 0 });
    expect(zero.status).toBe(400);
    expect((await call('GET', '/offices/o1/alert-settings', staff('admin'))).json).toEqual(before);
  });
});

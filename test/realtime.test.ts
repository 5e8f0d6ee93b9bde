import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../core/shared/events.ts';
import type { ClientToServer, ServerToClient } from '../contracts/socket.ts';
import { startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';

let h: TestHost;
let base: string;

beforeEach(async () => {
  // Counters 1 and 2 both serve service 1 only: every call-next competes for the same line.
  h = await startTestHost({ config: testOffice({ services: 2, counters: [[0], [0], [1]] }) });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await h.close();
});

async function post(path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: await res.json() };
}

const issue = (serviceId: string) => post('/api/v1/tickets', { authorization: `Bearer ${h.kioskToken}` }, { serviceId });
const act = (clerk: string, counter: string, action: string) => post(`/api/v1/counters/${counter}/${action}`, { cookie: h.cookie(clerk) });

type Client = Socket<ServerToClient, ClientToServer>;

/**
 * A display (or, with a staff cookie, a counter page): collects every event it is delivered,
 * and resolves once the replay is done.
 */
function display(lastEventId: number | undefined, staffCookie?: string): Promise<{ socket: Client; events: LoggedEvent[]; replayed: number }> {
  const events: LoggedEvent[] = [];
  const credential = staffCookie === undefined ? { token: h.displayToken } : {};
  const socket: Client = connect(base, {
    transports: ['websocket'],
    auth: lastEventId === undefined ? credential : { ...credential, lastEventId },
    ...(staffCookie === undefined ? {} : { extraHeaders: { cookie: staffCookie } }),
    reconnection: false,
  });
  for (const type of ['ticket:issued', 'ticket:called', 'ticket:changed', 'queue:changed', 'counter:changed'] as const) {
    socket.on(type, (e: LoggedEvent) => events.push(e));
  }
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('sync:done', ({ replayed }) => resolve({ socket, events, replayed }));
  });
}

describe('call-next under contention', () => {
  it('two clerks pressing call-next at the same instant, 1,000 times, never get the same ticket', async () => {
    for (let i = 0; i < 2000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, () => issue('o1-s1')));
    }
    await act('clerk1', 'o1-c1', 'open');
    await act('clerk2', 'o1-c2', 'open');
    const seen = new Map<string, string>();
    for (let round = 0; round < 1000; round++) {
      const [a, b] = await Promise.all([act('clerk1', 'o1-c1', 'call-next'), act('clerk2', 'o1-c2', 'call-next')]);
      for (const [res, counter] of [[a, 'c1'], [b, 'c2']] as const) {
        expect(res.status).toBe(200);
        const id: string = res.json.ticket.id;
        expect(seen.get(id), `ticket ${res.json.ticket.number} handed to ${counter} after ${seen.get(id)}`).toBeUndefined();
        seen.set(id, counter);
      }
    }
    expect(seen.size).toBe(2000);
    const calledTwice = h.db
      .prepare(`SELECT json_extract(payload, '$.ticket.id') AS id, count(*) AS n FROM events
        WHERE type = 'ticket:called' GROUP BY id HAVING n > 1`)
      .all();
    expect(calledTwice).toEqual([]);
  }, 60_000);
});

describe('the hall display never misses a call', () => {
  it('a display disconnected for 50 calls receives all 50 after reconnecting, in order', async () => {
    for (let i = 0; i < 52; i++) await issue('o1-s1');
    await act('clerk1', 'o1-c1', 'open');
    const first = await display(undefined);
    await act('clerk1', 'o1-c1', 'call-next');
    await expect.poll(() => first.events.filter((e) => e.type === 'ticket:called').length).toBe(1);
    const lastSeen = first.events[first.events.length - 1]!.id;
    first.socket.disconnect();

    const numbers: string[] = [];
    for (let i = 0; i < 50; i++) numbers.push((await act('clerk1', 'o1-c1', 'call-next')).json.ticket.number);
    const again = await display(lastSeen);
    const ids = again.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    expect(ids[0]).toBeGreaterThan(lastSeen);
    expect(again.replayed).toBe(again.events.length);
    const called = again.events.filter((e) => e.type === 'ticket:called').map((e) => e.payload.ticket.number);
    expect(called).toEqual(numbers);
    // A display is sent what it shows: every call and count, nothing of the staff's business.
    const expected = h.db
      .prepare(`SELECT id FROM events WHERE id > ? AND type IN ('ticket:called', 'queue:changed', 'service:closed') ORDER BY id`)
      .pluck()
      .all(lastSeen);
    expect(ids).toEqual(expected);

    // Live events continue after the replay without a gap.
    await act('clerk1', 'o1-c1', 'call-next');
    await expect.poll(() => again.events.filter((e) => e.type === 'ticket:called').length).toBe(51);
    const live = h.db
      .prepare(`SELECT id FROM events WHERE id > ? AND type IN ('ticket:called', 'queue:changed', 'service:closed') ORDER BY id`)
      .pluck()
      .all(lastSeen);
    await expect.poll(() => again.events.map((e) => e.id)).toEqual(live);
    // Calls reach the hall without the clerk who made them (staff events keep it, for statistics).
    const calls = [...first.events, ...again.events].filter((e) => e.type === 'ticket:called');
    expect(calls.length).toBe(52);
    expect(calls.filter((e) => 'userId' in e.payload)).toEqual([]);
    expect(h.db.prepare(`SELECT count(*) FROM events WHERE type = 'ticket:called' AND payload LIKE '%"userId"%'`).pluck().get()).toBe(52);
    again.socket.disconnect();
  });

  it('replays more than one page of missed events in order (staff see every event, displays what they show)', async () => {
    for (let i = 0; i < 700; i += 100) await Promise.all(Array.from({ length: 100 }, () => issue('o1-s2')));
    const staff = await display(0, h.cookie('clerk1'));
    const all = h.db.prepare('SELECT id FROM events ORDER BY id').pluck().all() as number[];
    expect(all.length).toBeGreaterThan(700); // more than one replay page
    expect(staff.events.map((e) => e.id)).toEqual(all);
    expect(staff.events.filter((e) => e.type === 'ticket:issued')).toHaveLength(700);
    staff.socket.disconnect();

    const hall = await display(0);
    expect(hall.events.every((e) => e.type === 'queue:changed')).toBe(true);
    expect(hall.events.map((e) => e.id)).toEqual(h.db.prepare(`SELECT id FROM events WHERE type = 'queue:changed' ORDER BY id`).pluck().all());
    hall.socket.disconnect();
  });

  it('tells staff of bookings and payments, live and on replay; a kiosk and a hall display hear nothing of them', async () => {
    const listen = (auth: Record<string, unknown>, cookie?: string): Promise<{ socket: Client; events: string[] }> => {
      const events: string[] = [];
      const socket: Client = connect(base, { transports: ['websocket'], auth, ...(cookie === undefined ? {} : { extraHeaders: { cookie } }), reconnection: false });
      socket.on('payment:changed', (e) => events.push(`${e.type}:${e.payload.orderNo}`));
      socket.on('booking:changed', (e) => events.push(`${e.type}:${e.payload.number}`));
      socket.on('ticket:issued', (e) => events.push(`${e.type}:${e.payload.ticket.number}`));
      return new Promise((resolve, reject) => {
        socket.on('connect_error', reject);
        socket.on('sync:done', () => resolve({ socket, events }));
      });
    };
    const paid = (orderNo: string) =>
      h.queue.run(
        async (store) =>
          await store.appendEvent(
            { type: 'payment:changed', officeId: 'o1', payload: { orderNo, bookingId: 'b1', serviceId: 'o1-s1', amount: 2500, currency: 'CZK', state: 'succeeded', attempt: 1, refund: null, reason: null } },
            h.clock.now(),
          ),
      );
    const booked = (number: string) =>
      h.queue.run(
        async (store) =>
          await store.appendEvent({ type: 'booking:changed', officeId: 'o1', payload: { bookingId: `b-${number}`, number, serviceId: 'o1-s1', startAt: h.clock.now(), state: 'confirmed' } }, h.clock.now()),
      );
    await booked('B-100');
    await paid('FEE_1');
    const [staff, kiosk, hall] = [await listen({ lastEventId: 0 }, h.cookie('clerk1')), await listen({ token: h.kioskToken, lastEventId: 0 }), await listen({ token: h.displayToken, lastEventId: 0 })];
    await booked('B-101');
    await paid('FEE_2');
    const ticket = (await issue('o1-s1')).json.ticket.number as string;
    // The ticket comes after the booking and the payment: once the kiosk has it, it would have had them too.
    await expect.poll(() => kiosk.events).toEqual([`ticket:issued:${ticket}`]);
    await expect.poll(() => staff.events).toEqual(['booking:changed:B-100', 'payment:changed:FEE_1', 'booking:changed:B-101', 'payment:changed:FEE_2', `ticket:issued:${ticket}`]);
    expect(hall.events).toEqual([]);
    for (const c of [staff, kiosk, hall]) c.socket.disconnect();
  });

  it('refuses sockets without a valid credential', async () => {
    const bad = connect(base, { transports: ['websocket'], auth: { token: 'x'.repeat(43) }, reconnection: false });
    const err = await new Promise<Error>((resolve) => bad.on('connect_error', resolve));
    expect(err.message).toBe('AUTH_TOKEN_INVALID');
    bad.disconnect();
    const anon = connect(base, { transports: ['websocket'], reconnection: false });
    expect((await new Promise<Error>((resolve) => anon.on('connect_error', resolve))).message).toBe('AUTH_REQUIRED');
    anon.disconnect();
  });

  it('refuses a cookie-carried socket from a page of a foreign origin; the same cookie from the host’s own origin connects', async () => {
    const host = new URL(base).host;
    const foreign = connect(base, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: h.cookie('clerk1'), origin: 'http://evil.example' } });
    expect((await new Promise<Error>((resolve) => foreign.on('connect_error', resolve))).message).toBe('ORIGIN_REFUSED');
    foreign.disconnect();
    const own = connect(base, { transports: ['websocket'], reconnection: false, extraHeaders: { cookie: h.cookie('clerk1'), origin: `http://${host}` } });
    await new Promise<void>((resolve, reject) => {
      own.on('connect', () => resolve());
      own.on('connect_error', reject);
    });
    own.disconnect();
  });
});

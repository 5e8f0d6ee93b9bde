import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../core/alerts/alerts.ts';
import type { LoggedEvent } from '../core/shared/events.ts';
import type { ClientToServer, ServerToClient } from '../contracts/socket.ts';
import { startMailSink } from '../drivers/mail/smtp.ts';
import { loadProfile } from '../drivers/printer/profile.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { PtyKiosks, type PtyKiosk } from './helpers/pty-kiosk.ts';

/**
 * The alerts of a running host, from real parts: a kiosk printer on a serial line (socat pty, the
 * agent process, the virtual printer) running low and out of paper, and the mail provider (a real
 * SMTP server on loopback) going down until messages fail and pile up. Each alert reaches the floor
 * view's and a counter's socket as it is raised, is in the counters' list, and clears when the
 * cause is gone.
 */

let h: BookingTestHost;
let base: string;
let pk: PtyKiosks;
let hall: PtyKiosk;
const sockets: Socket[] = [];
/** Mail servers started by a test: closed after the host, whose pooled connection would hold them open. */
const sinks: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  h = await startBookingHost({ alerts: true, alertIntervalMs: 100 });
  await h.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  pk = new PtyKiosks(h, base, await loadProfile('epson-tm-t20'), 50);
  hall = await pk.add('hall');
  await pk.waitPrinter(hall, 'ok', 45_000);
}, 60_000);

afterAll(async () => {
  for (const s of sockets.splice(0)) s.close();
  await pk.close();
  await h.close();
  for (const s of sinks.splice(0)) await s.close();
});

/** A staff page's socket (the floor view with a supervisor's cookie, a counter with a clerk's): every alert list it is sent. */
function listen(user: string): Promise<Alert[][]> {
  const socket: Socket<ServerToClient, ClientToServer> = connect(base, { transports: ['websocket'], extraHeaders: { cookie: h.cookie(user) }, reconnection: false });
  sockets.push(socket);
  const lists: Alert[][] = [];
  socket.on('alerts:changed', (e: LoggedEvent) => {
    if (e.type === 'alerts:changed') lists.push(e.payload.alerts);
  });
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('sync:done', () => resolve(lists));
  });
}

async function until<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`not within ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const kinds = (alerts: readonly Alert[]): string[] => alerts.map((a) => a.kind).sort();
const listed = async (): Promise<Alert[]> => ((await (await fetch(`${base}/api/v1/offices/o1/alerts`, { headers: { cookie: h.cookie('clerk1') } })).json()) as { alerts: Alert[] }).alerts;
const latest = (lists: Alert[][]): string[] => kinds(lists.at(-1) ?? []);
/** Waits until the last list a socket was sent holds exactly these kinds (sorted). */
const sent = (lists: Alert[][], want: string[], what: string) => until(what, () => (JSON.stringify(latest(lists)) === JSON.stringify(want) ? true : undefined));

describe('alerts of a running host', () => {
  it('paper near its end, then out: raised on the floor and at the counter with the kiosk named, cleared when paper is loaded', async () => {
    const floor = await listen('admin');
    const counter = await listen('clerk1');
    const hallId = (await h.stores.people.listDevices('o1')).find((d) => d.name === 'hall')!.id;

    hall.printer.setCondition({ isPaperNearEnd: true });
    await sent(floor, ['paper_near_end'], 'paper near end on the floor');
    await sent(counter, ['paper_near_end'], 'paper near end at the counter');
    expect((await listed()).find((a) => a.kind === 'paper_near_end')).toMatchObject({ deviceId: hallId, value: 'near_end' });

    hall.printer.setCondition({ isPaperEnd: true });
    await sent(floor, ['printer_stopped'], 'paper out on the floor');
    expect((await listed()).find((a) => a.kind === 'printer_stopped')).toMatchObject({ deviceId: hallId });
    // Out of paper, the kiosk takes no number: the alert is what staff act on.
    expect((await pk.issue(hall)).status).toBeGreaterThanOrEqual(400);

    hall.printer.setCondition({ isPaperEnd: false, isPaperNearEnd: false });
    await sent(floor, [], 'paper loaded, floor');
    await sent(counter, [], 'paper loaded, counter');
    expect(await listed()).toEqual([]);
  }, 30_000);

  it('the mail provider down: failures and a backlog are raised on the floor and at the counter, and clear once it is back and the mail has gone', async () => {
    const floor = await listen('admin');
    const counter = await listen('clerk1');
    const settings = (await (await fetch(`${base}/api/v1/offices/o1/alert-settings`, { headers: { cookie: h.cookie('admin') } })).json()) as Record<string, unknown>;
    const put = await fetch(`${base}/api/v1/offices/o1/alert-settings`, {
      method: 'PUT',
      headers: { cookie: h.cookie('admin'), 'content-type': 'application/json' },
      body: JSON.stringify({ ...settings, officeId: undefined, providerFailures: 3, outboxBacklog: 5 }),
    });
    expect(put.status).toBe(200);

    const sink = h.booking.mailSink!;
    const port = sink.port;
    await sink.close();
    // Five mails queue up while the provider is down (alert mails to supervisors: they need no booking).
    await h.queue.run(async () => {
      for (let i = 1; i <= 5; i++) {
        await h.booking.store.enqueue(
          { bookingId: null, officeId: 'o1', channel: 'email', kind: 'alert', to: `client${i}@example.org`, language: 'en', params: { office: 'Office o1', count: 1, alerts: '- test' }, notBefore: 0 },
          `down-${i}`,
          h.clock.now(),
        );
      }
    });
    await sent(floor, ['outbox_backlog'], 'backlog on the floor');
    // Each is tried and fails: the provider is failing (and the backlog stands, as they wait to be retried).
    await h.booking.worker.tick();
    await h.booking.worker.idle();
    await sent(floor, ['outbox_backlog', 'provider_failing'], 'provider failing on the floor');
    await sent(counter, ['outbox_backlog', 'provider_failing'], 'provider failing at the counter');
    expect((await listed()).find((a) => a.kind === 'provider_failing')).toMatchObject({ channel: 'email', threshold: 3 });

    // The provider is back on its address; the retries go out and both alerts clear.
    const back = await startMailSink({ port });
    sinks.push(back);
    h.clock.advance(10 * 60_000);
    for (let i = 0; i < 5 && back.messages.length < 5; i++) {
      await h.booking.worker.tick();
      await h.booking.worker.idle();
    }
    expect(back.messages.map((m) => m.to).flat().sort()).toEqual([1, 2, 3, 4, 5].map((i) => expect.stringContaining(`client${i}@example.org`)));
    await sent(floor, [], 'cleared on the floor');
    await sent(counter, [], 'cleared at the counter');
    expect(await listed()).toEqual([]);
  }, 30_000);
});

import type { AddressInfo } from 'node:net';
import { io as connect, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { LoggedEvent } from '../../core/shared/events.ts';
import type { ClientToServer, ServerToClient } from '../../contracts/socket.ts';
import { startTestHost, type TestHost } from '../helpers/harness.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { FULL_SIZE, report, sleep } from './report.ts';
import { partStores } from './stores.ts';

/**
 * A hall display and a counter page lose the network for a while (their connections cut by a
 * proxy, new ones refused) while the office goes on issuing and calling; back online they
 * reconnect with the id of the last event they saw, as the pages do, and end up having seen
 * exactly what a display that never lost the network saw: every event once, in order. On SQLite
 * and on PostgreSQL (the replay reads the store's event log).
 */

const CUTS = FULL_SIZE ? 10 : 2;
type Client = Socket<ServerToClient, ClientToServer>;
const TYPES = ['ticket:issued', 'ticket:called', 'ticket:changed', 'queue:changed', 'counter:changed'] as const;

let h: TestHost | null = null;
let proxy: FaultProxy | null = null;
const sockets: Client[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await proxy?.close();
  await h?.close();
  h = null;
  proxy = null;
});

/** Events delivered twice (a page drops them by id, as live.ts does) and out of order, over every connection. */
const delivery = { twice: 0, outOfOrder: 0 };

/** A screen's connection; events go into `seen` by id. */
function screen(url: string, auth: { token?: string; lastEventId?: number }, cookie: string | undefined, seen: Map<number, LoggedEvent>): Promise<Client> {
  const socket: Client = connect(url, { transports: ['websocket'], auth, ...(cookie === undefined ? {} : { extraHeaders: { cookie } }), reconnection: false, forceNew: true });
  sockets.push(socket);
  let lastId = 0;
  for (const type of TYPES) {
    socket.on(type, (e: LoggedEvent) => {
      if (seen.has(e.id)) delivery.twice++;
      if (e.id <= lastId) delivery.outOfOrder++;
      lastId = e.id;
      seen.set(e.id, e);
    });
  }
  return new Promise((resolve, reject) => {
    socket.on('connect_error', reject);
    socket.on('sync:done', () => resolve(socket));
  });
}

describe.each(partStores(true))('network cut for screens on %s: a display and a counter page come back to the same state', (store) => {
  it('replays what each missed, once and in order, after every cut', { timeout: 120_000 }, async () => {
    h = await startTestHost({ store });
    const host = h;
    await host.app.listen({ host: '127.0.0.1', port: 0 });
    const direct = `http://127.0.0.1:${(host.app.server.address() as AddressInfo).port}`;
    proxy = await startFaultProxy((host.app.server.address() as AddressInfo).port);
    const viaProxy = proxy.url('http');
    const post = (path: string, headers: Record<string, string>, body?: unknown) =>
      host.app.inject({ method: 'POST', url: path, headers, ...(body === undefined ? {} : { payload: body as Record<string, unknown> }) });
    let runs = 0;
    const fiveXx: string[] = [];
    const act = async (path: string, headers: Record<string, string>, body?: unknown): Promise<void> => {
      const r = await post(path, headers, body);
      runs++;
      if (r.statusCode >= 500) fiveXx.push(r.body);
    };
    await act('/api/v1/counters/o1-c1/open', { cookie: host.cookie('clerk1') });
    await act('/api/v1/counters/o1-c2/open', { cookie: host.cookie('clerk2') });

    // References that never lose the network, and the two screens behind the proxy.
    const refDisplay = new Map<number, LoggedEvent>();
    const refStaff = new Map<number, LoggedEvent>();
    await screen(direct, { token: host.displayToken }, undefined, refDisplay);
    await screen(direct, {}, host.cookie('clerk3'), refStaff);
    const display = new Map<number, LoggedEvent>();
    const staff = new Map<number, LoggedEvent>();
    let displaySocket = await screen(viaProxy, { token: host.displayToken }, undefined, display);
    let staffSocket = await screen(viaProxy, {}, host.cookie('clerk4'), staff);

    const busy = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) await act('/api/v1/tickets', { authorization: `Bearer ${host.kioskToken}` }, { serviceId: ['o1-s1', 'o1-s2', 'o1-s3'][i % 3] });
      for (let i = 0; i < 3; i++) {
        await act('/api/v1/counters/o1-c1/call-next', { cookie: host.cookie('clerk1') });
        await act('/api/v1/counters/o1-c2/call-next', { cookie: host.cookie('clerk2') });
      }
      await act('/api/v1/counters/o1-c1/recall', { cookie: host.cookie('clerk1') });
    };
    const last = (m: Map<number, LoggedEvent>): number => Math.max(0, ...m.keys());
    const ids = (m: Map<number, LoggedEvent>): number[] => [...m.keys()].sort((a, b) => a - b);

    await busy(6);
    let faults = 0;
    let replayed = 0;
    for (let cut = 0; cut < CUTS; cut++) {
      await proxy.set('down');
      faults++;
      await sleep(50);
      expect(displaySocket.connected || staffSocket.connected, 'the cut dropped both screens').toBe(false);
      const missedFrom = { display: last(display), staff: last(staff) };
      await busy(9);
      await proxy.set('up');
      displaySocket = await screen(viaProxy, { token: host.displayToken, lastEventId: missedFrom.display }, undefined, display);
      staffSocket = await screen(viaProxy, { lastEventId: missedFrom.staff }, host.cookie('clerk4'), staff);
      replayed += [...display.keys()].filter((id) => id > missedFrom.display).length + [...staff.keys()].filter((id) => id > missedFrom.staff).length;
      await busy(3); // and live again
      await sleep(100);
    }
    expect(ids(display)).toEqual(ids(refDisplay));
    expect(ids(staff)).toEqual(ids(refStaff));
    // The same content, not only the same ids: the last call shown per counter, the last counts.
    const lastOf = (m: Map<number, LoggedEvent>, type: string) => [...m.values()].filter((e) => e.type === type).at(-1);
    expect(lastOf(display, 'ticket:called')).toEqual(lastOf(refDisplay, 'ticket:called'));
    expect(lastOf(display, 'queue:changed')).toEqual(lastOf(refDisplay, 'queue:changed'));
    expect(fiveXx).toEqual([]);
    expect(delivery).toEqual({ twice: 0, outOfOrder: 0 });
    report({
      part: 'network-screens',
      store,
      runs,
      faults,
      ackedChecked: display.size + staff.size,
      lost: ids(refStaff).filter((id) => !staff.has(id)).length + ids(refDisplay).filter((id) => !display.has(id)).length,
      duplicates: delivery.twice,
      fiveXx: fiveXx.length,
      extra: { cuts: CUTS, out_of_order: delivery.outOfOrder, replayed_events: replayed },
    });
  });
});

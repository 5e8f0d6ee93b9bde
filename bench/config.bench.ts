import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { startTestHost } from '../test/helpers/harness.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, percentile, spread } from './lib/stats.ts';

/**
 * An admin's change reaching an open kiosk: a whole host (harness wiring: Fastify, auth, SQLite
 * file with synchronous=FULL, socket.io) listening on loopback, a kiosk socket connected with its
 * device token. Each change renames a service (`PATCH /offices/o1/services/o1-s1`); latency =
 * sending the request → the kiosk's socket holding the `config:changed` → the kiosk's re-read of
 * `/offices/o1/services` showing the new name (what the kiosk page does). 100 changes, one at a
 * time; p99 per run, median of 3 runs.
 */

const RUNS = 3;
const CHANGES = 100;

async function run(): Promise<{ total: number[]; event: number[] }> {
  const h = await startTestHost();
  try {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
    const socket = connect(base, { transports: ['websocket'], auth: { token: h.kioskToken }, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      socket.on('connect_error', reject);
      socket.on('sync:done', () => resolve());
    });
    let waiter: (() => void) | null = null;
    socket.on('config:changed', () => waiter?.());
    const total: number[] = [];
    const event: number[] = [];
    try {
      for (let i = 0; i < CHANGES + 5; i++) {
        const name = `Služba ${i}`;
        const t0 = performance.now();
        const heard = new Promise<void>((r) => (waiter = r));
        const res = await fetch(`${base}/api/v1/offices/o1/services/o1-s1`, {
          method: 'PATCH',
          headers: { cookie: h.cookie('admin'), 'content-type': 'application/json' },
          body: JSON.stringify({ names: { cs: name } }),
        });
        if (res.status !== 200) throw new Error(`change ${i}: ${res.status} ${await res.text()}`);
        await heard;
        const t1 = performance.now();
        const services = (await (await fetch(`${base}/api/v1/offices/o1/services`, { headers: { authorization: `Bearer ${h.kioskToken}`, 'accept-language': 'cs' } })).json()) as {
          services: { id: string; name: string }[];
        };
        if (services.services.find((s) => s.id === 'o1-s1')?.name !== name) throw new Error(`change ${i} not shown`);
        const t2 = performance.now();
        if (i >= 5) {
          event.push(t1 - t0);
          total.push(t2 - t0);
        }
      }
    } finally {
      socket.close();
    }
    return { total, event };
  } finally {
    await h.close();
  }
}

export const scenario: Scenario = {
  name: 'config',
  description: 'an admin renames a service → an open kiosk’s socket holds the change and its re-read shows it (p99 over 100 changes)',
  async run() {
    const p99s: number[] = [];
    const eventP99s: number[] = [];
    for (let r = 0; r < RUNS; r++) {
      const { total, event } = await run();
      p99s.push(percentile(total, 99));
      eventP99s.push(percentile(event, 99));
      note(`run ${r + 1}: apply→kiosk p50 ${median(total).toFixed(1)} ms, p99 ${percentile(total, 99).toFixed(1)} ms; apply→event p99 ${percentile(event, 99).toFixed(1)} ms`);
    }
    note(`apply→kiosk p99 over runs: ${spread(p99s)}`);
    figure('config.apply_to_kiosk_ms', median(p99s), 'ms');
    figure('config.apply_to_event_ms', median(eventP99s), 'ms');
  },
};

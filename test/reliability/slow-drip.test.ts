import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { killChildHosts, readDemoCredentials } from '../helpers/child-host.ts';
import { FULL_SIZE, report, sleep } from './report.ts';
import { dropStoreDatabases, partStores, startStoreChildHost } from './stores.ts';

/**
 * 50 clients dripping their requests one byte a second (half the headers, half the body) and
 * 2,000 idle connections hold the host's sockets while a kiosk issues tickets one after another.
 * The kiosk's latency is measured and printed (p50, p99, max) — on two cores shared with other
 * work it is a figure, not an assertion; asserted is what does not depend on the machine: every
 * ticket issued, no 5xx, the host still answering. Real host process (`fronta serve --demo`) on
 * its SQLite file and on a PostgreSQL database, its kiosk printing through its print agent.
 */

const DRIP = 50;
const IDLE = 2_000;
const ISSUES = FULL_SIZE ? 600 : 150;

let dataDir: string | null = null;
const sockets: Socket[] = [];
const timers: NodeJS.Timeout[] = [];
afterEach(async () => {
  for (const t of timers.splice(0)) clearInterval(t);
  for (const s of sockets.splice(0)) s.destroy();
  await killChildHosts();
  await dropStoreDatabases();
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

const open = (port: number): Promise<Socket> =>
  new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

describe.each(partStores(false))('slow-drip and idle connections on %s', (store) => {
  it(`${DRIP} slow-drip clients and ${IDLE} idle sockets: the kiosk issues every ticket, no 5xx`, { timeout: 180_000 }, async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fronta-drip-'));
    const host = await startStoreChildHost(store, dataDir, 60_000);
    const creds = readDemoCredentials(dataDir);
    const port = Number(new URL(host.url).port);
    const services = ((await (await fetch(`${host.url}/api/v1/offices/demo/services`)).json()) as { services: { id: string; isOpen: boolean; walkInRemaining: number }[] }).services.filter((s) => s.isOpen);
    const capacity = services.reduce((a, s) => a + s.walkInRemaining, 0);
    const issues = Math.min(ISSUES, Math.floor(((capacity - DRIP) * 0.9 * 3) / 4));

    // Each ticket for the service with the most walk-in places left.
    const left = new Map(services.map((sv) => [sv.id, sv.walkInRemaining - (sv.id === services[0]!.id ? DRIP : 0)]));
    const nextService = (): string => {
      const [id] = [...left].reduce((a, b) => (b[1] > a[1] ? b : a));
      left.set(id, left.get(id)! - 1);
      return id;
    };
    const answers = new Map<number, number>();
    /** Issues `n` tickets one after another: their latencies, sorted (ms). */
    const measure = async (n: number): Promise<number[]> => {
      const latencies: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        const res = await fetch(`${host.url}/api/v1/tickets`, {
          method: 'POST',
          headers: { authorization: `Bearer ${creds.kioskToken}`, 'content-type': 'application/json' },
          body: JSON.stringify({ serviceId: nextService() }),
        });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        answers.set(res.status, (answers.get(res.status) ?? 0) + 1);
      }
      return latencies.sort((a, b) => a - b);
    };
    // The same host and kiosk without the load first: the machine's own figure to compare with.
    const quiet = await measure(Math.floor(issues / 3));

    // The drippers: a byte a second, for as long as the test runs.
    const body = JSON.stringify({ serviceId: services[0]!.id });
    const headers = `POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${creds.kioskToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    let dripped = 0;
    for (let i = 0; i < DRIP; i++) {
      const s = await open(port);
      const onlyBody = i % 2 === 1;
      if (onlyBody) s.write(headers);
      const text = onlyBody ? body : headers + body;
      let at = 0;
      timers.push(
        setInterval(() => {
          if (at < text.length && !s.destroyed) {
            s.write(text[at++]!);
            dripped++;
          }
        }, 1_000),
      );
    }
    for (let i = 0; i < IDLE; i++) await open(port);
    await sleep(1_500);

    const sorted = await measure(issues);
    const stillOpen = sockets.filter((s) => !s.destroyed).length;
    expect(Object.fromEntries(answers)).toEqual({ 201: issues + quiet.length });
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    expect(host.proc.exitCode).toBeNull();
    const ms = (v: number): string => v.toFixed(1);
    report({
      part: 'slow-drip-idle',
      store,
      runs: issues + quiet.length,
      faults: DRIP + IDLE,
      ackedChecked: issues + quiet.length,
      lost: 0,
      duplicates: 0,
      fiveXx: [...answers.keys()].filter((s) => s >= 500).length,
      extra: {
        drip_clients: DRIP,
        idle_sockets: IDLE,
        sockets_still_open: stillOpen,
        bytes_dripped: dripped,
        quiet_p50_ms: ms(percentile(quiet, 50)),
        quiet_p99_ms: ms(percentile(quiet, 99)),
        issue_p50_ms: ms(percentile(sorted, 50)),
        issue_p99_ms: ms(percentile(sorted, 99)),
        issue_max_ms: ms(sorted.at(-1)!),
        p99_under_100ms: percentile(sorted, 99) < 100 ? 'yes' : 'no',
      },
    });
  });
});

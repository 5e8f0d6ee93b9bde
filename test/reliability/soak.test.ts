import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { killChildHosts, readDemoCredentials } from '../helpers/child-host.ts';
import { BOTH_STORES } from '../helpers/harness.ts';
import { FULL_SIZE, report, sleep } from './report.ts';
import { dropStoreDatabases, startStoreChildHost } from './stores.ts';

/**
 * A simulated eight-hour office day on the test clock of a real host (`fronta serve --demo` with
 * FRONTA_FAKE_CLOCK, on its SQLite file and on a PostgreSQL database), compressed into a few minutes of wall time: walk-ins arriving on a morning
 * peak, bookings (made through the portal, confirmed by SMS code) checking in at the kiosk or
 * never coming, two clerks calling, serving, transferring and marking no-shows, a release rush of online
 * holds at noon (citizens
 * on their own addresses behind the office's reverse proxy, which the host trusts, as a real rush
 * comes: every place the rush could have must be held), a hall display and a counter page listening all day. Sampled every half hour of
 * the day from the host's own /metrics (resident memory, event-loop lag p99, outbox backlog,
 * open handles) and from the sockets (events a listening page has not received yet). Must hold:
 * no 5xx, the resident memory at the end within 30 MB of the start after warm-up, and no backlog
 * that grows — events reach the pages, the outbox drains, handles do not pile up.
 *
 * `npm run test:reliability` runs it for 3 minutes on each store; FRONTA_SOAK_MINUTES=10 gives the full length.
 * Not in `npm test` (CI's budget).
 */

const SOAK_MINUTES = Number(process.env['FRONTA_SOAK_MINUTES'] ?? 3);
const RUN = FULL_SIZE || process.env['FRONTA_SOAK_MINUTES'] !== undefined;
const DAY_MIN = 480;
const STEP_MS = (SOAK_MINUTES * 60_000) / DAY_MIN;
/** Monday 08:00 in Prague. */
const OPEN_AT = '2026-11-23T08:00:00+01:00';
const RUSH_AT_MIN = 240;
const RUSH_HOLDS = 150;
const WARM_UP_MIN = 60;
const BOOKINGS = 12;

let dataDir: string | null = null;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.disconnect();
  await killChildHosts();
  await dropStoreDatabases();
  if (dataDir !== null) rmSync(dataDir, { recursive: true, force: true });
  dataDir = null;
});

/** mulberry32: the same day on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrivals a minute: a morning peak around 9:30, a smaller one after lunch (about 330 in the day). */
const arrivalRate = (min: number): number => 0.35 + 1.6 * Math.exp(-(((min - 90) / 50) ** 2)) + 0.5 * Math.exp(-(((min - 330) / 45) ** 2));

/** Sum of a metric's samples in Prometheus text, optionally only those whose labels contain `label`. */
function metric(text: string, name: string, label = ''): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const m = /^([a-zA-Z0-9_:]+)(\{[^}]*\})? (\S+)$/.exec(line);
    if (m === null || m[1] !== name || !(m[2] ?? '').includes(label)) continue;
    sum += Number(m[3]);
  }
  return sum;
}

/**
 * A POST on a connection of its own, closed after the answer: the rush's citizens come and go, so
 * the host's open handles afterwards are its own and not the test's pooled connections.
 */
function postOnce(url: string, body: unknown, from: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = request(url, { method: 'POST', agent: false, headers: { 'x-forwarded-for': from, 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) } }, (res) => {
      res.resume().on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(data);
  });
}

/** The SMS code last sent to `phone`, from the demo's SMPP sink. */
async function smsCode(url: string, phone: string): Promise<string> {
  const until = Date.now() + 15_000;
  for (;;) {
    const sinks = (await (await fetch(`${url}/demo/messages.json`)).json()) as { sms: { to: string; text: string }[] };
    const m = sinks.sms.findLast((x) => x.to.replace(/\D/g, '').endsWith(phone.replace(/\D/g, '')) && /\b\d{6}\b/.test(x.text));
    if (m !== undefined) return /\b(\d{6})\b/.exec(m.text)![1]!;
    if (Date.now() > until) throw new Error(`no SMS code for ${phone}`);
    await sleep(150);
  }
}

interface Sample {
  min: number;
  rssMb: number;
  lagP99Ms: number;
  outboxPending: number;
  handles: number;
  eventBacklog: number;
}

/** A citizen's own address, as the office's reverse proxy passes it on (X-Forwarded-For). */
const citizen = (group: number, i: number): string => `10.${group}.${Math.floor(i / 250)}.${(i % 250) + 1}`;

// Not in `npm test` at all (minutes long), so both stores whenever it runs.
describe.each(BOTH_STORES)('soak on %s: an office day on the test clock', (store) => {
  it.runIf(RUN)(`eight office hours in ${SOAK_MINUTES} min: memory flat, no growing backlog, no 5xx`, { timeout: (SOAK_MINUTES * 60 + 180) * 1000 }, async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'fronta-soak-'));
    const host = await startStoreChildHost(store, dataDir, 60_000, { FRONTA_FAKE_CLOCK: OPEN_AT, FRONTA_TRUST_PROXY: '1' });
    const creds = readDemoCredentials(dataDir);
    const statuses = new Map<number, number>();
    const call = async (method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> => {
      const res = await fetch(`${host.url}${path}`, {
        method,
        headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      return { status: res.status, json: text.startsWith('{') ? (JSON.parse(text) as Record<string, unknown>) : {} };
    };
    const login = async (username: string, password: string): Promise<Record<string, string>> => {
      const res = await fetch(`${host.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      const cookie = /fronta_session=[^;]+/.exec(res.headers.get('set-cookie') ?? '')?.[0];
      if (cookie === undefined) throw new Error(`login ${username}: ${res.status}`);
      return { cookie };
    };
    const kiosk = { authorization: `Bearer ${creds.kioskToken}` };
    const clerk = await login(creds.clerk.username, creds.clerk.password);
    const admin = await login(creds.admin.username, creds.admin.password);

    // The screens of the day: a hall display and a counter page, listening from the start.
    const listen = (auth: Record<string, unknown>, headers: Record<string, string>): Promise<{ socket: Socket; last: () => number }> =>
      new Promise((resolve, reject) => {
        let last = -1;
        const socket = io(host.url, { auth, extraHeaders: headers, transports: ['websocket'] });
        sockets.push(socket);
        socket.onAny((_name: string, e: { id?: number }) => {
          if (typeof e?.id === 'number') last = Math.max(last, e.id);
        });
        socket.once('sync:done', (info: { lastEventId: number }) => {
          last = Math.max(last, info.lastEventId);
          resolve({ socket, last: () => last });
        });
        socket.once('connect_error', reject);
      });
    await listen({ token: creds.displayToken, lastEventId: -1 }, {});
    const counterPage = await listen({ lastEventId: -1 }, clerk);
    /** Events of the office a listening page has not received yet (a fresh page's view of the log's head). */
    const eventBacklog = async (): Promise<number> => {
      const probe = await listen({}, admin);
      const head = probe.last();
      probe.socket.disconnect();
      await sleep(20);
      return Math.max(0, head - counterPage.last());
    };

    const desks = [
      { id: 'c2', who: clerk, busyUntil: -1, state: 'idle' as 'idle' | 'called' | 'serving' },
      { id: 'c4', who: admin, busyUntil: -1, state: 'idle' as 'idle' | 'called' | 'serving' },
    ];
    for (const d of desks) expect((await call('POST', `/api/v1/counters/${d.id}/open`, d.who)).status).toBe(200);

    const random = prng(20261123);
    const services = ['cashier', 'id-cards', 'id-cards', 'vehicles'];
    const tally = { checkedIn: 0, arrivals: 0, issued: 0, calls: 0, served: 0, noShows: 0, transfers: 0, holds: 0, rushRefused: 0 };
    const samples: Sample[] = [];
    /** Tickets the host acknowledged (issued, checked in): each still there at the end of the day. */
    const acked: string[] = [];
    const sample = async (min: number): Promise<void> => {
      await sleep(50);
      const text = await (await fetch(`${host.url}/metrics`)).text();
      samples.push({
        min,
        rssMb: metric(text, 'fronta_process_resident_memory_bytes') / 2 ** 20,
        lagP99Ms: metric(text, 'fronta_nodejs_eventloop_lag_p99_seconds') * 1000,
        outboxPending: metric(text, 'fronta_outbox_messages', 'state="pending"') + metric(text, 'fronta_outbox_messages', 'state="retrying"'),
        handles: metric(text, 'fronta_nodejs_active_handles_total'),
        eventBacklog: await eventBacklog(),
      });
    };

    /** Free places of the coming days' slots when the rush starts: one entry per place. */
    let rushPlaces = 0;
    const rush = async (): Promise<void> => {
      // Citizens who waited for noon: the places of the coming days, all at once, each citizen
      // going for a place no other citizen of the rush goes for.
      const days = [1, 2, 3].map((d) => new Date(Date.parse(OPEN_AT) + d * 86_400_000).toISOString().slice(0, 10));
      const places: string[] = [];
      for (const day of days) {
        const r = await call('GET', `/api/v1/booking/services/id-cards/days/${day}/slots`, {});
        for (const slot of (r.json['slots'] ?? []) as { id: string; free: number }[]) places.push(...Array.from({ length: Math.max(0, slot.free) }, () => slot.id));
      }
      rushPlaces = places.length;
      await Promise.all(
        Array.from({ length: RUSH_HOLDS }, async (_, i) => {
          const slotId = places[i] ?? places[i % Math.max(1, places.length)] ?? `id-cards~${days[0]}~0900`;
          const status = await postOnce(`${host.url}/api/v1/booking/holds`, { slotId, name: `Soak Client ${i}`, email: `soak${i}@example.org`, channel: 'email' }, citizen(1, i));
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status < 300) tally.holds++;
          else tally.rushRefused++;
        }),
      );
    };

    // Bookings of the day, made through the portal and confirmed by SMS code before the office opens;
    // three in four come and check in at the kiosk a few minutes early, the rest never come.
    const day = OPEN_AT.slice(0, 10);
    const slotList = ((await call('GET', `/api/v1/booking/services/id-cards/days/${day}/slots`, {})).json['slots'] ?? []) as { id: string; startAt: number; free: number }[];
    const booked: { kioskCode: string; arriveAt: number; comes: boolean; done: boolean }[] = [];
    const openAt = Date.parse(OPEN_AT);
    for (const slot of slotList.filter((x) => x.free > 0 && x.startAt > openAt + 30 * 60_000).filter((_, i) => i % 3 === 0).slice(0, BOOKINGS)) {
      const phone = `+42060100${String(booked.length).padStart(4, '0')}`;
      const hold = await call('POST', '/api/v1/booking/holds', { 'x-forwarded-for': citizen(2, booked.length) }, { slotId: slot.id, name: `Soak Booked ${booked.length}`, phone, channel: 'sms' });
      if (hold.status !== 201) continue;
      const confirmed = await call('POST', `/api/v1/booking/holds/${String(hold.json['holdKey'])}/code`, { 'x-forwarded-for': citizen(2, booked.length) }, { code: await smsCode(host.url, phone) });
      if (confirmed.status === 200) booked.push({ kioskCode: String(confirmed.json['kioskCode']), arriveAt: slot.startAt - 5 * 60_000, comes: booked.length % 4 !== 3, done: false });
    }

    const started = Date.now();
    for (let min = 0; min < DAY_MIN; min++) {
      const stepStart = Date.now();
      await call('POST', '/test/clock', {}, { advanceMs: 60_000 });
      // Arrivals of this minute (Poisson by inversion).
      let n = 0;
      for (let p = Math.exp(-arrivalRate(min)), s = p, u = random(); u > s; n++) {
        p *= arrivalRate(min) / (n + 1);
        s += p;
      }
      for (let i = 0; i < n; i++) {
        tally.arrivals++;
        const r = await call('POST', '/api/v1/tickets', kiosk, { serviceId: services[Math.floor(random() * services.length)] });
        if (r.status === 201) {
          tally.issued++;
          acked.push(String((r.json['ticket'] as { id: string }).id));
        }
      }
      const now = openAt + (min + 1) * 60_000;
      for (const b of booked.filter((x) => x.comes && !x.done && x.arriveAt <= now)) {
        b.done = true;
        const r = await call('POST', '/api/v1/kiosk/check-in', kiosk, { code: b.kioskCode });
        if (r.status === 201 || r.status === 200) {
          tally.checkedIn++;
          const t = r.json['ticket'] as { id?: string } | undefined;
          if (t?.id !== undefined) acked.push(t.id);
        }
      }
      for (const d of desks) {
        const path = (a: string): string => `/api/v1/counters/${d.id}/${a}`;
        if (d.state === 'idle' || (d.state === 'serving' && min >= d.busyUntil)) {
          const r = d.state === 'serving' && random() < 0.1 ? await call('POST', path('transfer'), d.who, { serviceId: d.id === 'c2' ? 'vehicles' : 'cashier' }) : null;
          if (r?.status === 200) tally.transfers++;
          else if (d.state === 'serving') tally.served++;
          const next = await call('POST', path('call-next'), d.who);
          if (next.status === 200 && (next.json['ticket'] as { state?: string } | null)?.state === 'called') {
            tally.calls++;
            d.state = 'called';
          } else d.state = 'idle';
        } else if (d.state === 'called') {
          if (random() < 0.08) {
            if ((await call('POST', path('no-show'), d.who)).status === 200) tally.noShows++;
            d.state = 'idle';
          } else if ((await call('POST', path('start'), d.who)).status === 200) {
            d.state = 'serving';
            d.busyUntil = min + 3 + Math.floor(random() * 10);
          }
        }
      }
      if (min === RUSH_AT_MIN) await rush();
      if (min === WARM_UP_MIN || (min > WARM_UP_MIN && min % 30 === 0)) await sample(min);
      const left = STEP_MS - (Date.now() - stepStart);
      if (left > 0) await sleep(left);
    }
    await sleep(500);
    await sample(DAY_MIN);
    const wallMin = (Date.now() - started) / 60_000;
    let lost = 0;
    for (const id of acked) if ((await fetch(`${host.url}/api/v1/tickets/${id}`)).status !== 200) lost++;

    const first = samples[0]!;
    const last = samples.at(-1)!;
    const fiveXx = [...statuses].filter(([s]) => s >= 500).reduce((a, [, c]) => a + c, 0);
    const maxBacklog = Math.max(...samples.map((s) => s.eventBacklog));
    const lagP99 = Math.max(...samples.map((s) => s.lagP99Ms));
    const line = report({
      part: 'soak',
      store,
      runs: [...statuses.values()].reduce((a, b) => a + b, 0),
      faults: 0,
      ackedChecked: acked.length,
      lost,
      duplicates: 0,
      fiveXx,
      extra: {
        day: `08:00-16:00 in ${wallMin.toFixed(1)}min`,
        arrivals: tally.arrivals,
        issued: tally.issued,
        booked: booked.length,
        checked_in: `${tally.checkedIn}/${booked.filter((b) => b.comes).length}`,
        calls: tally.calls,
        served: tally.served,
        no_shows: tally.noShows,
        transfers: tally.transfers,
        rush_holds: `${tally.holds}/${RUSH_HOLDS}`,
        rush_places: rushPlaces,
        rss_start_mb: first.rssMb.toFixed(1),
        rss_end_mb: last.rssMb.toFixed(1),
        event_loop_lag_p99_ms: lagP99.toFixed(1),
        event_backlog_max: maxBacklog,
        outbox_pending: `${first.outboxPending}->${last.outboxPending}`,
        handles: `${first.handles}->${last.handles}`,
        backlogs: maxBacklog === 0 && last.outboxPending <= first.outboxPending && last.handles <= first.handles + 10 ? 'flat' : 'GROWING',
      },
    });
    expect(fiveXx, line).toBe(0);
    // Every place the rush could have is held: a citizen refused while places were left is a failure.
    expect(tally.holds, line).toBe(Math.min(RUSH_HOLDS, rushPlaces));
    expect(lost, line).toBe(0);
    expect(last.rssMb - first.rssMb, line).toBeLessThan(30);
    expect(maxBacklog, line).toBe(0);
    expect(last.outboxPending, line).toBeLessThanOrEqual(first.outboxPending);
    expect(last.handles, line).toBeLessThanOrEqual(first.handles + 10);
    expect(host.proc.exitCode).toBeNull();
  });
});

import { get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { addDays, zonedInstant } from '../core/booking/release.ts';
import type { TicketView } from '../core/shared/events.ts';
import { closeDay, statsReport } from '../core/stats/report.ts';
import { SqliteStatsStore } from '../store/stats.store.ts';
import { startTestHost, type TestHost } from '../test/helpers/harness.ts';
import { figure, note } from './lib/report.ts';
import type { Scenario } from './lib/scenario.ts';
import { median, prng } from './lib/stats.ts';

/**
 * Statistics over a year of a busy office: 2,000 tickets a day for 365 days (730,000 tickets),
 * each with the events the engine appends (issued, called, recalls, serving, done or no-show,
 * and the counter's changes), written by direct INSERTs into the test host's SQLite file (the
 * HTTP API would take hours). Then every day is rolled up through the real use case, a month's
 * report is taken, and the year's per-ticket CSV is streamed over a real socket.
 */

const TICKETS_PER_DAY = 2000;
const FIRST_DAY = '2025-12-01';
const DAYS = 365;
const TZ = 'Europe/Prague';
const MIN = 60_000;

/** Writes `days` days of tickets from `first` (exported for profiling a shorter span). */
export function fillYear(h: TestHost, first = FIRST_DAY, days = DAYS): { events: number } {
  const rnd = prng(2026);
  const insert = h.db.prepare('INSERT INTO events (office_id, type, payload, at) VALUES (?, ?, ?, ?)');
  const services = ['o1-s1', 'o1-s2', 'o1-s3'];
  const counters = ['o1-c1', 'o1-c2', 'o1-c3', 'o1-c4'];
  const clerks = ['clerk-1', 'clerk-2', 'clerk-3', 'clerk-4'];
  let events = 0;
  let n = 0;
  h.db.pragma('synchronous = OFF');
  const day = h.db.transaction((d: string) => {
    const open = zonedInstant(TZ, d, 8 * 60);
    const rows: [string, unknown, number][] = [];
    for (let i = 0; i < TICKETS_PER_DAY; i++) {
      const arrivedAt = open + Math.floor(rnd() * 510 * MIN);
      const k = Math.floor(rnd() * 4);
      const t: TicketView = {
        id: `t${(++n).toString(36).padStart(8, '0')}`,
        number: `A${String(i + 1).padStart(3, '0')}`,
        serviceId: services[Math.floor(rnd() * 3)]!,
        state: 'waiting',
        counterId: null,
        categoryId: null,
        arrivedAt,
        bookedAt: rnd() < 0.1 ? arrivedAt + Math.floor(rnd() * 20 - 10) * MIN : null,
        recallCount: 0,
      };
      const calledAt = arrivedAt + Math.floor(rnd() * 40 * MIN);
      const at = { ...t, state: 'called' as const, counterId: counters[k]! };
      const counter = (ticket: TicketView | null, when: number): [string, unknown, number] => [
        'counter:changed',
        { counterId: counters[k], number: String(k + 1), status: 'open', userId: clerks[k], ticket },
        when,
      ];
      rows.push(['ticket:issued', { ticket: t, origin: { channel: t.bookedAt === null ? 'walk_in' : 'booked' } }, arrivedAt]);
      rows.push(['ticket:called', { ticket: at, counterId: counters[k], counterNumber: String(k + 1), recall: false, userId: clerks[k] }, calledAt]);
      rows.push(counter(at, calledAt));
      let last = calledAt;
      if (rnd() < 0.05) {
        last += 30_000;
        rows.push(['ticket:called', { ticket: { ...at, recallCount: 1 }, counterId: counters[k], counterNumber: String(k + 1), recall: true, userId: clerks[k] }, last]);
      }
      if (rnd() < 0.04) {
        rows.push(['ticket:changed', { ticket: { ...at, state: 'no_show' }, previous: 'called' }, last + 60_000]);
        rows.push(counter(null, last + 60_000));
      } else {
        const start = last + 5000;
        const done = start + Math.floor((1 + rnd() * 9) * MIN);
        rows.push(['ticket:changed', { ticket: { ...at, state: 'serving' }, previous: 'called' }, start]);
        rows.push(counter({ ...at, state: 'serving' }, start));
        rows.push(['ticket:changed', { ticket: { ...at, state: 'done' }, previous: 'serving' }, done]);
        rows.push(counter(null, done));
      }
    }
    // In log order, as a day's commits append them.
    rows.sort((a, b) => a[2] - b[2]);
    for (const [type, payload, when] of rows) insert.run('o1', type, JSON.stringify(payload), when);
    events += rows.length;
  });
  for (let i = 0; i < days; i++) day(addDays(first, i));
  h.db.pragma('synchronous = FULL');
  return { events };
}

/** Streams the year's per-ticket CSV through the real route over a socket; time, bytes, peak RSS growth. */
async function streamYear(h: TestHost, url: string, cookie: string): Promise<{ seconds: number; bytes: number; rows: number; rssGrowthMb: number }> {
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const t0 = performance.now();
  const { bytes, rows } = await new Promise<{ bytes: number; rows: number }>((resolve, reject) => {
    get(url, { headers: { cookie, 'accept-language': 'cs' } }, (res) => {
      if (res.statusCode !== 200) reject(new Error(`export answered ${res.statusCode}`));
      let b = 0;
      let r = 0;
      res.on('data', (chunk: Buffer) => {
        b += chunk.length;
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) r++;
      });
      res.on('end', () => resolve({ bytes: b, rows: r }));
      res.on('error', reject);
    }).on('error', reject);
  });
  const seconds = (performance.now() - t0) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  void h;
  return { seconds, bytes, rows, rssGrowthMb: (peak - rss0) / 1024 / 1024 };
}

export const scenario: Scenario = {
  name: 'stats',
  description: 'statistics over a year of a busy office (730,000 tickets): closing a day, a month report, the streamed per-ticket CSV of the year',
  async run() {
    const h = await startTestHost();
    try {
      const t0 = performance.now();
      const { events } = fillYear(h);
      note(`generated ${DAYS * TICKETS_PER_DAY} tickets, ${events} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      const stats = new SqliteStatsStore(h.db);
      const office = { id: 'o1', timeZone: TZ };
      const now = zonedInstant(TZ, addDays(FIRST_DAY, DAYS), 9 * 60);
      h.clock.set(now);
      const closeMs: number[] = [];
      for (let i = 0; i < DAYS; i++) {
        const c0 = performance.now();
        const r = await closeDay(stats, office, addDays(FIRST_DAY, i), now);
        closeMs.push(performance.now() - c0);
        if (!r.ok || r.value.tickets !== TICKETS_PER_DAY) throw new Error(`closing day ${i}: ${JSON.stringify(r)}`);
      }
      note(`rolled up ${DAYS} days: median ${median(closeMs).toFixed(1)} ms, max ${Math.max(...closeMs).toFixed(1)} ms`);
      figure('stats.rollup_day_ms', median(closeMs), 'ms');

      const month = { from: '2026-10-01', to: '2026-10-31' };
      const reportMs: number[] = [];
      for (const groupBy of ['day', 'service', 'clerk'] as const) {
        const r0 = performance.now();
        const r = await statsReport(stats, office, { ...month, groupBy, filter: {} }, now);
        reportMs.push(performance.now() - r0);
        if (!r.ok || r.value.totals.issued !== 31 * TICKETS_PER_DAY) throw new Error(`month report: ${JSON.stringify(r).slice(0, 200)}`);
      }
      note(`month report (day, service, clerk groupings): ${reportMs.map((x) => x.toFixed(1)).join(', ')} ms`);
      figure('stats.month_report_ms', median(reportMs), 'ms');

      await h.app.listen({ port: 0, host: '127.0.0.1' });
      const port = (h.app.server.address() as AddressInfo).port;
      const url = `http://127.0.0.1:${port}/api/v1/offices/o1/stats/tickets.csv?from=${FIRST_DAY}&to=${addDays(FIRST_DAY, DAYS - 1)}`;
      const login = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'admin', password: 'correct horse battery' } });
      const cookie = `fronta_session=${login.cookies.find((c) => c.name === 'fronta_session')!.value}`;
      const runs = [];
      for (let i = 0; i < 3; i++) runs.push(await streamYear(h, url, cookie));
      for (const r of runs) note(`year export: ${r.rows} lines, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s, RSS +${r.rssGrowthMb.toFixed(1)} MB`);
      if (runs.some((r) => r.rows !== DAYS * TICKETS_PER_DAY + 1)) throw new Error('the export lost rows');
      figure('stats.csv_year_s', median(runs.map((r) => r.seconds)), 's');
      figure('stats.csv_year_rss_mb', median(runs.map((r) => r.rssGrowthMb)), 'MB');
    } finally {
      await h.close();
    }
  },
};

import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES, PASSWORD } from './helpers/harness.ts';
import { DAY, OPEN_AT, simulateOfficeDay, type DayLog, type LoggedTicket } from './helpers/office-day.ts';
import { expectedFigures, expectedRest, groupedBy } from './helpers/office-day-fixture.ts';

/**
 * Statistics of a simulated office day (2,000 tickets on SQLite, 800 on PostgreSQL; seeded) equal figures the test computes
 * itself from what it did — not by the code under test: through the API while the day runs
 * (folded from today's events) and after it closed (from the rollup), in the CSV in Czech and
 * English conventions, and in the XLSX read back with exceljs.
 */

let h: BookingTestHost;
let log: DayLog;

/** Signs in afresh: the clock moves past the harness's sessions. */
async function cookieOf(who: string): Promise<string> {
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: who, password: PASSWORD } });
  const set = res.cookies.find((c) => c.name === 'fronta_session');
  if (set === undefined) throw new Error(res.body);
  return `fronta_session=${set.value}`;
}
const get = async (url: string, who = 'admin', lang = 'en') =>
  h.app.inject({ method: 'GET', url: `/api/v1${url}`, headers: { cookie: await cookieOf(who), 'accept-language': lang } });
const report = async (query: string, who = 'admin') => {
  const r = await get(`/offices/o1/stats?from=${DAY}&to=${DAY}&${query}`, who);
  expect(r.statusCode, r.body).toBe(200);
  return r.json();
};

function checkReport(r: Record<string, unknown>, groups: { key: string; figures: unknown }[]) {
  const rest = expectedRest(log);
  expect(r['totals']).toEqual(expectedFigures([...log.tickets.values()]));
  expect((r['groups'] as { key: string; figures: unknown }[]).map(({ key, figures }) => ({ key, figures }))).toEqual(groups);
  expect(r['waitingByHour']).toEqual(rest.waitingByHour);
  expect(r['punctuality']).toEqual(rest.punctuality);
  expect(r['bookings']).toEqual(rest.bookings);
  expect(r['messages']).toEqual(rest.messages);
  expect(r['kiosks']).toEqual(rest.kiosks);
  expect(r['counters']).toEqual(rest.counters);
}

describe.each(BOTH_STORES)('statistics of a simulated office day on %s', (store) => {
  // Every step of the day is a round trip to the server on PostgreSQL: a smaller day there (the
  // figures are computed from whatever the day held, so any size proves the same).
  const tickets = store === 'postgres' ? 800 : 2000;
  /** A floor of the plan for 2,000 tickets, scaled to this day. */
  const atLeast = (forTwoThousand: number): number => Math.floor((forTwoThousand * tickets) / 2000);
  beforeAll(async () => {
    h = await startBookingHost({ store, policies: [] });
    log = await simulateOfficeDay(h, 20_261_123, tickets);
  }, 600_000);
  afterAll(async () => {
    await h?.close();
  });

  it('the day held what was planned: its tickets in the queue, recalls, transfers, no-shows, bookings, lapses, voids', () => {
    const all = [...log.tickets.values()];
    expect(all.filter((t) => t.outcome !== 'void')).toHaveLength(tickets);
    for (const channel of ['walk_in', 'booked', 'reception'] as const) expect(all.filter((t) => t.channel === channel).length).toBeGreaterThan(atLeast(100));
    expect(all.filter((t) => t.recalls > 0).length).toBeGreaterThan(atLeast(50));
    expect(all.filter((t) => t.transfers > 0).length).toBeGreaterThan(atLeast(30));
    expect(all.filter((t) => t.outcome === 'no_show').length).toBeGreaterThan(atLeast(30));
    expect([...log.bookings.values()].reduce((a, b) => a + b.lapsed, 0)).toBeGreaterThan(atLeast(5));
  });

  it('while the day runs (folded from its events) and after it closed (from the rollup), the API gives the fixture', async () => {
    checkReport(await report('groupBy=channel'), groupedBy(log, (t) => t.channel));
    h.clock.set(OPEN_AT + 23 * 3_600_000); // 07:00 the next morning: the day is over and rolled up on first read
    for (const [by, key] of [
      ['channel', (t: LoggedTicket) => t.channel],
      ['service', (t: LoggedTicket) => t.serviceId],
      ['counter', (t: LoggedTicket) => t.lastCall?.counterId ?? ''],
      ['clerk', (t: LoggedTicket) => t.lastCall?.clerkId ?? ''],
      ['hour', (t: LoggedTicket) => String(new Date(t.arrivedAt + 3_600_000).getUTCHours()).padStart(2, '0')],
      ['day', () => DAY],
    ] as const) {
      checkReport(await report(`groupBy=${by}`), groupedBy(log, key));
    }
    const closed = await h.sql(`SELECT count(*) AS n FROM stats_tickets WHERE day = '${DAY}'`);
    expect(closed).toEqual([{ n: log.tickets.size }]);
  });

  it('a clerk sees the figures of their own calls only; another office is refused', async () => {
    const [{ id: clerk1 }] = (await h.sql<{ id: string }>("SELECT id FROM users WHERE username = 'clerk1'")) as [{ id: string }];
    const own = await report('groupBy=service', 'clerk1');
    expect(own.ownOnly).toBe(true);
    expect(own.totals).toEqual(expectedFigures([...log.tickets.values()].filter((t) => t.lastCall?.clerkId === clerk1)));
    expect(own.counters).toEqual([]);
    expect((await get(`/offices/o1/stats?from=${DAY}&to=${DAY}&clerk=someone-else`, 'clerk1')).statusCode).toBe(403);
    expect((await get(`/offices/o2/stats?from=${DAY}&to=${DAY}`)).statusCode).toBe(403);
    expect((await get(`/offices/o1/stats/tickets.csv?from=${DAY}&to=${DAY}`, 'clerk1')).statusCode).toBe(403);
  });

  const summaryRows = (csv: string, sep: string) => {
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const section = csv.slice(1).split('\r\n\r\n')[0]!.split('\r\n').filter((l) => l !== '');
    return section.slice(2).map((l) => l.split(sep));
  };
  const cells = (f: ReturnType<typeof expectedFigures>) => [
    f.issued, f.served, f.noShow, f.voided, f.transferred, f.open, f.wait.mean, f.wait.median, f.wait.p90, f.wait.max, f.service.mean, f.service.median, f.service.p90, f.service.max,
  ];

  it('CSV: Czech with ; and a decimal comma, English with , and a point — the same numbers', async () => {
    const groups = groupedBy(log, (t) => t.channel);
    const total = expectedFigures([...log.tickets.values()]);
    for (const [lang, sep, dec, names] of [
      ['cs', ';', ',', { walk_in: 'Bez objednání', booked: 'Objednaní', reception: 'Recepce', total: 'Celkem' }],
      ['en', ',', '.', { walk_in: 'Walk-in', booked: 'Booked', reception: 'Reception', total: 'Total' }],
    ] as const) {
      const r = await get(`/offices/o1/stats.csv?from=${DAY}&to=${DAY}&groupBy=channel`, 'admin', lang);
      expect(r.statusCode).toBe(200);
      expect(r.headers['content-type']).toBe('text/csv; charset=utf-8');
      const fmt = (v: number | null) => (v === null ? '' : String(v).replace('.', dec));
      const expected = [
        ...groups.map((g) => [names[g.key as 'walk_in'], ...cells(g.figures).map(fmt)]),
        [names.total, ...cells(total).map(fmt)],
      ];
      expect(summaryRows(r.body, sep)).toEqual(expected);
    }
  });

  it('XLSX read back with exceljs holds the same numbers', async () => {
    const r = await get(`/offices/o1/stats.xlsx?from=${DAY}&to=${DAY}&groupBy=channel`, 'admin', 'zh-CN');
    expect(r.statusCode).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const sheet = book.worksheets[0]!;
    const rows: unknown[][] = [];
    sheet.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const groups = groupedBy(log, (t) => t.channel);
    const names: Record<string, string> = { walk_in: '现场取号', booked: '预约', reception: '前台' };
    const blank = (v: number | null) => v ?? undefined;
    expect(rows.slice(1)).toEqual([
      ...groups.map((g) => [names[g.key], ...cells(g.figures).map(blank)]),
      ['合计', ...cells(expectedFigures([...log.tickets.values()])).map(blank)],
    ]);
    expect(book.worksheets.map((w) => w.name)).toHaveLength(8); // with the ratings of visits (none given in the simulated day)
  });

  it('the per-ticket export has one row per ticket, with office-local times and nothing personal', async () => {
    const r = await get(`/offices/o1/stats/tickets.csv?from=${DAY}&to=${DAY}`, 'admin', 'en');
    expect(r.statusCode).toBe(200);
    const lines = r.body.slice(1).split('\r\n').filter((l) => l !== '');
    expect(lines).toHaveLength(1 + log.tickets.size);
    expect(lines[0]).toBe('Day,Number,Service,Final service,Channel,Kiosk,Arrived,Booked for,Answered call,Ended,Outcome,Wait (min),Service (min),Recalls,Transfers,Counter');
    const first = [...log.tickets.values()].sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
    const row = lines[1]!.split(',');
    expect(row[6]).toBe(new Date(first.arrivedAt + 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
    expect(r.body).not.toMatch(/KLIENT|example\.test|clerk/);
  });

  it("the per-ticket export keeps the report's filters: one service's walk-ins, one counter's calls", async () => {
    const all = [...log.tickets.values()];
    const service = all[0]!.serviceId;
    const byService = await get(`/offices/o1/stats/tickets.csv?from=${DAY}&to=${DAY}&service=${service}&channel=walk_in`);
    expect(byService.statusCode).toBe(200);
    const serviceRows = byService.body.split('\r\n').filter((l) => l !== '').length - 1;
    expect(serviceRows).toBe(all.filter((t) => t.serviceId === service && t.channel === 'walk_in').length);
    expect(serviceRows).toBeGreaterThan(0);
    const counter = all.find((t) => t.lastCall !== null)!.lastCall!.counterId;
    const byCounter = await get(`/offices/o1/stats/tickets.csv?from=${DAY}&to=${DAY}&counter=${counter}`);
    expect(byCounter.body.split('\r\n').filter((l) => l !== '').length - 1).toBe(all.filter((t) => t.lastCall?.counterId === counter).length);
    expect((await get(`/offices/o1/stats/tickets.csv?from=${DAY}&to=${DAY}&groupBy=day`)).statusCode).toBe(400);
  });
});

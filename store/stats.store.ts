import type { Database, Statement } from 'better-sqlite3';
import type { DomainEvent, LoggedEvent } from '../core/shared/events.ts';
import { WHOLE_DAY } from '../core/stats/groups.ts';
import type { Channel, DayCount, GroupRow, Outcome, StatsFilter, TicketFact } from '../core/stats/model.ts';
import type { DayRollup, FactKey, StatsStore } from '../core/stats/ports.ts';
import { storeWrite } from './write-gate.ts';

/**
 * The statistics store on SQLite. Plain SQL (no JSON functions, no date functions): event
 * payloads are parsed by the core's fold, days are compared as `YYYY-MM-DD` text, so the same
 * statements run on PostgreSQL. The one SQLite-only piece is `INSERT OR REPLACE` in `saveDay`'s
 * day marker (PostgreSQL: `ON CONFLICT … DO UPDATE`). Reports read the group rows (a few hundred
 * a day), never the facts; their waiting and service times are 8-byte floats in a BLOB (bytea).
 */

const FACT_COLUMNS =
  'day, ticket_id, number, service_id, final_service_id, channel, kiosk_id, hour, arrived_at, booked_at, answered_at, counter_id, clerk_id, service_ms, ended_at, outcome, recalls, transfers';

const GROUP_COLUMNS =
  'day, hour, service_id, counter_id, clerk_id, channel, kiosk_id, issued, served, no_show, voided, open, transferred, waits, services, early, on_time, late, late_sum_ms, waiting_at';

type GroupDbRow = [string, number, string, string, string, Channel, string, number, number, number, number, number, number, Buffer, Buffer, number, number, number, number, string | null];

/** Exact milliseconds as little-endian 8-byte floats. */
function encodeSamples(a: ArrayLike<number>): Buffer {
  const b = Buffer.allocUnsafe(a.length * 8);
  for (let i = 0; i < a.length; i++) b.writeDoubleLE(a[i]!, i * 8);
  return b;
}

function decodeSamples(b: Buffer): Float64Array {
  // A copy: the row's buffer need not be 8-byte aligned.
  const out = new Float64Array(b.length / 8);
  new Uint8Array(out.buffer).set(b);
  return out;
}

const groupOf = (r: GroupDbRow): GroupRow => ({
  day: r[0],
  hour: r[1],
  serviceId: r[2],
  counterId: r[3],
  clerkId: r[4],
  channel: r[5],
  kioskId: r[6],
  issued: r[7],
  served: r[8],
  noShow: r[9],
  voided: r[10],
  open: r[11],
  transferred: r[12],
  waits: decodeSamples(r[13]),
  services: decodeSamples(r[14]),
  early: r[15],
  onTime: r[16],
  late: r[17],
  lateSumMs: r[18],
  waitingAt: r[19] === null ? null : r[19].split(',').map(Number),
});

type FactRow = [string, string, string, string, string, Channel, string | null, number, number, number | null, number | null, string | null, string | null, number | null, number | null, Outcome, number, number];

/** Refills one fact from a row (the export visits hundreds of thousands: no object per row). */
function fill(f: TicketFact, r: FactRow): TicketFact {
  f.day = r[0];
  f.ticketId = r[1];
  f.number = r[2];
  f.serviceId = r[3];
  f.finalServiceId = r[4];
  f.channel = r[5];
  f.kioskId = r[6];
  f.hour = r[7];
  f.arrivedAt = r[8];
  f.bookedAt = r[9];
  f.answeredAt = r[10];
  f.counterId = r[11];
  f.clerkId = r[12];
  f.serviceMs = r[13];
  f.endedAt = r[14];
  f.outcome = r[15];
  f.recalls = r[16];
  f.transfers = r[17];
  return f;
}

/** The event types statistics fold: the others (queue counts, settings audit) are skipped unparsed. */
const READ_TYPES: readonly DomainEvent['type'][] = ['ticket:issued', 'ticket:called', 'ticket:changed', 'counter:changed', 'printer:changed'];

export class SqliteStatsStore implements StatsStore {
  private readonly s: Record<string, Statement>;
  /** One statement per combination of filters (a `? IS NULL OR …` pattern needs typed parameters on PostgreSQL). */
  private readonly groupQueries = new Map<string, Statement>();
  private readonly saveTx: (officeId: string, day: string, rollup: DayRollup, closedAt: number) => void;

  constructor(private readonly db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      closedDays: p('SELECT day FROM stats_days WHERE office_id = ? AND day >= ? AND day <= ? ORDER BY day'),
      events: p(`SELECT id, type, payload, at FROM events WHERE office_id = ? AND at >= ? AND at < ? AND type IN (${READ_TYPES.map(() => '?').join(', ')}) ORDER BY id`),
      slots: p(`SELECT s.service_id AS key, sum(s.places) AS value FROM slots s JOIN services v ON v.id = s.service_id
                WHERE v.office_id = ? AND s.day = ? GROUP BY s.service_id`),
      bookings: p(`SELECT service_id AS key, state, count(*) AS value FROM bookings WHERE office_id = ? AND day = ?
                   AND state NOT IN ('held', 'expired') GROUP BY service_id, state`),
      applications: p(`SELECT service_id AS key, state, count(*) AS value FROM applications WHERE office_id = ? AND day = ?
                       AND state IN ('allocated', 'not_allocated') GROUP BY service_id, state`),
      messages: p(`SELECT channel AS key, sum(CASE WHEN state = 'sent' THEN 1 ELSE 0 END) AS sent,
                     sum(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed, sum(CASE WHEN attempts > 1 THEN 1 ELSE 0 END) AS retried
                   FROM outbox WHERE office_id = ? AND created_at >= ? AND created_at < ? GROUP BY channel`),
      deleteFacts: p('DELETE FROM stats_tickets WHERE office_id = ? AND day = ?'),
      deleteCounts: p('DELETE FROM stats_counts WHERE office_id = ? AND day = ?'),
      deleteGroups: p('DELETE FROM stats_groups WHERE office_id = ? AND by_hour IN (0, 1) AND day = ?'),
      insertGroup: p(`INSERT INTO stats_groups (office_id, by_hour, ${GROUP_COLUMNS}) VALUES (${Array.from({ length: 22 }, () => '?').join(', ')})`),
      insertFact: p(`INSERT INTO stats_tickets (office_id, ${FACT_COLUMNS}) VALUES (${Array.from({ length: 19 }, () => '?').join(', ')})`),
      insertCount: p('INSERT INTO stats_counts (office_id, day, metric, key, value) VALUES (?, ?, ?, ?, ?)'),
      markClosed: p('INSERT OR REPLACE INTO stats_days (office_id, day, closed_at) VALUES (?, ?, ?)'),
      counts: p('SELECT day, metric, key, value FROM stats_counts WHERE office_id = ? AND day >= ? AND day <= ?'),
      firstPage: p(`SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = ? AND day >= ? AND day <= ? ORDER BY day, ticket_id LIMIT ?`).raw(),
      nextPage: p(
        `SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = ? AND day <= ? AND (day, ticket_id) > (?, ?) ORDER BY day, ticket_id LIMIT ?`,
      ).raw(),
    };
    this.saveTx = db.transaction((officeId: string, day: string, { facts, counts, groups }: DayRollup, closedAt: number) => {
      this.s['deleteFacts']!.run(officeId, day);
      this.s['deleteCounts']!.run(officeId, day);
      this.s['deleteGroups']!.run(officeId, day);
      for (const g of groups) {
        this.s['insertGroup']!.run(officeId, g.hour === WHOLE_DAY ? 0 : 1, day, g.hour, g.serviceId, g.counterId, g.clerkId, g.channel, g.kioskId,
          g.issued, g.served, g.noShow, g.voided, g.open, g.transferred, encodeSamples(g.waits), encodeSamples(g.services),
          g.early, g.onTime, g.late, g.lateSumMs, g.waitingAt === null ? null : g.waitingAt.join(','));
      }
      for (const f of facts) {
        this.s['insertFact']!.run(officeId, day, f.ticketId, f.number, f.serviceId, f.finalServiceId, f.channel, f.kioskId, f.hour, f.arrivedAt, f.bookedAt,
          f.answeredAt, f.counterId, f.clerkId, f.serviceMs, f.endedAt, f.outcome, f.recalls, f.transfers);
      }
      // A metric may come twice for one key (folded and read from a table): stored once, summed.
      const summed = new Map<string, DayCount>();
      for (const c of counts) {
        const k = `${c.metric}|${c.key}`;
        const prev = summed.get(k);
        summed.set(k, prev === undefined ? { ...c } : { ...prev, value: prev.value + c.value });
      }
      for (const c of summed.values()) this.s['insertCount']!.run(officeId, day, c.metric, c.key, c.value);
      this.s['markClosed']!.run(officeId, day, closedAt);
    });
  }

  closedDays(officeId: string, from: string, to: string): Promise<string[]> {
    return Promise.resolve((this.s['closedDays']!.all(officeId, from, to) as { day: string }[]).map((r) => r.day));
  }

  eventsBetween(officeId: string, fromAt: number, toAt: number): Promise<LoggedEvent[]> {
    const rows = this.s['events']!.all(officeId, fromAt, toAt, ...READ_TYPES) as { id: number; type: DomainEvent['type']; payload: string; at: number }[];
    return Promise.resolve(rows.map((r) => ({ id: r.id, officeId, type: r.type, payload: JSON.parse(r.payload) as unknown, at: r.at }) as LoggedEvent));
  }

  tableCounts(officeId: string, day: string, fromAt: number, toAt: number): Promise<DayCount[]> {
    const out: DayCount[] = [];
    const push = (metric: DayCount['metric'], key: string, value: number): void => {
      if (value > 0) out.push({ day, metric, key, value });
    };
    for (const r of this.s['slots']!.all(officeId, day) as { key: string; value: number }[]) push('slots_offered', r.key, r.value);
    const BOOKING: Record<string, DayCount['metric'][]> = {
      confirmed: ['bookings_made'],
      cancelled: ['bookings_made', 'bookings_cancelled'],
      lapsed: ['bookings_made', 'bookings_lapsed'],
      checked_in: ['bookings_made', 'bookings_checked_in'],
      done: ['bookings_made', 'bookings_checked_in'],
      no_show: ['bookings_made', 'bookings_checked_in', 'bookings_no_show'],
    };
    for (const r of this.s['bookings']!.all(officeId, day) as { key: string; state: string; value: number }[]) {
      for (const metric of BOOKING[r.state] ?? []) push(metric, r.key, r.value);
    }
    for (const r of this.s['applications']!.all(officeId, day) as { key: string; state: string; value: number }[]) {
      push(r.state === 'allocated' ? 'draw_allocated' : 'draw_not_allocated', r.key, r.value);
    }
    for (const r of this.s['messages']!.all(officeId, fromAt, toAt) as { key: string; sent: number; failed: number; retried: number }[]) {
      push('messages_sent', r.key, r.sent);
      push('messages_failed', r.key, r.failed);
      push('messages_retried', r.key, r.retried);
    }
    return Promise.resolve(out);
  }

  saveDay(officeId: string, day: string, rollup: DayRollup, closedAt: number): Promise<void> {
    return storeWrite(this.db, () => {
      this.saveTx(officeId, day, rollup, closedAt);
    });
  }

  groupRows(officeId: string, from: string, to: string, filter: StatsFilter, byHour: boolean): Promise<GroupRow[]> {
    const all: [string, string | undefined][] = [
      ['service_id', filter.serviceId],
      ['counter_id', filter.counterId],
      ['clerk_id', filter.clerkId],
    ];
    const by = all.filter((f): f is [string, string] => f[1] !== undefined);
    const key = by.map(([c]) => c).join(',');
    let q = this.groupQueries.get(key);
    if (q === undefined) {
      const where = by.map(([c]) => ` AND ${c} = ?`).join('');
      q = this.db.prepare(`SELECT ${GROUP_COLUMNS} FROM stats_groups WHERE office_id = ? AND by_hour = ? AND day >= ? AND day <= ?${where}`).raw();
      this.groupQueries.set(key, q);
    }
    const rows = q.all(officeId, byHour ? 1 : 0, from, to, ...by.map(([, v]) => v)) as GroupDbRow[];
    return Promise.resolve(rows.map(groupOf));
  }

  dayCounts(officeId: string, from: string, to: string): Promise<DayCount[]> {
    return Promise.resolve(this.s['counts']!.all(officeId, from, to) as DayCount[]);
  }

  visitFacts(officeId: string, from: string, to: string, after: FactKey | null, limit: number, visit: (f: Readonly<TicketFact>) => void): Promise<FactKey | null> {
    // Drained before answering: the connection is busy only while this page is read, and free for the host between pages.
    // One native call per page: a step per row through .iterate() cost a sixth of the export.
    const rows = (after === null ? this.s['firstPage']!.all(officeId, from, to, limit) : this.s['nextPage']!.all(officeId, to, after.day, after.ticketId, limit)) as FactRow[];
    const f = fill({ officeId } as TicketFact, ['', '', '', '', '', 'walk_in', null, 0, 0, null, null, null, null, null, null, 'open', 0, 0]);
    let n = 0;
    for (const r of rows) {
      visit(fill(f, r));
      n++;
    }
    return Promise.resolve(n < limit ? null : { day: f.day, ticketId: f.ticketId });
  }
}

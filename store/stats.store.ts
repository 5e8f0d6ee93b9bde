import type { Database, Statement } from 'better-sqlite3';
import type { DomainEvent, LoggedEvent } from '../core/shared/events.ts';
import type { Channel, DayCount, Outcome, StatsFilter, TicketFact } from '../core/stats/model.ts';
import type { StatsStore } from '../core/stats/ports.ts';
import { storeWrite } from './write-gate.ts';

/**
 * The statistics store on SQLite. Plain SQL (no JSON functions, no date functions): event
 * payloads are parsed by the core's fold, days are compared as `YYYY-MM-DD` text, so the same
 * statements run on PostgreSQL. The one SQLite-only piece is `INSERT OR REPLACE` in `saveDay`'s
 * day marker (PostgreSQL: `ON CONFLICT … DO UPDATE`). Reads use `.raw()` rows: a month of a busy
 * office is some 60,000 facts, and arrays skip building an object per row.
 */

const FACT_COLUMNS =
  'day, ticket_id, number, service_id, final_service_id, channel, kiosk_id, hour, arrived_at, booked_at, answered_at, counter_id, clerk_id, service_ms, ended_at, outcome, recalls, transfers';

type FactRow = [string, string, string, string, string, Channel, string | null, number, number, number | null, number | null, string | null, string | null, number | null, number | null, Outcome, number, number];

const factOf = (officeId: string, r: FactRow): TicketFact => ({
  officeId,
  day: r[0],
  ticketId: r[1],
  number: r[2],
  serviceId: r[3],
  finalServiceId: r[4],
  channel: r[5],
  kioskId: r[6],
  hour: r[7],
  arrivedAt: r[8],
  bookedAt: r[9],
  answeredAt: r[10],
  counterId: r[11],
  clerkId: r[12],
  serviceMs: r[13],
  endedAt: r[14],
  outcome: r[15],
  recalls: r[16],
  transfers: r[17],
});

/** The event types statistics fold: the others (queue counts, settings audit) are skipped unparsed. */
const READ_TYPES: readonly DomainEvent['type'][] = ['ticket:issued', 'ticket:called', 'ticket:changed', 'counter:changed', 'printer:changed'];

export class SqliteStatsStore implements StatsStore {
  private readonly s: Record<string, Statement>;
  /** One statement per combination of filters (a `? IS NULL OR …` pattern needs typed parameters on PostgreSQL). */
  private readonly factQueries = new Map<string, Statement>();
  private readonly saveTx: (officeId: string, day: string, facts: TicketFact[], counts: DayCount[], closedAt: number) => void;

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
      insertFact: p(`INSERT INTO stats_tickets (office_id, ${FACT_COLUMNS}) VALUES (${Array.from({ length: 19 }, () => '?').join(', ')})`),
      insertCount: p('INSERT INTO stats_counts (office_id, day, metric, key, value) VALUES (?, ?, ?, ?, ?)'),
      markClosed: p('INSERT OR REPLACE INTO stats_days (office_id, day, closed_at) VALUES (?, ?, ?)'),
      counts: p('SELECT day, metric, key, value FROM stats_counts WHERE office_id = ? AND day >= ? AND day <= ?'),
      firstPage: p(`SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = ? AND day >= ? AND day <= ? ORDER BY day, ticket_id LIMIT ?`).raw(),
      nextPage: p(
        `SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = ? AND day <= ? AND (day, ticket_id) > (?, ?) ORDER BY day, ticket_id LIMIT ?`,
      ).raw(),
    };
    this.saveTx = db.transaction((officeId: string, day: string, facts: TicketFact[], counts: DayCount[], closedAt: number) => {
      this.s['deleteFacts']!.run(officeId, day);
      this.s['deleteCounts']!.run(officeId, day);
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

  saveDay(officeId: string, day: string, facts: TicketFact[], counts: DayCount[], closedAt: number): Promise<void> {
    return storeWrite(this.db, () => {
      this.saveTx(officeId, day, facts, counts, closedAt);
    });
  }

  ticketFacts(officeId: string, from: string, to: string, filter: StatsFilter): Promise<TicketFact[]> {
    const all: [string, string | undefined][] = [
      ['service_id', filter.serviceId],
      ['counter_id', filter.counterId],
      ['clerk_id', filter.clerkId],
    ];
    const by = all.filter((f): f is [string, string] => f[1] !== undefined);
    const key = by.map(([c]) => c).join(',');
    let q = this.factQueries.get(key);
    if (q === undefined) {
      const where = by.map(([c]) => ` AND ${c} = ?`).join('');
      q = this.db.prepare(`SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = ? AND day >= ? AND day <= ?${where}`).raw();
      this.factQueries.set(key, q);
    }
    const rows = q.all(officeId, from, to, ...by.map(([, v]) => v)) as FactRow[];
    return Promise.resolve(rows.map((r) => factOf(officeId, r)));
  }

  dayCounts(officeId: string, from: string, to: string): Promise<DayCount[]> {
    return Promise.resolve(this.s['counts']!.all(officeId, from, to) as DayCount[]);
  }

  factsPage(officeId: string, from: string, to: string, after: { day: string; ticketId: string } | null, limit: number): Promise<TicketFact[]> {
    const rows = (
      after === null ? this.s['firstPage']!.all(officeId, from, to, limit) : this.s['nextPage']!.all(officeId, to, after.day, after.ticketId, limit)
    ) as FactRow[];
    return Promise.resolve(rows.map((r) => factOf(officeId, r)));
  }
}

import type { Database, Statement } from 'better-sqlite3';
import type { DomainEvent, LoggedEvent } from '../core/shared/events.ts';
import type { DayCount, GroupRow, StatsFilter, TicketFact } from '../core/stats/model.ts';
import type { DayRollup, FactKey, StatsStore } from '../core/stats/ports.ts';
import {
  blankFact,
  FACT_COLUMNS,
  factParams,
  fill,
  filterColumns,
  GROUP_COLUMNS,
  groupOf,
  groupParams,
  READ_TYPES,
  summedCounts,
  tableCountsOf,
  type FactRow,
  type GroupDbRow,
  type TableFigures,
} from './stats.rows.ts';
import { storeWrite } from './write-gate.ts';

/**
 * The statistics store on SQLite. Plain SQL (no JSON functions, no date functions): event
 * payloads are parsed by the core's fold, days are compared as `YYYY-MM-DD` text; the
 * PostgreSQL twin (postgres/stats.store.ts) runs the same statements but for its upsert. Reports
 * read the group rows (a few hundred a day), never the facts; their waiting and service times are
 * 8-byte floats in a BLOB (stats.rows.ts).
 */

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
      for (const g of groups) this.s['insertGroup']!.run(officeId, ...groupParams(g, day));
      for (const f of facts) this.s['insertFact']!.run(officeId, ...factParams(f, day));
      for (const c of summedCounts(counts)) this.s['insertCount']!.run(officeId, day, c.metric, c.key, c.value);
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
    const figures: TableFigures = {
      slots: this.s['slots']!.all(officeId, day) as TableFigures['slots'],
      bookings: this.s['bookings']!.all(officeId, day) as TableFigures['bookings'],
      applications: this.s['applications']!.all(officeId, day) as TableFigures['applications'],
      messages: this.s['messages']!.all(officeId, fromAt, toAt) as TableFigures['messages'],
    };
    return Promise.resolve(tableCountsOf(day, figures));
  }

  saveDay(officeId: string, day: string, rollup: DayRollup, closedAt: number): Promise<void> {
    return storeWrite(this.db, () => {
      this.saveTx(officeId, day, rollup, closedAt);
    });
  }

  groupRows(officeId: string, from: string, to: string, filter: StatsFilter, byHour: boolean): Promise<GroupRow[]> {
    const by = filterColumns(filter);
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
    const f = blankFact(officeId);
    let n = 0;
    for (const r of rows) {
      visit(fill(f, r));
      n++;
    }
    return Promise.resolve(n < limit ? null : { day: f.day, ticketId: f.ticketId });
  }
}

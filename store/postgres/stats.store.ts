import type { DomainEvent, LoggedEvent } from '../../core/shared/events.ts';
import type { DayCount, GroupRow, StatsFilter, TicketFact } from '../../core/stats/model.ts';
import type { DayRollup, FactKey, StatsStore } from '../../core/stats/ports.ts';
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
} from '../stats.rows.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';
import { lockKeys, LOCK, rows, type Sql } from './booking/sql.ts';

/**
 * The statistics store on PostgreSQL: the statements of ../stats.store.ts (days compared as
 * `YYYY-MM-DD` text, instants as epoch ms, both computed by the core in the office's time zone —
 * no date arithmetic in SQL on either dialect, so a day's bounds are the same on both), over the
 * pool or the caller's transaction. Sums of BIGINT are cast back to BIGINT (PostgreSQL widens
 * them to numeric, which the driver would hand over as text).
 */

const SLOTS = `SELECT s.service_id AS key, sum(s.places)::bigint AS value FROM slots s JOIN services v ON v.id = s.service_id
  WHERE v.office_id = $1 AND s.day = $2 GROUP BY s.service_id`;
const BOOKINGS = `SELECT service_id AS key, state, count(*) AS value FROM bookings WHERE office_id = $1 AND day = $2
  AND state NOT IN ('held', 'expired') GROUP BY service_id, state`;
const APPLICATIONS = `SELECT service_id AS key, state, count(*) AS value FROM applications WHERE office_id = $1 AND day = $2
  AND state IN ('allocated', 'not_allocated') GROUP BY service_id, state`;
const MESSAGES = `SELECT channel AS key, count(*) FILTER (WHERE state = 'sent') AS sent, count(*) FILTER (WHERE state = 'failed') AS failed,
  count(*) FILTER (WHERE attempts > 1) AS retried FROM outbox WHERE office_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY channel`;

/**
 * Facts in (day, ticket id) order, ids byte-wise as SQLite orders them. The day bound is on its
 * own so that the primary key's index finds the first day; the ids of one day are sorted.
 */
const FIRST_PAGE = `SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = $1 AND day >= $2 AND day <= $3
  ORDER BY day, ticket_id COLLATE "C" LIMIT $4`;
const NEXT_PAGE = `SELECT ${FACT_COLUMNS} FROM stats_tickets WHERE office_id = $1 AND day >= $2 AND day <= $3
  AND (day > $2 OR ticket_id COLLATE "C" > $4) ORDER BY day, ticket_id COLLATE "C" LIMIT $5`;

/** Rows per INSERT: 500 facts of 19 columns stay well under PostgreSQL's 65,535 parameters. */
const BATCH = 500;

async function insertMany(sql: Sql, into: string, table: readonly unknown[][]): Promise<void> {
  for (let i = 0; i < table.length; i += BATCH) {
    const batch = table.slice(i, i + BATCH);
    const width = batch[0]!.length;
    const tuples = batch.map((_, r) => `(${Array.from({ length: width }, (_, c) => `$${r * width + c + 1}`).join(', ')})`);
    await sql.query(`INSERT INTO ${into} VALUES ${tuples.join(', ')}`, batch.flat());
  }
}

export class PgStatsStore implements StatsStore {
  constructor(private readonly db: PgDb) {}

  /** The unit of work under way, if any: see sqlOf. */
  private get sql(): Sql {
    return sqlOf(this.db);
  }

  async closedDays(officeId: string, from: string, to: string): Promise<string[]> {
    return (await rows<{ day: string }>(this.sql, 'SELECT day FROM stats_days WHERE office_id = $1 AND day >= $2 AND day <= $3 ORDER BY day', [officeId, from, to])).map(
      (r) => r.day,
    );
  }

  async eventsBetween(officeId: string, fromAt: number, toAt: number): Promise<LoggedEvent[]> {
    const list = await rows<{ id: number; type: DomainEvent['type']; payload: string; at: number }>(
      this.sql,
      'SELECT id, type, payload, at FROM events WHERE office_id = $1 AND at >= $2 AND at < $3 AND type = ANY($4::text[]) ORDER BY id',
      [officeId, fromAt, toAt, READ_TYPES],
    );
    return list.map((r) => ({ id: r.id, officeId, type: r.type, payload: JSON.parse(r.payload) as unknown, at: r.at }) as LoggedEvent);
  }

  async tableCounts(officeId: string, day: string, fromAt: number, toAt: number): Promise<DayCount[]> {
    const figures: TableFigures = {
      slots: await rows(this.sql, SLOTS, [officeId, day]),
      bookings: await rows(this.sql, BOOKINGS, [officeId, day]),
      applications: await rows(this.sql, APPLICATIONS, [officeId, day]),
      messages: await rows(this.sql, MESSAGES, [officeId, fromAt, toAt]),
    };
    return tableCountsOf(day, figures);
  }

  /**
   * Replaces the day's rollup. Two hosts may roll up one day at once (each after its own
   * midnight tick): the day's lock makes the second wait and then replace the first's rows with
   * its own, the same, instead of colliding on their keys.
   */
  saveDay(officeId: string, day: string, { facts, counts, groups }: DayRollup, closedAt: number): Promise<void> {
    return atomically(this.db, async (sql) => {
      await lockKeys(sql, LOCK.statsDay, [`${officeId}|${day}`]);
      await sql.query('DELETE FROM stats_tickets WHERE office_id = $1 AND day = $2', [officeId, day]);
      await sql.query('DELETE FROM stats_counts WHERE office_id = $1 AND day = $2', [officeId, day]);
      await sql.query('DELETE FROM stats_groups WHERE office_id = $1 AND by_hour IN (0, 1) AND day = $2', [officeId, day]);
      await insertMany(sql, `stats_groups (office_id, by_hour, ${GROUP_COLUMNS})`, groups.map((g) => [officeId, ...groupParams(g, day)]));
      await insertMany(sql, `stats_tickets (office_id, ${FACT_COLUMNS})`, facts.map((f) => [officeId, ...factParams(f, day)]));
      await insertMany(sql, 'stats_counts (office_id, day, metric, key, value)', summedCounts(counts).map((c) => [officeId, day, c.metric, c.key, c.value]));
      await sql.query('INSERT INTO stats_days (office_id, day, closed_at) VALUES ($1, $2, $3) ON CONFLICT (office_id, day) DO UPDATE SET closed_at = excluded.closed_at', [
        officeId,
        day,
        closedAt,
      ]);
    }, { savepoint: true });
  }

  async groupRows(officeId: string, from: string, to: string, filter: StatsFilter, byHour: boolean): Promise<GroupRow[]> {
    const by = filterColumns(filter);
    const where = by.map(([c], i) => ` AND ${c} = $${i + 5}`).join('');
    const r = await this.sql.query<GroupDbRow>({
      text: `SELECT ${GROUP_COLUMNS} FROM stats_groups WHERE office_id = $1 AND by_hour = $2 AND day >= $3 AND day <= $4${where}
        ORDER BY day, hour, service_id COLLATE "C", counter_id COLLATE "C", clerk_id COLLATE "C", channel COLLATE "C", kiosk_id COLLATE "C"`,
      values: [officeId, byHour ? 1 : 0, from, to, ...by.map(([, v]) => v)],
      rowMode: 'array',
    });
    return r.rows.map(groupOf);
  }

  async dayCounts(officeId: string, from: string, to: string): Promise<DayCount[]> {
    return rows<DayCount>(this.sql, 'SELECT day, metric, key, value FROM stats_counts WHERE office_id = $1 AND day >= $2 AND day <= $3', [officeId, from, to]);
  }

  async visitFacts(officeId: string, from: string, to: string, after: FactKey | null, limit: number, visit: (f: Readonly<TicketFact>) => void): Promise<FactKey | null> {
    const r = await this.sql.query<FactRow>(
      after === null
        ? { text: FIRST_PAGE, values: [officeId, from, to, limit], rowMode: 'array' }
        : { text: NEXT_PAGE, values: [officeId, after.day, to, after.ticketId, limit], rowMode: 'array' },
    );
    const f = blankFact(officeId);
    for (const row of r.rows) visit(fill(f, row));
    return r.rows.length < limit ? null : { day: f.day, ticketId: f.ticketId };
  }
}

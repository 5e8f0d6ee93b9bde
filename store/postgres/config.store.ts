import type pg from 'pg';
import type { BookingAtTime } from '../../core/config/affected-bookings.ts';
import { policyOf, weekToIntervals } from '../../core/config/engine.ts';
import type { AuditEntryData, OfficeConfigData } from '../../core/config/model.ts';
import type { ConfigCommit, ConfigCommitted, ConfigStore } from '../../core/config/ports.ts';
import type { LiveUse } from '../../core/config/validate.ts';
import type { OfficeConfig } from '../config.store.ts';
import { configOf, entryOf, json, officeColumns, type ConfigOfficeRow, type ConfigServiceRow, type Row } from '../office-config.rows.ts';
import { officeProfileColumn, officeToRow, type OfficeRow } from '../rows.ts';
import { row, rows, type Sql } from './booking/sql.ts';
import { atomically, consistently, sqlOf, type PgDb } from './db.ts';
import { appendEvent } from './event-log.ts';
import { COUNTER_ORDER } from './queue.store.ts';
import { savePgServiceRules } from './rules.store.ts';
import { inTransaction } from './transaction.ts';

/**
 * The PostgreSQL dialect's configuration: the bulk path of ../config.store.ts (`saveOfficeConfig`:
 * the demo office, fixtures, imports), the same upserts row for row, and the office configuration
 * port of the back office (`PgConfigStore`, the twin of ../office-config.store.ts).
 */

/** Writes an office's configuration with the caller's client, inside the caller's transaction. */
export async function writeOfficeConfig(client: Sql, config: OfficeConfig): Promise<void> {
  const o = officeToRow(config.office);
  await client.query(
    `INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings, profile) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, languages = excluded.languages,
       hours = excluded.hours, closed_days = excluded.closed_days, settings = excluded.settings, profile = excluded.profile`,
    [o.id, o.name, o.time_zone, o.languages, o.hours, o.closed_days, o.settings, officeProfileColumn(config.office)],
  );
  for (const d of config.departments) {
    await client.query(
      `INSERT INTO departments (id, office_id, names, position) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET names = excluded.names, position = excluded.position`,
      [d.id, d.officeId, JSON.stringify(d.names), d.position],
    );
  }
  for (const s of config.services) {
    await client.query(
      `INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET department_id = excluded.department_id,
         prefix = excluded.prefix, names = excluded.names, daily_walk_in_capacity = excluded.daily_walk_in_capacity,
         position = excluded.position`,
      [s.id, s.officeId, s.departmentId, s.prefix, JSON.stringify(s.names), s.dailyWalkInCapacity, s.position],
    );
  }
  for (const c of config.counters) {
    await client.query(
      `INSERT INTO counters (id, office_id, number, service_ids, status) VALUES ($1, $2, $3, $4, 'closed')
       ON CONFLICT (id) DO UPDATE SET number = excluded.number, service_ids = excluded.service_ids`,
      [c.id, c.officeId, c.number, JSON.stringify(c.serviceIds)],
    );
  }
}

/** Writes an office's configuration in one transaction of its own. */
export function saveOfficeConfig(pool: pg.Pool, config: OfficeConfig): Promise<void> {
  return inTransaction(pool, (client) => writeOfficeConfig(client, config));
}

const LIVE = `'printing','waiting','called','serving','parked'`;
const AUDIT = 'SELECT c.*, u.username FROM config_changes c LEFT JOIN users u ON u.id = c.user_id WHERE c.office_id = $1';
type Section = ConfigCommit['sections'][number];
/** Ids are unique per install across departments, services and counters. */
const ANOTHER_OFFICES = `SELECT id FROM (SELECT id, office_id FROM departments UNION ALL SELECT id, office_id FROM services UNION ALL SELECT id, office_id FROM counters) AS x
  WHERE id = ANY($1::text[]) AND office_id <> $2`;

/**
 * The office configuration port on PostgreSQL. A commit is one transaction (the caller's, or one
 * of its own): the version row locked FOR UPDATE, so commits of every host take turns and the
 * second sees the first's version (and is `stale`); the rows of the services and counters it
 * removes locked FOR UPDATE before the live check, so no host issues a ticket to them or calls one
 * at them until it commits (a ticket's foreign key waits on that lock); then the changed sections,
 * the audit row and the `config:changed` event. The triggers of migration 5 move the version.
 */
export class PgConfigStore implements ConfigStore {
  constructor(private readonly db: PgDb) {}

  load(officeId: string): Promise<{ config: OfficeConfigData; version: number } | null> {
    const read = async (sql: Sql) => {
      const r = await row<ConfigOfficeRow>(sql, 'SELECT * FROM offices WHERE id = $1', [officeId]);
      if (r === null) return null;
      const departments = await rows<Row>(sql, 'SELECT * FROM departments WHERE office_id = $1 AND removed_at IS NULL ORDER BY position, id COLLATE "C"', [officeId]);
      const services = await rows<ConfigServiceRow>(
        sql,
        `SELECT s.*, p.policy, r.rules, f.fee FROM services s LEFT JOIN booking_policies p ON p.service_id = s.id
           LEFT JOIN service_rules r ON r.service_id = s.id LEFT JOIN service_fees f ON f.service_id = s.id
         WHERE s.office_id = $1 AND s.removed_at IS NULL ORDER BY s.position, s.id COLLATE "C"`,
        [officeId],
      );
      const counters = await rows<Row>(sql, `SELECT * FROM counters WHERE office_id = $1 AND removed_at IS NULL ORDER BY position NULLS LAST, ${COUNTER_ORDER}`, [officeId]);
      const version = (await row<{ version: number }>(sql, 'SELECT version FROM config_version WHERE id = 1', []))!.version;
      return { config: configOf(r, departments, services, counters), version };
    };
    // One snapshot for the office and its version.
    return consistently(this.db, read);
  }

  liveUse(officeId: string): Promise<LiveUse> {
    return liveNow(sqlOf(this.db), officeId);
  }

  async activeBookings(officeId: string, fromDay: string): Promise<BookingAtTime[]> {
    return rows<BookingAtTime>(
      sqlOf(this.db),
      `SELECT b.id, b.number, b.service_id AS "serviceId", b.day, s.start_min AS "startMin", b.start_at AS "startAt", b.state
       FROM bookings b JOIN slots s ON s.id = b.slot_id
       WHERE b.office_id = $1 AND b.day >= $2 AND b.state IN ('held', 'confirmed') ORDER BY b.start_at, b.id COLLATE "C"`,
      [officeId, fromDay],
    );
  }

  commit(c: ConfigCommit): Promise<ConfigCommitted> {
    return atomically(this.db, async (sql): Promise<ConfigCommitted> => {
      const version = (await row<{ version: number }>(sql, 'SELECT version FROM config_version WHERE id = 1 FOR UPDATE', []))!.version;
      if (version !== c.version) return { kind: 'stale' };
      await sql.query('SELECT 1 FROM services WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [c.removedServiceIds]);
      await sql.query('SELECT 1 FROM counters WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE', [c.removedCounterIds]);
      const live = await liveNow(sql, c.officeId);
      const busy = c.removedServiceIds.some((id) => (live.ticketsByService[id] ?? 0) > 0) || c.removedCounterIds.some((id) => live.busyCounterIds.includes(id));
      if (busy) return { kind: 'busy', live };
      for (const section of ['departments', 'services', 'counters'] as const) {
        if (!c.sections.includes(section)) continue;
        const ids = c.next[section].map((x) => x.id);
        const found = new Set((await rows<{ id: string }>(sql, ANOTHER_OFFICES, [ids, c.officeId])).map((r) => r.id));
        const taken = ids.find((id) => found.has(id));
        if (taken !== undefined) return { kind: 'id-taken', section, id: taken };
      }
      await writeSections(sql, c);
      const changeId = (await row<{ id: number }>(
        sql,
        `INSERT INTO config_changes (office_id, at, user_id, via, undo_of, sections, changes, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [c.officeId, c.at, c.userId, c.via, c.undoOf, json(c.sections), json(c.changes), json(c.before), json(c.after)],
      ))!.id;
      const payload = { changeId, sections: c.sections };
      const id = await appendEvent(sql, new Set(), { type: 'config:changed', officeId: c.officeId, payload }, c.at);
      return { kind: 'committed', changeId, event: { type: 'config:changed', officeId: c.officeId, payload, id, at: c.at } };
    });
  }

  async audit(officeId: string, limit: number, before?: number): Promise<AuditEntryData[]> {
    return (await rows<Row>(sqlOf(this.db), `${AUDIT} AND c.id < $2 ORDER BY c.id DESC LIMIT $3`, [officeId, before ?? Number.MAX_SAFE_INTEGER, limit])).map(entryOf);
  }

  async auditEntry(officeId: string, id: number): Promise<AuditEntryData | null> {
    const r = await row<Row>(sqlOf(this.db), `${AUDIT} AND c.id = $2`, [officeId, id]);
    return r === null ? null : entryOf(r);
  }
}

async function liveNow(sql: Sql, officeId: string): Promise<LiveUse> {
  const ticketsByService: Record<string, number> = {};
  const counts = await rows<{ id: string; n: number }>(sql, `SELECT service_id AS id, count(*) AS n FROM tickets WHERE office_id = $1 AND state IN (${LIVE}) GROUP BY service_id`, [officeId]);
  for (const r of counts) ticketsByService[r.id] = r.n;
  const busy = await rows<{ id: string }>(
    sql,
    `SELECT DISTINCT counter_id AS id FROM tickets WHERE office_id = $1 AND state IN ('called', 'serving') AND counter_id IS NOT NULL`,
    [officeId],
  );
  return { ticketsByService, busyCounterIds: busy.map((r) => r.id) };
}

/** The sections of the change, as ../office-config.store.ts writes them; `$n` arrays where SQLite reads json_each. */
async function writeSections(sql: Sql, c: ConfigCommit): Promise<void> {
  const n = c.next;
  const o = c.officeId;
  const has = (s: Section): boolean => c.sections.includes(s);
  if (has('office') || has('fairness')) {
    const columns = officeColumns(n, (await row<OfficeRow>(sql, 'SELECT * FROM offices WHERE id = $1', [o]))!);
    await sql.query('UPDATE offices SET name = $1, time_zone = $2, languages = $3, settings = $4, profile = $5 WHERE id = $6', [
      columns.name,
      n.office.timeZone,
      json(n.office.languages),
      columns.settings,
      columns.profile,
      o,
    ]);
  }
  if (has('hours')) await sql.query('UPDATE offices SET hours = $1 WHERE id = $2', [json(weekToIntervals(n.hours)), o]);
  if (has('calendar')) await sql.query('UPDATE offices SET closed_days = $1, calendar = $2 WHERE id = $3', [json(n.calendar.closedDays.map((d) => d.date)), json(n.calendar), o]);
  if (has('logos')) await sql.query('UPDATE offices SET logos = $1 WHERE id = $2', [json(n.logos), o]);
  if (has('alerts')) await sql.query('UPDATE offices SET alerts = $1 WHERE id = $2', [json(n.alerts), o]);
  const removeOthers = (table: string, ids: string[], extra = ''): Promise<unknown> =>
    sql.query(`UPDATE ${table} SET removed_at = $1${extra} WHERE office_id = $2 AND removed_at IS NULL AND NOT (id = ANY($3::text[]))`, [c.at, o, ids]);
  if (has('departments')) {
    for (const [i, d] of n.departments.entries()) {
      await sql.query(
        `INSERT INTO departments (id, office_id, names, position) VALUES ($1, $2, $3, $4)
         ON CONFLICT (id) DO UPDATE SET names = excluded.names, position = excluded.position, removed_at = NULL`,
        [d.id, o, json(d.names), i],
      );
    }
    await removeOthers('departments', n.departments.map((d) => d.id));
  }
  if (has('services')) {
    for (const [i, s] of n.services.entries()) {
      await sql.query(
        `INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position, hours) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (id) DO UPDATE SET department_id = excluded.department_id, prefix = excluded.prefix, names = excluded.names,
           daily_walk_in_capacity = excluded.daily_walk_in_capacity, position = excluded.position, hours = excluded.hours, removed_at = NULL`,
        [s.id, o, s.departmentId, s.prefix, json(s.names), s.dailyWalkInCapacity, i, s.hours === null ? null : json(weekToIntervals(s.hours))],
      );
      if (s.online === null) await sql.query('DELETE FROM booking_policies WHERE service_id = $1', [s.id]);
      else {
        await sql.query('INSERT INTO booking_policies (service_id, policy) VALUES ($1, $2) ON CONFLICT (service_id) DO UPDATE SET policy = excluded.policy', [
          s.id,
          json(policyOf(s.id, s.online)),
        ]);
      }
      // The fee is a field of the online settings, kept beside the policy (the booking's policy knows no fees).
      if (s.online?.fee == null) await sql.query('DELETE FROM service_fees WHERE service_id = $1', [s.id]);
      else await sql.query('INSERT INTO service_fees (service_id, fee) VALUES ($1, $2) ON CONFLICT (service_id) DO UPDATE SET fee = excluded.fee', [s.id, json(s.online.fee)]);
      await savePgServiceRules(sql, { serviceId: s.id, ...s.rules });
    }
    // A removed service is no longer booked online; its bookings are the office-change flow's.
    await sql.query('DELETE FROM booking_policies WHERE service_id = ANY($1::text[])', [c.removedServiceIds]);
    await sql.query('DELETE FROM service_fees WHERE service_id = ANY($1::text[])', [c.removedServiceIds]);
    await removeOthers('services', n.services.map((s) => s.id));
  }
  if (has('counters')) {
    const ids = n.counters.map((x) => x.id);
    // Numbers may be swapped in one change: free them all first (UNIQUE (office_id, number)).
    await sql.query(`UPDATE counters SET number = '~' || id WHERE office_id = $1 AND id = ANY($2::text[])`, [o, ids]);
    await removeOthers('counters', ids, `, number = '~' || id, status = 'closed', user_id = NULL`);
    for (const [i, x] of n.counters.entries()) {
      await sql.query(
        `INSERT INTO counters (id, office_id, number, service_ids, status, name, department_id, position) VALUES ($1, $2, $3, $4, 'closed', $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET number = excluded.number, service_ids = excluded.service_ids, name = excluded.name,
           department_id = excluded.department_id, position = excluded.position, removed_at = NULL`,
        [x.id, o, x.number, json(x.serviceIds), x.name === null ? null : json(x.name), x.departmentId, i],
      );
    }
  }
}

import type { OfficeConfig } from '../../config.store.ts';
import { officeToRow } from '../../rows.ts';
import type { Sql } from './sql.ts';

/**
 * An office's configuration (office, departments, services, counters) written to PostgreSQL, as
 * store/config.store.ts `saveOfficeConfig` writes it to SQLite: what the booking store's tests
 * stand on. Interim: the PostgreSQL config store (store/postgres/config.store.ts) takes its place
 * once it lands. Run inside the caller's transaction.
 */
export async function savePgOfficeConfig(sql: Sql, config: OfficeConfig): Promise<void> {
  const o = officeToRow(config.office);
  await sql.query(
    `INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, languages = excluded.languages,
      hours = excluded.hours, closed_days = excluded.closed_days, settings = excluded.settings`,
    [o.id, o.name, o.time_zone, o.languages, o.hours, o.closed_days, o.settings],
  );
  for (const d of config.departments) {
    await sql.query(`INSERT INTO departments (id, office_id, names, position) VALUES ($1, $2, $3, $4)
      ON CONFLICT (id) DO UPDATE SET names = excluded.names, position = excluded.position`, [d.id, d.officeId, JSON.stringify(d.names), d.position]);
  }
  for (const s of config.services) {
    await sql.query(
      `INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position) VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (id) DO UPDATE SET department_id = excluded.department_id, prefix = excluded.prefix, names = excluded.names,
        daily_walk_in_capacity = excluded.daily_walk_in_capacity, position = excluded.position`,
      [s.id, s.officeId, s.departmentId, s.prefix, JSON.stringify(s.names), s.dailyWalkInCapacity, s.position],
    );
  }
  for (const c of config.counters) {
    await sql.query(`INSERT INTO counters (id, office_id, number, service_ids, status) VALUES ($1, $2, $3, $4, 'closed')
      ON CONFLICT (id) DO UPDATE SET number = excluded.number, service_ids = excluded.service_ids`, [c.id, c.officeId, c.number, JSON.stringify(c.serviceIds)]);
  }
}

/** Pending reminders queued for a booking (what the contract suites look at in the outbox). */
export async function pendingReminders(sql: Sql, bookingId: string): Promise<number> {
  const r = await sql.query<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE booking_id = $1 AND kind = 'reminder' AND state = 'pending'`, [bookingId]);
  return r.rows[0]?.n ?? 0;
}

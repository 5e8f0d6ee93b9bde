import type pg from 'pg';
import type { OfficeConfig } from '../config.store.ts';
import { officeToRow } from '../rows.ts';
import type { Sql } from './booking/sql.ts';
import { inTransaction } from './transaction.ts';

/**
 * The PostgreSQL dialect's configuration writes. So far the bulk path of ../config.store.ts
 * (`saveOfficeConfig`: the demo office, fixtures, imports), the same upserts row for row; the
 * back office's finer writes join here as the adapters of their ports are written.
 */

/** Writes an office's configuration with the caller's client, inside the caller's transaction. */
export async function writeOfficeConfig(client: Sql, config: OfficeConfig): Promise<void> {
  const o = officeToRow(config.office);
  await client.query(
    `INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ($1, $2, $3, $4, $5, $6, $7)
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, languages = excluded.languages,
       hours = excluded.hours, closed_days = excluded.closed_days, settings = excluded.settings`,
    [o.id, o.name, o.time_zone, o.languages, o.hours, o.closed_days, o.settings],
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

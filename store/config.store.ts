import type { Database } from 'better-sqlite3';
import type { Counter, Department, Office, Service } from '../core/shared/model.ts';
import { officeProfileColumn, officeToRow } from './rows.ts';

export interface OfficeConfig {
  office: Office;
  departments: readonly Department[];
  services: readonly Service[];
  counters: readonly Omit<Counter, 'status' | 'userId' | 'sessionServiceIds'>[];
}

/**
 * Writes an office's configuration in one transaction (the demo office, fixtures, imports).
 * The back-office editor will add finer-grained updates; this is the bulk path.
 */
export function saveOfficeConfig(db: Database, config: OfficeConfig): void {
  db.transaction(() => {
    db.prepare(`INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings, profile)
      VALUES (@id, @name, @time_zone, @languages, @hours, @closed_days, @settings, @profile)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone, languages = excluded.languages,
        hours = excluded.hours, closed_days = excluded.closed_days, settings = excluded.settings, profile = excluded.profile`).run({
      ...officeToRow(config.office),
      profile: officeProfileColumn(config.office),
    });
    const dep = db.prepare(`INSERT INTO departments (id, office_id, names, position) VALUES (?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET names = excluded.names, position = excluded.position`);
    for (const d of config.departments) dep.run(d.id, d.officeId, JSON.stringify(d.names), d.position);
    const svc = db.prepare(`INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position)
      VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET department_id = excluded.department_id, prefix = excluded.prefix,
        names = excluded.names, daily_walk_in_capacity = excluded.daily_walk_in_capacity, position = excluded.position`);
    for (const s of config.services) {
      svc.run(s.id, s.officeId, s.departmentId, s.prefix, JSON.stringify(s.names), s.dailyWalkInCapacity, s.position);
    }
    const ctr = db.prepare(`INSERT INTO counters (id, office_id, number, service_ids, status) VALUES (?, ?, ?, ?, 'closed')
      ON CONFLICT (id) DO UPDATE SET number = excluded.number, service_ids = excluded.service_ids`);
    for (const c of config.counters) ctr.run(c.id, c.officeId, c.number, JSON.stringify(c.serviceIds));
  }).immediate();
}

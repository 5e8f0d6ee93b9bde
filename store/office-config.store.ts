import type { Database, Statement } from 'better-sqlite3';
import type { BookingAtTime } from '../core/config/affected-bookings.ts';
import { policyOf, weekToIntervals } from '../core/config/engine.ts';
import type { OfficeConfigData } from '../core/config/model.ts';
import type { ConfigCommit, ConfigCommitted, ConfigStore } from '../core/config/ports.ts';
import type { LiveUse } from '../core/config/validate.ts';
import type { LoggedEvent } from '../core/shared/events.ts';
import { configOf, entryOf, json, officeColumns, type ConfigOfficeRow, type ConfigServiceRow, type Row } from './office-config.rows.ts';
import type { OfficeRow } from './rows.ts';
import { saveServiceRules } from './rules.store.ts';
import { storeWrite } from './write-gate.ts';

/**
 * The office configuration port on SQLite. Built from the Database alone (it can live in the
 * store's worker). A commit is one IMMEDIATE transaction: version check, live check, the changed
 * sections, the audit row and the `config:changed` event; the triggers of migration 5 move
 * `config_version`, so the queue store's parsed configuration is dropped at its next unit.
 * Removed departments, services and counters keep their rows (tickets, bookings and statistics
 * name them) with `removed_at`; a removed counter gives up its number.
 */

const LIVE = `'printing','waiting','called','serving','parked'`;

export class SqliteConfigStore implements ConfigStore {
  private readonly s: Record<string, Statement>;

  constructor(private readonly db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      version: p('SELECT version FROM config_version WHERE id = 1').pluck(),
      office: p('SELECT * FROM offices WHERE id = ?'),
      departments: p('SELECT * FROM departments WHERE office_id = ? AND removed_at IS NULL ORDER BY position, id'),
      services: p('SELECT * FROM services WHERE office_id = ? AND removed_at IS NULL ORDER BY position, id'),
      counters: p('SELECT * FROM counters WHERE office_id = ? AND removed_at IS NULL ORDER BY position NULLS LAST, CAST(number AS INTEGER), number'),
      policy: p('SELECT policy FROM booking_policies WHERE service_id = ?').pluck(),
      rules: p('SELECT rules FROM service_rules WHERE service_id = ?').pluck(),
      fee: p('SELECT fee FROM service_fees WHERE service_id = ?').pluck(),
      liveByService: p(`SELECT service_id AS id, count(*) AS n FROM tickets WHERE office_id = ? AND state IN (${LIVE}) GROUP BY service_id`),
      busyCounters: p(`SELECT DISTINCT counter_id FROM tickets WHERE office_id = ? AND state IN ('called', 'serving') AND counter_id IS NOT NULL`).pluck(),
      bookings: p(`SELECT b.id, b.number, b.service_id, b.day, s.start_min, b.start_at, b.state FROM bookings b JOIN slots s ON s.id = b.slot_id
        WHERE b.office_id = ? AND b.day >= ? AND b.state IN ('held', 'confirmed') ORDER BY b.start_at`),
      otherOffice: p('SELECT 1 FROM (SELECT id, office_id FROM departments UNION ALL SELECT id, office_id FROM services UNION ALL SELECT id, office_id FROM counters) WHERE id = ? AND office_id <> ?').pluck(),
      audit: p(`SELECT c.*, u.username FROM config_changes c LEFT JOIN users u ON u.id = c.user_id
        WHERE c.office_id = ? AND c.id < ? ORDER BY c.id DESC LIMIT ?`),
      auditEntry: p('SELECT c.*, u.username FROM config_changes c LEFT JOIN users u ON u.id = c.user_id WHERE c.office_id = ? AND c.id = ?'),
      insertAudit: p(`INSERT INTO config_changes (office_id, at, user_id, via, undo_of, sections, changes, before, after)
        VALUES (@officeId, @at, @userId, @via, @undoOf, @sections, @changes, @before, @after)`),
      appendEvent: p('INSERT INTO events (office_id, type, payload, at) VALUES (?, ?, ?, ?)'),
    };
  }

  async load(officeId: string) {
    return this.loadNow(officeId);
  }

  private loadNow(officeId: string): { config: OfficeConfigData; version: number } | null {
    const r = this.s['office']!.get(officeId) as ConfigOfficeRow | undefined;
    if (r === undefined) return null;
    const services = (this.s['services']!.all(officeId) as Row[]).map((s): ConfigServiceRow => {
      const id = s['id'] as string;
      return { ...s, policy: this.s['policy']!.get(id) as string | undefined, rules: this.s['rules']!.get(id) as string | undefined, fee: this.s['fee']!.get(id) as string | undefined };
    });
    const config = configOf(r, this.s['departments']!.all(officeId) as Row[], services, this.s['counters']!.all(officeId) as Row[]);
    return { config, version: this.s['version']!.get() as number };
  }

  async liveUse(officeId: string) {
    return this.liveNow(officeId);
  }

  private liveNow(officeId: string): LiveUse {
    const ticketsByService: Record<string, number> = {};
    for (const r of this.s['liveByService']!.all(officeId) as { id: string; n: number }[]) ticketsByService[r.id] = r.n;
    return { ticketsByService, busyCounterIds: this.s['busyCounters']!.all(officeId) as string[] };
  }

  async activeBookings(officeId: string, fromDay: string): Promise<BookingAtTime[]> {
    return (this.s['bookings']!.all(officeId, fromDay) as Row[]).map((b) => ({
      id: b['id'] as string,
      number: b['number'] as string,
      serviceId: b['service_id'] as string,
      day: b['day'] as string,
      startMin: b['start_min'] as number,
      startAt: b['start_at'] as number,
      state: b['state'] as 'held' | 'confirmed',
    }));
  }

  async commit(c: ConfigCommit): Promise<ConfigCommitted> {
    // One unit of the group commit (its savepoint nests inside the group's transaction).
    return storeWrite(this.db, (): ConfigCommitted => {
      if ((this.s['version']!.get() as number) !== c.version) return { kind: 'stale' };
      const live = this.liveNow(c.officeId);
      const busy = c.removedServiceIds.some((id) => (live.ticketsByService[id] ?? 0) > 0) || c.removedCounterIds.some((id) => live.busyCounterIds.includes(id));
      if (busy) return { kind: 'busy', live };
      for (const section of ['departments', 'services', 'counters'] as const) {
        if (!c.sections.includes(section)) continue;
        const taken = c.next[section].find((x) => this.s['otherOffice']!.get(x.id, c.officeId) !== undefined);
        if (taken !== undefined) return { kind: 'id-taken', section, id: taken.id };
      }
      this.write(c);
      const changeId = Number(
        this.s['insertAudit']!.run({
          officeId: c.officeId,
          at: c.at,
          userId: c.userId,
          via: c.via,
          undoOf: c.undoOf,
          sections: json(c.sections),
          changes: json(c.changes),
          before: json(c.before),
          after: json(c.after),
        }).lastInsertRowid,
      );
      const payload = { changeId, sections: c.sections };
      const id = Number(this.s['appendEvent']!.run(c.officeId, 'config:changed', json(payload), c.at).lastInsertRowid);
      const event: LoggedEvent = { type: 'config:changed', officeId: c.officeId, payload, id, at: c.at };
      return { kind: 'committed', changeId, event };
    });
  }

  private write(c: ConfigCommit): void {
    const { db } = this;
    const n = c.next;
    const o = c.officeId;
    const has = (s: string): boolean => c.sections.includes(s as never);
    if (has('office') || has('fairness')) {
      const columns = officeColumns(n, this.s['office']!.get(o) as OfficeRow);
      db.prepare('UPDATE offices SET name = ?, time_zone = ?, languages = ?, settings = ?, profile = ? WHERE id = ?').run(
        columns.name,
        n.office.timeZone,
        json(n.office.languages),
        columns.settings,
        columns.profile,
        o,
      );
    }
    if (has('hours')) db.prepare('UPDATE offices SET hours = ? WHERE id = ?').run(json(weekToIntervals(n.hours)), o);
    if (has('calendar')) db.prepare('UPDATE offices SET closed_days = ?, calendar = ? WHERE id = ?').run(json(n.calendar.closedDays.map((d) => d.date)), json(n.calendar), o);
    if (has('logos')) db.prepare('UPDATE offices SET logos = ? WHERE id = ?').run(json(n.logos), o);
    if (has('alerts')) db.prepare('UPDATE offices SET alerts = ? WHERE id = ?').run(json(n.alerts), o);
    const removeOthers = (table: string, ids: string[], extra = ''): void => {
      db.prepare(`UPDATE ${table} SET removed_at = ?${extra} WHERE office_id = ? AND removed_at IS NULL AND id NOT IN (SELECT value FROM json_each(?))`).run(c.at, o, json(ids));
    };
    if (has('departments')) {
      const up = db.prepare(`INSERT INTO departments (id, office_id, names, position) VALUES (?, ?, ?, ?)
        ON CONFLICT (id) DO UPDATE SET names = excluded.names, position = excluded.position, removed_at = NULL`);
      n.departments.forEach((d, i) => up.run(d.id, o, json(d.names), i));
      removeOthers('departments', n.departments.map((d) => d.id));
    }
    if (has('services')) {
      const up = db.prepare(`INSERT INTO services (id, office_id, department_id, prefix, names, daily_walk_in_capacity, position, hours)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET department_id = excluded.department_id, prefix = excluded.prefix,
        names = excluded.names, daily_walk_in_capacity = excluded.daily_walk_in_capacity, position = excluded.position, hours = excluded.hours, removed_at = NULL`);
      const putPolicy = db.prepare('INSERT INTO booking_policies (service_id, policy) VALUES (?, ?) ON CONFLICT (service_id) DO UPDATE SET policy = excluded.policy');
      const dropPolicy = db.prepare('DELETE FROM booking_policies WHERE service_id = ?');
      // The fee is a field of the online settings, kept beside the policy (the booking's policy knows no fees).
      const putFee = db.prepare('INSERT INTO service_fees (service_id, fee) VALUES (?, ?) ON CONFLICT (service_id) DO UPDATE SET fee = excluded.fee');
      const dropFee = db.prepare('DELETE FROM service_fees WHERE service_id = ?');
      n.services.forEach((s, i) => {
        up.run(s.id, o, s.departmentId, s.prefix, json(s.names), s.dailyWalkInCapacity, i, s.hours === null ? null : json(weekToIntervals(s.hours)));
        if (s.online === null) dropPolicy.run(s.id);
        else putPolicy.run(s.id, json(policyOf(s.id, s.online)));
        if (s.online?.fee == null) dropFee.run(s.id);
        else putFee.run(s.id, json(s.online.fee));
        saveServiceRules(db, { serviceId: s.id, ...s.rules });
      });
      // A removed service is no longer booked online; its bookings are the office-change flow's.
      for (const id of c.removedServiceIds) {
        dropPolicy.run(id);
        dropFee.run(id);
      }
      removeOthers('services', n.services.map((s) => s.id));
    }
    if (has('counters')) {
      const ids = n.counters.map((x) => x.id);
      // Numbers may be swapped in one change: free them all first (UNIQUE (office_id, number)).
      db.prepare(`UPDATE counters SET number = '~' || id WHERE office_id = ? AND id IN (SELECT value FROM json_each(?))`).run(o, json(ids));
      removeOthers('counters', ids, `, number = '~' || id, status = 'closed', user_id = NULL`);
      const up = db.prepare(`INSERT INTO counters (id, office_id, number, service_ids, status, name, department_id, position)
        VALUES (?, ?, ?, ?, 'closed', ?, ?, ?) ON CONFLICT (id) DO UPDATE SET number = excluded.number, service_ids = excluded.service_ids,
        name = excluded.name, department_id = excluded.department_id, position = excluded.position, removed_at = NULL`);
      n.counters.forEach((x, i) => up.run(x.id, o, x.number, json(x.serviceIds), x.name === null ? null : json(x.name), x.departmentId, i));
    }
  }

  async audit(officeId: string, limit: number, before?: number) {
    return (this.s['audit']!.all(officeId, before ?? Number.MAX_SAFE_INTEGER, limit) as Row[]).map(entryOf);
  }

  async auditEntry(officeId: string, id: number) {
    const r = this.s['auditEntry']!.get(officeId, id) as Row | undefined;
    return r === undefined ? null : entryOf(r);
  }
}

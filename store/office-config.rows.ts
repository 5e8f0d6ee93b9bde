import { alertSettingsOf } from '../core/alerts/alerts.ts';
import type { BookingPolicy } from '../core/booking/model.ts';
import { intervalsToWeek, onlineOf } from '../core/config/engine.ts';
import type { AuditEntryData, CalendarData, FeeData, OfficeConfigData, OfficeProfileData, OnlineBookingData, ServiceRulesData } from '../core/config/model.ts';
import type { Localized, OfficeSettings, WeeklyHours } from '../core/shared/model.ts';
import type { OfficeRow } from './rows.ts';

/**
 * Rows ↔ the office configuration, for both dialects' configuration stores (the columns are the
 * same on SQLite and PostgreSQL; JSON is kept as text on both).
 */

export type Row = Record<string, unknown>;
export type ConfigOfficeRow = OfficeRow & { profile: string; logos: string; alerts: string };
/** A service's row with its policy, rules and fee (null or absent when it has none). */
export type ConfigServiceRow = Row & { policy?: string | null | undefined; rules?: string | null | undefined; fee?: string | null | undefined };

export const json = (v: unknown): string => JSON.stringify(v);

export function configOf(r: ConfigOfficeRow, departments: readonly Row[], services: readonly ConfigServiceRow[], counters: readonly Row[]): OfficeConfigData {
  const languages = JSON.parse(r.languages) as OfficeProfileData['languages'];
  const settings = JSON.parse(r.settings) as OfficeSettings;
  const profile = JSON.parse(r.profile) as Partial<Pick<OfficeProfileData, 'names' | 'address' | 'contact'>>;
  const closed = JSON.parse(r.closed_days) as string[];
  return {
    id: r.id,
    office: {
      names: profile.names ?? { [languages[0]!]: r.name },
      timeZone: r.time_zone,
      languages,
      voiceLanguages: settings.voiceLanguages ?? [languages[0]!],
      address: profile.address ?? null,
      contact: profile.contact ?? null,
    },
    logos: JSON.parse(r.logos) as OfficeConfigData['logos'],
    hours: intervalsToWeek(JSON.parse(r.hours) as WeeklyHours),
    calendar: r.calendar == null ? { closedDays: closed.map((date) => ({ date })), changedDays: [] } : (JSON.parse(r.calendar) as CalendarData),
    fairness: {
      maxWaitMin: settings.maxWaitMin,
      maxRecalls: settings.maxRecalls,
      defaultServiceMin: settings.defaultServiceMin,
      priorityCategories: settings.priorityCategories,
      ...(settings.ratings === undefined ? {} : { ratings: settings.ratings }),
      ...(settings.ratingMessage === undefined ? {} : { ratingMessage: settings.ratingMessage }),
    },
    alerts: alertSettingsOf(JSON.parse(r.alerts)),
    departments: departments.map((d) => ({ id: d['id'] as string, names: JSON.parse(d['names'] as string) as Localized })),
    services: services.map((s) => ({
      id: s['id'] as string,
      departmentId: s['department_id'] as string,
      prefix: s['prefix'] as string,
      names: JSON.parse(s['names'] as string) as Localized,
      dailyWalkInCapacity: s['daily_walk_in_capacity'] as number,
      hours: s['hours'] == null ? null : intervalsToWeek(JSON.parse(s['hours'] as string) as WeeklyHours),
      online: s.policy == null ? null : withFee(onlineOf(JSON.parse(s.policy) as BookingPolicy), s.fee ?? undefined),
      rules: s.rules == null ? { roster: false, outcomes: [], eligibility: [] } : (JSON.parse(s.rules) as ServiceRulesData),
    })),
    counters: counters.map((c) => ({
      id: c['id'] as string,
      number: c['number'] as string,
      name: c['name'] == null ? null : (JSON.parse(c['name'] as string) as Localized),
      departmentId: (c['department_id'] as string | null) ?? null,
      serviceIds: JSON.parse(c['service_ids'] as string) as string[],
    })),
  };
}

/** A service's stored fee on its online settings: no row, no `fee` key (an office file without fees reads back as written). */
const withFee = (online: OnlineBookingData, fee: string | undefined): OnlineBookingData => (fee === undefined ? online : { ...online, fee: JSON.parse(fee) as FeeData });

/** The office row's columns of the `office` and `fairness` sections: its name, settings and profile. */
export function officeColumns(next: OfficeConfigData, row: OfficeRow): { name: string; settings: string; profile: string } {
  const n = next.office;
  const settings: OfficeSettings = { ...(JSON.parse(row.settings) as OfficeSettings), ...next.fairness, voiceLanguages: n.voiceLanguages };
  return {
    name: n.names[n.languages[0]!] ?? Object.values(n.names)[0] ?? row.name,
    settings: json(settings),
    profile: json({ names: n.names, address: n.address, contact: n.contact }),
  };
}

export const entryOf = (r: Row): AuditEntryData => ({
  id: r['id'] as number,
  officeId: r['office_id'] as string,
  at: r['at'] as number,
  userId: (r['user_id'] as string | null) ?? null,
  username: (r['username'] as string | null) ?? null,
  via: r['via'] as AuditEntryData['via'],
  undoOf: (r['undo_of'] as number | null) ?? null,
  sections: JSON.parse(r['sections'] as string) as AuditEntryData['sections'],
  changes: JSON.parse(r['changes'] as string) as AuditEntryData['changes'],
  before: JSON.parse(r['before'] as string) as AuditEntryData['before'],
  after: JSON.parse(r['after'] as string) as AuditEntryData['after'],
});

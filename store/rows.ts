import type { AddressData, ContactData, Counter, Department, Localized, Office, Service, Ticket, WeeklyHours } from '../core/shared/model.ts';
import type { CalendarData, LogosData } from '../core/config/model.ts';
import { calendarToEngine } from '../core/config/engine.ts';

/** Row ↔ domain mapping for the SQLite adapter: the only place that knows column names. */

export interface TicketRow {
  id: string;
  office_id: string;
  service_id: string;
  prefix: string;
  seq: number;
  day: string;
  number: string;
  state: Ticket['state'];
  category_id: string | null;
  priority_weight: number;
  booked_at: number | null;
  arrived_at: number;
  counter_id: string | null;
  recall_count: number;
  issued_at: number;
  waiting_at: number | null;
  called_at: number | null;
  serving_at: number | null;
  parked_at: number | null;
  done_at: number | null;
  no_show_at: number | null;
  void_at: number | null;
  language: string | null;
}

/** Ticket field → column, for the fields a transition may patch. */
export const TICKET_COLUMNS: Readonly<Record<keyof Ticket, keyof TicketRow>> = {
  id: 'id',
  officeId: 'office_id',
  serviceId: 'service_id',
  prefix: 'prefix',
  seq: 'seq',
  day: 'day',
  number: 'number',
  state: 'state',
  categoryId: 'category_id',
  priorityWeight: 'priority_weight',
  bookedAt: 'booked_at',
  arrivedAt: 'arrived_at',
  counterId: 'counter_id',
  recallCount: 'recall_count',
  issuedAt: 'issued_at',
  waitingAt: 'waiting_at',
  calledAt: 'called_at',
  servingAt: 'serving_at',
  parkedAt: 'parked_at',
  doneAt: 'done_at',
  noShowAt: 'no_show_at',
  voidAt: 'void_at',
  language: 'language',
};

export const TICKET_FIELDS = Object.keys(TICKET_COLUMNS) as (keyof Ticket)[];

export function ticketFromRow(row: TicketRow): Ticket {
  const t = {} as Record<keyof Ticket, unknown>;
  for (const f of TICKET_FIELDS) t[f] = row[TICKET_COLUMNS[f]];
  return t as Ticket;
}

/** A ticket from its field values in TICKET_FIELDS order (as the insert binds them). */
export function ticketFromValues(values: readonly unknown[]): Ticket {
  const t = {} as Record<keyof Ticket, unknown>;
  TICKET_FIELDS.forEach((f, i) => (t[f] = values[i]));
  return t as Ticket;
}


export interface OfficeRow {
  id: string;
  name: string;
  time_zone: string;
  languages: string;
  hours: string;
  closed_days: string;
  settings: string;
  /** JSON Calendar (migration 15): the changed days the engine reads; absent or NULL = none. */
  calendar?: string | null;
  /** JSON Logos (migration 15). */
  logos?: string;
  /** JSON names, address, contact (migration 15). */
  profile?: string;
}

export const officeFromRow = (r: OfficeRow): Office => ({
  id: r.id,
  name: r.name,
  timeZone: r.time_zone,
  languages: JSON.parse(r.languages) as Office['languages'],
  hours: JSON.parse(r.hours) as Office['hours'],
  closedDays: JSON.parse(r.closed_days) as Office['closedDays'],
  ...(r.calendar == null ? {} : { changedDays: calendarToEngine(JSON.parse(r.calendar) as CalendarData).changedDays }),
  settings: JSON.parse(r.settings) as Office['settings'],
  ...(r.logos === undefined ? {} : { ticketLogo: (JSON.parse(r.logos) as LogosData).ticket }),
  ...(r.profile === undefined ? {} : publicProfileOf(r.profile)),
});

/** The names, address and contact of the office's profile, those it gave. */
function publicProfileOf(profile: string): Pick<Office, 'names' | 'address' | 'contact'> {
  const p = JSON.parse(profile) as { names?: Localized; address?: AddressData | null; contact?: ContactData | null };
  return {
    ...(p.names === undefined ? {} : { names: p.names }),
    ...(p.address == null ? {} : { address: p.address }),
    ...(p.contact == null ? {} : { contact: p.contact }),
  };
}

export const officeToRow = (o: Office): OfficeRow => ({
  id: o.id,
  name: o.name,
  time_zone: o.timeZone,
  languages: JSON.stringify(o.languages),
  hours: JSON.stringify(o.hours),
  closed_days: JSON.stringify(o.closedDays),
  settings: JSON.stringify(o.settings),
});

/**
 * The office's profile column as the bulk path writes it (the demo office, fixtures): the names,
 * address and contact it gives, null for those it does not (read back as "not given").
 */
export const officeProfileColumn = (o: Office): string =>
  JSON.stringify({ ...(o.names === undefined ? {} : { names: o.names }), address: o.address ?? null, contact: o.contact ?? null });

export interface DepartmentRow {
  id: string;
  office_id: string;
  names: string;
  position: number;
}

export const departmentFromRow = (r: DepartmentRow): Department => ({
  id: r.id,
  officeId: r.office_id,
  names: JSON.parse(r.names) as Department['names'],
  position: r.position,
});

export interface ServiceRow {
  id: string;
  office_id: string;
  department_id: string;
  prefix: string;
  names: string;
  daily_walk_in_capacity: number;
  position: number;
  /** JSON WeeklyHours (migration 15); NULL = the office's. */
  hours?: string | null;
}

export const serviceFromRow = (r: ServiceRow): Service => ({
  id: r.id,
  officeId: r.office_id,
  departmentId: r.department_id,
  prefix: r.prefix,
  names: JSON.parse(r.names) as Service['names'],
  dailyWalkInCapacity: r.daily_walk_in_capacity,
  position: r.position,
  ...(r.hours == null ? {} : { hours: JSON.parse(r.hours) as WeeklyHours }),
});

export interface CounterRow {
  id: string;
  office_id: string;
  number: string;
  service_ids: string;
  status: Counter['status'];
  user_id: string | null;
  session_service_ids: string | null;
}

export const counterFromRow = (r: CounterRow): Counter => ({
  id: r.id,
  officeId: r.office_id,
  number: r.number,
  serviceIds: JSON.parse(r.service_ids) as string[],
  sessionServiceIds: r.session_service_ids === null ? null : (JSON.parse(r.session_service_ids) as string[]),
  status: r.status,
  userId: r.user_id,
});

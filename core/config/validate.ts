import type { ErrorCode } from '../shared/errors.ts';
import { parseHhMm } from '../shared/office-time.ts';
import { WEEKDAYS, type DayHoursData, type OfficeConfigData, type WeekHoursData } from './model.ts';
import { dayToIntervals } from './engine.ts';

/**
 * What the schemas cannot say about an office's configuration, checked on the whole of it after a
 * change is applied (so a section cannot break a reference another section holds). Each problem
 * names its field by its path in the configuration (`hours.mon.breaks.0`), as the forms and the
 * office file name it.
 */
export interface ConfigProblem {
  code: ErrorCode;
  field: string;
  params?: Record<string, string | number>;
}

const problem = (code: ErrorCode, field: string, params: Record<string, string | number> = {}): ConfigProblem => ({ code, field, params });

/** A day's hours: open before close, each break inside them and after the one before. */
export function checkDay(d: DayHoursData | null, field: string): ConfigProblem | null {
  if (d === null) return null;
  if (parseHhMm(d.open) >= parseHhMm(d.close)) return problem('CONFIG_HOURS_INVALID', field);
  const breaks = d.breaks.map((b, i) => ({ from: parseHhMm(b.from), to: parseHhMm(b.to), i })).sort((a, b) => a.from - b.from);
  let last = -1;
  for (const b of breaks) {
    if (b.from >= b.to || b.from <= parseHhMm(d.open) || b.to >= parseHhMm(d.close)) return problem('CONFIG_BREAK_OUTSIDE', `${field}.breaks.${b.i}`);
    if (b.from < last) return problem('CONFIG_BREAKS_OVERLAP', `${field}.breaks.${b.i}`);
    last = b.to;
  }
  return null;
}

function checkWeek(w: WeekHoursData, field: string): ConfigProblem | null {
  for (const k of WEEKDAYS) {
    const p = checkDay(w[k], `${field}.${k}`);
    if (p !== null) return p;
  }
  return null;
}

/** Every interval of `inner` lies inside one interval of `outer`. */
const inside = (inner: DayHoursData | null, outer: DayHoursData | null): boolean => {
  const o = dayToIntervals(outer).map(([a, b]) => [parseHhMm(a), parseHhMm(b)] as const);
  return dayToIntervals(inner).every(([a, b]) => o.some(([x, y]) => parseHhMm(a) >= x && parseHhMm(b) <= y));
};

function firstTwice(ids: readonly string[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < ids.length; i++) {
    if (seen.has(ids[i]!)) return i;
    seen.add(ids[i]!);
  }
  return -1;
}

/**
 * The first problem of a configuration, or null. `current` (the configuration before the change)
 * only sharpens the message: a department that is gone but still named by a service was removed
 * with its services in it.
 */
export function validateConfig(c: OfficeConfigData, current?: OfficeConfigData): ConfigProblem | null {
  const o = c.office;
  const voice = o.voiceLanguages.findIndex((l) => !o.languages.includes(l));
  if (voice >= 0) return problem('CONFIG_VOICE_LANGUAGE', `office.voiceLanguages.${voice}`);

  const hours = checkWeek(c.hours, 'hours');
  if (hours !== null) return hours;

  const dates = [...c.calendar.closedDays.map((d) => d.date), ...c.calendar.changedDays.map((d) => d.date)];
  const twice = firstTwice(dates);
  if (twice >= 0) {
    const closed = c.calendar.closedDays.length;
    const field = twice < closed ? `calendar.closedDays.${twice}.date` : `calendar.changedDays.${twice - closed}.date`;
    return problem('CONFIG_DAY_TWICE', field, { date: dates[twice]! });
  }
  const serviceIds = new Set(c.services.map((s) => s.id));
  for (const [i, d] of c.calendar.changedDays.entries()) {
    const p = checkDay(d.hours, `calendar.changedDays.${i}.hours`);
    if (p !== null) return p;
    const unknown = (d.serviceIds ?? []).findIndex((id) => !serviceIds.has(id));
    if (unknown >= 0) return problem('CONFIG_UNKNOWN_REFERENCE', `calendar.changedDays.${i}.serviceIds.${unknown}`, { id: d.serviceIds![unknown]! });
  }
  const target = Object.keys(c.alerts.serviceTargets).find((id) => !serviceIds.has(id));
  if (target !== undefined) return problem('CONFIG_UNKNOWN_REFERENCE', `alerts.serviceTargets.${target}`, { id: target });

  const cat = firstTwice(c.fairness.priorityCategories.map((x) => x.id));
  if (cat >= 0) return problem('CONFIG_ID_TWICE', `fairness.priorityCategories.${cat}.id`, { id: c.fairness.priorityCategories[cat]!.id });

  const dep = firstTwice(c.departments.map((d) => d.id));
  if (dep >= 0) return problem('CONFIG_ID_TWICE', `departments.${dep}.id`, { id: c.departments[dep]!.id });
  const departmentIds = new Set(c.departments.map((d) => d.id));
  const counterIds = new Set(c.counters.map((x) => x.id));

  const svc = firstTwice(c.services.map((s) => s.id));
  if (svc >= 0) return problem('CONFIG_ID_TWICE', `services.${svc}.id`, { id: c.services[svc]!.id });
  const prefixes = new Map<string, string>();
  for (const s of c.services) {
    const f = `services.${s.id}`;
    if (prefixes.has(s.prefix)) return problem('CONFIG_PREFIX_TAKEN', `${f}.prefix`, { prefix: s.prefix });
    prefixes.set(s.prefix, s.id);
    if (!departmentIds.has(s.departmentId)) {
      const removed = current?.departments.some((d) => d.id === s.departmentId) === true;
      return removed
        ? problem('CONFIG_DEPARTMENT_IN_USE', `departments.${s.departmentId}`)
        : problem('CONFIG_UNKNOWN_REFERENCE', `${f}.departmentId`, { id: s.departmentId });
    }
    if (s.hours !== null) {
      const h = checkWeek(s.hours, `${f}.hours`);
      if (h !== null) return h;
      const out = WEEKDAYS.find((k) => !inside(s.hours![k], c.hours[k]));
      if (out !== undefined) return problem('CONFIG_SERVICE_HOURS_OUTSIDE', `${f}.hours.${out}`);
    }
    if (s.online !== null) {
      if (s.online.earliestDays > s.online.horizonDays) return problem('CONFIG_RANGE_INVALID', `${f}.online.earliestDays`);
      const weight = Object.keys(s.online.counterWeights).find((id) => !counterIds.has(id));
      if (weight !== undefined) return problem('CONFIG_UNKNOWN_REFERENCE', `${f}.online.counterWeights.${weight}`, { id: weight });
    }
    for (const [i, r] of s.rules.eligibility.entries()) {
      const other = 'requires' in r ? r.requires.service : r.service;
      if (other !== undefined && !serviceIds.has(other)) {
        return problem('CONFIG_UNKNOWN_REFERENCE', `${f}.rules.eligibility.${i}`, { id: other });
      }
    }
  }

  const ctr = firstTwice(c.counters.map((x) => x.id));
  if (ctr >= 0) return problem('CONFIG_ID_TWICE', `counters.${ctr}.id`, { id: c.counters[ctr]!.id });
  const numbers = new Set<string>();
  for (const x of c.counters) {
    const f = `counters.${x.id}`;
    if (numbers.has(x.number)) return problem('CONFIG_COUNTER_NUMBER_TAKEN', `${f}.number`, { number: x.number });
    numbers.add(x.number);
    if (x.departmentId !== null && !departmentIds.has(x.departmentId)) {
      return problem('CONFIG_UNKNOWN_REFERENCE', `${f}.departmentId`, { id: x.departmentId });
    }
    const unknown = x.serviceIds.findIndex((id) => !serviceIds.has(id));
    if (unknown >= 0) return problem('CONFIG_UNKNOWN_REFERENCE', `${f}.serviceIds.${unknown}`, { id: x.serviceIds[unknown]! });
  }
  return null;
}

/** What is going on in the office right now that a change must not pull away from under it. */
export interface LiveUse {
  /** Tickets still in the office (printing, waiting, called, serving, parked) per service id. */
  ticketsByService: Readonly<Record<string, number>>;
  /** Counters with a client at them (called or serving). */
  busyCounterIds: readonly string[];
}

/** A change that would break something live: a service removed with tickets, a counter removed with a client at it. */
export function liveProblem(current: OfficeConfigData, next: OfficeConfigData, live: LiveUse): ConfigProblem | null {
  const kept = new Set(next.services.map((s) => s.id));
  for (const s of current.services) {
    const n = live.ticketsByService[s.id] ?? 0;
    if (!kept.has(s.id) && n > 0) return problem('CONFIG_SERVICE_IN_USE', `services.${s.id}`, { prefix: s.prefix, count: n });
  }
  const keptCounters = new Set(next.counters.map((x) => x.id));
  for (const x of current.counters) {
    if (!keptCounters.has(x.id) && live.busyCounterIds.includes(x.id)) return problem('CONFIG_COUNTER_BUSY', `counters.${x.id}`, { number: x.number });
  }
  return null;
}

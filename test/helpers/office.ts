import type { Office, OfficeSettings, WeeklyHours } from '../../core/shared/model.ts';
import type { OfficeConfig } from '../../store/config.store.ts';

export const WEEKDAYS_8_TO_17: WeeklyHours = [
  [['08:00', '17:00']],
  [['08:00', '17:00']],
  [['08:00', '17:00']],
  [['08:00', '17:00']],
  [['08:00', '17:00']],
  [],
  [],
];

/**
 * A test office: services S1..Sn (prefixes A, B, C…), counters 1..m; by default counter k serves
 * every service. Open Monday–Friday 08:00–17:00 in Prague.
 */
export function testOffice(opts: {
  id?: string;
  services?: number;
  capacity?: number;
  counters?: readonly (readonly number[])[];
  settings?: Partial<OfficeSettings>;
} = {}): OfficeConfig {
  const id = opts.id ?? 'o1';
  const nServices = opts.services ?? 3;
  const serviceIds = Array.from({ length: nServices }, (_, i) => `${id}-s${i + 1}`);
  const office: Office = {
    id,
    name: `Office ${id}`,
    timeZone: 'Europe/Prague',
    languages: ['cs', 'en'],
    hours: WEEKDAYS_8_TO_17,
    closedDays: ['2026-12-24'],
    settings: {
      maxWaitMin: 0,
      maxRecalls: 2,
      defaultServiceMin: 5,
      priorityCategories: [
        { id: 'disabled', weight: 2, names: { en: 'Disabled' } },
        { id: 'elderly', weight: 1, names: { en: 'Elderly' } },
      ],
      ...opts.settings,
    },
  };
  const counterServices = opts.counters ?? [[0, 1, 2].filter((i) => i < nServices), [0], [1], [2].filter((i) => i < nServices)];
  return {
    office,
    departments: [{ id: `${id}-d1`, officeId: id, names: { en: 'Department' }, position: 1 }],
    services: serviceIds.map((sid, i) => ({
      id: sid,
      officeId: id,
      departmentId: `${id}-d1`,
      prefix: String.fromCharCode(65 + i),
      names: { en: `Service ${i + 1}`, cs: `Služba ${i + 1}` },
      dailyWalkInCapacity: opts.capacity ?? 10_000,
      position: i,
    })),
    counters: counterServices.map((idx, k) => ({
      id: `${id}-c${k + 1}`,
      officeId: id,
      number: String(k + 1),
      serviceIds: idx.map((i) => serviceIds[i]!),
    })),
  };
}

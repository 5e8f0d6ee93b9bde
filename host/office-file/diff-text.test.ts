import { describe, expect, it } from 'vitest';
import type { OfficeConfigT } from '../../contracts/office-config.ts';
import { diffTrees, type Json } from '../../core/config/tree-diff.ts';
import { sampleOfficeConfig } from '../../test/helpers/office-config.ts';
import { formatDiff } from './diff-text.ts';
import { OFFICE_LIST_KEYS } from './office-file.ts';

const diff = (a: OfficeConfigT | undefined, b: OfficeConfigT): string => formatDiff(diffTrees(a as Json | undefined, b as unknown as Json, OFFICE_LIST_KEYS));

describe('the diff an apply prints', () => {
  it('section by section: added, changed before → after, removed, reordered', () => {
    const before = sampleOfficeConfig();
    const [cashier, idCards, vehicles] = before.services;
    const after: OfficeConfigT = {
      ...before,
      office: { ...before.office, names: { ...before.office.names, en: 'Town of Kostelec' } },
      hours: { ...before.hours, fri: null },
      calendar: { ...before.calendar, closedDays: [...before.calendar.closedDays, { date: '2026-12-31' }] },
      services: [{ ...idCards!, dailyWalkInCapacity: 150 }, cashier!, { ...cashier!, id: 'passports', prefix: 'PP', names: { cs: 'Pasy' } }],
      counters: before.counters.map((c) => ({ ...c, serviceIds: c.serviceIds.filter((s) => s !== 'vehicles').concat(c.serviceIds.includes('vehicles') ? ['passports'] : []) })),
    };
    void vehicles;
    const text = diff(before, after);
    expect(text).toContain('office (1 changed)\n  ~ office.names.en: Kostelec Town Office → Town of Kostelec\n');
    expect(text).toContain('hours (1 changed)\n  ~ hours.fri: { open: "08:00", close: "12:00", breaks: [] } → null\n');
    expect(text).toContain('  + calendar.closedDays[2026-12-31]: { date: "2026-12-31" }\n');
    expect(text).toContain('services (1 added, 1 changed, 1 removed, reordered)\n');
    expect(text).toContain('  ~ services[id-cards].dailyWalkInCapacity: 100 → 150\n');
    expect(text).toContain('  + services[passports]:\n      id: passports\n      departmentId: dep-org\n      prefix: PP\n');
    expect(text).toContain('  - services[vehicles] (V, Registr vozidel)\n');
    expect(text).toContain('  ↕ services order: cashier, id-cards, vehicles → id-cards, cashier, passports\n');
    expect(text).toContain('  ~ counters[c3].serviceIds: [ vehicles ] → [ passports ]\n');
  });

  it('a new office in one line; nothing for no change', () => {
    expect(diff(undefined, sampleOfficeConfig())).toBe('+ a new office: 2 departments, 3 services, 3 counters\n');
    expect(diff(sampleOfficeConfig(), sampleOfficeConfig())).toBe('');
  });
});

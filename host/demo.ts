import type { Localized, Office, WeeklyHours } from '../core/shared/model.ts';
import type { OfficeConfig } from '../store/config.store.ts';

const ALL_DAY: WeeklyHours = Array.from({ length: 7 }, () => [['00:00', '24:00'] as const]);

const names = (cs: string, en: string, ro: string, zh: string): Localized => ({ cs, en, ro, 'zh-CN': zh });

/**
 * The demo office created on first run: a small Czech town office (after seed 002) with two
 * departments, three services and four counters. It is open around the clock so whoever tries
 * the demo at night can still take a ticket; real offices set their hours in configuration.
 */
export function demoOffice(): OfficeConfig {
  const office: Office = {
    id: 'demo',
    name: 'Městský úřad Kostelec (demo)',
    timeZone: 'Europe/Prague',
    languages: ['cs', 'en', 'ro', 'zh-CN'],
    hours: ALL_DAY,
    closedDays: [],
    // Fictitious (a .example domain, no real numbers), so the demo's footer and privacy page read as an office's would.
    address: { lines: ['Náměstí Míru 1'], postalCode: '517 99', city: 'Kostelec', country: 'CZ' },
    contact: {
      phone: '+420 499 000 111',
      email: 'podatelna@kostelec.example',
      web: 'https://www.kostelec.example',
      dataController: 'Město Kostelec, Náměstí Míru 1, 517 99 Kostelec',
    },
    settings: {
      maxWaitMin: 45,
      maxRecalls: 2,
      defaultServiceMin: 6,
      priorityCategories: [
        { id: 'disabled', weight: 2, names: names('Osoby se zdravotním postižením', 'Disabled', 'Persoane cu dizabilități', '残障人士') },
        { id: 'elderly', weight: 1, names: names('Senioři', 'Elderly', 'Vârstnici', '老年人') },
      ],
    },
  };
  return {
    office,
    departments: [
      { id: 'dep-org', officeId: 'demo', position: 1, names: names('Organizačně správní odbor', 'Administration', 'Departamentul administrativ', '行政科') },
      { id: 'dep-transport', officeId: 'demo', position: 2, names: names('Odbor dopravy', 'Transport', 'Departamentul de transport', '交通科') },
    ],
    services: [
      { id: 'cashier', officeId: 'demo', departmentId: 'dep-org', prefix: 'P', position: 1, dailyWalkInCapacity: 200, names: names('Pokladna', 'Cashier', 'Casierie', '收银处') },
      { id: 'id-cards', officeId: 'demo', departmentId: 'dep-org', prefix: 'A', position: 2, dailyWalkInCapacity: 120, names: names('Občanské průkazy a pasy', 'ID cards and passports', 'Cărți de identitate și pașapoarte', '身份证和护照') },
      { id: 'vehicles', officeId: 'demo', departmentId: 'dep-transport', prefix: 'V', position: 3, dailyWalkInCapacity: 80, names: names('Registr vozidel', 'Vehicle register', 'Registrul vehiculelor', '车辆登记') },
    ],
    counters: [
      { id: 'c1', officeId: 'demo', number: '1', serviceIds: ['cashier'] },
      { id: 'c2', officeId: 'demo', number: '2', serviceIds: ['id-cards', 'cashier'] },
      { id: 'c3', officeId: 'demo', number: '3', serviceIds: ['id-cards'] },
      { id: 'c4', officeId: 'demo', number: '4', serviceIds: ['vehicles'] },
    ],
  };
}

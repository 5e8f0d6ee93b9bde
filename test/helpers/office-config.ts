import type { OfficeConfigT, ServiceT } from '../../contracts/office-config.ts';
import type { OfficeFileT } from '../../contracts/office-file.ts';

/**
 * Whole office configurations for the office-file suites: a small one that uses every section
 * (hours with breaks, a holiday and a short day, a draw, an identity key, a roster rule), and a big
 * one (the apply benchmark's 50 services and 40 counters).
 */

const day = (open: string, close: string, breaks: { from: string; to: string }[] = []) => ({ open, close, breaks });
const NO_RULES = { roster: false, outcomes: [], eligibility: [] };

export function sampleOfficeConfig(id = 'kostelec'): OfficeConfigT {
  const week = day('08:00', '17:00', [{ from: '12:00', to: '12:30' }]);
  return {
    id,
    office: {
      names: { cs: 'Městský úřad Kostelec', en: 'Kostelec Town Office' },
      timeZone: 'Europe/Prague',
      languages: ['cs', 'en'],
      voiceLanguages: ['cs'],
      address: { lines: ['náměstí 1'], postalCode: '123 45', city: 'Kostelec', country: 'CZ' },
      contact: { phone: '+420 123 456 789', email: 'podatelna@kostelec.example', dataController: 'Město Kostelec, náměstí 1, 123 45 Kostelec' },
    },
    logos: { screen: null, ticket: { kind: 'stored', key: 'LG' } },
    hours: { mon: week, tue: week, wed: day('08:00', '18:00'), thu: week, fri: day('08:00', '12:00'), sat: null, sun: null },
    calendar: {
      closedDays: [{ date: '2026-12-24', note: { cs: 'Štědrý den', en: 'Christmas Eve' } }],
      changedDays: [{ date: '2026-12-23', hours: day('08:00', '11:00') }],
    },
    fairness: {
      maxWaitMin: 45,
      maxRecalls: 2,
      defaultServiceMin: 6,
      priorityCategories: [{ id: 'elderly', weight: 1, names: { cs: 'Senioři', en: 'Elderly' } }],
    },
    alerts: { targetWaitMin: 20, serviceTargets: {}, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false },
    departments: [
      { id: 'dep-org', names: { cs: 'Organizační odbor', en: 'Administration' } },
      { id: 'dep-transport', names: { cs: 'Odbor dopravy', en: 'Transport' } },
    ],
    services: [
      service('cashier', 'dep-org', 'P', { cs: 'Pokladna', en: 'Cashier' }),
      {
        ...service('id-cards', 'dep-org', 'A', { cs: 'Občanské průkazy', en: 'ID cards' }),
        online: {
          dayCapacity: { kind: 'explicit', clients: 120 },
          onlineSharePct: 50,
          onlinePlaces: null,
          slotMin: 15,
          placesPerSlot: null,
          horizonDays: 30,
          earliestDays: 0,
          release: { kind: 'rolling', openAt: '00:00' },
          allocation: 'fcfs',
          drawWindowMin: 60,
          holdMin: 15,
          confirmBy: ['email', 'sms'],
          counterWeights: {},
          identityKey: null,
        },
      },
      {
        ...service('vehicles', 'dep-transport', 'V', { cs: 'Registr vozidel', en: 'Vehicle register' }),
        hours: { mon: day('08:00', '12:00'), tue: null, wed: day('13:00', '17:00'), thu: null, fri: null, sat: null, sun: null },
        online: {
          dayCapacity: { kind: 'counter-minutes', serviceMin: 20 },
          onlineSharePct: 100,
          onlinePlaces: 20,
          slotMin: 30,
          placesPerSlot: 2,
          horizonDays: 14,
          earliestDays: 1,
          release: { kind: 'scheduled', weekdays: [0, 3], openAt: '09:00', daysAhead: 7 },
          allocation: 'draw',
          drawWindowMin: 120,
          holdMin: 10,
          confirmBy: ['email'],
          counterWeights: { c3: 2 },
          identityKey: { required: true, label: { cs: 'VIN', en: 'VIN (vehicle identification number)' } },
        },
        rules: { roster: true, outcomes: [{ id: 'registered', names: { cs: 'Zapsáno', en: 'Registered' } }], eligibility: [] },
      },
    ],
    counters: [
      { id: 'c1', number: '1', name: { cs: 'Pokladna', en: 'Cashier' }, departmentId: 'dep-org', serviceIds: ['cashier'] },
      { id: 'c2', number: '2', name: null, departmentId: 'dep-org', serviceIds: ['id-cards', 'cashier'] },
      { id: 'c3', number: '3A', name: null, departmentId: null, serviceIds: ['vehicles'] },
    ],
  };
}

function service(id: string, departmentId: string, prefix: string, names: ServiceT['names']): ServiceT {
  return { id, departmentId, prefix, names, dailyWalkInCapacity: 100, hours: null, online: null, rules: NO_RULES };
}

/** Prefixes A, B, … Z, AA, AB, …: unique for any count the schema allows. */
const prefixOf = (i: number): string => (i < 26 ? String.fromCharCode(65 + i) : prefixOf(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26)));

/** An office of `services` services in five departments and `counters` counters, each serving three services. */
export function largeOfficeConfig(services: number, counters: number, id = 'big'): OfficeConfigT {
  const base = sampleOfficeConfig(id);
  const online = base.services[1]!.online;
  const deps = Array.from({ length: 5 }, (_, i) => ({ id: `dep-${i + 1}`, names: { cs: `Odbor ${i + 1}`, en: `Department ${i + 1}` } }));
  return {
    ...base,
    departments: deps,
    services: Array.from({ length: services }, (_, i) => ({
      ...service(`svc-${i + 1}`, deps[i % deps.length]!.id, prefixOf(i), { cs: `Agenda ${i + 1}`, en: `Service ${i + 1}` }),
      online: i % 2 === 0 ? online : null,
    })),
    counters: Array.from({ length: counters }, (_, i) => ({
      id: `ctr-${i + 1}`,
      number: String(i + 1),
      name: null,
      departmentId: deps[i % deps.length]!.id,
      serviceIds: [0, 1, 2].map((k) => `svc-${((i + k) % services) + 1}`),
    })),
  };
}

/**
 * The sample office with every part of the office file filled: booking settings off their
 * defaults, templates of its own (a message in two languages, the ticket's lines) and a webhook.
 */
export function sampleOfficeFile(id = 'kostelec'): OfficeFileT {
  return {
    ...sampleOfficeConfig(id),
    booking: {
      checkIn: { earlyMin: 20, lateMin: 10, late: 'walk-in', prefix: 'R' },
      rules: { identityDuplicates: 'cancelAll', noShowBanDays: 30, fictitiousBanDays: 90, forbidNationalIds: true },
      retentionDays: 60,
    },
    templates: {
      confirmed: {
        cs: {
          subject: 'Objednávka {{number}} je potvrzena',
          text: 'Dobrý den,\nvaše objednávka na {{service}} je {{time}}.\nZrušení: {{cancelUrl}}\n{{office}}',
          sms: '{{office}}: objednávka {{number}} {{time}}. Kód pro kiosek {{kioskCode}}',
          smsSegments: 3,
        },
        en: {
          subject: 'Booking {{number}} confirmed',
          text: 'Hello,\nyour booking for {{service}} is at {{time}}.\nCancel: {{cancelUrl}}\n{{office}}',
          sms: '{{office}}: booking {{number}} at {{time}}. Kiosk code {{kioskCode}}',
          smsSegments: 2,
        },
      },
      ticket: {
        cs: { header: ['{{office}}', 'náměstí 1, Kostelec'], footer: ['Děkujeme za návštěvu', 'www.kostelec.example'], columns: 48 },
      },
    },
    webhooks: [{ id: 'wh-erp', url: 'https://erp.kostelec.example/fronta/events', eventTypes: ['ticket.issued', 'booking.confirmed'], extraFields: ['bookingNumber'], allowPrivate: false }],
  };
}

import type { ErrorCode } from '../../core/shared/errors.ts';
import { ROSTER_BODY_LIMIT } from '../../contracts/rules.ts';
import { BODY_LIMIT } from '../../server/app.ts';
import { CONFIG_BODY_LIMIT } from '../../server/routes/office-config-edge.ts';
import type { ApiRoute } from './routes.ts';

/**
 * Who may call which route, and what a valid request to it looks like where a sample built from
 * its schema would not do: the policy the bad-input tests (test/bad-input.test.ts and the
 * reliability suite's) hold every route to. Edit when the API grows.
 */
/** Routes anybody may call without credentials. Any other route must answer AUTH_REQUIRED. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/offices',
  'GET /api/v1/offices/{officeId}/services',
  'GET /api/v1/offices/{officeId}/logo',
  'GET /api/v1/offices/{officeId}/public',
  'GET /api/v1/tickets/{id}',
  'POST /api/v1/tickets/{id}/rating',
  'POST /api/v1/devices/unpair',
  'POST /api/v1/payments/webhook',
]);
/** Tags whose routes are public (the booking portal: citizens, no account)… */
const PUBLIC_TAGS = new Set(['booking']);
/** …except these, for a supervisor (or admin) of the office. */
const SUPERVISOR_ROUTES = new Set(['GET /api/v1/booking/offices/{officeId}/outbox']);
/** Tags of routes for a supervisor or an admin of the office (booking-admin: settings and the crisis switch). */
const SUPERVISOR_TAGS = ['supervisor', 'booking-admin'];
const forSupervisors = (route: ApiRoute): boolean => SUPERVISOR_ROUTES.has(route.key) || route.tags.some((t) => SUPERVISOR_TAGS.includes(t));
/** Ticket routes for staff, not kiosks (a clerk reprints a ticket on a kiosk's printer). */
const STAFF_TICKET_ROUTES = new Set(['POST /api/v1/tickets/{id}/reprint']);

export const isPublic = (route: ApiRoute): boolean =>
  PUBLIC_ROUTES.has(route.key) || (route.tags.some((t) => PUBLIC_TAGS.has(t)) && !SUPERVISOR_ROUTES.has(route.key));

export type PrincipalName = 'none' | 'admin' | 'clerk1' | 'clerk2' | 'clerk3' | 'clerk4' | 'kiosk' | 'display' | 'kioskO2' | 'supervisor' | 'o2admin';

/** Callers that are not the right one for a route, by the route's OpenAPI tag. */
export function wrongCallers(route: ApiRoute): { who: PrincipalName; counter?: string; codes: ErrorCode[] }[] {
  const out: { who: PrincipalName; counter?: string; codes: ErrorCode[] }[] = [];
  const tags = new Set(route.tags);
  const forbidden = (...who: PrincipalName[]): void => {
    for (const w of who) out.push({ who: w, codes: ['FORBIDDEN'] });
  };
  if (tags.has('admin')) forbidden('clerk1', 'kiosk', 'display');
  if (forSupervisors(route)) forbidden('clerk1', 'kiosk', 'display');
  if (tags.has('display')) forbidden('kiosk');
  // Statistics: staff only; a clerk reads the figures of their own calls (test/stats-day.api.test.ts).
  if (tags.has('statistics')) forbidden('kiosk', 'display');
  if (tags.has('devices') && !isPublic(route)) forbidden('clerk1', 'admin');
  if (tags.has('tickets') && route.method === 'POST') {
    if (STAFF_TICKET_ROUTES.has(route.key)) forbidden('display', 'kiosk');
    else forbidden('display', 'clerk1', 'admin');
  }
  if (tags.has('counter')) {
    forbidden('kiosk', 'display');
    // o1-c1 is clerk1's (a ticket is called there), o1-c3 is clerk3's (idle).
    const elsewhere: ErrorCode[] = ['COUNTER_NOT_ASSIGNED', 'COUNTER_BUSY'];
    out.push({ who: 'clerk2', counter: 'o1-c1', codes: elsewhere }, { who: 'admin', counter: 'o1-c1', codes: elsewhere });
    out.push({ who: 'clerk1', counter: 'o1-c3', codes: elsewhere }, { who: 'clerk4', counter: 'o1-c3', codes: elsewhere });
  }
  return out;
}

/** The caller a route is meant for (so bad input reaches as deep as it can), by tag. */
export function rightCaller(route: ApiRoute): PrincipalName {
  const tags = new Set(route.tags);
  if (tags.has('admin') || forSupervisors(route) || tags.has('statistics')) return 'admin';
  if (tags.has('counter')) return 'clerk1';
  if (STAFF_TICKET_ROUTES.has(route.key)) return 'clerk1';
  if (tags.has('tickets') && route.method === 'POST') return 'kiosk';
  if (tags.has('display')) return 'display';
  if (tags.has('devices')) return 'kiosk';
  if (tags.has('office')) return 'clerk1';
  return 'none';
}

const CONFIG_DAY = { open: '08:00', close: '17:00', breaks: [] };
const CONFIG_WEEK = { mon: CONFIG_DAY, tue: CONFIG_DAY, wed: CONFIG_DAY, thu: CONFIG_DAY, fri: CONFIG_DAY, sat: null, sun: null };

/** Valid bodies where a sample built from the schema would not do (or would do harm). */
export const BODY_OVERRIDES: Record<string, Record<string, unknown>> = {
  // A wrong password: never opens a session.
  'POST /api/v1/auth/login': { username: 'admin', password: 'not the password' },
  'POST /api/v1/devices': { kind: 'kiosk', name: 'Probe kiosk' },
  'POST /api/v1/users': { username: 'probe.user', password: 'probe password', role: 'clerk' },
  'POST /api/v1/offices': { name: 'Probe office', timeZone: 'Europe/Prague', languages: ['cs'] },
  'POST /api/v1/offices/{officeId}/users': { username: 'probe.user2', role: 'clerk' },
  'PATCH /api/v1/offices/{officeId}/users/{userId}': { displayName: 'Probe' },
  // Wrong current passwords: nothing changes, no session opens.
  'POST /api/v1/auth/password': { currentPassword: 'not the password', newPassword: 'a new long password' },
  'POST /api/v1/kiosk/unlock': { username: 'admin', password: 'not the password' },
  'POST /api/v1/counters/{counterId}/transfer': { serviceId: 'o1-s2' },
  // The sample of an array is empty; a display speaks one language at least.
  'PUT /api/v1/offices/{officeId}/display-settings': { voiceLanguages: ['cs'] },
  // The office configuration: samples cannot meet its patterns (HH:MM, a time zone) or its cross-field rules.
  'PATCH /api/v1/offices/{officeId}': { names: { cs: 'Úřad' } },
  'PUT /api/v1/offices/{officeId}/hours': CONFIG_WEEK,
  // The nightly backup's time is HH:MM (the sample is not).
  'PUT /api/v1/offices/{officeId}/backups': { keepDays: 14, at: '02:30' },
  'PUT /api/v1/offices/{officeId}/config': {
    id: 'o1',
    office: { names: { cs: 'Úřad' }, timeZone: 'Europe/Prague', languages: ['cs', 'en'], voiceLanguages: ['cs'], address: null, contact: null },
    logos: { screen: null, ticket: null },
    hours: CONFIG_WEEK,
    calendar: { closedDays: [], changedDays: [] },
    fairness: { maxWaitMin: 0, maxRecalls: 2, defaultServiceMin: 5, priorityCategories: [] },
    alerts: { targetWaitMin: 30, serviceTargets: {}, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false },
    departments: [{ id: 'o1-d1', names: { cs: 'Odbor' } }],
    services: ['o1-s1', 'o1-s2', 'o1-s3'].map((id, i) => ({
      id,
      departmentId: 'o1-d1',
      prefix: 'ABC'[i],
      names: { cs: id },
      dailyWalkInCapacity: 100,
      hours: null,
      online: null,
      rules: { roster: false, outcomes: [], eligibility: [] },
    })),
    counters: ['o1-c1', 'o1-c2', 'o1-c3', 'o1-c4'].map((id, i) => ({ id, number: String(i + 1), name: null, departmentId: null, serviceIds: ['o1-s1', 'o1-s2', 'o1-s3'] })),
  },
  'POST /api/v1/offices/{officeId}/services': { departmentId: 'o1-d1', prefix: 'Z', names: { cs: 'Nová' }, dailyWalkInCapacity: 5 },
  'PATCH /api/v1/offices/{officeId}/services/{serviceId}': { dailyWalkInCapacity: 5 },
  'POST /api/v1/offices/{officeId}/counters': { number: '9', serviceIds: ['o1-s1'] },
  // A loopback target (the test host allows one): nothing listens on port 9.
  'POST /api/v1/offices/{officeId}/webhooks': { url: 'https://127.0.0.1:9/probe', eventTypes: ['ticket.issued'] },
  'PATCH /api/v1/offices/{officeId}/counters/{counterId}': { serviceIds: ['o1-s1', 'o1-s2', 'o1-s3'] },
};

/** Routes that take more than BODY_LIMIT (an admin's roster file), with their own limit. */
export const LARGE_BODY_ROUTES: Record<string, number> = {
  'POST /api/v1/offices/{officeId}/services/{serviceId}/roster': ROSTER_BODY_LIMIT,
  'POST /api/v1/offices/{officeId}/services/{serviceId}/roster/preview': ROSTER_BODY_LIMIT,
  'PUT /api/v1/offices/{officeId}/config': CONFIG_BODY_LIMIT,
  'PUT /api/v1/offices/{officeId}/logos': CONFIG_BODY_LIMIT,
};
export const limitOf = (route: ApiRoute): number => LARGE_BODY_ROUTES[route.key] ?? BODY_LIMIT;

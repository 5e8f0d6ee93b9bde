import fc from 'fast-check';
import type { HTTPMethods, InjectOptions } from 'fastify';
import { randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../core/shared/errors.ts';
import type { Language } from '../core/shared/model.ts';
import type { Ids } from '../core/queue/ports.ts';
import { ROSTER_BODY_LIMIT } from '../contracts/rules.ts';
import { BODY_LIMIT } from '../server/app.ts';
import { CONFIG_BODY_LIMIT } from '../server/routes/office-config-edge.ts';
import { negotiateLanguage } from '../server/i18n.ts';
import { createDevice, createUser } from '../server/provisioning.ts';
import { newToken, tokenHash } from '../server/passwords.ts';
import { SqliteAccessStore } from '../store/access.store.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import { changedTables, dbSnapshot, envelopeProblems, errorCodeOf, messagePattern, type RawAnswer } from './helpers/error-envelope.ts';
import { startBookingHost } from './helpers/booking.ts';
import { feesForSweeps } from './helpers/fees.ts';
import { PASSWORD, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import {
  allowsNull,
  apiRoutes,
  fillPath,
  isStringSchema,
  routerRoutes,
  sampleBody,
  sampleValue,
  surelyInvalidString,
  takesBody,
  type ApiRoute,
  type JsonSchema,
} from './helpers/routes.ts';

/**
 * Hostile and clumsy input against every route of the API, enumerated from the router and the
 * OpenAPI document (a route added later is attacked without touching this file). Every answer
 * must be a 4xx `{ error: { code, message } }` in the caller's language — never a 5xx, a stack
 * trace or a Fastify default body — and must change nothing in the database.
 */

// ---------------------------------------------------------------- policy (edit when the API grows)

/** Routes anybody may call without credentials. Any other route must answer AUTH_REQUIRED. */
const PUBLIC_ROUTES = new Set([
  'GET /api/health',
  'POST /api/v1/auth/login',
  'POST /api/v1/auth/logout',
  'GET /api/v1/offices',
  'GET /api/v1/offices/{officeId}/services',
  'GET /api/v1/offices/{officeId}/logo',
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

const isPublic = (route: ApiRoute): boolean =>
  PUBLIC_ROUTES.has(route.key) || (route.tags.some((t) => PUBLIC_TAGS.has(t)) && !SUPERVISOR_ROUTES.has(route.key));

type PrincipalName = 'none' | 'admin' | 'clerk1' | 'clerk2' | 'clerk3' | 'clerk4' | 'kiosk' | 'display' | 'kioskO2';

/** Callers that are not the right one for a route, by the route's OpenAPI tag. */
function wrongCallers(route: ApiRoute): { who: PrincipalName; counter?: string; codes: ErrorCode[] }[] {
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
function rightCaller(route: ApiRoute): PrincipalName {
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
const BODY_OVERRIDES: Record<string, Record<string, unknown>> = {
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
  'PATCH /api/v1/offices/{officeId}/counters/{counterId}': { serviceIds: ['o1-s1', 'o1-s2', 'o1-s3'] },
};

/** Routes that take more than BODY_LIMIT (an admin's roster file), with their own limit. */
const LARGE_BODY_ROUTES: Record<string, number> = {
  'POST /api/v1/offices/{officeId}/services/{serviceId}/roster': ROSTER_BODY_LIMIT,
  'POST /api/v1/offices/{officeId}/services/{serviceId}/roster/preview': ROSTER_BODY_LIMIT,
  'PUT /api/v1/offices/{officeId}/config': CONFIG_BODY_LIMIT,
  'PUT /api/v1/offices/{officeId}/logos': CONFIG_BODY_LIMIT,
};
const limitOf = (route: ApiRoute): number => LARGE_BODY_ROUTES[route.key] ?? BODY_LIMIT;

// ---------------------------------------------------------------- fixture

type Headers = Record<string, string>;
type Expectation = readonly ErrorCode[] | '4xx' | 'not-5xx';

interface Req {
  method: HTTPMethods;
  url: string;
  headers: Headers;
  payload?: string | Buffer;
}

interface Case {
  what: string;
  req: Req;
  expect: Expectation;
}

/** Deterministic ids that cannot collide with the harness's own sequence. */
class TaggedIds implements Ids {
  private n = 0;
  ticketId(): string {
    return `tq${++this.n}`;
  }
  entityId(prefix: string): string {
    return `${prefix}_q${++this.n}`;
  }
}

interface Fixture {
  h: TestHost;
  routes: ApiRoute[];
  who: Record<PrincipalName, Headers>;
  /** Real ids of office o1 by collection (`counters` → `o1-c1`), and of office o2. */
  real: Record<string, string>;
  foreign: Record<string, string>;
  /** Presented credentials that are not valid: a 401 AUTH_TOKEN_INVALID on every /api/v1 route. */
  badTokens: [string, Headers][];
  /** Credentials that amount to nobody: AUTH_REQUIRED on every route that is not public. */
  nobody: [string, Headers][];
}

const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/**
 * The test office o1 (harness) in a lived-in state, plus a second office o2:
 * A001 called at o1-c1 by clerk1; B001 parked (clerk3, o1-c3, now idle); clerk2 idle at o1-c2;
 * clerk4 signed in nowhere; A002 and C001 waiting; one waiting ticket in o2.
 */
async function prepare(): Promise<Fixture> {
  // The host as `fronta serve` builds it: with the online booking portal (o1-s1 bookable).
  const h = await startBookingHost({ alerts: true, fees: feesForSweeps });
  const access = new SqliteAccessStore(h.db);
  const deps = { ids: new TaggedIds(), clock: h.clock };
  saveOfficeConfig(h.db, testOffice({ id: 'o2' }));
  const kioskO2 = await createDevice(access, deps, { officeId: 'o2', kind: 'kiosk', name: 'o2 kiosk' });
  const revoked = await createDevice(access, deps, { officeId: 'o1', kind: 'kiosk', name: 'revoked kiosk' });
  await access.revokeDevice(revoked.device.id, h.clock.now());

  const who: Record<PrincipalName, Headers> = {
    none: {},
    admin: { cookie: h.cookie('admin') },
    clerk1: { cookie: h.cookie('clerk1') },
    clerk2: { cookie: h.cookie('clerk2') },
    clerk3: { cookie: h.cookie('clerk3') },
    clerk4: { cookie: h.cookie('clerk4') },
    kiosk: bearer(h.kioskToken),
    display: bearer(h.displayToken),
    kioskO2: bearer(kioskO2.token),
  };
  const must = async (o: Req & { payload?: string }, status: number): Promise<{ ticket: { id: string } }> => {
    const res = await h.app.inject(o);
    if (res.statusCode !== status) throw new Error(`fixture step ${o.method} ${o.url} answered ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const issue = (headers: Headers, serviceId: string) =>
    must({ method: 'POST', url: '/api/v1/tickets', headers: { ...headers, 'content-type': 'application/json' }, payload: JSON.stringify({ serviceId }) }, 201).then((r) => r.ticket.id);
  const act = (user: PrincipalName, counter: string, action: string) =>
    must({ method: 'POST', url: `/api/v1/counters/${counter}/${action}`, headers: who[user] }, 200);
  await issue(who.kiosk, 'o1-s1');
  await issue(who.kiosk, 'o1-s1');
  const parked = await issue(who.kiosk, 'o1-s2');
  await issue(who.kiosk, 'o1-s3');
  const o2Ticket = await issue(who.kioskO2, 'o2-s1');
  await act('clerk1', 'o1-c1', 'open');
  await act('clerk1', 'o1-c1', 'call-next');
  await act('clerk3', 'o1-c3', 'open');
  await act('clerk3', 'o1-c3', 'call-next');
  await act('clerk3', 'o1-c3', 'start');
  await act('clerk3', 'o1-c3', 'park');
  await act('clerk2', 'o1-c2', 'open');

  // A user disabled after signing in, and an expired session of clerk1.
  await createUser(access, deps, { officeId: 'o1', username: 'gone', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
  const gone = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gone', password: PASSWORD } });
  const goneCookie = gone.cookies.find((c) => c.name === 'fronta_session')?.value ?? 'missing';
  h.db.prepare('UPDATE users SET disabled_at = ? WHERE username = ?').run(h.clock.now(), 'gone');
  const clerk1 = (await access.userByUsername('clerk1'))!;
  const o2Admin = await createUser(access, deps, { officeId: 'o2', username: 'o2admin', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
  const expired = newToken();
  await access.createSession(tokenHash(expired), clerk1.id, h.clock.now() - 2 * 86_400_000, h.clock.now() - 86_400_000);
  const clerk1Session = h.cookie('clerk1').replace(/^fronta_session=/, '');

  const device = (kind: string, office: string): string =>
    (h.db.prepare('SELECT id FROM devices WHERE kind = ? AND office_id = ? AND revoked_at IS NULL LIMIT 1').get(kind, office) as { id: string }).id;
  const forged = (): string => randomBytes(32).toString('base64url');
  return {
    h,
    routes: await apiRoutes(h.app),
    who,
    real: {
      offices: 'o1',
      counters: 'o1-c1',
      tickets: parked,
      devices: device('display', 'o1'),
      services: 'o1-s1',
      users: clerk1.id,
      days: new Date(h.clock.now()).toISOString().slice(0, 10),
    },
    foreign: { offices: 'o2', counters: 'o2-c1', tickets: o2Ticket, devices: kioskO2.device.id, services: 'o2-s1', users: o2Admin!.id },
    badTokens: [
      ['forged bearer token', bearer(forged())],
      ['revoked kiosk token', bearer(revoked.token)],
      ['session token sent as bearer', bearer(clerk1Session)],
      ['malformed bearer', { authorization: 'Bearer not a token!' }],
      ['short bearer', { authorization: 'Bearer abc' }],
      ['oversized bearer', { authorization: `Bearer ${'A'.repeat(4096)}` }],
      ['basic auth', { authorization: 'Basic YWRtaW46YWRtaW4=' }],
      ['empty authorization header', { authorization: '' }],
      ['forged device cookie', { cookie: `fronta_device=${forged()}` }],
      ['revoked token in device cookie', { cookie: `fronta_device=${revoked.token}` }],
    ],
    nobody: [
      ['no credentials', {}],
      ['forged session cookie', { cookie: `fronta_session=${forged()}` }],
      ['expired session cookie', { cookie: `fronta_session=${expired}` }],
      ['session of a disabled user', { cookie: `fronta_session=${goneCookie}` }],
      ['device token sent as session cookie', { cookie: `fronta_session=${h.kioskToken}` }],
      ['undecodable cookie header', { cookie: 'fronta_session=%E0%A4%A; =; ;fronta_session' }],
      ['empty session cookie', { cookie: 'fronta_session=' }],
    ],
  };
}

// ---------------------------------------------------------------- requests

/** Ids for a route's path: real by default, or per parameter. */
type IdPick = (p: ApiRoute['params'][number]) => string;

function validBody(f: Fixture, route: ApiRoute): Record<string, unknown> | null {
  if (route.body === null) return null;
  const body = sampleBody(route.body);
  // Fields named after a collection (serviceId, counterId…) get a real id of office o1.
  for (const name of Object.keys(body)) {
    const m = /^(\w+?)Id$/.exec(name);
    const real = m === null ? undefined : f.real[`${m[1]}s`];
    if (real !== undefined) body[name] = real;
  }
  return { ...body, ...BODY_OVERRIDES[route.key] };
}

function validQuery(route: ApiRoute): Record<string, string> {
  if (route.query === null) return {};
  return Object.fromEntries(Object.entries(sampleBody(route.query)).map(([k, v]) => [k, String(v)]));
}

function urlOf(route: ApiRoute, ids: IdPick, query: Record<string, string | string[]> | URLSearchParams = validQuery(route)): string {
  const q = query instanceof URLSearchParams ? query : new URLSearchParams();
  if (!(query instanceof URLSearchParams)) {
    for (const [k, v] of Object.entries(query)) for (const one of Array.isArray(v) ? v : [v]) q.append(k, one);
  }
  const qs = q.toString();
  return fillPath(route, ids) + (qs === '' ? '' : `?${qs}`);
}

/**
 * A request to `route`: real ids, a valid query, and — for routes that read one — a valid JSON
 * body, unless `payload` (raw bytes) or `body` (serialised here) replace it.
 */
function build(
  f: Fixture,
  route: ApiRoute,
  opts: { headers?: Headers; ids?: IdPick; body?: unknown; payload?: string | Buffer; type?: string | null; url?: string } = {},
): Req {
  const headers: Headers = { ...opts.headers };
  let payload: string | Buffer | undefined = opts.payload;
  if (payload === undefined && 'body' in opts) payload = JSON.stringify(opts.body);
  if (payload === undefined && takesBody(route)) {
    const body = validBody(f, route);
    if (body !== null) payload = JSON.stringify(body);
  }
  const type = opts.type === undefined ? (payload === undefined ? null : 'application/json') : opts.type;
  if (type !== null) headers['content-type'] = type;
  const url = opts.url ?? urlOf(route, opts.ids ?? ((p) => f.real[p.collection] ?? 'zz-unknown'));
  return { method: route.method, url, headers, ...(payload === undefined ? {} : { payload }) };
}

// ---------------------------------------------------------------- the prober

class Prober {
  readonly failures: string[] = [];
  /** One clean request per error code seen (for the language test). */
  readonly samples = new Map<ErrorCode, Case>();
  count = 0;
  private last: Map<string, string>;
  private lastWrites: string;
  private readonly writes: () => string;

  constructor(private readonly f: Fixture) {
    this.last = this.snapshot();
    // Writes through the app's connection (total_changes) or any other (data_version): when
    // neither moved, nothing changed and the full snapshot can be skipped.
    const total = f.h.db.prepare('SELECT total_changes() AS n');
    this.writes = () => `${(total.get() as { n: number }).n}/${String(f.h.db.pragma('data_version', { simple: true }))}`;
    this.lastWrites = this.writes();
  }

  private snapshot(): Map<string, string> {
    return dbSnapshot(this.f.h.db, this.f.h.clock.now());
  }

  private changed(): string[] {
    const writes = this.writes();
    if (writes === this.lastWrites) return [];
    this.lastWrites = writes;
    const now = this.snapshot();
    const changed = changedTables(this.last, now);
    this.last = now;
    return changed;
  }

  async probe(c: Case): Promise<RawAnswer> {
    this.count++;
    const res = await this.f.h.app.inject(c.req as InjectOptions);
    const answer: RawAnswer = { statusCode: res.statusCode, headers: res.headers, body: res.body };
    const lang: Language = negotiateLanguage(c.req.headers['accept-language']);
    const problems: string[] = [];
    const status = res.statusCode;
    if (status >= 500) problems.push('5xx');
    else if (c.expect !== 'not-5xx' && (status < 400 || status >= 500)) problems.push('not a 4xx');
    if (status >= 400) problems.push(...envelopeProblems(answer, lang));
    const code = errorCodeOf(answer) as ErrorCode | null;
    if (typeof c.expect !== 'string' && (code === null || !c.expect.includes(code))) {
      problems.push(`expected ${c.expect.join('|')}`);
    }
    const changed = this.changed();
    if (changed.length > 0) problems.push(`changed ${changed.join(', ')}`);
    if (problems.length > 0) {
      const shown = typeof c.req.payload === 'string' && c.req.payload.length < 120 ? ` ${c.req.payload}` : '';
      this.failures.push(`${c.what}: ${c.req.method} ${c.req.url.slice(0, 160)}${shown} → ${status} ${res.body.slice(0, 220)} [${problems.join('; ')}]`);
    } else if (status >= 400 && code !== null && !this.samples.has(code) && c.req.headers['accept-language'] === undefined) {
      this.samples.set(code, c);
    }
    return answer;
  }

  async all(cases: Iterable<Case>): Promise<void> {
    for (const c of cases) await this.probe(c);
  }

  /** Fails the test with the first bad answers, if any. */
  assertClean(): void {
    const report = this.failures.length === 0 ? '' : `${this.failures.length} bad answers:\n${this.failures.slice(0, 30).join('\n')}`;
    this.failures.length = 0;
    expect(report).toBe('');
  }
}

const expectFor = (f: Fixture, route: ApiRoute, codes: readonly ErrorCode[]): Expectation =>
  isPublic(route) ? 'not-5xx' : codes;

// ---------------------------------------------------------------- attacks

const ALL_CALLERS: PrincipalName[] = ['none', 'admin', 'clerk1', 'kiosk', 'display'];

/**
 * Body checks run before any handler, whoever calls; they are sent by the route's own caller
 * (who would get furthest if a check were skipped) and by nobody.
 */
const bodyCallers = (route: ApiRoute): PrincipalName[] => [...new Set<PrincipalName>([rightCaller(route), 'none'])];

/** Authentication comes first: nobody is turned away (401) from a non-public route before its body or query is looked at. */
const afterAuth = (route: ApiRoute, who: PrincipalName, codes: ErrorCode[]): ErrorCode[] => (who === 'none' && !isPublic(route) ? ['AUTH_REQUIRED'] : codes);

/** Heavy tests get room on a loaded machine; on an idle one each takes a few seconds. */
const SLOW = { timeout: 90_000 };

const MALFORMED_JSON = [
  '{',
  '}',
  '{"serviceId":',
  '{"a":1,}',
  "{'a':1}",
  '{"a":1}}',
  '{"a":1}{"b":2}',
  'undefined',
  'NaN',
  '[1,]',
  '\u0000',
  'nul',
  '{"a":"\\x"}',
  '{"a":01}',
  '',
  '   ',
  '['.repeat(5000),
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"isAdmin":true}}}',
];

const WRONG_TYPES = [
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'text/html',
  'application/octet-stream',
  'image/png',
  'application/jsonx',
  ';;;',
];

/**
 * Ids that exist nowhere (URL-encoded as sent). Dot segments (`..`, `%2E%2E`) are not here:
 * `inject` resolves them before the server sees the URL; the real-socket test sends them.
 */
const UNKNOWN_IDS = [
  'nope',
  'o1-c99',
  'x'.repeat(64),
  'x'.repeat(65),
  '0',
  '-',
  'null',
  '%20',
  'a%2Fb',
  '%C5%99',
  '%00',
  'a.b',
  '%3Cscript%3E',
  "'%20OR%201=1--",
];

/** Strings that surely break a string field's schema (empty when none can, e.g. no constraints). */
function badStrings(schema: JsonSchema): { label: string; value: string }[] {
  if (!isStringSchema(schema)) return [];
  const candidates: [string, string][] = [
    ['empty', ''],
    ['blank', '   '],
    ['one over the limit', 'x'.repeat((schema.maxLength ?? 0) + 1)],
    ['huge', 'x'.repeat(15_000)],
    ['not an id', 'bad id!'],
    ['path traversal', '../../etc/passwd'],
    ['markup', '<script>alert(1)</script>'],
    ['non-ASCII', 'řčž'],
    ['NUL', 'a\u0000b'],
    ['upper-cased', String(sampleValue(schema)).toUpperCase()],
  ];
  return candidates.filter(([, value]) => surelyInvalidString(value, schema)).map(([label, value]) => ({ label, value }));
}

/** Ways to make one field of a body wrong, given its schema. */
function fieldMutations(schema: JsonSchema): { label: string; value: unknown }[] {
  const numeric = schema.type === 'integer' || schema.type === 'number';
  const out: { label: string; value: unknown }[] = [
    // 42 is a good value of a number field (a ban's days); 4.2 is not of an integer one.
    ...(numeric ? [] : [{ label: 'number', value: 42 }]),
    ...(schema.type === 'number' ? [] : [{ label: 'float', value: 4.2 }]),
    // `true` is a good value of a boolean field.
    ...(sampleValue(schema) === true ? [] : [{ label: 'true', value: true }]),
    // An empty list is a good value of a list without a minimum (no closed days).
    ...(schema.type === 'array' && (schema.minItems ?? 0) === 0 ? [] : [{ label: 'array', value: [] }]),
    // `{}` is a good value of a map field (thresholds per service, none set).
    ...(schema.type === 'object' ? [] : [{ label: 'object', value: {} }]),
    { label: 'array of string', value: [String(sampleValue(schema))] },
    { label: 'operator object', value: { $ne: null } },
  ];
  if (!allowsNull(schema)) out.push({ label: 'null', value: null });
  return [...out, ...badStrings(schema)];
}

/** Whole bodies that break the schema: not an object, a required field missing, one field wrong. */
function badBodies(declared: JsonSchema, valid: Record<string, unknown>): { label: string; body: unknown }[] {
  // An optional body (`{…} | null`, e.g. signing in at a counter) is checked through its object branch.
  const schema = declared.anyOf?.find((b) => b.properties !== undefined) ?? declared;
  const out: { label: string; body: unknown }[] = [
    { label: 'array', body: [valid] },
    { label: 'string', body: 'str' },
    { label: 'number', body: 42 },
    { label: 'true', body: true },
  ];
  if (!allowsNull(declared)) out.push({ label: 'null', body: null });
  if ((schema.required ?? []).length > 0) out.push({ label: 'empty object', body: {} });
  for (const name of schema.required ?? []) {
    const rest = Object.fromEntries(Object.entries(valid).filter(([k]) => k !== name));
    out.push({ label: `${name} missing`, body: rest });
    out.push({ label: `${name} missing, huge extra field`, body: { ...rest, padding: 'x'.repeat(15_000) } });
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    for (const m of fieldMutations(prop)) out.push({ label: `${name} ${m.label}`, body: { ...valid, [name]: m.value } });
  }
  return out;
}

/** Same for a query string (values are strings, so wrong = breaks length, pattern or enum). */
function badQueries(schema: JsonSchema, valid: Record<string, string>): { label: string; query: Record<string, string | string[]> }[] {
  // No query at all is wrong only where a field is required (`?lang=` alone is optional).
  const out: { label: string; query: Record<string, string | string[]> }[] = (schema.required ?? []).length > 0 ? [{ label: 'no query', query: {} }] : [];
  for (const name of schema.required ?? []) {
    out.push({ label: `${name} missing`, query: Object.fromEntries(Object.entries(valid).filter(([k]) => k !== name)) });
  }
  for (const [name, prop] of Object.entries(schema.properties ?? {})) {
    out.push({ label: `${name} repeated`, query: { ...valid, [name]: [valid[name] ?? 'a', valid[name] ?? 'a'] } });
    const strings = ['', 'x'.repeat((prop.maxLength ?? 0) + 1), 'x'.repeat(4000), 'bad value!', '../../etc/passwd', 'řčž', '\u0000', '1e999', '-1'];
    for (const s of strings) if (surelyInvalidString(s, prop)) out.push({ label: `${name}=${s.slice(0, 12)}`, query: { ...valid, [name]: s } });
  }
  return out;
}

// ---------------------------------------------------------------- the suite

describe('bad input against every route', () => {
  let f: Fixture;
  let p: Prober;
  beforeAll(async () => {
    f = await prepare();
    p = new Prober(f);
  });
  afterAll(async () => {
    if (process.env['FRONTA_PROBE_STATS'] !== undefined) process.stdout.write(`bad-input: ${(p as Prober | undefined)?.count} requests\n`);
    await (f as Fixture | undefined)?.h.close();
  });

  it('finds the whole API surface from the router and the OpenAPI document', () => {
    const keys = f.routes.map((r) => r.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'GET /api/health',
        'POST /api/v1/auth/login',
        'POST /api/v1/tickets',
        'GET /api/v1/tickets/{id}',
        'DELETE /api/v1/devices/{id}',
        'POST /api/v1/counters/{counterId}/call-next',
        'POST /api/v1/counters/{counterId}/tickets/{ticketId}/resume',
      ]),
    );
    expect(routerRoutes(f.h.app).map((r) => `${r.method} ${r.path}`)).toContain('POST /api/v1/counters/:counterId/tickets/:ticketId/resume');
    // Undocumented routes get the generic attacks only: say so, so someone documents them.
    expect(f.routes.filter((r) => !r.documented).map((r) => r.key)).toEqual([]);
    expect(f.routes.filter((r) => r.tags.length === 0 && r.key !== 'GET /api/health').map((r) => r.key)).toEqual([]);
  });

  it('malformed JSON is BODY_INVALID_JSON before any handler runs', SLOW, async () => {
    for (const route of f.routes.filter(takesBody)) {
      for (const who of bodyCallers(route)) {
        for (const payload of MALFORMED_JSON) {
          await p.probe({ what: `malformed JSON as ${who}`, req: build(f, route, { headers: f.who[who], payload }), expect: afterAuth(route, who, ['BODY_INVALID_JSON']) });
        }
      }
    }
    p.assertClean();
  });

  it('bodies over 16 KiB (or the route’s own limit) are BODY_TOO_LARGE', SLOW, async () => {
    for (const route of f.routes.filter(takesBody)) {
      const valid = validBody(f, route) ?? {};
      const over = limitOf(route) + 1024;
      const padded = JSON.stringify({ ...valid, padding: 'x'.repeat(over) });
      const justOver = JSON.stringify({ ...valid, padding: '' });
      const exact = JSON.stringify({ ...valid, padding: 'x'.repeat(limitOf(route) + 1 - justOver.length) });
      for (const who of bodyCallers(route)) {
        for (const [label, payload] of [
          ['17 KiB of valid JSON', padded],
          ['one byte over the limit', exact],
          ['17 KiB of garbage', '{'.repeat(over)],
        ] as const) {
          await p.probe({ what: `${label} as ${who}`, req: build(f, route, { headers: f.who[who], payload }), expect: afterAuth(route, who, ['BODY_TOO_LARGE']) });
        }
      }
      const who = rightCaller(route);
      await p.probe({
        what: `1 MiB as ${who}`,
        req: build(f, route, { headers: f.who[who], payload: Buffer.alloc(1024 * 1024, 0x20) }),
        expect: afterAuth(route, who, ['BODY_TOO_LARGE']),
      });
    }
    p.assertClean();
  });

  it('bodies that are not JSON, text/plain included, are UNSUPPORTED_MEDIA_TYPE', SLOW, async () => {
    for (const route of f.routes.filter(takesBody)) {
      const json = JSON.stringify(validBody(f, route) ?? {});
      for (const who of bodyCallers(route)) {
        for (const type of WRONG_TYPES) {
          await p.probe({ what: `${type} as ${who}`, req: build(f, route, { headers: f.who[who], payload: json, type }), expect: afterAuth(route, who, ['UNSUPPORTED_MEDIA_TYPE']) });
        }
        if (route.method !== 'DELETE') {
          await p.probe({ what: `no content-type as ${who}`, req: build(f, route, { headers: f.who[who], payload: json, type: null }), expect: afterAuth(route, who, ['UNSUPPORTED_MEDIA_TYPE']) });
        }
        // text/plain is what a browser may send cross-site without asking: never parsed.
        await p.probe({ what: `text/plain as ${who}`, req: build(f, route, { headers: f.who[who], payload: json, type: 'text/plain' }), expect: afterAuth(route, who, ['UNSUPPORTED_MEDIA_TYPE']) });
      }
    }
    p.assertClean();
  });

  it('wrong types, missing fields and oversized strings in bodies and queries are VALIDATION_FAILED', SLOW, async () => {
    const withBody = f.routes.filter((r) => takesBody(r) && r.body !== null);
    const withQuery = f.routes.filter((r) => r.query !== null);
    expect(withBody.length).toBeGreaterThan(0);
    for (const route of withBody) {
      for (const { label, body } of badBodies(route.body!, validBody(f, route)!)) {
        for (const who of bodyCallers(route)) {
          await p.probe({ what: `body ${label} as ${who}`, req: build(f, route, { headers: f.who[who], body }), expect: afterAuth(route, who, ['VALIDATION_FAILED']) });
        }
      }
    }
    for (const route of withQuery) {
      for (const { label, query } of badQueries(route.query!, validQuery(route))) {
        for (const who of bodyCallers(route)) {
          const url = urlOf(route, (pp) => f.real[pp.collection] ?? 'zz-unknown', query);
          await p.probe({ what: `query ${label} as ${who}`, req: build(f, route, { headers: f.who[who], url }), expect: afterAuth(route, who, ['VALIDATION_FAILED']) });
        }
      }
    }
    p.assertClean();
  });

  it('unknown ids, in the path or in the body, are refused', SLOW, async () => {
    for (const route of f.routes.filter((r) => r.params.length > 0)) {
      const slots = [...route.params.map((one) => [one.name]), ...(route.params.length > 1 ? [route.params.map((x) => x.name)] : [])];
      for (const slot of slots) {
        for (const unknown of UNKNOWN_IDS) {
          const ids: IdPick = (pp) => (slot.includes(pp.name) ? unknown : (f.real[pp.collection] ?? 'zz-unknown'));
          for (const who of ALL_CALLERS) {
            await p.probe({ what: `unknown ${slot.join('+')} as ${who}`, req: build(f, route, { headers: f.who[who], ids }), expect: '4xx' });
          }
        }
      }
    }
    // Ids inside bodies, sent by the caller the route is meant for.
    for (const route of f.routes.filter((r) => takesBody(r) && r.body !== null)) {
      const valid = validBody(f, route)!;
      for (const name of Object.keys(route.body!.properties ?? {}).filter((n) => /Id$/.test(n))) {
        for (const unknown of ['nope', 'o1-s99', 'x'.repeat(64)]) {
          const who = rightCaller(route);
          await p.probe({ what: `unknown ${name} in body as ${who}`, req: build(f, route, { headers: f.who[who], body: { ...valid, [name]: unknown } }), expect: '4xx' });
        }
      }
    }
    p.assertClean();
  });

  it('missing, forged, expired and revoked credentials are 401', SLOW, async () => {
    for (const route of f.routes) {
      for (const [label, headers] of f.badTokens) {
        const expectation: Expectation = route.path.startsWith('/api/v1/') ? ['AUTH_TOKEN_INVALID'] : 'not-5xx';
        await p.probe({ what: label, req: build(f, route, { headers }), expect: expectation });
      }
      for (const [label, headers] of f.nobody) {
        await p.probe({ what: label, req: build(f, route, { headers }), expect: expectFor(f, route, ['AUTH_REQUIRED']) });
      }
    }
    p.assertClean();
  });

  it('a valid caller of the wrong kind is refused (display on kiosk routes, kiosk at counters, clerk at another clerk’s counter)', async () => {
    let checked = 0;
    for (const route of f.routes) {
      for (const { who, counter, codes } of wrongCallers(route)) {
        const ids: IdPick = (pp) => (pp.collection === 'counters' && counter !== undefined ? counter : (f.real[pp.collection] ?? 'zz-unknown'));
        await p.probe({ what: `${who}${counter === undefined ? '' : ` at ${counter}`}`, req: build(f, route, { headers: f.who[who], ids }), expect: codes });
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30);
    p.assertClean();
  });

  it('a method a path does not serve, and paths that do not exist, are refused', async () => {
    const served = new Map<string, Set<string>>();
    for (const r of f.routes) served.set(r.path, (served.get(r.path) ?? new Set()).add(r.method));
    for (const [path, methods] of served) {
      const route = f.routes.find((r) => r.path === path)!;
      for (const method of (['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const).filter((m) => !methods.has(m))) {
        const url = urlOf(route, (pp) => f.real[pp.collection] ?? 'zz-unknown');
        await p.probe({ what: `${method} not served`, req: { method, url, headers: { ...f.who.admin, 'content-type': 'application/json' }, payload: '{"serviceId":"o1-s1"}' }, expect: '4xx' });
      }
    }
    for (const url of ['/api/v1/nope', '/api/v2/offices', '/api/v1/tickets/a/b/c', '/api/v1/counters//open', '/api//v1/offices', '/api/v1/offices/o1/services/']) {
      await p.probe({ what: 'no such path', req: { method: 'GET', url, headers: {} }, expect: '4xx' });
      await p.probe({ what: 'no such path', req: { method: 'POST', url, headers: { ...f.who.admin, 'content-type': 'application/json' }, payload: '{}' }, expect: '4xx' });
    }
    p.assertClean();
  });

  it('generated garbage (fast-check): never a 5xx, always the error envelope, nothing changed', SLOW, async () => {
    const bodyRoutes = f.routes.filter(takesBody);
    const schemaRoutes = bodyRoutes.filter((r) => r.body !== null);
    const callers = fc.constantFrom(...ALL_CALLERS);
    const notJson = (s: string): boolean => {
      try {
        JSON.parse(s);
        return false;
      } catch {
        return true;
      }
    };
    // 1. Byte soup and near-JSON text.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyRoutes),
        callers,
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')), fc.json().map((j) => j.slice(0, -1))),
        async (route, who, payload) => {
          fc.pre(notJson(payload));
          await p.probe({ what: `garbage text as ${who}`, req: build(f, route, { headers: f.who[who], payload }), expect: afterAuth(route, who, ['BODY_INVALID_JSON']) });
        },
      ),
      { numRuns: 150 },
    );
    // 2. Any JSON value that lacks a required field.
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...schemaRoutes), callers, fc.jsonValue({ maxDepth: 4 }), async (route, who, value) => {
        const required = route.body!.required ?? [];
        fc.pre(value !== null || !allowsNull(route.body!)); // an optional body may be absent
        fc.pre(typeof value !== 'object' || value === null || Array.isArray(value) || required.some((k) => !(k in value)));
        const payload = JSON.stringify(value);
        const poisoned = /"(__proto__|constructor)"/.test(payload);
        await p.probe({ what: `JSON value as ${who}`, req: build(f, route, { headers: f.who[who], payload }), expect: afterAuth(route, who, poisoned ? ['VALIDATION_FAILED', 'BODY_INVALID_JSON'] : ['VALIDATION_FAILED']) });
      }),
      { numRuns: 120 },
    );
    // 3. A valid body with some fields given values that are surely wrong, plus random extra keys.
    const wrongValue = (schema: JsonSchema): fc.Arbitrary<unknown> =>
      fc.oneof(
        // (a boolean is a good value of a boolean field; an empty list or object may be a good value too)
        fc.oneof(fc.integer(), fc.double(), sampleValue(schema) === true ? fc.constant('true') : fc.boolean(), fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }), fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 })),
        ...(allowsNull(schema) ? [] : [fc.constant(null)]),
        // Strings only from a fixed list of sure violations: a filter on random strings may never
        // be satisfied (a field with only a large maximum).
        ...(badStrings(schema).length > 0 ? [fc.constantFrom(...badStrings(schema).map((b) => b.value))] : []),
      );
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...schemaRoutes.filter((r) => Object.keys(r.body!.properties ?? {}).length > 0)).chain((route) => {
          const props = Object.entries(route.body!.properties ?? {});
          return fc.tuple(
            fc.constant(route),
            fc.subarray(props, { minLength: 1 }).chain((chosen) => fc.tuple(...chosen.map(([name, schema]) => fc.tuple(fc.constant(name), wrongValue(schema))))),
            fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
          );
        }),
        callers,
        async ([route, wrong, extra], who) => {
          const body = { ...extra, ...validBody(f, route), ...Object.fromEntries(wrong) };
          const payload = JSON.stringify(body);
          const poisoned = /"(__proto__|constructor)"/.test(payload);
          const codes: ErrorCode[] =
            Buffer.byteLength(payload) > limitOf(route) ? ['BODY_TOO_LARGE'] : poisoned ? ['VALIDATION_FAILED', 'BODY_INVALID_JSON'] : ['VALIDATION_FAILED'];
          await p.probe({ what: `wrong fields as ${who}`, req: build(f, route, { headers: f.who[who], payload }), expect: afterAuth(route, who, codes) });
        },
      ),
      { numRuns: 150 },
    );
    // 4. Any Accept-Language header still gets a catalogued message (checked by the envelope).
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: fc.constantFrom(...'abcdehnorsz-CNZ_;=,.*0123456789 q'), maxLength: 60 }), async (header) => {
        await p.probe({ what: 'odd Accept-Language', req: { method: 'GET', url: '/api/v1/tickets/nope', headers: { 'accept-language': header } }, expect: ['TICKET_NOT_FOUND'] });
      }),
      { numRuns: 60 },
    );
    p.assertClean();
  });

  it('answers in the caller’s language (cs, ro, zh-CN): same code, a different message than English', async () => {
    // Make sure the common codes are present even when this test runs alone.
    const route = (key: string): ApiRoute => f.routes.find((r) => r.key === key)!;
    const tickets = route('POST /api/v1/tickets');
    const own: Case[] = [
      { what: 'malformed', req: build(f, tickets, { headers: f.who.kiosk, payload: '{' }), expect: ['BODY_INVALID_JSON'] },
      { what: 'too large', req: build(f, tickets, { headers: f.who.kiosk, payload: 'x'.repeat(BODY_LIMIT + 1) }), expect: ['BODY_TOO_LARGE'] },
      { what: 'xml', req: build(f, tickets, { headers: f.who.kiosk, payload: '<a/>', type: 'application/xml' }), expect: ['UNSUPPORTED_MEDIA_TYPE'] },
      { what: 'invalid', req: build(f, tickets, { headers: f.who.kiosk, body: { serviceId: 42 } }), expect: ['VALIDATION_FAILED'] },
      { what: 'no route', req: { method: 'GET', url: '/api/v1/nope', headers: {} }, expect: ['NOT_FOUND'] },
      { what: 'anonymous', req: build(f, tickets, {}), expect: ['AUTH_REQUIRED'] },
      { what: 'forged', req: build(f, tickets, { headers: bearer('A'.repeat(43)) }), expect: ['AUTH_TOKEN_INVALID'] },
      { what: 'display', req: build(f, tickets, { headers: f.who.display }), expect: ['FORBIDDEN'] },
      { what: 'unknown service', req: build(f, tickets, { headers: f.who.kiosk, body: { serviceId: 'nope' } }), expect: ['SERVICE_NOT_FOUND'] },
      { what: 'unknown category', req: build(f, tickets, { headers: f.who.kiosk, body: { serviceId: 'o1-s1', categoryId: 'nope' } }), expect: ['PRIORITY_CATEGORY_UNKNOWN'] },
      { what: 'unknown ticket', req: { method: 'GET', url: '/api/v1/tickets/nope', headers: {} }, expect: ['TICKET_NOT_FOUND'] },
      { what: 'unknown office', req: { method: 'GET', url: '/api/v1/offices/nope/services', headers: {} }, expect: ['OFFICE_NOT_FOUND'] },
      { what: 'wrong password', req: build(f, route('POST /api/v1/auth/login'), {}), expect: ['AUTH_INVALID_CREDENTIALS'] },
      { what: 'unknown device', req: { method: 'DELETE', url: '/api/v1/devices/nope', headers: f.who.admin }, expect: ['DEVICE_NOT_FOUND'] },
      { what: 'unknown counter', req: { method: 'POST', url: '/api/v1/counters/nope/call-next', headers: f.who.clerk1 }, expect: ['COUNTER_NOT_FOUND'] },
      { what: 'not my counter', req: { method: 'POST', url: '/api/v1/counters/o1-c1/call-next', headers: f.who.clerk2 }, expect: ['COUNTER_NOT_ASSIGNED'] },
    ];
    await p.all(own);
    p.assertClean();
    const byCode = new Map<ErrorCode, Case>(p.samples);
    const replayed: string[] = [];
    for (const [code, c] of byCode) {
      const english = await f.h.app.inject({ ...c.req, headers: { ...c.req.headers, 'accept-language': 'en' } } as InjectOptions);
      const englishMessage = english.json<{ error: { message: string } }>().error.message;
      for (const header of ['cs', 'ro', 'zh-CN', 'cs-CZ,cs;q=0.9,en;q=0.8', 'ro-RO', 'zh']) {
        const res = await p.probe({ what: `in ${header}`, req: { ...c.req, headers: { ...c.req.headers, 'accept-language': header } }, expect: [code] });
        const message = (JSON.parse(res.body) as { error?: { message?: string } }).error?.message;
        const lang = negotiateLanguage(header);
        if (message === englishMessage) replayed.push(`${code} in ${header}: still English: ${message}`);
        if (message !== undefined && !messagePattern(lang, code).test(message)) replayed.push(`${code} in ${header}: ${message}`);
      }
    }
    expect(byCode.size).toBeGreaterThanOrEqual(own.length);
    expect(replayed).toEqual([]);
    p.assertClean();
  });

  it('over real sockets: chunked oversized bodies are 413, broken HTTP framing still gets the error envelope', async () => {
    const ticketsBefore = dbSnapshot(f.h.db, f.h.clock.now()).get('tickets');
    const address = await f.h.app.listen({ host: '127.0.0.1', port: 0 });
    const { hostname, port } = new URL(address);
    // Chunked: no Content-Length for Fastify to check up front.
    const chunked = await new Promise<RawAnswer>((resolve, reject) => {
      const r = httpRequest({ host: hostname, port, method: 'POST', path: '/api/v1/tickets', headers: { ...f.who.kiosk, 'content-type': 'application/json' } }, (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (d: string) => (body += d)).on('end', () => resolve({ statusCode: res.statusCode ?? 0, headers: res.headers, body }));
      });
      r.on('error', reject);
      for (let i = 0; i < 40; i++) r.write('x'.repeat(1024));
      r.end();
    });
    const problems: string[] = [];
    if (chunked.statusCode !== 413) problems.push(`chunked 40 KiB → ${chunked.statusCode} ${chunked.body}`);
    problems.push(...envelopeProblems(chunked, 'en').map((x) => `chunked: ${x}`));
    const raw = (data: string): Promise<string> =>
      new Promise((resolve) => {
        let out = '';
        const s = connect(Number(port), hostname, () => s.end(data));
        s.setEncoding('utf8').on('data', (d: string) => (out += d));
        s.on('close', () => resolve(out));
        s.on('error', () => resolve(out));
      });
    const framing: [string, string][] = [
      ['Content-Length that is not a number', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n{}'],
      ['broken chunk size', 'POST /api/v1/tickets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n'],
      ['not HTTP at all', 'HELLO\r\n\r\n'],
    ];
    // Dot segments reach the router unresolved: an id of `..` is refused, never resolved away.
    const body = '{"serviceId":"o1-s1"}';
    for (const path of ['/api/v1/counters/../tickets', '/api/v1/counters/%2E%2E/tickets', '/api/v1/tickets/../tickets', '/api/v1/%2e%2e/health']) {
      const text = await raw(
        `POST ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${f.h.kioskToken}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
      );
      const [head = '', answer = ''] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      if (status < 400 || status >= 500) problems.push(`${path} → ${status} ${answer}`);
      problems.push(...envelopeProblems({ statusCode: status, headers: { 'content-type': /content-type: *([^\r\n]+)/i.exec(head)?.[1] ?? '' }, body: answer }, 'en').map((x) => `${path}: ${x}`));
    }
    expect(dbSnapshot(f.h.db, f.h.clock.now()).get('tickets')).toBe(ticketsBefore);
    for (const [label, data] of framing) {
      const text = await raw(data);
      const [head = '', body = ''] = text.split('\r\n\r\n');
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1] ?? 0);
      const type = /content-type: *([^\r\n]+)/i.exec(head)?.[1] ?? '';
      if (status < 400 || status >= 500) problems.push(`${label} → ${status}`);
      problems.push(...envelopeProblems({ statusCode: status, headers: { 'content-type': type }, body }, 'en').map((x) => `${label}: ${x} (${body})`));
    }
    expect(problems).toEqual([]);
  });
});

describe('bad input that needs a fresh host (the request could change state if accepted)', () => {
  let f: Fixture;
  let p: Prober;
  beforeEach(async () => {
    f = await prepare();
    p = new Prober(f);
  });
  afterEach(async () => {
    await (f as Fixture | undefined)?.h.close();
  });

  it('ids of another office (path or body) are refused to every caller of this office', SLOW, async () => {
    const callers: PrincipalName[] = ['none', 'admin', 'clerk1', 'clerk2', 'clerk4', 'kiosk', 'display'];
    for (const route of f.routes.filter((r) => r.params.length > 0)) {
      const slots = [...route.params.map((one) => [one.name]), ...(route.params.length > 1 ? [route.params.map((x) => x.name)] : [])];
      for (const slot of slots) {
        const ids: IdPick = (pp) => (slot.includes(pp.name) ? (f.foreign[pp.collection] ?? 'zz-unknown') : (f.real[pp.collection] ?? 'zz-unknown'));
        for (const who of callers) {
          await p.probe({ what: `o2 ${slot.join('+')} as ${who}`, req: build(f, route, { headers: f.who[who], ids }), expect: isPublic(route) ? 'not-5xx' : '4xx' });
        }
      }
      // And a device of office o2 on this office's ids.
      await p.probe({ what: 'o2 kiosk on o1 ids', req: build(f, route, { headers: f.who.kioskO2 }), expect: isPublic(route) ? 'not-5xx' : '4xx' });
    }
    for (const route of f.routes.filter((r) => takesBody(r) && r.body !== null)) {
      for (const name of Object.keys(route.body!.properties ?? {}).filter((n) => /Id$/.test(n))) {
        const foreign = f.foreign[`${name.replace(/Id$/, '')}s`];
        if (foreign === undefined) continue;
        const who = rightCaller(route);
        await p.probe({ what: `o2 ${name} in body as ${who}`, req: build(f, route, { headers: f.who[who], body: { ...validBody(f, route), [name]: foreign } }), expect: '4xx' });
      }
    }
    p.assertClean();
  });

  it('a body with a non-JSON content type is refused even where the route reads no body', async () => {
    // The right caller, real ids: only the content type is wrong. A route that ignores its body
    // must still not act on a request it was not meant to accept.
    for (const route of f.routes.filter((r) => takesBody(r) && r.body === null)) {
      const who = rightCaller(route);
      await p.probe({ what: `text/plain as ${who}`, req: build(f, route, { headers: f.who[who], payload: 'hello', type: 'text/plain' }), expect: afterAuth(route, who, ['UNSUPPORTED_MEDIA_TYPE']) });
    }
    p.assertClean();
  });

  it('path parameters that cannot be decoded or exceed the router limit get the error envelope', async () => {
    for (const route of f.routes.filter((r) => r.params.length > 0)) {
      for (const bad of ['%E0%A4%A', '%ZZ', '%', 'x'.repeat(201)]) {
        const who = rightCaller(route);
        await p.probe({ what: `undecodable/overlong id as ${who}`, req: build(f, route, { headers: f.who[who], ids: () => bad }), expect: '4xx' });
      }
    }
    p.assertClean();
  });
});

import type { HTTPMethods, InjectOptions } from 'fastify';
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { ErrorCode } from '../../core/shared/errors.ts';
import type { Language } from '../../core/shared/model.ts';
import type { Ids } from '../../core/queue/ports.ts';
import { negotiateLanguage } from '../../server/i18n.ts';
import { createDevice, createUser } from '../../server/provisioning.ts';
import { newToken, tokenHash } from '../../server/passwords.ts';
import { WEBHOOK_EVENT_TYPES } from '../../core/webhooks/model.ts';
import { createWebhooks, type WebhookRuntime } from '../../host/webhooks.ts';
import { BODY_OVERRIDES, isPublic, type PrincipalName } from './bad-input-policy.ts';
import { envelopeProblems, errorCodeOf, type RawAnswer } from './error-envelope.ts';
import { changedTables, storeSnapshot } from './store-snapshot.ts';
import { startBookingHost, testKeyed } from './booking.ts';
import { feesForSweeps } from './fees.ts';
import { PASSWORD, type TestHost, type TestStore } from './harness.ts';
import { testOffice } from './office.ts';
import { apiRoutes, fillPath, sampleBody, takesBody, type ApiRoute } from './routes.ts';

/**
 * The bad-input tests' host in a lived-in state, the requests they build against it, and the
 * prober that sends each one and checks its answer and the database.
 */
export type Headers = Record<string, string>;
export type Expectation = readonly ErrorCode[] | '4xx' | 'not-5xx';

export interface Req {
  method: HTTPMethods;
  url: string;
  headers: Headers;
  payload?: string | Buffer;
}

export interface Case {
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

export interface Fixture {
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

export const bearer = (token: string): Headers => ({ authorization: `Bearer ${token}` });

/**
 * The test office o1 (harness) in a lived-in state, plus a second office o2:
 * A001 called at o1-c1 by clerk1; B001 parked (clerk3, o1-c3, now idle); clerk2 idle at o1-c2;
 * clerk4 signed in nowhere; A002 and C001 waiting; one waiting ticket in o2.
 */
export async function prepare(store: TestStore = 'sqlite'): Promise<Fixture> {
  // The host as `fronta serve` builds it: with the online booking portal (o1-s1 bookable).
  // Outgoing webhooks too: their routes are attacked like the rest (the dispatcher is stopped
  // once the fixture's subscription exists, so no delivery writes behind a probe's back).
  let webhooks: WebhookRuntime | undefined;
  const h = await startBookingHost({
    store,
    alerts: true,
    fees: feesForSweeps,
    webhooks: (parts) => {
      webhooks = createWebhooks({ ...parts, ids: new TaggedIds(), keyed: testKeyed(), allowLoopback: true, timeoutMs: 200 });
      return webhooks.server;
    },
  });
  const access = h.stores.people;
  const deps = { ids: new TaggedIds(), clock: h.clock };
  await h.stores.seed.officeConfig(testOffice({ id: 'o2' }));
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
    // Signed in below, once they exist.
    supervisor: {},
    o2admin: {},
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
  const hook = await h.app.inject({
    method: 'POST',
    url: '/api/v1/offices/o1/webhooks',
    headers: who.admin,
    payload: { url: 'https://127.0.0.1:9/fronta', eventTypes: [WEBHOOK_EVENT_TYPES[0]] },
  });
  if (hook.statusCode !== 201) throw new Error(`fixture webhook: ${hook.statusCode} ${hook.body}`);
  await webhooks!.stop();

  // A user disabled after signing in, and an expired session of clerk1.
  await createUser(access, deps, { officeId: 'o1', username: 'gone', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
  const gone = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'gone', password: PASSWORD } });
  const goneCookie = gone.cookies.find((c) => c.name === 'fronta_session')?.value ?? 'missing';
  await h.sql(`UPDATE users SET disabled_at = ${h.clock.now()} WHERE username = 'gone'`);
  const clerk1 = (await access.userByUsername('clerk1'))!;
  const o2Admin = await createUser(access, deps, { officeId: 'o2', username: 'o2admin', password: PASSWORD, role: 'admin', passwordCostLog2: 10 });
  await createUser(access, deps, { officeId: 'o1', username: 'boss', password: PASSWORD, role: 'supervisor', passwordCostLog2: 10 });
  for (const [name, username] of [['supervisor', 'boss'], ['o2admin', 'o2admin']] as const) {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    who[name] = { cookie: `fronta_session=${res.cookies.find((c) => c.name === 'fronta_session')?.value ?? 'missing'}` };
  }
  const expired = newToken();
  await access.createSession(tokenHash(expired), clerk1.id, h.clock.now() - 2 * 86_400_000, h.clock.now() - 86_400_000);
  const clerk1Session = h.cookie('clerk1').replace(/^fronta_session=/, '');

  const display = await h.sql<{ id: string }>("SELECT id FROM devices WHERE kind = 'display' AND office_id = 'o1' AND revoked_at IS NULL ORDER BY id LIMIT 1");
  const forged = (): string => randomBytes(32).toString('base64url');
  return {
    h,
    routes: await apiRoutes(h.app),
    who,
    real: {
      offices: 'o1',
      counters: 'o1-c1',
      tickets: parked,
      devices: display[0]!.id,
      services: 'o1-s1',
      users: clerk1.id,
      days: new Date(h.clock.now()).toISOString().slice(0, 10),
      webhooks: hook.json<{ webhook: { id: string } }>().webhook.id,
    },
    foreign: { webhooks: 'wh_none', offices: 'o2', counters: 'o2-c1', tickets: o2Ticket, devices: kioskO2.device.id, services: 'o2-s1', users: o2Admin!.id },
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
export type IdPick = (p: ApiRoute['params'][number]) => string;

export function validBody(f: Fixture, route: ApiRoute): Record<string, unknown> | null {
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

export function validQuery(route: ApiRoute): Record<string, string> {
  if (route.query === null) return {};
  return Object.fromEntries(Object.entries(sampleBody(route.query)).map(([k, v]) => [k, String(v)]));
}

export function urlOf(route: ApiRoute, ids: IdPick, query: Record<string, string | string[]> | URLSearchParams = validQuery(route)): string {
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
export function build(
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

/**
 * Sends each case, checks its answer (a 4xx error envelope in the caller's language, the expected
 * code) and that the database is unchanged afterwards — table by table, every row. With
 * `acceptedMayChange` (generated requests, some of which are good ones) only a refused request
 * must leave it unchanged; an accepted one moves the baseline.
 */
/**
 * Tables a refusal writes by design: a wrong booking code a kiosk tried is counted, so that a
 * guesser is locked out after a few (the count is the refusal's purpose, not a side effect).
 */
const GUESS_COUNTERS = new Set(['kiosk_code_failures']);

export class Prober {
  readonly failures: string[] = [];
  /** One clean request per error code seen (for the language test). */
  readonly samples = new Map<ErrorCode, Case>();
  count = 0;
  /** Tallies for the reliability suite's line. */
  readonly tally = { fiveXx: 0, refused: 0, accepted: 0, changedOnRefusal: 0, dumps: 0 };
  /** Taken before the first probe (so that a fixture may still change after the prober is made). */
  private last: Map<string, string> | undefined;
  private lastWrites = '';
  private readonly writes: () => string;

  constructor(
    private readonly f: Fixture,
    /**
     * `dumpEach`: compare the whole dump after every request, not only after one that wrote.
     * `writingRefusals`: codes whose refusal writes by design (PRINT_FAILED: the number was taken, then voided).
     */
    private readonly opts: { acceptedMayChange?: boolean; dumpEach?: boolean; writingRefusals?: readonly ErrorCode[] } = {},
  ) {
    if (f.h.store === 'sqlite') {
      // Writes through the app's connection (total_changes) or any other (data_version): when
      // neither moved, nothing changed and the full snapshot can be skipped.
      const total = f.h.db.prepare('SELECT total_changes() AS n');
      this.writes = () => `${(total.get() as { n: number }).n}/${String(f.h.db.pragma('data_version', { simple: true }))}`;
    } else {
      // PostgreSQL keeps no such counter across connections: every request is compared.
      let n = 0;
      this.writes = () => String(++n);
    }
  }

  private changed(now: Map<string, string> | null): string[] {
    if (now === null) return [];
    const changed = changedTables(this.last!, now);
    this.last = now;
    return changed;
  }

  /** The database after a request, or null when nothing was written (SQLite's counters say). */
  private async after(): Promise<Map<string, string> | null> {
    const writes = this.writes();
    if (writes === this.lastWrites && this.opts.dumpEach !== true) return null;
    this.lastWrites = writes;
    this.tally.dumps++;
    return storeSnapshot(this.f.h, this.f.h.clock.now());
  }

  async probe(c: Case): Promise<RawAnswer> {
    if (this.last === undefined) {
      this.last = await storeSnapshot(this.f.h, this.f.h.clock.now());
      this.lastWrites = this.writes();
    }
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
    if (status >= 500) this.tally.fiveXx++;
    if (status >= 400) this.tally.refused++;
    else this.tally.accepted++;
    const changed = this.changed(await this.after()).filter((t) => !(status >= 400 && GUESS_COUNTERS.has(t)));
    const writesByDesign = code !== null && (this.opts.writingRefusals ?? []).includes(code);
    if (changed.length > 0 && !writesByDesign && (status >= 400 || this.opts.acceptedMayChange !== true)) {
      problems.push(`changed ${changed.join(', ')}`);
      if (status >= 400) this.tally.changedOnRefusal++;
    }
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

export const expectFor = (f: Fixture, route: ApiRoute, codes: readonly ErrorCode[]): Expectation =>
  isPublic(route) ? 'not-5xx' : codes;

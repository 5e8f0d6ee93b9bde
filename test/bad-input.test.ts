import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ErrorCode } from '../core/shared/errors.ts';
import { BODY_LIMIT } from '../server/app.ts';
import { negotiateLanguage } from '../server/i18n.ts';
import { dbSnapshot, envelopeProblems, messagePattern, type RawAnswer } from './helpers/error-envelope.ts';
import { build, bearer, expectFor, prepare, Prober, urlOf, validBody, validQuery, type Case, type Expectation, type Fixture, type IdPick } from './helpers/bad-input-fixture.ts';
import {
  afterAuth,
  ALL_CALLERS,
  badBodies,
  badQueries,
  bodyCallers,
  garbageText,
  isNotJson,
  MALFORMED_JSON,
  UNKNOWN_IDS,
  WRONG_TYPES,
  wrongFields,
  wrongFieldsCodes,
} from './helpers/bad-input-generators.ts';
import { isPublic, limitOf, rightCaller, wrongCallers, type PrincipalName } from './helpers/bad-input-policy.ts';
import { allowsNull, routerRoutes, takesBody, type ApiRoute } from './helpers/routes.ts';

/**
 * Hostile and clumsy input against every route of the API, enumerated from the router and the
 * OpenAPI document (a route added later is attacked without touching this file). Every answer
 * must be a 4xx `{ error: { code, message } }` in the caller's language — never a 5xx, a stack
 * trace or a Fastify default body — and must change nothing in the database. The fixture, the
 * policy (who may call what) and the generators are in test/helpers/bad-input-*.ts, shared with
 * the reliability suite's generated requests (test/reliability/bad-input-http.test.ts).
 */

/** Heavy tests get room on a loaded machine; on an idle one each takes a few seconds. */
const SLOW = { timeout: 90_000 };

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
    // 1. Byte soup and near-JSON text.
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...bodyRoutes),
        callers,
        garbageText(),
        async (route, who, payload) => {
          fc.pre(isNotJson(payload));
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
    await fc.assert(
      fc.asyncProperty(
        wrongFields(schemaRoutes),
        callers,
        async ([route, wrong, extra], who) => {
          const body = { ...extra, ...validBody(f, route), ...Object.fromEntries(wrong) };
          const payload = JSON.stringify(body);
          await p.probe({ what: `wrong fields as ${who}`, req: build(f, route, { headers: f.who[who], payload }), expect: afterAuth(route, who, wrongFieldsCodes(payload, limitOf(route))) });
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

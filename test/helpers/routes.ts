import type { FastifyInstance } from 'fastify';

/** The part of a JSON schema (as the OpenAPI document renders the zod contracts) the tests read. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  /** A list's least length (absent: none). */
  minItems?: number;
  /** A number's range (absent: none). */
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  anyOf?: JsonSchema[];
  /** A record's values (`z.record`): the sample gets one entry. */
  additionalProperties?: JsonSchema | boolean;
  propertyNames?: JsonSchema;
}

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI form: `/api/v1/counters/{counterId}/open`. */
  path: string;
  /** Path parameters in order, each with the collection segment just before it (`counters`). */
  params: { name: string; collection: string }[];
  tags: string[];
  /** JSON schema of the request body, or null when the route declares none. */
  body: JsonSchema | null;
  /** The query string as an object schema, or null when the route declares none. */
  query: JsonSchema | null;
  /** True when the route is in the OpenAPI document (false: found only in the router). */
  documented: boolean;
  /** True when the document says the route needs no credential (`security: []`). */
  isPublic: boolean;
  /** `POST /api/v1/counters/{counterId}/open`. */
  key: string;
}

const METHODS: readonly HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every method + path the router knows, read from `printRoutes` (the tree is indented four
 * characters a level; a child's label continues its parent's path).
 */
export function routerRoutes(app: FastifyInstance): { method: string; path: string }[] {
  const out: { method: string; path: string }[] = [];
  const stack: string[] = [''];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([\s│├└─]*)(\S+?)(?: \(([A-Z, ]+)\))?$/u.exec(line);
    if (m === null) continue;
    const depth = Math.round(m[1]!.length / 4);
    const full = (stack[depth - 1] ?? '') + m[2]!;
    stack[depth] = full;
    stack.length = depth + 1;
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim())) if (method !== '') out.push({ method, path: full });
  }
  return out;
}

const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function paramsOf(path: string): ApiRoute['params'] {
  const segments = path.split('/');
  const params: ApiRoute['params'] = [];
  segments.forEach((seg, i) => {
    const m = /^\{(.+)\}$/.exec(seg);
    if (m !== null) params.push({ name: m[1]!, collection: segments[i - 1] ?? '' });
  });
  return params;
}

interface OpenApiOperation {
  tags?: string[];
  security?: unknown[];
  parameters?: { in: string; name: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
}

function querySchema(op: OpenApiOperation | undefined): JsonSchema | null {
  const params = (op?.parameters ?? []).filter((p) => p.in === 'query');
  if (params.length === 0) return null;
  return {
    type: 'object',
    properties: Object.fromEntries(params.map((p) => [p.name, p.schema ?? {}])),
    required: params.filter((p) => p.required === true).map((p) => p.name),
  };
}

/**
 * The API surface to attack: every route under `/api/` the router serves (docs pages aside),
 * enriched with tags and body schema from the OpenAPI document at /api/docs/json. Routes added
 * later are picked up without touching the tests.
 */
export async function apiRoutes(app: FastifyInstance): Promise<ApiRoute[]> {
  const res = await app.inject({ url: '/api/docs/json' });
  if (res.statusCode !== 200) throw new Error(`no OpenAPI document: ${res.statusCode}`);
  const doc = res.json<{ paths: Record<string, Record<string, OpenApiOperation>> }>();
  const routes = new Map<string, ApiRoute>();
  const add = (method: HttpMethod, path: string, op: OpenApiOperation | undefined): void => {
    const key = `${method} ${path}`;
    if (routes.has(key)) return;
    routes.set(key, {
      method,
      path,
      params: paramsOf(path),
      tags: op?.tags ?? [],
      body: op?.requestBody?.content?.['application/json']?.schema ?? null,
      query: querySchema(op),
      documented: op !== undefined,
      isPublic: op?.security !== undefined && op.security.length === 0,
      key,
    });
  };
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const m = method.toUpperCase() as HttpMethod;
      if (METHODS.includes(m)) add(m, path, op);
    }
  }
  for (const r of routerRoutes(app)) {
    if (!r.path.startsWith('/api/') || r.path.startsWith('/api/docs')) continue;
    const m = r.method as HttpMethod;
    if (METHODS.includes(m)) add(m, toOpenApiPath(r.path), doc.paths[toOpenApiPath(r.path)]?.[r.method.toLowerCase()]);
  }
  return [...routes.values()].sort((a, b) => a.key.localeCompare(b.key));
}

/** The concrete URL of a route, each parameter given by `value(param)` (already URL-encoded). */
export function fillPath(route: ApiRoute, value: (param: ApiRoute['params'][number]) => string): string {
  let url = route.path;
  for (const p of route.params) url = url.replace(`{${p.name}}`, value(p));
  return url;
}

export const takesBody = (r: ApiRoute): boolean => r.method !== 'GET';

const schemaTypes = (s: JsonSchema): string[] => (Array.isArray(s.type) ? s.type : s.type === undefined ? [] : [s.type]);

/** Whether null is allowed (`nullable`, a `null` type, or an `anyOf` branch). */
export const allowsNull = (s: JsonSchema): boolean =>
  s.nullable === true || schemaTypes(s).includes('null') || (s.anyOf ?? []).some((b) => allowsNull(b));

export const isStringSchema = (s: JsonSchema): boolean =>
  schemaTypes(s).includes('string') || (s.anyOf ?? []).some((b) => schemaTypes(b).includes('string'));

const STRING_CANDIDATES = ['aaaaaaaa', 'A017', '3', 'a', 'aa', 'abc-123', 'x_1', 'a@example.org', '2026-11-23'];

/** Whether a string meets the schema exactly as written (length, pattern, enum). */
export function fitsString(value: string, s: JsonSchema): boolean {
  if (s.enum !== undefined && !s.enum.includes(value)) return false;
  if (s.minLength !== undefined && value.length < s.minLength) return false;
  if (s.maxLength !== undefined && value.length > s.maxLength) return false;
  return s.pattern === undefined || new RegExp(s.pattern, 'u').test(value);
}

/** A value the schema accepts, built from its constraints (`aaaaaaaa`, the first enum member…). */
export function sampleValue(s: JsonSchema): unknown {
  if (s.enum !== undefined && s.enum.length > 0) return s.enum[0];
  if (isStringSchema(s)) {
    const fit = STRING_CANDIDATES.find((c) => fitsString(c, s));
    return fit ?? 'a'.repeat(Math.min(Math.max(s.minLength ?? 1, 8), s.maxLength ?? 8));
  }
  const t = schemaTypes(s);
  if (t.includes('integer') || t.includes('number')) return 1;
  if (t.includes('boolean')) return true;
  if (t.includes('array')) return [];
  if (t.includes('object')) return sampleBody(s);
  return null;
}

export function sampleBody(s: JsonSchema): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  if (typeof s.additionalProperties === 'object' && s.properties === undefined) {
    const key = s.propertyNames?.enum?.[0];
    body[typeof key === 'string' ? key : 'en'] = sampleValue(s.additionalProperties);
  }
  for (const name of s.required ?? []) {
    const prop = s.properties?.[name];
    if (prop !== undefined) body[name] = sampleValue(prop);
  }
  return body;
}

/**
 * True when the string breaks the field's schema however the server normalises it (zod may trim
 * and match case-insensitively, which the JSON schema does not show): a conservative check, so a
 * "surely invalid" value is never accidentally accepted.
 */
export function surelyInvalidString(value: string, s: JsonSchema): boolean {
  const trimmed = value.trim();
  if (s.enum !== undefined && !s.enum.includes(value) && !s.enum.includes(trimmed)) return true;
  if (s.minLength !== undefined && value.length < s.minLength) return true;
  if (s.maxLength !== undefined && trimmed.length > s.maxLength) return true;
  if (s.pattern !== undefined) {
    const re = new RegExp(s.pattern, 'i');
    if (!re.test(value) && !re.test(trimmed)) return true;
  }
  return false;
}

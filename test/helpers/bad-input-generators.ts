import fc from 'fast-check';
import type { ErrorCode } from '../../core/shared/errors.ts';
import { isPublic, rightCaller, type PrincipalName } from './bad-input-policy.ts';
import { allowsNull, isStringSchema, sampleValue, surelyInvalidString, type ApiRoute, type JsonSchema } from './routes.ts';

/** Hostile and clumsy input, by kind: what the bad-input tests send, listed and generated. */
export const ALL_CALLERS: PrincipalName[] = ['none', 'admin', 'clerk1', 'kiosk', 'display'];

/**
 * Body checks run before any handler, whoever calls; they are sent by the route's own caller
 * (who would get furthest if a check were skipped) and by nobody.
 */
export const bodyCallers = (route: ApiRoute): PrincipalName[] => [...new Set<PrincipalName>([rightCaller(route), 'none'])];

/** Authentication comes first: nobody is turned away (401) from a non-public route before its body or query is looked at. */
export const afterAuth = (route: ApiRoute, who: PrincipalName, codes: ErrorCode[]): ErrorCode[] => (who === 'none' && !isPublic(route) ? ['AUTH_REQUIRED'] : codes);

export const MALFORMED_JSON = [
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

export const WRONG_TYPES = [
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
export const UNKNOWN_IDS = [
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
export function badStrings(schema: JsonSchema): { label: string; value: string }[] {
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
export function fieldMutations(schema: JsonSchema): { label: string; value: unknown }[] {
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
export function badBodies(declared: JsonSchema, valid: Record<string, unknown>): { label: string; body: unknown }[] {
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
export function badQueries(schema: JsonSchema, valid: Record<string, string>): { label: string; query: Record<string, string | string[]> }[] {
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

const isNumeric = (schema: JsonSchema): boolean => [schema.type].flat().some((t) => t === 'integer' || t === 'number');

/**
 * Numbers that surely break a field: any number for a field that is no number, else only those
 * outside its range or (for an integer) with a fraction — a random integer may be a good value of
 * an integer field (28 days kept).
 */
function numbersOutside(schema: JsonSchema): fc.Arbitrary<unknown>[] {
  if (!isNumeric(schema)) return [fc.integer(), fc.double()];
  const out: number[] = [];
  if (schema.minimum !== undefined && Number.isSafeInteger(schema.minimum - 1)) out.push(schema.minimum - 1);
  if (schema.maximum !== undefined && Number.isSafeInteger(schema.maximum + 1)) out.push(schema.maximum + 1);
  if ([schema.type].flat().includes('integer')) out.push((schema.minimum ?? 0) + 0.5);
  return out.length === 0 ? [fc.constant('1')] : [fc.constantFrom(...out)];
}

/** A value that surely breaks a field's schema (a boolean is a good value of a boolean field; an empty list or object may be too). */
export const wrongValue = (schema: JsonSchema): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.oneof(
      ...numbersOutside(schema),
      sampleValue(schema) === true ? fc.constant('true') : fc.boolean(),
      fc.array(fc.jsonValue({ maxDepth: 2 }), { minLength: 1, maxLength: 3 }),
      fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { minKeys: 1, maxKeys: 3 }),
    ),
    ...(allowsNull(schema) ? [] : [fc.constant(null)]),
    // Strings only from a fixed list of sure violations: a filter on random strings may never
    // be satisfied (a field with only a large maximum).
    ...(badStrings(schema).length > 0 ? [fc.constantFrom(...badStrings(schema).map((b) => b.value))] : []),
  );

/** A route with a body schema, some of its fields given surely wrong values, and random extra keys. */
export const wrongFields = (routes: ApiRoute[]): fc.Arbitrary<[ApiRoute, [string, unknown][], Record<string, unknown>]> =>
  fc.constantFrom(...routes.filter((r) => Object.keys(r.body?.properties ?? {}).length > 0)).chain((route) => {
    const props = Object.entries(route.body!.properties ?? {});
    return fc.tuple(
      fc.constant(route),
      fc.subarray(props, { minLength: 1 }).chain((chosen) => fc.tuple(...chosen.map(([name, schema]) => fc.tuple(fc.constant(name), wrongValue(schema))))),
      fc.dictionary(fc.string({ maxLength: 10 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
    );
  });

/** Byte soup and near-JSON text (a JSON text with its last character cut). */
export const garbageText = (): fc.Arbitrary<string> =>
  fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b).toString('latin1')), fc.json().map((j) => j.slice(0, -1)));

export const isNotJson = (s: string): boolean => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
};

/** The codes a body of wrong fields gets: too large first, then a poisoned key may not even parse. */
export function wrongFieldsCodes(payload: string, limit: number): ErrorCode[] {
  const poisoned = /"(__proto__|constructor)"/.test(payload);
  return Buffer.byteLength(payload) > limit ? ['BODY_TOO_LARGE'] : poisoned ? ['VALIDATION_FAILED', 'BODY_INVALID_JSON'] : ['VALIDATION_FAILED'];
}

/**
 * The difference between two plain JSON trees (two versions of an office's configuration), as a
 * reviewer reads it: lists of things with an identity (services by id, closed days by date) are
 * compared item by item, so moving a service up the list is one "order" change and not a change
 * of every item after it; every other list is a value compared whole (a counter's services in
 * preference order: their order is the meaning).
 */

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/** A step into an object (`names`) or, in a keyed list, to the item with that key (`{ item: 'passports' }`). */
export type PathStep = string | { readonly item: string };

export type TreeChange =
  | { readonly op: 'add'; readonly path: readonly PathStep[]; readonly value: Json }
  | { readonly op: 'remove'; readonly path: readonly PathStep[]; readonly value: Json }
  | { readonly op: 'change'; readonly path: readonly PathStep[]; readonly from: Json; readonly to: Json }
  /** The keyed list's items, in order, before and after (items added go where the new order puts them). */
  | { readonly op: 'order'; readonly path: readonly PathStep[]; readonly from: readonly string[]; readonly to: readonly string[] };

/**
 * Which lists are keyed, and by what field: `{ 'services': 'id', 'calendar.closedDays': 'date',
 * 'services[].rules.outcomes': 'id' }` (`[]` stands for any item of a keyed list).
 */
export type ListKeys = Readonly<Record<string, string>>;

const isObject = (v: Json | undefined): v is { readonly [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

const isList = (v: Json | undefined): v is readonly Json[] => Array.isArray(v);

/** Equal as JSON, whatever the order of object keys. */
export function jsonEqual(a: Json | undefined, b: Json | undefined): boolean {
  if (a === b) return true;
  if (isList(a) && isList(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a).filter((k) => a[k] !== undefined);
    const kb = Object.keys(b).filter((k) => b[k] !== undefined);
    return ka.length === kb.length && ka.every((k) => jsonEqual(a[k], b[k]));
  }
  return false;
}

/** The pattern of a path, as ListKeys names it (`services[].rules.outcomes`). */
export function pathPattern(path: readonly PathStep[]): string {
  return path.map((s, i) => (typeof s === 'string' ? (i === 0 ? s : `.${s}`) : '[]')).join('');
}

/** `services[passports].names.cs`: the path as a person reads it. */
export function formatPath(path: readonly PathStep[]): string {
  return path.map((s, i) => (typeof s === 'string' ? (i === 0 ? s : `.${s}`) : `[${s.item}]`)).join('');
}

/** `services.passports.names.cs`: the path as the audit records it (one dot per step). */
export function dottedPath(path: readonly PathStep[]): string {
  return path.map((s) => (typeof s === 'string' ? s : s.item)).join('.');
}

/** The keys of a keyed list's items, in order (an item without its key is compared by position). */
function itemKeys(list: readonly Json[], key: string): string[] | null {
  const keys = list.map((x) => (isObject(x) && typeof x[key] === 'string' ? x[key] : null));
  if (keys.some((k) => k === null) || new Set(keys).size !== keys.length) return null;
  return keys as string[];
}

export function diffTrees(before: Json | undefined, after: Json | undefined, keys: ListKeys): TreeChange[] {
  const out: TreeChange[] = [];
  walk(before, after, [], keys, out);
  return out;
}

function walk(before: Json | undefined, after: Json | undefined, path: PathStep[], keys: ListKeys, out: TreeChange[]): void {
  if (jsonEqual(before, after)) return;
  if (before === undefined) {
    out.push({ op: 'add', path, value: after as Json });
    return;
  }
  if (after === undefined) {
    out.push({ op: 'remove', path, value: before });
    return;
  }
  if (isObject(before) && isObject(after)) {
    const names = [...Object.keys(after), ...Object.keys(before).filter((k) => !(k in after))];
    for (const k of names) walk(before[k], after[k], [...path, k], keys, out);
    return;
  }
  const key = keys[pathPattern(path)];
  if (key !== undefined && isList(before) && isList(after)) {
    const from = itemKeys(before, key);
    const to = itemKeys(after, key);
    if (from !== null && to !== null) {
      diffKeyedList(before, after, from, to, path, keys, out);
      return;
    }
  }
  out.push({ op: 'change', path, from: before, to: after });
}

function diffKeyedList(
  before: readonly Json[],
  after: readonly Json[],
  from: readonly string[],
  to: readonly string[],
  path: PathStep[],
  keys: ListKeys,
  out: TreeChange[],
): void {
  const beforeByKey = new Map(from.map((k, i) => [k, before[i]]));
  const afterByKey = new Map(to.map((k, i) => [k, after[i]]));
  for (const k of to) walk(beforeByKey.get(k), afterByKey.get(k), [...path, { item: k }], keys, out);
  for (const k of from) if (!afterByKey.has(k)) out.push({ op: 'remove', path: [...path, { item: k }], value: beforeByKey.get(k) as Json });
  // What the list would be with no order change: the kept items as they were, the new ones last.
  const kept = from.filter((k) => afterByKey.has(k));
  const natural = [...kept, ...to.filter((k) => !beforeByKey.has(k))];
  if (natural.some((k, i) => k !== to[i])) out.push({ op: 'order', path, from, to });
}

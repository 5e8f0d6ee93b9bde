import type { ConfigPatchData, ConfigSectionName, FieldChangeData, OfficeConfigData } from './model.ts';

/**
 * A change as data: applied to a configuration (`applyPatch`), and recovered from two
 * configurations (`diffConfig`) as the patch that goes forward, the one that goes back (undo) and
 * the fields that changed, from → to.
 */

const SCALAR = ['office', 'logos', 'hours', 'calendar', 'fairness', 'alerts'] as const;
const LISTS = ['departments', 'services', 'counters'] as const;
type ListName = (typeof LISTS)[number];
type Item = { id: string };

/** JSON with sorted keys: two values are equal when these are. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v) ?? 'null';
}
const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

function applyList<T extends Item>(list: readonly T[], changes: Readonly<Record<string, T | null>> | undefined, order: readonly string[] | undefined): T[] {
  let out = [...list];
  for (const [id, item] of Object.entries(changes ?? {})) {
    const i = out.findIndex((x) => x.id === id);
    if (item === null) {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = { ...item, id };
    else out.push({ ...item, id });
  }
  if (order !== undefined) {
    // Ids of the order first, in its order; any it does not name keep their place after them.
    const rank = new Map(order.map((id, i) => [id, i]));
    out = out
      .map((x, i) => ({ x, k: rank.get(x.id) ?? order.length + i }))
      .sort((a, b) => a.k - b.k)
      .map((e) => e.x);
  }
  return out;
}

export function applyPatch(c: OfficeConfigData, p: ConfigPatchData): OfficeConfigData {
  return {
    id: c.id,
    office: p.office ?? c.office,
    logos: p.logos ?? c.logos,
    hours: p.hours ?? c.hours,
    calendar: p.calendar ?? c.calendar,
    fairness: p.fairness ?? c.fairness,
    alerts: p.alerts ?? c.alerts,
    departments: applyList(c.departments, p.departments, p.order?.departments),
    services: applyList(c.services, p.services, p.order?.services),
    counters: applyList(c.counters, p.counters, p.order?.counters),
  };
}

/** Long values (a logo) are named by their size in the list of changes; the patches keep them whole. */
const shown = (v: unknown): unknown => (typeof v === 'string' && v.length > 200 ? `(${v.length} characters)` : (v ?? null));

function diffValue(path: string, a: unknown, b: unknown, out: FieldChangeData[]): void {
  if (same(a, b)) return;
  const isObj = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  if (isObj(a) && isObj(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) diffValue(`${path}.${k}`, a[k], b[k], out);
    return;
  }
  out.push({ path, from: shown(a), to: shown(b) });
}

export interface ConfigDiff {
  sections: ConfigSectionName[];
  changes: FieldChangeData[];
  /** Applied to the old configuration, gives the new one. */
  forward: ConfigPatchData;
  /** Applied to the new configuration, gives the old one back (undo). */
  backward: ConfigPatchData;
}

export function diffConfig(from: OfficeConfigData, to: OfficeConfigData): ConfigDiff {
  const sections: ConfigSectionName[] = [];
  const changes: FieldChangeData[] = [];
  const forward: Record<string, unknown> = {};
  const backward: Record<string, unknown> = {};
  for (const s of SCALAR) {
    if (same(from[s], to[s])) continue;
    sections.push(s);
    forward[s] = to[s];
    backward[s] = from[s];
    diffValue(s, from[s], to[s], changes);
  }
  const fwdOrder: Partial<Record<ListName, string[]>> = {};
  const backOrder: Partial<Record<ListName, string[]>> = {};
  for (const s of LISTS) {
    const a = new Map<string, Item>((from[s] as readonly Item[]).map((x) => [x.id, x]));
    const b = new Map<string, Item>((to[s] as readonly Item[]).map((x) => [x.id, x]));
    const fwd: Record<string, Item | null> = {};
    const back: Record<string, Item | null> = {};
    for (const id of new Set([...a.keys(), ...b.keys()])) {
      const x = a.get(id) ?? null;
      const y = b.get(id) ?? null;
      if (same(x, y)) continue;
      fwd[id] = y;
      back[id] = x;
      diffValue(`${s}.${id}`, x, y, changes);
    }
    const ids = (l: readonly Item[]): string[] => l.map((x) => x.id);
    const reordered = !same(ids(from[s]).filter((id) => b.has(id)), ids(to[s]).filter((id) => a.has(id)));
    if (Object.keys(fwd).length === 0 && !reordered) continue;
    sections.push(s);
    forward[s] = fwd;
    backward[s] = back;
    fwdOrder[s] = ids(to[s]);
    backOrder[s] = ids(from[s]);
    if (reordered) changes.push({ path: `${s}.order`, from: ids(from[s]), to: ids(to[s]) });
  }
  if (Object.keys(fwdOrder).length > 0) {
    forward['order'] = fwdOrder;
    backward['order'] = backOrder;
  }
  return { sections, changes, forward: forward, backward: backward };
}

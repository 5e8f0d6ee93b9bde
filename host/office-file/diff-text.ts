import { formatPath, type Json, type TreeChange } from '../../core/config/tree-diff.ts';
import { toYaml } from './render.ts';

/**
 * The difference an apply makes, as a reviewer reads it: section by section, `+` added, `~`
 * changed before → after, `-` removed, `↕` reordered; a value on one line when it is short,
 * as indented YAML when it is not (a new service).
 */
export function formatDiff(changes: readonly TreeChange[]): string {
  if (changes.length === 0) return '';
  const root = changes[0]!;
  if (root.path.length === 0 && root.op === 'add') return `+ a new office: ${summary(root.value)}\n`;
  const sections = new Map<string, TreeChange[]>();
  for (const c of changes) {
    const name = typeof c.path[0] === 'string' ? c.path[0] : '';
    sections.set(name, [...(sections.get(name) ?? []), c]);
  }
  const out: string[] = [];
  for (const [name, list] of sections) {
    out.push(`${name} (${counts(list)})`);
    for (const c of list) out.push(...formatChange(c).map((l) => `  ${l}`));
  }
  return out.join('\n') + '\n';
}

function counts(list: readonly TreeChange[]): string {
  const n = (op: TreeChange['op']): number => list.filter((c) => c.op === op).length;
  const words: [number, string][] = [
    [n('add'), 'added'],
    [n('change'), 'changed'],
    [n('remove'), 'removed'],
    [n('order'), 'reordered'],
  ];
  return words
    .filter(([k]) => k > 0)
    .map(([k, w]) => (w === 'reordered' ? w : `${k} ${w}`))
    .join(', ');
}

function formatChange(c: TreeChange): string[] {
  const path = formatPath(c.path);
  switch (c.op) {
    case 'add':
      return valueLines('+', path, c.value);
    case 'remove':
      return [`- ${path}${label(c.value)}`];
    case 'change': {
      const from = oneLine(c.from);
      const to = oneLine(c.to);
      if (from.length + to.length <= 120) return [`~ ${path}: ${from} → ${to}`];
      // A long value on its own lines: the short side stays on the first.
      if (to.length <= 40) return [`~ ${path}: → ${to}, was:`, ...indented(c.from)];
      if (from.length <= 40) return [`~ ${path}: ${from} →`, ...indented(c.to)];
      return [`~ ${path}:`, ...indented(c.from), '  →', ...indented(c.to)];
    }
    case 'order':
      return [`↕ ${path} order: ${c.from.join(', ')} → ${c.to.join(', ')}`];
  }
}

function valueLines(sign: string, path: string, value: Json): string[] {
  const line = oneLine(value);
  if (line.length <= 100) return [`${sign} ${path}: ${line}`];
  return [`${sign} ${path}:`, ...indented(value)];
}

/** Words YAML would read as something else than a string. */
const YAML_WORDS = /^(?:true|false|null|yes|no|on|off|~)$/i;

/** A value on one line; scalars directly (a diff of every service would otherwise build a YAML document per value). */
function oneLine(v: Json): string {
  if (v === null || typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return /^[A-Za-z][\w .,/()+@-]*$/.test(v) && !YAML_WORDS.test(v) && !/[ .]$/.test(v) ? v : JSON.stringify(v);
  return toYaml(v, true);
}
const indented = (v: Json): string[] => toYaml(v, false).split('\n').map((l) => `    ${l}`);

const isObject = (v: Json | undefined): v is { readonly [key: string]: Json } => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a removed item was, so the reader need not look it up: ` (P, Pokladna)`. */
function label(v: Json): string {
  if (!isObject(v)) return '';
  const names = v['names'];
  const name = isObject(names) ? Object.values(names).find((x) => typeof x === 'string') : undefined;
  const parts = [v['prefix'], v['number'], name].filter((x): x is string => typeof x === 'string');
  return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

/** `3 departments, 50 services, 40 counters`. */
function summary(v: Json): string {
  if (!isObject(v)) return oneLine(v);
  const lists = Object.entries(v).filter((e): e is [string, readonly Json[]] => Array.isArray(e[1]));
  return lists.map(([k, l]) => `${l.length} ${k}`).join(', ');
}

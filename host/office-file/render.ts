import { Document, isMap, isScalar, isSeq, type Node, type Pair, type YAMLMap } from 'yaml';
import { FIELD_COMMENTS, FILE_HEADER } from './comments.ts';

/** How the office file is written: no line folding (one value, one line: diffs stay line by line). */
export const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0, indentSeq: true } as const;

/** Maps written on one line: a day's hours read as a row of a timetable. */
const FLOW_MAPS = [/^hours\.\w+$/, /^services\[\]\.hours\.\w+$/, /^calendar\.changedDays\[\]\.hours$/, /\.breaks\[\]$/];

/**
 * The configuration as a commented YAML text: the header, each section's note above it and each
 * field's note at its first occurrence. Deterministic: the same configuration gives the same bytes.
 */
export function renderOfficeFile(config: unknown): string {
  // No anchors: seven weekdays with the same hours are seven rows a person can edit apart.
  const doc = new Document(config, { aliasDuplicateObjects: false });
  doc.commentBefore = prefixLines(FILE_HEADER);
  const seen = new Set<string>();
  if (isMap(doc.contents)) annotateMap(doc.contents, '', seen, true);
  return doc.toString(YAML_OPTIONS);
}

/**
 * A value written as the file writes it (quotes, one-line lists), without notes: for the diff.
 * `flow` puts all of it on one line.
 */
export function toYaml(value: unknown, flow: boolean): string {
  const doc = new Document(value, { aliasDuplicateObjects: false });
  styleTree(doc.contents, '');
  return doc.toString(flow ? { ...YAML_OPTIONS, collectionStyle: 'flow' } : YAML_OPTIONS).trimEnd();
}

function styleTree(node: Node | null, pattern: string): void {
  setStyle(node, pattern);
  if (isSeq(node)) for (const item of node.items) styleTree(item as Node | null, `${pattern}[]`);
  if (isMap(node)) for (const pair of node.items) styleTree(pair.value as Node | null, childPattern(pattern, isScalar(pair.key) ? String(pair.key.value) : ''));
}

/** yaml writes `#` and the text as given: one leading space reads better. */
const prefixLines = (text: string): string =>
  text
    .split('\n')
    .map((l) => ` ${l}`)
    .join('\n');

const childPattern = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

function annotateMap(map: YAMLMap, pattern: string, seen: Set<string>, isTop: boolean): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const path = childPattern(pattern, key);
    setStyle(pair.value as Node | null, path);
    annotatePair(pair, path, seen, isTop);
    annotateNode(pair.value as Node | null, path, seen);
  }
}

/** The note's key of a field: a weekday's or a template's (kind, language) fields share one. */
export const noteKey = (path: string): string => path.replace(/\.(mon|tue|wed|thu|fri|sat|sun)(?=\.|$)/g, '.*').replace(/^templates\.[\w*-]+\.[\w*-]+(?=\.)/, 'templates.*.*');

function annotatePair(pair: Pair, path: string, seen: Set<string>, isTop: boolean): void {
  const note = FIELD_COMMENTS[path] ?? FIELD_COMMENTS[noteKey(path)];
  if (!isScalar(pair.key)) return;
  if (isTop) {
    // Sections stand apart: a blank line, then their paragraph.
    if (path !== 'id') pair.key.spaceBefore = true;
    if (note !== undefined) pair.key.commentBefore = prefixLines(note);
    return;
  }
  if (note === undefined || seen.has(noteKey(path))) return;
  seen.add(noteKey(path));
  const value = pair.value;
  // A note sits after a one-line value; above a block (a note after it would land below its last line).
  if (isScalar(value) || ((isSeq(value) || isMap(value)) && value.flow === true)) (value as Node).comment = ` ${note}`;
  else pair.key.commentBefore = prefixLines(note);
}

/** One line for lists of plain values, empty collections and a day's hours; quotes for what looks like a number. */
function setStyle(node: Node | null, pattern: string): void {
  if (isScalar(node)) {
    // Times, dates and counter numbers quoted: a YAML 1.1 reader would take 08:30 for 510 and a date for a timestamp.
    if (typeof node.value === 'string' && /^[0-9]/.test(node.value)) node.type = 'QUOTE_DOUBLE';
  } else if (isSeq(node)) {
    if (node.items.every((i) => isScalar(i))) node.flow = true;
  } else if (isMap(node)) {
    if (node.items.length === 0 || FLOW_MAPS.some((re) => re.test(pattern))) node.flow = true;
  }
}

function annotateNode(node: Node | null, pattern: string, seen: Set<string>): void {
  if (isSeq(node)) {
    for (const item of node.items) {
      setStyle(item as Node | null, `${pattern}[]`);
      annotateNode(item as Node | null, `${pattern}[]`, seen);
    }
  } else if (isMap(node)) {
    annotateMap(node, pattern, seen, false);
  }
}

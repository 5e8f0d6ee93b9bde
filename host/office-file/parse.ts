import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';

/** One thing wrong in a file, where a person finds it: `office.yaml:42 services[2].prefix: 1 to 3 capital letters`. */
export interface FileError {
  line: number;
  /** The field as the schema names it (`services[2].prefix`); empty for a YAML syntax error. */
  field: string;
  message: string;
}

/** Where a field path is in the file: its line, and the field as the schema's errors name it (`services[2].prefix`). */
export type Locate = (path: readonly PathKey[]) => { line: number; field: string };

export type ParsedFile<T> = { ok: true; value: T; locate: Locate } | { ok: false; errors: FileError[] };

/** A step of a field path: a key, a list position, or (in a list) the id or date of an item. */
export type PathKey = string | number;

export function formatFileError(file: string, e: FileError): string {
  return e.field === '' ? `${file}:${e.line} ${e.message}` : `${file}:${e.line} ${e.field}: ${e.message}`;
}

/** `services[2].prefix`, `hours.mon.open`. */
export function formatField(path: readonly PathKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

/**
 * Reads a YAML text and checks it against a schema. Every problem comes back with the line it is
 * on: a syntax error where the parser stopped, a schema issue at the field it names (or, for a
 * missing field, at the thing that lacks it). On success, `locate` finds the line of any field
 * path, for the checks that come after the schema (unique prefixes, a break inside its day).
 */
export function parseYamlFile<S extends z.ZodType>(text: string, schema: S): ParsedFile<z.output<S>> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => ({ line: lineCounter.linePos(e.pos[0]).line, field: '', message: firstLine(e.message) })) };
  }
  const locate: Locate = (path) => {
    const found = find(doc, path);
    return { line: lineCounter.linePos(found.offset).line, field: formatField(found.path) };
  };
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (parsed.success) return { ok: true, value: parsed.data, locate };
  const errors: FileError[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      // Each unknown (often misspelt) key on its own line.
      for (const key of issue.keys) errors.push({ ...locate([...path, key]), message: 'unknown field (misspelt?)' });
      continue;
    }
    errors.push({ ...locate(path), message: explain(issue.message) });
  }
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
}

const firstLine = (s: string): string => s.split('\n')[0]!.trim();

/** zod's words for the usual slips of a hand-written file: a field left out, a counter number or a postal code left unquoted. */
function explain(message: string): string {
  const missing = /^Invalid input: expected (\w+), received undefined$/.exec(message);
  if (missing !== null) return `missing (${missing[1]} expected)`;
  return /expected string, received number/.test(message) ? `${message} (write it in quotes: "3")` : message;
}

/**
 * The deepest node of `path` the document holds: its offset (the key of a map entry, so the line is
 * the field's own), and the path with list items by position (an item may be named by its `id` or
 * `date`, as the office's own checks name them); steps past what the file has are kept as given.
 */
function find(doc: Document, path: readonly PathKey[]): { offset: number; path: PathKey[] } {
  let node: unknown = doc.contents;
  let offset = (doc.contents)?.range?.[0] ?? 0;
  const resolved: PathKey[] = [];
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (pair === undefined || !isScalar(pair.key)) break;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
      resolved.push(String(step));
    } else if (isSeq(node)) {
      let index = node.items.findIndex((i) => isMap(i) && ['id', 'date'].some((k) => String(i.get(k)) === String(step)));
      if (index < 0 && /^\d+$/.test(String(step))) index = Number(step);
      const range = (node.items[index] as Node | undefined)?.range;
      if (range === undefined || range === null) break;
      offset = range[0];
      node = node.items[index];
      resolved.push(index);
    } else {
      break;
    }
  }
  return { offset, path: [...resolved, ...path.slice(resolved.length)] };
}

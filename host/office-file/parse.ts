import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';

/** One thing wrong in a file, where a person finds it: `office.yaml:42 services[2].prefix: 1 to 3 capital letters`. */
export interface FileError {
  line: number;
  /** The field as the schema names it (`services[2].prefix`); empty for a YAML syntax error. */
  field: string;
  message: string;
}

export type ParsedFile<T> = { ok: true; value: T; locate: (path: readonly PathKey[]) => number } | { ok: false; errors: FileError[] };

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
  const locate = (path: readonly PathKey[]): number => lineCounter.linePos(offsetOf(doc, path)).line;
  const parsed = schema.safeParse(doc.toJS({ maxAliasCount: 100 }));
  if (parsed.success) return { ok: true, value: parsed.data, locate };
  const errors: FileError[] = [];
  for (const issue of parsed.error.issues) {
    const path = issue.path.filter((k): k is PathKey => typeof k !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      // Each unknown (often misspelt) key on its own line.
      for (const key of issue.keys) errors.push({ line: locate([...path, key]), field: formatField([...path, key]), message: 'unknown field (misspelt?)' });
      continue;
    }
    errors.push({ line: locate(path), field: formatField(path), message: explain(issue.message) });
  }
  return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
}

const firstLine = (s: string): string => s.split('\n')[0]!.trim();

/** The usual slip of a hand-written file: a counter number or a postal code left unquoted. */
const explain = (message: string): string => (/expected string, received number/.test(message) ? `${message} (write it in quotes: "3")` : message);

/**
 * The offset of the deepest node of `path` the document holds: the key of a map entry (so the line
 * is the field's own), an item of a list by position or by its `id`/`date`.
 */
function offsetOf(doc: Document, path: readonly PathKey[]): number {
  let node: unknown = doc.contents;
  let offset = (doc.contents)?.range?.[0] ?? 0;
  for (const step of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (pair === undefined || !isScalar(pair.key)) break;
      offset = pair.key.range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node)) {
      const byKey = node.items.find((i) => isMap(i) && ['id', 'date'].some((k) => String(i.get(k)) === String(step)));
      const item = byKey ?? (/^\d+$/.test(String(step)) ? node.items[Number(step)] : undefined);
      const range = (item as Node | undefined)?.range;
      if (range === undefined || range === null) break;
      offset = range[0];
      node = item;
    } else {
      break;
    }
  }
  return offset;
}

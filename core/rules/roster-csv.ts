import { normaliseIdentityKey, normaliseName, normalisePhone } from '../booking/codes.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * The roster file an admin imports (a driving school's students): a header naming the columns
 * `document_number`, `name` and `phone` (any order, any case; `,` `;` or tab between fields),
 * then one row a person. RFC 4180 quoting. Every row is checked before anything is stored, and
 * a bad file is refused whole, with the line numbers of the rows that are wrong.
 */

export const ROSTER_COLUMNS = ['document_number', 'name', 'phone'] as const;
export type RosterColumn = (typeof ROSTER_COLUMNS)[number];

export interface RosterLine {
  /** Physical line of the file where the row starts (the header is line 1). */
  line: number;
  /** Normalised: upper case, no spaces or dashes. Never stored: only its keyed hash is. */
  document: string;
  name: string;
  /** E.164. */
  phone: string;
}

/** Header spellings accepted for each column (compared without case, spaces, `_` or `-`). */
const ALIASES: Readonly<Record<string, RosterColumn>> = {
  documentnumber: 'document_number',
  document: 'document_number',
  documentno: 'document_number',
  idnumber: 'document_number',
  name: 'name',
  fullname: 'name',
  phone: 'phone',
  phonenumber: 'phone',
  mobile: 'phone',
};

export const MAX_ROSTER_ROWS = 20_000;
const MAX_NAME = 120;
const hasControl = (s: string): boolean => [...s].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

type Problem =
  | { line: number; kind: 'malformed' }
  | { line: number; kind: 'invalid'; field: RosterColumn }
  | { line: number; kind: 'duplicate'; other: number };

interface Record_ {
  line: number;
  fields: string[];
}

/** Splits CSV text into records; an unterminated quote makes the rest of the file one bad record. */
function records(text: string, sep: string): { records: Record_[]; unterminated: number | null } {
  const out: Record_[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  let i = 0;
  const endRecord = (): void => {
    fields.push(field);
    // A line with nothing on it is skipped (trailing newline, blank lines between rows).
    if (!(fields.length === 1 && fields[0]!.trim() === '')) out.push({ line: start, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
      i++;
      continue;
    }
    if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === sep) {
      fields.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      endRecord();
      line++;
      start = line;
    } else field += c;
    i++;
  }
  if (quoted) return { records: out, unterminated: start };
  endRecord();
  return { records: out, unterminated: null };
}

function separatorOf(text: string): string {
  const first = text.split(/\r?\n|\r/, 1)[0] ?? '';
  const count = (s: string): number => first.split(s).length - 1;
  return [',', ';', '\t'].reduce((best, s) => (count(s) > count(best) ? s : best), ',');
}

function headerOf(fields: readonly string[]): RosterColumn[] | null {
  const cols = fields.map((f) => ALIASES[f.trim().toLowerCase().replace(/[\s_-]/g, '')]);
  if (cols.some((c) => c === undefined)) return null;
  const set = new Set(cols);
  return set.size === cols.length && ROSTER_COLUMNS.every((c) => set.has(c)) ? (cols as RosterColumn[]) : null;
}

function rowOf(r: Record_, header: readonly RosterColumn[]): RosterLine | Problem {
  if (r.fields.length !== header.length) return { line: r.line, kind: 'malformed' };
  const raw = Object.fromEntries(header.map((c, k) => [c, r.fields[k]!])) as Record<RosterColumn, string>;
  const document = normaliseIdentityKey(raw.document_number);
  if (!/^[0-9A-Z]{4,32}$/.test(document)) return { line: r.line, kind: 'invalid', field: 'document_number' };
  const name = normaliseName(raw.name);
  if (name === '' || name.length > MAX_NAME || hasControl(name) || !/\p{L}/u.test(name)) return { line: r.line, kind: 'invalid', field: 'name' };
  const phone = hasControl(raw.phone) ? null : normalisePhone(raw.phone);
  if (phone === null) return { line: r.line, kind: 'invalid', field: 'phone' };
  return { line: r.line, document, name, phone };
}

function refuse(problems: readonly Problem[]): Result<never> {
  const lines = [...new Set(problems.map((p) => p.line))].sort((a, b) => a - b);
  const shown = lines.length > 20 ? `${lines.slice(0, 20).join(', ')}, …` : lines.join(', ');
  const first = [...problems].sort((a, b) => a.line - b.line)[0]!;
  switch (first.kind) {
    case 'malformed':
      return fail('ROSTER_CSV_MALFORMED', { line: first.line, lines: shown });
    case 'invalid':
      return fail('ROSTER_CSV_INVALID', { line: first.line, field: first.field, lines: shown });
    case 'duplicate':
      return fail('ROSTER_CSV_DUPLICATE', { line: first.line, other: first.other, lines: shown });
  }
}

/** The rows of a roster file, or the first problem with every bad line listed; nothing partial. */
export function parseRosterCsv(input: string): Result<RosterLine[]> {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const { records: all, unterminated } = records(text, separatorOf(text));
  const [head, ...rows] = all;
  const header = head === undefined ? null : headerOf(head.fields);
  if (header === null) return fail('ROSTER_CSV_HEADER', { columns: ROSTER_COLUMNS.join(', ') });
  if (rows.length > MAX_ROSTER_ROWS) return fail('ROSTER_CSV_TOO_LONG', { max: MAX_ROSTER_ROWS });
  const problems: Problem[] = unterminated === null ? [] : [{ line: unterminated, kind: 'malformed' }];
  const out: RosterLine[] = [];
  const seen = new Map<string, number>();
  for (const r of rows) {
    const row = rowOf(r, header);
    if ('kind' in row) {
      problems.push(row);
      continue;
    }
    const other = seen.get(row.document);
    if (other !== undefined) problems.push({ line: row.line, kind: 'duplicate', other });
    else seen.set(row.document, row.line);
    out.push(row);
  }
  return problems.length > 0 ? refuse(problems) : ok(out);
}

import type { Language } from '../shared/model.ts';

/**
 * CSV as a spreadsheet opens it in each language's conventions: Czech and Romanian use `;`
 * between cells and a decimal comma (a `,` separator would split their numbers), English and
 * Chinese `,` and a decimal point. A UTF-8 byte-order mark goes first so spreadsheets read
 * diacritics and Chinese correctly; lines end with CRLF (RFC 4180).
 */

export interface CsvStyle {
  separator: ',' | ';';
  decimal: '.' | ',';
}

export const csvStyle = (lang: Language): CsvStyle => (lang === 'cs' || lang === 'ro' ? { separator: ';', decimal: ',' } : { separator: ',', decimal: '.' });

export const CSV_BOM = '\uFEFF';

export type Cell = string | number | null;

export function csvCell(value: Cell, style: CsvStyle): string {
  if (value === null) return '';
  if (typeof value === 'number') {
    const text = String(value);
    return style.decimal === ',' ? text.replace('.', ',') : text;
  }
  // A text cell starting with = + - @ would run as a formula in a spreadsheet: quoted with a leading apostrophe.
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (cells: readonly Cell[], style: CsvStyle): string => `${cells.map((c) => csvCell(c, style)).join(style.separator)}\r\n`;

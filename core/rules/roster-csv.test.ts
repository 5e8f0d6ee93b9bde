import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_ROSTER_ROWS, parseRosterCsv } from './roster-csv.ts';

const HEADER = 'document_number,name,phone';

describe('roster CSV', () => {
  it('reads rows with their line numbers, normalised; any column order, ; or tab, quotes, BOM, CRLF', () => {
    const r = parseRosterCsv(`\uFEFF${HEADER}\r\n530302199001011234,张三,+86 138 0000 1234\r\n\r\n 5303-0219 9001 01123x ,"WANG, XIAOMING",0086 139 0000 5678\r\n`);
    expect(r).toEqual({
      ok: true,
      value: [
        { line: 2, document: '530302199001011234', name: '张三', phone: '+8613800001234' },
        { line: 4, document: '53030219900101123X', name: 'Wang, Xiaoming', phone: '+8613900005678' },
      ],
    });
    const semi = parseRosterCsv('Phone;Full Name;Document\n+420601000001;"Jan ""Honza"" Novák";AB123456\n');
    expect(semi).toEqual({ ok: true, value: [{ line: 2, document: 'AB123456', name: 'Jan "Honza" Novák', phone: '+420601000001' }] });
    expect(parseRosterCsv('phone\tname\tdocument_number\n+420601000001\tEva\tXY9876\n').ok).toBe(true);
    // A header alone is an empty roster (the preview then shows everyone removed).
    expect(parseRosterCsv(HEADER)).toEqual({ ok: true, value: [] });
  });

  it('refuses a file whole, with the first problem and every line that is wrong', () => {
    const bad = [HEADER, 'AB1234,Eva,+420601000001', 'AB12,Eva,+420601000002', ',Jan,+420601000003', 'CD5678,,+420601000004', 'EF9012,Petr,601000005', 'AB-1234,Ida,+420601000006', 'GH3456,Ota'].join('\n');
    expect(parseRosterCsv(bad)).toEqual({
      ok: false,
      error: { code: 'ROSTER_CSV_INVALID', params: { line: 4, field: 'document_number', lines: '4, 5, 6, 7, 8' } },
    });
    expect(parseRosterCsv(`${HEADER}\nAB1234,Eva,+420601000001\nab 1234,Eve,+420601000009`)).toMatchObject({
      error: { code: 'ROSTER_CSV_DUPLICATE', params: { line: 3, other: 2, lines: '3' } },
    });
    expect(parseRosterCsv(`${HEADER}\nAB1234,"Eva,+420601000001\nCD5678,Jan,+420601000002`)).toMatchObject({ error: { code: 'ROSTER_CSV_MALFORMED', params: { line: 2 } } });
    expect(parseRosterCsv(`${HEADER}\nAB1234,Eva,+420601000001,extra`)).toMatchObject({ error: { code: 'ROSTER_CSV_MALFORMED', params: { line: 2 } } });
    expect(parseRosterCsv(`${HEADER}\nAB1234,Eva\u0007,+420601000001`)).toMatchObject({ error: { code: 'ROSTER_CSV_INVALID', params: { field: 'name' } } });
    for (const header of ['', 'name,phone', 'document_number,name,phone,email', 'name,name,phone', '530302199001011234,张三,+8613800001234']) {
      expect(parseRosterCsv(`${header}\nAB1234,Eva,+420601000001`)).toMatchObject({ ok: false, error: { code: 'ROSTER_CSV_HEADER' } });
    }
    const long = [HEADER, ...Array.from({ length: MAX_ROSTER_ROWS + 1 }, (_, i) => `AB${100000 + i},Eva,+420601000001`)].join('\n');
    expect(parseRosterCsv(long)).toMatchObject({ error: { code: 'ROSTER_CSV_TOO_LONG' } });
  });

  it('fuzzed input never throws; an accepted file has unique, valid rows on real lines', () => {
    const cell = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('"', '""', ',', ';', '\n', '\r\n', 'AB1234', '+420601000001', 'Eva'));
    const text = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 400 }),
      fc.array(fc.array(cell, { maxLength: 5 }).map((cells) => cells.join(',')), { maxLength: 8 }).map((rows) => [HEADER, ...rows].join('\n')),
    );
    fc.assert(
      fc.property(text, (t) => {
        const r = parseRosterCsv(t);
        if (!r.ok) {
          expect(r.error.code).toMatch(/^ROSTER_CSV_/);
          return;
        }
        const lines = t.split(/\r\n|\n|\r/).length;
        expect(new Set(r.value.map((x) => x.document)).size).toBe(r.value.length);
        for (const row of r.value) {
          expect(row.line).toBeGreaterThanOrEqual(2);
          expect(row.line).toBeLessThanOrEqual(lines);
          expect(row.document).toMatch(/^[0-9A-Z]{4,32}$/);
          expect(row.phone).toMatch(/^\+[1-9]\d{7,14}$/);
          expect(row.name.trim()).not.toBe('');
        }
      }),
      { numRuns: 500 },
    );
  });
});

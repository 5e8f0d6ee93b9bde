import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { OfficeFile } from '../../contracts/office-file.ts';
import { largeOfficeConfig, sampleOfficeFile } from '../../test/helpers/office-config.ts';
import { FIELD_COMMENTS } from './comments.ts';
import { parseYamlFile } from './parse.ts';
import { noteKey, renderOfficeFile } from './render.ts';

/** Field paths of a zod schema (`[]` for list items) that must carry a note: sections, and every number (its unit). */
function pathsNeedingNotes(schema: z.ZodType, path: string, out: Set<string>): void {
  const def = (schema as unknown as { _zod: { def: Record<string, any> } })._zod.def;
  switch (def['type']) {
    case 'object':
      for (const [key, child] of Object.entries(def['shape'] as Record<string, z.ZodType>)) {
        const p = path === '' ? key : `${path}.${key}`;
        if (path === '') out.add(p);
        pathsNeedingNotes(child, p, out);
      }
      return;
    case 'optional':
    case 'nullable':
    case 'default':
      return pathsNeedingNotes(def['innerType'], path, out);
    case 'array':
      return pathsNeedingNotes(def['element'], `${path}[]`, out);
    case 'record':
      return pathsNeedingNotes(def['valueType'], `${path}.*`, out);
    case 'union':
      for (const option of def['options'] as z.ZodType[]) pathsNeedingNotes(option, path, out);
      return;
    case 'number':
      out.add(path);
      return;
    default:
  }
}

describe('the office file as written', () => {
  it('explains every section and the unit of every number the schema has', () => {
    const needed = new Set<string>();
    pathsNeedingNotes(OfficeFile, '', needed);
    expect(needed.size).toBeGreaterThan(20);
    // A list or map of numbers is explained on the list (`weekdays`) or the map (`counterWeights`).
    const noted = (p: string): boolean => FIELD_COMMENTS[p] !== undefined || FIELD_COMMENTS[noteKey(p)] !== undefined || (p.endsWith('[]') && noted(p.slice(0, -2))) || (p.endsWith('.*') && noted(p.slice(0, -2)));
    const missing = [...needed].filter((p) => !noted(p));
    expect(missing).toEqual([]);
  });

  it('reads back as the same configuration, and writes the same bytes again', () => {
    const config = sampleOfficeFile();
    const text = renderOfficeFile(config);
    const parsed = parseYamlFile(text, OfficeFile);
    expect(parsed.ok && parsed.value).toEqual(config);
    expect(renderOfficeFile(parsed.ok ? parsed.value : null)).toBe(text);
  });

  it('reads as a person would want it: units beside the numbers, a day of hours on one line, times quoted, no anchors', () => {
    const text = renderOfficeFile(sampleOfficeFile());
    expect(text).toMatch(/^# Fronta office file/);
    expect(text).toMatch(/^ {6}slotMin: 15 # minutes per slot$/m);
    expect(text).toMatch(/^ {4}dailyWalkInCapacity: 100 # walk-in tickets per office day/m);
    expect(text).toMatch(/^ {2}mon: \{ open: "08:00", close: "17:00", breaks: \[ \{ from: "12:00", to: "12:30" \} \] \}$/m);
    expect(text).toMatch(/^ {2}tue: \{ open: "08:00"/m);
    expect(text).toMatch(/^# Opening hours per weekday, office-local/m);
    expect(text).toMatch(/number: "3A"/);
    expect(text).not.toMatch(/[&*]a\d/);
    // A note once per field, not once per service.
    expect(text.match(/# minutes per slot/g)).toHaveLength(1);
  });

  it('a 50-service office stays one line per value', () => {
    const text = renderOfficeFile(largeOfficeConfig(50, 40));
    const parsed = parseYamlFile(text, OfficeFile);
    expect(parsed.ok).toBe(true);
    expect(text.split('\n').every((l) => l.length < 200)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { OfficeConfig } from '../../contracts/office-config.ts';
import { sampleOfficeConfig } from '../../test/helpers/office-config.ts';
import { formatFileError, parseYamlFile, type FileError } from './parse.ts';
import { renderOfficeFile } from './render.ts';

const TEXT = renderOfficeFile(sampleOfficeConfig());
const lineOf = (text: string, pattern: RegExp): number => text.split('\n').findIndex((l) => pattern.test(l)) + 1;

function errorsOf(text: string): FileError[] {
  const parsed = parseYamlFile(text, OfficeConfig);
  if (parsed.ok) throw new Error('the file was accepted');
  return parsed.errors;
}

describe('an office file with a mistake', () => {
  it('names the line and the field of a bad value', () => {
    const text = TEXT.replace('prefix: V', 'prefix: v1');
    const [error, ...rest] = errorsOf(text);
    expect(rest).toEqual([]);
    expect(error).toEqual({ line: lineOf(text, /prefix: v1/), field: 'services[2].prefix', message: '1 to 3 capital letters' });
    expect(formatFileError('office.yaml', error!)).toBe(`office.yaml:${error!.line} services[2].prefix: 1 to 3 capital letters`);
  });

  it('names a misspelt field on its own line', () => {
    const text = TEXT.replace('      slotMin: 30', '      slotMinutes: 30');
    const errors = errorsOf(text);
    expect(errors).toContainEqual({ line: lineOf(text, /slotMinutes/), field: 'services[2].online.slotMinutes', message: 'unknown field (misspelt?)' });
    // slotMin itself is now missing: reported at the object that lacks it.
    const vehicles = lineOf(text, /id: vehicles/);
    const online = vehicles + text.split('\n').slice(vehicles).findIndex((l) => /^ {4}online:$/.test(l)) + 1;
    expect(errors.find((e) => e.field === 'services[2].online.slotMin')?.line).toBe(online);
  });

  it('points into a one-line day of hours', () => {
    const text = TEXT.replace('wed: { open: "08:00", close: "18:00"', 'wed: { open: "8 am", close: "18:00"');
    expect(errorsOf(text)).toEqual([{ line: lineOf(text, /wed: \{ open: "8 am"/), field: 'hours.wed.open', message: 'HH:MM (00:00 to 24:00)' }]);
  });

  it('says how to write a counter number left unquoted', () => {
    const text = TEXT.replace('number: "2"', 'number: 2');
    const [error] = errorsOf(text);
    expect(error?.field).toBe('counters[1].number');
    expect(error?.message).toMatch(/write it in quotes/);
    expect(error?.line).toBe(lineOf(text, /number: 2$/));
  });

  it('a YAML syntax error and a duplicated key are given by line', () => {
    const broken = TEXT.replace('  maxRecalls: 2', '  maxRecalls: [2');
    const [syntax] = errorsOf(broken);
    expect(syntax?.field).toBe('');
    expect(syntax?.line).toBeGreaterThanOrEqual(lineOf(broken, /maxRecalls: \[2/));
    const twice = TEXT.replace('  maxRecalls: 2', '  maxRecalls: 2\n  maxRecalls: 3');
    expect(errorsOf(twice)[0]).toMatchObject({ line: lineOf(twice, /maxRecalls: 3/), field: '' });
  });
});

import { describe, expect, it } from 'vitest';
import type { Office } from './model.ts';
import { formatHhMm, isOfficeOpen, localTime, parseHhMm } from './office-time.ts';

const office = (over: Partial<Office> = {}): Office => ({
  id: 'o',
  name: 'o',
  timeZone: 'Europe/Prague',
  languages: ['cs'],
  hours: [[['08:00', '12:00'], ['13:00', '17:00']], [], [], [], [], [], []],
  closedDays: [],
  settings: { maxWaitMin: 0, maxRecalls: 2, defaultServiceMin: 5, priorityCategories: [] },
  ...over,
});

describe('office-local time', () => {
  it('gives the office-local date, weekday and minute, across the DST change', () => {
    // 2026-03-29 01:30 UTC is 03:30 CEST (clocks went forward at 02:00 local).
    expect(localTime('Europe/Prague', Date.UTC(2026, 2, 29, 1, 30))).toEqual({ date: '2026-03-29', weekday: 6, minute: 210 });
    // 23:30 UTC on a Sunday is already Monday in Prague, still Sunday in New York.
    expect(localTime('Europe/Prague', Date.UTC(2026, 10, 22, 23, 30)).date).toBe('2026-11-23');
    expect(localTime('America/New_York', Date.UTC(2026, 10, 22, 23, 30)).date).toBe('2026-11-22');
    expect(localTime('Asia/Shanghai', Date.UTC(2026, 10, 22, 23, 30))).toEqual({ date: '2026-11-23', weekday: 0, minute: 450 });
  });

  it('knows opening hours, lunch breaks and closed days', () => {
    const mondayUtc = (h: number, m = 0) => Date.UTC(2026, 10, 23, h - 1, m); // Prague is UTC+1 in November
    expect(isOfficeOpen(office(), mondayUtc(7, 59))).toBe(false);
    expect(isOfficeOpen(office(), mondayUtc(8, 0))).toBe(true);
    expect(isOfficeOpen(office(), mondayUtc(12, 30))).toBe(false);
    expect(isOfficeOpen(office(), mondayUtc(16, 59))).toBe(true);
    expect(isOfficeOpen(office(), mondayUtc(17, 0))).toBe(false);
    expect(isOfficeOpen(office({ closedDays: ['2026-11-23'] }), mondayUtc(9))).toBe(false);
    expect(isOfficeOpen(office(), Date.UTC(2026, 10, 24, 9))).toBe(false); // Tuesday: no hours
  });

  it('parses and formats HH:MM', () => {
    expect(parseHhMm('00:00')).toBe(0);
    expect(parseHhMm('24:00')).toBe(1440);
    expect(parseHhMm('24:01')).toBeNaN();
    expect(parseHhMm('9:00')).toBeNaN();
    expect(formatHhMm(545)).toBe('09:05');
  });
});

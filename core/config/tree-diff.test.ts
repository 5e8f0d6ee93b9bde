import { describe, expect, it } from 'vitest';
import { diffTrees, dottedPath, formatPath, jsonEqual, type Json } from './tree-diff.ts';

const KEYS = { services: 'id', 'calendar.closedDays': 'date', 'services[].rules.outcomes': 'id' };

const office = (over: Record<string, Json> = {}): Json => ({
  office: { names: { cs: 'Úřad', en: 'Office' }, languages: ['cs', 'en'] },
  calendar: { closedDays: [{ date: '2026-12-24' }] },
  services: [
    { id: 'a', prefix: 'A', online: null, rules: { outcomes: [{ id: 'ok', names: { cs: 'OK' } }] } },
    { id: 'b', prefix: 'B', online: null, rules: { outcomes: [] } },
  ],
  ...over,
});

describe('diffTrees', () => {
  it('finds nothing between equal trees, whatever the order of object keys', () => {
    expect(diffTrees(office(), office(), KEYS)).toEqual([]);
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
  });

  it('names a changed field by the item key, not by its position in the list', () => {
    const after = office({
      services: [
        { id: 'a', prefix: 'A', online: null, rules: { outcomes: [{ id: 'ok', names: { cs: 'V pořádku' } }] } },
        { id: 'b', prefix: 'BB', online: null, rules: { outcomes: [] } },
      ],
    });
    const changes = diffTrees(office(), after, KEYS);
    expect(changes.map((c) => [c.op, formatPath(c.path)])).toEqual([
      ['change', 'services[a].rules.outcomes[ok].names.cs'],
      ['change', 'services[b].prefix'],
    ]);
    expect(dottedPath(changes[1]!.path)).toBe('services.b.prefix');
    expect(changes[1]).toMatchObject({ from: 'B', to: 'BB' });
  });

  it('an item added, one removed, and a move are each one change', () => {
    const before = office();
    const after = office({
      services: [
        { id: 'c', prefix: 'C', online: null, rules: { outcomes: [] } },
        { id: 'a', prefix: 'A', online: null, rules: { outcomes: [{ id: 'ok', names: { cs: 'OK' } }] } },
      ],
      calendar: { closedDays: [{ date: '2026-12-24' }, { date: '2026-12-31' }] },
    });
    expect(diffTrees(before, after, KEYS).map((c) => [c.op, formatPath(c.path)])).toEqual([
      ['add', 'calendar.closedDays[2026-12-31]'],
      ['add', 'services[c]'],
      ['remove', 'services[b]'],
      ['order', 'services'],
    ]);
    // Added last: no order change.
    const appended = office({ services: [...((before as any).services as Json[]), { id: 'c', prefix: 'C', online: null, rules: { outcomes: [] } }] });
    expect(diffTrees(before, appended, KEYS).map((c) => c.op)).toEqual(['add']);
  });

  it('compares unkeyed lists whole: a preference order is the value', () => {
    const after = office({ office: { names: { cs: 'Úřad' }, languages: ['en', 'cs'] } });
    expect(diffTrees(office(), after, KEYS)).toEqual([
      { op: 'remove', path: ['office', 'names', 'en'], value: 'Office' },
      { op: 'change', path: ['office', 'languages'], from: ['cs', 'en'], to: ['en', 'cs'] },
    ]);
  });

  it('a section that appears or goes is one add or remove; null to a value is a change', () => {
    expect(diffTrees({ a: 1 }, { a: 1, b: { c: 1 } }, {})).toEqual([{ op: 'add', path: ['b'], value: { c: 1 } }]);
    expect(diffTrees({ a: null }, { a: { x: 1 } }, {})).toEqual([{ op: 'change', path: ['a'], from: null, to: { x: 1 } }]);
    expect(diffTrees(undefined, { a: 1 }, {})).toEqual([{ op: 'add', path: [], value: { a: 1 } }]);
  });
});

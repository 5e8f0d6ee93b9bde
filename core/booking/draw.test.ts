import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate, rankApplications } from './draw.ts';

const hmacWith = (key: string, v: string): string => createHmac('sha256', key).update(v).digest('hex');

describe('the draw (commit, then reveal)', () => {
  const arbApps = fc.uniqueArray(fc.record({ id: fc.stringMatching(/^[a-z0-9]{1,12}$/), rankKey: fc.integer({ min: 0, max: 3 }) }), { selector: (a) => a.id, maxLength: 200 });

  it('is deterministic given its seed and applications, whatever order they arrive in', () => {
    fc.assert(
      fc.property(arbApps, fc.string({ minLength: 1 }), fc.integer(), (apps, seed, shuffleSeed) => {
        const shuffled = [...apps].sort((a, b) => (hmacWith(String(shuffleSeed), a.id) < hmacWith(String(shuffleSeed), b.id) ? -1 : 1));
        const a = rankApplications(apps, seed, hmacWith).map((r) => r.id);
        const b = rankApplications(shuffled, seed, hmacWith).map((r) => r.id);
        expect(b).toEqual(a);
        const slots = [{ id: 's1', free: 3 }, { id: 's2', free: 2 }];
        expect([...allocate(rankApplications(shuffled, seed, hmacWith), slots)]).toEqual([...allocate(rankApplications(apps, seed, hmacWith), slots)]);
      }),
    );
  });

  it('ranks by the rule first, ties broken by HMAC(seed, id); never allocates more than the places', () => {
    fc.assert(
      fc.property(arbApps, fc.string({ minLength: 1 }), fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 }), (apps, seed, places) => {
        const ranked = rankApplications(apps, seed, hmacWith);
        for (let i = 1; i < ranked.length; i++) {
          const [p, q] = [ranked[i - 1]!, ranked[i]!];
          expect(p.rankKey < q.rankKey || (p.rankKey === q.rankKey && p.tieBreak <= q.tieBreak)).toBe(true);
        }
        const slots = places.map((free, i) => ({ id: `s${i}`, free }));
        const plan = allocate(ranked, slots);
        expect(plan.size).toBe(Math.min(apps.length, places.reduce((a, b) => a + b, 0)));
        for (const s of slots) expect([...plan.values()].filter((v) => v === s.id).length).toBeLessThanOrEqual(s.free);
        // Winners are exactly the best-ranked.
        expect(new Set(plan.keys())).toEqual(new Set(ranked.slice(0, plan.size).map((r) => r.id)));
      }),
    );
  });

  it('an auditor recomputes the published order from the revealed seed and checks the commitment', () => {
    const seed = 'revealed-seed';
    const commitment = createHash('sha256').update(seed).digest('hex');
    const apps = Array.from({ length: 20 }, (_, i) => ({ id: `a${i}`, rankKey: 0 }));
    const published = rankApplications(apps, seed, hmacWith).map((r) => r.id);
    expect(createHash('sha256').update(seed).digest('hex')).toBe(commitment);
    const audit = [...apps].sort((x, y) => (hmacWith(seed, x.id) < hmacWith(seed, y.id) ? -1 : 1)).map((a) => a.id);
    expect(audit).toEqual(published);
    expect(rankApplications(apps, 'another-seed', hmacWith).map((r) => r.id)).not.toEqual(published);
  });

  it('ranks only as far as the places reach, in the same order as the full ranking', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ id: fc.string({ minLength: 1, maxLength: 6 }), rankKey: fc.integer({ min: 0, max: 4 }) }), { selector: (a) => a.id, maxLength: 80 }),
        fc.nat(90),
        (apps, limit) => {
          const full = rankApplications(apps, 'seed', hmacWith);
          expect(rankApplications(apps, 'seed', hmacWith, limit)).toEqual(full.slice(0, limit));
        },
      ),
    );
  });
});

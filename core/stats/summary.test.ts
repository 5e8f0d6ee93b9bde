import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { distribution } from './summary.ts';

/** The quantiles are taken by selection, not by sorting: they must be those of the sorted samples. */
describe('distribution', () => {
  it('median, p90 and max equal those read off the sorted samples, duplicates and all', () => {
    const ms = fc.integer({ min: 0, max: 4 * 3_600_000 });
    const small = fc.integer({ min: 0, max: 5 }).map((x) => x * 60_000);
    fc.assert(
      fc.property(fc.array(fc.oneof(ms, small), { minLength: 1, maxLength: 400 }), (samples) => {
        const s = [...samples].sort((a, b) => a - b);
        const n = s.length;
        const minutes = (x: number): number => Math.round(x / 6000) / 10;
        const median = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
        expect(distribution(samples)).toEqual({
          count: n,
          mean: minutes(s.reduce((a, b) => a + b, 0) / n),
          median: minutes(median),
          p90: minutes(s[Math.ceil(0.9 * n) - 1]!),
          max: minutes(s[n - 1]!),
        });
      }),
      { numRuns: 500 },
    );
  });
});

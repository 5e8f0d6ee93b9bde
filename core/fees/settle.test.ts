import { describe, expect, it } from 'vitest';
import { reconcileEveryMs } from './settle.ts';

describe('reconciliation cadence', () => {
  it('looks at an open order every few minutes in its first hour, then hourly', () => {
    expect(reconcileEveryMs(0)).toBe(5 * 60_000);
    expect(reconcileEveryMs(59 * 60_000)).toBe(5 * 60_000);
    expect(reconcileEveryMs(60 * 60_000)).toBe(3600_000);
    expect(reconcileEveryMs(30 * 3600_000)).toBe(3600_000);
  });
});

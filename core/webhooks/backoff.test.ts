import { describe, expect, it } from 'vitest';
import { outcomeOf, retryDelayMs, RETRY_FOR_MS } from './backoff.ts';

describe('webhook retries', () => {
  it('back off exponentially with jitter, capped at an hour', () => {
    expect(retryDelayMs(1, 0)).toBe(5_000);
    expect(retryDelayMs(1, 0.999999)).toBeCloseTo(10_000, -1);
    expect(retryDelayMs(2, 0)).toBe(10_000);
    expect(retryDelayMs(4, 0.5)).toBe(60_000);
    expect(retryDelayMs(30, 0.999999)).toBeLessThanOrEqual(3600_000);
  });

  it('retry for a day, the last try at the day’s end, then give up', () => {
    const createdAt = 1_000_000;
    expect(outcomeOf({ isOk: true, attempts: 9, createdAt, now: createdAt + 5, random: 0 })).toEqual({ state: 'delivered' });
    expect(outcomeOf({ isOk: false, attempts: 0, createdAt, now: createdAt, random: 0 })).toEqual({ state: 'pending', nextAttemptAt: createdAt + 5_000 });
    expect(outcomeOf({ isOk: false, attempts: 40, createdAt, now: createdAt + RETRY_FOR_MS - 60_000, random: 0.9 })).toEqual({ state: 'pending', nextAttemptAt: createdAt + RETRY_FOR_MS });
    expect(outcomeOf({ isOk: false, attempts: 41, createdAt, now: createdAt + RETRY_FOR_MS, random: 0.9 })).toEqual({ state: 'failed' });
  });
});

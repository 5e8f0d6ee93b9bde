import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { pickNext, type CallCandidate, type CallContext } from './call-policy.ts';

const MIN = 60_000;
const NOW = 1_000 * MIN;
const ctx = (over: Partial<CallContext> = {}): CallContext => ({ serviceIds: ['a', 'b'], now: NOW, maxWaitMs: 0, ...over });
const t = (id: string, serviceId: string, waitedMin: number, extra: Partial<CallCandidate> = {}): CallCandidate => ({
  id,
  serviceId,
  arrivedAt: NOW - waitedMin * MIN,
  bookedAt: null,
  priorityWeight: 0,
  ...extra,
});

describe('call policy', () => {
  it('calls the oldest across the counter’s services, and only those services', () => {
    expect(pickNext([t('1', 'a', 5), t('2', 'b', 9), t('3', 'c', 60)], ctx())?.id).toBe('2');
    expect(pickNext([t('3', 'c', 60)], ctx())).toBeNull();
  });

  it('breaks equal waits by the counter’s service preference', () => {
    expect(pickNext([t('1', 'b', 5), t('2', 'a', 5)], ctx())?.id).toBe('2');
    expect(pickNext([t('1', 'b', 5), t('2', 'a', 5)], ctx({ serviceIds: ['b', 'a'] }))?.id).toBe('1');
  });

  it('puts priority tickets first, heavier weight first', () => {
    const list = [t('1', 'a', 30), t('2', 'a', 1, { priorityWeight: 1 }), t('3', 'b', 0, { priorityWeight: 2 })];
    expect(pickNext(list, ctx())?.id).toBe('3');
  });

  it('lets a ticket past the maximum wait go ahead of priority tickets', () => {
    const list = [t('1', 'a', 31), t('2', 'a', 1, { priorityWeight: 2 })];
    expect(pickNext(list, ctx({ maxWaitMs: 30 * MIN }))?.id).toBe('1');
    expect(pickNext(list, ctx({ maxWaitMs: 0 }))?.id).toBe('2');
  });

  it('calls a booked arrival whose time has come before everyone, but not before its time', () => {
    const booked = t('b', 'a', 2, { bookedAt: NOW - MIN });
    const list = [t('1', 'a', 60), t('2', 'a', 1, { priorityWeight: 2 }), booked];
    expect(pickNext(list, ctx({ maxWaitMs: 30 * MIN }))?.id).toBe('b');
    const early = { ...booked, bookedAt: NOW + 10 * MIN };
    expect(pickNext([t('1', 'a', 1), early], ctx())?.id).toBe('b'); // arrived earlier, waits like anyone
    expect(pickNext([t('1', 'a', 3), early], ctx())?.id).toBe('1');
  });

  // The SQLite store hands the policy only the head of each line; this proves that is enough.
  it('chooses the same among all waiting tickets as among the heads of each line', () => {
    const candidate = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      serviceId: fc.constantFrom('a', 'b', 'c'),
      arrivedAt: fc.integer({ min: NOW - 120 * MIN, max: NOW }),
      bookedAt: fc.option(fc.integer({ min: NOW - 30 * MIN, max: NOW + 30 * MIN }), { freq: 4 }),
      priorityWeight: fc.constantFrom(0, 0, 0, 1, 2),
    });
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.id, maxLength: 60 }), fc.constantFrom(0, 20 * MIN), (all, maxWaitMs) => {
        const c = ctx({ maxWaitMs });
        const heads: CallCandidate[] = [];
        const byArrival = (x: CallCandidate, y: CallCandidate) => x.arrivedAt - y.arrivedAt || (x.id < y.id ? -1 : 1);
        for (const s of ['a', 'b', 'c']) {
          const line = all.filter((x) => x.serviceId === s);
          const oldest = [...line].sort(byArrival)[0];
          const prio = line.filter((x) => x.priorityWeight > 0).sort((x, y) => y.priorityWeight - x.priorityWeight || byArrival(x, y))[0];
          const booked = line.filter((x) => x.bookedAt !== null).sort((x, y) => x.bookedAt! - y.bookedAt! || byArrival(x, y))[0];
          for (const h of [oldest, prio, booked]) if (h !== undefined) heads.push(h);
        }
        expect(pickNext(heads, c)?.id).toBe(pickNext(all, c)?.id);
      }),
      { numRuns: 500 },
    );
  });
});

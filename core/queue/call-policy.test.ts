import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { aheadInLine, pickNext, type CallCandidate, type CallContext } from './call-policy.ts';

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
    // Early: waits while any walk-in waits for the counter's services, even one who came later…
    expect(pickNext([t('1', 'a', 1), early], ctx())?.id).toBe('1');
    expect(pickNext([t('1', 'b', 0), early], ctx())?.id).toBe('1');
    // …but is called before its time when no walk-in waits (a walk-in for another counter's service does not count).
    expect(pickNext([t('1', 'c', 30), early], ctx())?.id).toBe('b');
    const earlier = { ...early, id: 'e', bookedAt: NOW + 5 * MIN, arrivedAt: NOW };
    expect(pickNext([early, earlier], ctx())?.id).toBe('e'); // the earlier booked time first
  });

  const anyCandidate = fc.record({
    id: fc.string({ minLength: 1, maxLength: 4 }),
    serviceId: fc.constantFrom('a', 'b', 'c'),
    arrivedAt: fc.integer({ min: NOW - 120 * MIN, max: NOW }),
    bookedAt: fc.option(fc.integer({ min: NOW - 30 * MIN, max: NOW + 30 * MIN }), { freq: 2 }),
    priorityWeight: fc.constantFrom(0, 0, 0, 1, 2),
  });
  const candidates = fc.uniqueArray(anyCandidate, { selector: (c) => c.id, maxLength: 40 });
  const counterServices = fc.constantFrom<string[]>(['a'], ['a', 'b'], ['b', 'a'], ['c', 'a'], ['b']);

  it('never calls a booked arrival before its time while a walk-in waits for the counter’s services', () => {
    fc.assert(
      fc.property(candidates, counterServices, fc.constantFrom(0, 20 * MIN), (all, serviceIds, maxWaitMs) => {
        const picked = pickNext(all, ctx({ serviceIds, maxWaitMs }));
        if (picked === null || picked.bookedAt === null || picked.bookedAt <= NOW) return;
        expect(all.some((x) => x.bookedAt === null && serviceIds.includes(x.serviceId))).toBe(false);
      }),
      { numRuns: 1000 },
    );
  });

  it('calls a booked arrival whose time has come before the walk-ins of its service', () => {
    fc.assert(
      fc.property(candidates, counterServices, fc.constantFrom(0, 20 * MIN), (all, serviceIds, maxWaitMs) => {
        const picked = pickNext(all, ctx({ serviceIds, maxWaitMs }));
        const due = all.filter((x) => x.bookedAt !== null && x.bookedAt <= NOW && serviceIds.includes(x.serviceId));
        if (due.length === 0) return;
        // Someone due waits: the one called is due too, and no due arrival was booked earlier.
        expect(picked?.bookedAt ?? Infinity).toBeLessThanOrEqual(NOW);
        expect(due.every((x) => x.bookedAt! >= picked!.bookedAt!)).toBe(true);
      }),
      { numRuns: 1000 },
    );
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
          // As claimNext selects them: the oldest walk-in, the first priority walk-in, the first booked time.
          const walkIns = line.filter((x) => x.bookedAt === null);
          const oldest = [...walkIns].sort(byArrival)[0];
          const prio = walkIns.filter((x) => x.priorityWeight > 0).sort((x, y) => y.priorityWeight - x.priorityWeight || byArrival(x, y))[0];
          const booked = line.filter((x) => x.bookedAt !== null).sort((x, y) => x.bookedAt! - y.bookedAt! || byArrival(x, y))[0];
          for (const h of [oldest, prio, booked]) if (h !== undefined) heads.push(h);
        }
        expect(pickNext(heads, c)?.id).toBe(pickNext(all, c)?.id);
      }),
      { numRuns: 500 },
    );
  });
});

describe('ahead in line (a ticket’s status page)', () => {
  it('counts the tickets a counter serving only that service would call first', () => {
    const w1 = t('w1', 'a', 10);
    const w2 = t('w2', 'a', 5);
    const early = t('e', 'a', 8, { bookedAt: NOW + 10 * MIN });
    const due = t('d', 'a', 1, { bookedAt: NOW - MIN });
    const other = t('o', 'b', 30);
    const all = [w1, w2, early, due, other];
    expect([due, w1, w2, early].map((x) => aheadInLine(all, x, { now: NOW, maxWaitMs: 0 }))).toEqual([0, 1, 2, 3]);
  });

  it('equals the ticket’s place in the order its service would be called, for any line', () => {
    const candidate = fc.record({
      id: fc.string({ minLength: 1, maxLength: 4 }),
      serviceId: fc.constantFrom('a', 'b'),
      arrivedAt: fc.integer({ min: NOW - 120 * MIN, max: NOW }),
      bookedAt: fc.option(fc.integer({ min: NOW - 30 * MIN, max: NOW + 30 * MIN }), { freq: 3 }),
      priorityWeight: fc.constantFrom(0, 0, 0, 1, 2),
    });
    fc.assert(
      fc.property(fc.uniqueArray(candidate, { selector: (c) => c.id, minLength: 1, maxLength: 30 }), fc.constantFrom(0, 20 * MIN), (all, maxWaitMs) => {
        // Call the service's line empty, one pickNext at a time: the order a counter would call it.
        const order: string[] = [];
        let left = all.filter((x) => x.serviceId === 'a');
        for (let next = pickNext(left, ctx({ serviceIds: ['a'], maxWaitMs })); next !== null; next = pickNext(left, ctx({ serviceIds: ['a'], maxWaitMs }))) {
          const called = next.id;
          order.push(called);
          left = left.filter((x) => x.id !== called);
        }
        for (const x of all.filter((c) => c.serviceId === 'a')) expect(aheadInLine(all, x, { now: NOW, maxWaitMs })).toBe(order.indexOf(x.id));
      }),
      { numRuns: 500 },
    );
  });
});

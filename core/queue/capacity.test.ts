import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policy } from '../../test/helpers/booking.ts';
import { testOffice } from '../../test/helpers/office.ts';
import type { BookingPolicy } from '../booking/model.ts';
import { counterMinutes, cutSlots, dayCapacity } from './capacity.ts';
import { dayStatus, zonedInstant } from '../booking/release.ts';

const cfg = testOffice();
const office = cfg.office;
const service = cfg.services[0]!;
const counters = cfg.counters.map((c) => ({ ...c, status: 'closed' as const, userId: null, sessionServiceIds: null }));

const arbPolicy = fc.record({
  dayCapacity: fc.oneof(
    fc.record({ kind: fc.constant('explicit' as const), clients: fc.integer({ min: 0, max: 2000 }) }),
    fc.record({ kind: fc.constant('counter-minutes' as const), serviceMin: fc.integer({ min: 1, max: 120 }) }),
  ),
  onlineSharePct: fc.integer({ min: -10, max: 120 }),
  onlinePlaces: fc.option(fc.integer({ min: 0, max: 3000 }), { nil: null }),
  slotMin: fc.integer({ min: 1, max: 600 }),
  weight: fc.integer({ min: 0, max: 5 }),
});

describe('capacity', () => {
  it('online + walk-in never exceed the day, and the slots hold exactly the online places', () => {
    fc.assert(
      fc.property(arbPolicy, fc.constantFrom('2026-11-23', '2026-11-28', '2026-12-24', '2026-11-25'), (a, day) => {
        const p: BookingPolicy = policy(service.id, { ...a, counterWeights: { 'o1-c1': a.weight } });
        const cap = dayCapacity(office, service, p, counters, (id) => (id === service.id ? p : null), day);
        expect(cap.online).toBeGreaterThanOrEqual(0);
        expect(cap.walkIn).toBeGreaterThanOrEqual(0);
        expect(cap.online + cap.walkIn).toBeLessThanOrEqual(cap.day);
        const slots = cutSlots(office, p, day, cap.online);
        const sum = slots.reduce((n, s) => n + s.places, 0);
        // Every place of the online share is offered, unless the day has no whole slot at all.
        expect(sum === cap.online || slots.length === 0).toBe(true);
        expect(new Set(slots.map((s) => s.id)).size).toBe(slots.length);
      }),
    );
  });

  it('a counter serving three services is split three ways, never counted three times', () => {
    const day = '2026-11-23'; // Monday, 08:00–17:00 = 540 minutes
    const none = () => null;
    // Counter 1 serves s1, s2, s3; counter 2 serves s1 only.
    expect(counterMinutes(office, counters, none, 'o1-s1', day)).toBeCloseTo(540 / 3 + 540);
    const total = ['o1-s1', 'o1-s2', 'o1-s3'].reduce((n, s) => n + counterMinutes(office, counters, none, s, day), 0);
    expect(total).toBeCloseTo(540 * counters.length);
    const weighted = (id: string) => (id === 'o1-s1' ? policy(id, { counterWeights: { 'o1-c1': 2 } }) : null);
    expect(counterMinutes(office, counters, weighted, 'o1-s1', day)).toBeCloseTo((540 * 2) / 4 + 540);
  });

  it('the walk-in cap without a policy is the explicit daily capacity', () => {
    expect(dayCapacity(office, service, null, counters, () => null, '2026-11-23')).toEqual({ day: 10_000, online: 0, walkIn: 10_000 });
  });

  it('Bihor: 50 % of the day online, the rest at the kiosk; Qujing: 120 a day regardless of share', () => {
    const bihor = policy(service.id, { dayCapacity: { kind: 'explicit', clients: 81 }, onlineSharePct: 50 });
    expect(dayCapacity(office, service, bihor, counters, () => bihor, '2026-11-23')).toEqual({ day: 81, online: 40, walkIn: 41 });
    const qujing = policy(service.id, { dayCapacity: { kind: 'explicit', clients: 240 }, onlinePlaces: 120 });
    expect(dayCapacity(office, service, qujing, counters, () => qujing, '2026-11-23').online).toBe(120);
    expect(dayCapacity(office, service, qujing, counters, () => qujing, '2026-11-28').day).toBe(0); // Saturday: closed
  });
});

describe('release', () => {
  const monday0900 = Date.UTC(2026, 10, 23, 8, 0);
  it('scheduled (Qujing): Monday to Thursday at 09:00 the day seven days later opens', () => {
    const p = policy(service.id, { release: { kind: 'scheduled', weekdays: [0, 1, 2, 3], openAt: '09:00', daysAhead: 7 } });
    expect(dayStatus(p, office, '2026-11-30', monday0900 - 1)).toEqual({ kind: 'not-yet', opensAt: monday0900 });
    expect(dayStatus(p, office, '2026-11-30', monday0900)).toEqual({ kind: 'open', releasedAt: monday0900 });
    expect(dayStatus(p, office, '2026-12-04', monday0900).kind).toBe('never'); // released on a Friday: no
    expect(dayStatus(p, office, '2026-12-05', monday0900).kind).toBe('closed'); // Saturday
  });

  it('rolling (Kostelec): at most 30 days ahead, opening at the set time', () => {
    const p = policy(service.id, { horizonDays: 30, release: { kind: 'rolling', openAt: '07:00' } });
    expect(dayStatus(p, office, '2026-12-23', monday0900).kind).toBe('open');
    expect(dayStatus(p, office, '2026-12-24', monday0900).kind).toBe('closed');
    expect(dayStatus(p, office, '2026-12-28', monday0900).kind).toBe('beyond-horizon');
    expect(dayStatus(p, office, '2026-11-20', monday0900).kind).toBe('past');
  });

  it('zoned instants agree with the office clock, across DST', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 800 }), fc.integer({ min: 0, max: 1439 }), (d, minute) => {
        const day = new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
        const at = zonedInstant('Europe/Prague', day, minute);
        const back = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Prague', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }).format(at);
        // Inside a spring-forward gap the wall time does not exist: the result lands just after it.
        if (!back.startsWith(day)) return;
        const [h, m] = back.slice(-5).split(':').map(Number) as [number, number];
        expect(Math.abs(h * 60 + m - minute)).toBeLessThanOrEqual(60);
      }),
    );
  });
});

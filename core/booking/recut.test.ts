import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daySlots, type Bookable } from './availability.ts';
import { memorySlotStore } from './fakes/slots.fake.ts';
import type { BookingPolicy, DayCapacityRule, Slot } from './model.ts';
import { insideHours, uncoveredStarts } from './recut.ts';
import { openIntervals } from './release.ts';
import { dayCapacity, slotLength } from '../queue/capacity.ts';
import type { Counter, Office, Service } from '../shared/model.ts';
import { formatHhMm } from '../shared/office-time.ts';

/**
 * Whatever the hours were when a day's slots were stored and whatever they are now, the day
 * offers only times inside the hours in force, stored slots keep their places and what is taken
 * of them, the offer never overlaps itself, and new time never lifts the day above its online
 * places now.
 */

const DAY = '2026-11-25'; // a Wednesday
const WED = 2;

/** Up to three open intervals of a day, on a 5-minute grid, as `HH:MM` pairs. */
const arbHours = fc
  .uniqueArray(fc.integer({ min: 0, max: 288 }), { minLength: 0, maxLength: 6 })
  .map((ticks) => {
    const sorted = [...ticks].sort((a, b) => a - b).map((t) => t * 5);
    const out: [string, string][] = [];
    for (let i = 0; i + 1 < sorted.length; i += 2) out.push([formatHhMm(sorted[i]!), formatHhMm(sorted[i + 1]!)]);
    return out;
  });

const arbCapacity: fc.Arbitrary<DayCapacityRule> = fc.oneof(
  fc.record({ kind: fc.constant('explicit' as const), clients: fc.integer({ min: 0, max: 80 }) }),
  fc.record({ kind: fc.constant('counter-minutes' as const), serviceMin: fc.integer({ min: 5, max: 60 }) }),
);

const office = (wed: [string, string][], changed?: [string, string][]): Office => ({
  id: 'o1',
  name: 'Office',
  timeZone: 'Europe/Prague',
  languages: ['en'],
  hours: Array.from({ length: 7 }, (_, d) => (d === WED ? wed : [])),
  closedDays: [],
  ...(changed === undefined ? {} : { changedDays: [{ date: DAY, hours: changed }] }),
  settings: { maxWaitMin: 0, maxRecalls: 2, defaultServiceMin: 5, priorityCategories: [] },
});
const service = (wed: [string, string][] | null): Service => ({
  id: 's1',
  officeId: 'o1',
  departmentId: 'd1',
  prefix: 'A',
  names: { en: 'S' },
  dailyWalkInCapacity: 100,
  position: 0,
  hours: wed === null ? null : Array.from({ length: 7 }, (_, d) => (d === WED ? wed : [])),
});
const counters: Counter[] = [{ id: 'c1', officeId: 'o1', number: '1', serviceIds: ['s1'], sessionServiceIds: null, status: 'open', userId: null }];

describe('a stored day under changed hours', () => {
  it('offers only times inside the hours in force, keeps what was stored and taken, never more than the online places', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          before: arbHours,
          after: arbHours,
          serviceHours: fc.boolean(),
          changedDay: fc.boolean(),
          slotMin: fc.constantFrom(10, 15, 20, 30, 45),
          slotMinAfter: fc.constantFrom(10, 15, 20, 30, 45),
          dayCapacity: arbCapacity,
          onlineSharePct: fc.integer({ min: 0, max: 100 }),
          placesPerSlot: fc.option(fc.integer({ min: 1, max: 4 }), { nil: undefined }),
          takes: fc.array(fc.nat(), { maxLength: 20 }),
        }),
        async (c) => {
          const slots = memorySlotStore();
          const pol = (slotMin: number): BookingPolicy => ({
            serviceId: 's1',
            dayCapacity: c.dayCapacity,
            onlineSharePct: c.onlineSharePct,
            onlinePlaces: null,
            ...(c.placesPerSlot === undefined ? {} : { placesPerSlot: c.placesPerSlot }),
            slotMin,
            horizonDays: 30,
            earliestDays: 0,
            release: { kind: 'rolling', openAt: '00:00' },
            allocation: 'fcfs',
            drawWindowMin: 60,
            holdMin: 15,
            confirmBy: ['email'],
            counterWeights: {},
          });
          const depsOf = (p: BookingPolicy) => ({
            store: { listCounters: async () => counters },
            bookings: { ...slots, policy: async () => p },
          }) as unknown as Parameters<typeof daySlots>[0];

          // The day stored under the hours before, some places taken.
          const first: Bookable = { office: office(c.before), service: service(null), policy: pol(c.slotMin) };
          const d0 = depsOf(first.policy);
          await slots.ensureSlots('s1', DAY, await daySlots(d0, first, DAY));
          const stored0 = await slots.slots('s1', DAY);
          for (const t of c.takes) if (stored0.length > 0) await slots.reserve(stored0[t % stored0.length]!.id);
          const stored = await slots.slots('s1', DAY);

          // The hours now: the office's, a service's own, or a one-off changed day.
          const now: Bookable = c.changedDay
            ? { office: office(c.before, c.after), service: service(null), policy: pol(c.slotMinAfter) }
            : c.serviceHours
              ? { office: office(c.before), service: service(c.after), policy: pol(c.slotMinAfter) }
              : { office: office(c.after), service: service(null), policy: pol(c.slotMinAfter) };
          const d1 = depsOf(now.policy);
          const offer = await daySlots(d1, now, DAY);
          const hours = openIntervals(now.office, DAY, now.service);
          const len = slotLength(now.policy);

          // Every slot on offer lies inside the hours over its own length (stored ones keep theirs).
          const own = (s: Slot): number => s.minutes ?? len;
          for (const s of offer) expect(insideHours(hours, s.startMin, own(s))).toBe(true);
          const byId = new Map(stored.map((s) => [s.id, s]));
          for (const s of offer) if (byId.has(s.id)) expect(s).toEqual(byId.get(s.id));
          const fresh = offer.filter((s) => !byId.has(s.id));
          // New time never overlaps a slot on offer, a stored one cut under another length included.
          for (const f of fresh) {
            expect(f.minutes).toBe(len);
            for (const s of offer) if (s !== f) expect(f.startMin >= s.startMin + own(s) || s.startMin >= f.startMin + len).toBe(true);
          }
          const keptPlaces = offer.filter((s) => byId.has(s.id)).reduce((n, s) => n + s.places, 0);
          const { online } = dayCapacity(now.office, now.service, now.policy, counters, () => now.policy, DAY);
          if (fresh.length > 0) expect(keptPlaces + fresh.reduce((n, s) => n + s.places, 0)).toBeLessThanOrEqual(online);

          // Storing the offer adds the new time and changes nothing stored; reading again offers the same.
          await slots.ensureSlots('s1', DAY, offer);
          for (const s of stored) expect(await slots.slot(s.id)).toEqual(s);
          expect(await daySlots(d1, now, DAY)).toEqual(offer);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('a stored day after the slot length changed', () => {
  it('a 30-minute slot stored at 09:00 still covers 09:00–09:30 when slots become 15 minutes: the new cut starts at 09:30', () => {
    expect(uncoveredStarts([540, 555, 570, 585], [{ startMin: 540, minutes: 30 }], 15)).toEqual([570, 585]);
    // Stored before lengths were kept: read as the length in force, as before.
    expect(uncoveredStarts([540, 555, 570, 585], [{ startMin: 540, minutes: null }], 15)).toEqual([555, 570, 585]);
  });
});

import { describe, expect, it } from 'vitest';
import type { DomainEvent, TicketView } from '../shared/events.ts';
import { FakeStatsStore } from './fake.ts';
import { closeDay, statsReport } from './report.ts';
import { distribution } from './summary.ts';

/** The definitions on small, hand-made days (the simulated office day covers them at scale). */

const TZ = 'Europe/Prague';
const office = { id: 'o1', timeZone: TZ };
const at = (hhmm: string): number => Date.UTC(2026, 10, 23, Number(hhmm.slice(0, 2)) - 1, Number(hhmm.slice(3)));
const NEXT_MORNING = Date.UTC(2026, 10, 24, 6);

function dayOf(events: [string, DomainEvent][]): FakeStatsStore {
  const store = new FakeStatsStore();
  events.forEach(([hhmm, e], i) => store.events.push({ ...e, id: i + 1, at: at(hhmm) }));
  return store;
}
const ticket = (id: string, arrived: string, over: Partial<TicketView> = {}): TicketView => ({
  id, number: id.toUpperCase(), serviceId: 's1', state: 'waiting', counterId: null, categoryId: null, arrivedAt: at(arrived), bookedAt: null, recallCount: 0, ...over,
});
const issued = (t: TicketView, channel: 'walk_in' | 'booked' | 'reception' = 'walk_in'): DomainEvent => ({ type: 'ticket:issued', officeId: 'o1', payload: { ticket: t, origin: { channel } } });
const called = (t: TicketView, recall = false): DomainEvent => ({ type: 'ticket:called', officeId: 'o1', payload: { ticket: t, counterId: 'c1', counterNumber: '1', recall, userId: 'u1' } });
const changed = (t: TicketView, previous: TicketView['state'], state: TicketView['state'], serviceId = t.serviceId): DomainEvent => ({
  type: 'ticket:changed', officeId: 'o1', payload: { ticket: { ...t, state, serviceId }, previous },
});

describe('statistics definitions', () => {
  it('a recalled ticket waits until its last call; a booked one from its booked time; a transfer counts once', async () => {
    const a = ticket('a1', '09:00');
    const b = ticket('b1', '09:50', { bookedAt: at('10:00') });
    const store = dayOf([
      ['09:00', issued(a)],
      ['09:10', called(a)],
      ['09:12', called(a, true)],
      ['09:13', changed(a, 'called', 'serving')],
      ['09:20', changed(a, 'serving', 'waiting', 's2')],
      ['09:30', called(a)],
      ['09:31', changed(a, 'called', 'serving')],
      ['09:35', changed(a, 'serving', 'done')],
      ['09:50', issued(b, 'booked')],
      ['10:04', called(b)],
      ['10:05', changed(b, 'called', 'done')],
    ]);
    const r = await statsReport(store, office, { from: '2026-11-23', to: '2026-11-23', groupBy: 'channel', filter: {} }, NEXT_MORNING);
    if (!r.ok) throw new Error(r.error.code);
    expect(r.value.totals).toMatchObject({ issued: 2, served: 2, transferred: 1 });
    // a: 09:00 → 09:12 (the last call) = 12 min; b: booked 10:00 → 10:04 = 4 min (not from 09:50).
    expect(r.value.totals.wait).toEqual({ count: 2, mean: 8, median: 8, p90: 12, max: 12 });
    // a: 7 min then 4 min at counters; b: called → done directly, 1 min from the call.
    expect(r.value.totals.service).toEqual({ count: 2, mean: 6, median: 6, p90: 11, max: 11 });
    expect(r.value.groups.map((g) => g.key)).toEqual(['booked', 'walk_in']);
    expect(r.value.punctuality).toEqual({ early: 1, onTime: 0, late: 0, meanMin: -10 });
  });

  it('a day is rolled up once it is over, and the rollup answers as the events did', async () => {
    const a = ticket('a1', '09:00');
    const store = dayOf([['09:00', issued(a)], ['09:05', called(a)], ['09:06', changed(a, 'called', 'no_show')]]);
    expect(await closeDay(store, office, '2026-11-23', at('12:00'))).toEqual({ ok: false, error: { code: 'STATS_DAY_NOT_OVER' } });
    const live = await statsReport(store, office, { from: '2026-11-23', to: '2026-11-23', groupBy: 'day', filter: {} }, at('12:00'));
    const rolled = await statsReport(store, office, { from: '2026-11-23', to: '2026-11-23', groupBy: 'day', filter: {} }, NEXT_MORNING);
    expect(await store.closedDays('o1', '2026-11-01', '2026-11-30')).toEqual(['2026-11-23']);
    expect(rolled.ok && rolled.value.totals).toEqual(live.ok && live.value.totals);
    expect(rolled.ok && rolled.value.totals).toMatchObject({ issued: 1, noShow: 1, wait: { count: 0 } });
  });

  it('median and p90 follow their written definitions', () => {
    const min = (m: number) => m * 60_000;
    expect(distribution([1, 2, 3, 4].map(min))).toEqual({ count: 4, mean: 2.5, median: 2.5, p90: 4, max: 4 });
    expect(distribution(Array.from({ length: 10 }, (_, i) => min(i + 1)))).toMatchObject({ median: 5.5, p90: 9 });
  });

  it('refuses a range the wrong way round or over 400 days', async () => {
    const store = new FakeStatsStore();
    for (const [from, to] of [['2026-11-23', '2026-11-22'], ['2025-01-01', '2026-11-23'], ['2026-02-30', '2026-03-01']]) {
      expect(await statsReport(store, office, { from: from!, to: to!, groupBy: 'day', filter: {} }, NEXT_MORNING)).toEqual({ ok: false, error: { code: 'STATS_RANGE_INVALID', params: { max: 400 } } });
    }
  });
});

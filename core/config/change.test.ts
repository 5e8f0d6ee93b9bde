import { describe, expect, it } from 'vitest';
import { ok } from '../shared/result.ts';
import { changeConfig, undoChange } from './change.ts';
import { dayToIntervals, intervalsToDay } from './engine.ts';
import type { DayHoursData, OfficeConfigData, OnlineBookingData } from './model.ts';
import { MemoryConfigStore } from './ports.ts';

/**
 * The office configuration's use case on the in-memory port: what a change does to bookings
 * (the preview an admin confirms), retries when another change lands first, undo.
 */

const day = (open: string, close: string, breaks: { from: string; to: string }[] = []): DayHoursData => ({ open, close, breaks });
const online: OnlineBookingData = {
  dayCapacity: { kind: 'explicit', clients: 20 },
  onlineSharePct: 50,
  onlinePlaces: null,
  slotMin: 30,
  placesPerSlot: null,
  horizonDays: 30,
  earliestDays: 0,
  release: { kind: 'rolling', openAt: '00:00' },
  allocation: 'fcfs',
  drawWindowMin: 60,
  holdMin: 15,
  confirmBy: ['email'],
  counterWeights: {},
  identityKey: null,
};
const d8 = day('08:00', '17:00');
const office = (): OfficeConfigData => ({
  id: 'o1',
  office: { names: { cs: 'Úřad' }, timeZone: 'Europe/Prague', languages: ['cs', 'en'], voiceLanguages: ['cs'], address: null, contact: null },
  logos: { screen: null, ticket: null },
  hours: { mon: d8, tue: d8, wed: d8, thu: d8, fri: d8, sat: null, sun: null },
  calendar: { closedDays: [], changedDays: [] },
  fairness: { maxWaitMin: 0, maxRecalls: 2, defaultServiceMin: 5, priorityCategories: [] },
  alerts: { targetWaitMin: 30, serviceTargets: {}, outboxBacklog: 50, providerFailures: 3, emailSupervisors: false },
  departments: [{ id: 'd', names: { cs: 'Odbor' } }],
  services: [{ id: 'pass', departmentId: 'd', prefix: 'P', names: { cs: 'Pasy' }, dailyWalkInCapacity: 10, hours: null, online, rules: { roster: false, outcomes: [], eligibility: [] } }],
  counters: [{ id: 'c1', number: '1', name: null, departmentId: null, serviceIds: ['pass'] }],
});
// Monday 2026-11-23 09:00 in Prague.
const NOW = Date.UTC(2026, 10, 23, 8, 0);
const booking = (id: string, dayIso: string, hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return { id, number: id.toUpperCase(), serviceId: 'pass', day: dayIso, startMin: h * 60 + m, startAt: 0, state: 'confirmed' as const };
};

function setup() {
  const store = new MemoryConfigStore();
  store.offices.set('o1', { config: office(), version: 1 });
  store.bookings = [booking('b1', '2026-11-24', '09:00'), booking('b2', '2026-11-24', '12:00'), booking('b3', '2026-11-25', '16:30'), booking('b4', '2026-11-25', '10:00')];
  const change = (patch: Parameters<typeof changeConfig>[1]['build'] extends (c: OfficeConfigData) => infer R ? (c: OfficeConfigData) => R : never, preview = false) =>
    changeConfig({ config: store }, { officeId: 'o1', build: patch, preview, userId: 'u1', via: 'api', allowed: () => true, now: NOW });
  return { store, change };
}

describe('a day as open, close and breaks', () => {
  it('becomes intervals and back, unchanged', () => {
    const d = day('08:00', '17:00', [{ from: '12:00', to: '13:00' }, { from: '10:00', to: '10:15' }]);
    expect(dayToIntervals(d)).toEqual([['08:00', '10:00'], ['10:15', '12:00'], ['13:00', '17:00']]);
    expect(intervalsToDay(dayToIntervals(d))).toEqual({ ...d, breaks: [d.breaks[1], d.breaks[0]] });
    expect(dayToIntervals(null)).toEqual([]);
  });
});

describe('what a change does to bookings', () => {
  it('closing a day lists that day’s bookings, and nothing is written in a preview', async () => {
    const { store, change } = setup();
    const r = await change((c) => ok({ calendar: { ...c.calendar, closedDays: [{ date: '2026-11-24' }] } }), true);
    expect(r.ok && r.value.affectedBookings.map((b) => [b.bookingId, b.reason, b.time])).toEqual([
      ['b1', 'day-closed', '09:00'],
      ['b2', 'day-closed', '12:00'],
    ]);
    expect(r.ok && r.value.applied).toBe(false);
    expect(store.entries).toHaveLength(0);
  });

  it('shortening the hours or adding a break lists the bookings no longer inside them; an unrelated change lists none', async () => {
    const { change } = setup();
    const short = day('08:00', '16:00', [{ from: '11:45', to: '12:30' }]);
    const r = await change((c) => ok({ hours: { ...c.hours, tue: short, wed: short } }), true);
    expect(r.ok && r.value.affectedBookings.map((b) => [b.bookingId, b.reason])).toEqual([
      ['b2', 'outside-hours'],
      ['b3', 'outside-hours'],
    ]);
    const names = await change((c) => ok({ office: { ...c.office, names: { cs: 'Jiný' } } }), true);
    expect(names.ok && names.value.affectedBookings).toEqual([]);
  });

  it('turning online booking off or removing the service lists every booking of it', async () => {
    const { change } = setup();
    const off = await change((c) => ok({ services: { pass: { ...c.services[0]!, online: null } } }), true);
    expect(off.ok && off.value.affectedBookings.map((b) => b.reason)).toEqual(['online-off', 'online-off', 'online-off', 'online-off']);
  });

  it('a service losing its last counter strands its bookings (nobody would serve them); one counter left serving it strands none', async () => {
    const { store, change } = setup();
    const gone = await change((c) => ok({ counters: { c1: { ...c.counters[0]!, serviceIds: [] } } }), true);
    expect(gone.ok && gone.value.affectedBookings.map((b) => [b.bookingId, b.reason])).toEqual([
      ['b1', 'no-counter'],
      ['b2', 'no-counter'],
      ['b3', 'no-counter'],
      ['b4', 'no-counter'],
    ]);
    const removed = await change(() => ok({ counters: { c1: null } }), true);
    expect(removed.ok && removed.value.affectedBookings.map((b) => b.reason)).toEqual(['no-counter', 'no-counter', 'no-counter', 'no-counter']);
    store.offices.get('o1')!.config = { ...office(), counters: [...office().counters, { id: 'c2', number: '2', name: null, departmentId: null, serviceIds: ['pass'] }] };
    const oneLeft = await change((c) => ok({ counters: { c1: { ...c.counters[0]!, serviceIds: [] } } }), true);
    expect(oneLeft.ok && oneLeft.value.affectedBookings).toEqual([]);
  });
});

describe('applying', () => {
  it('applies the change to what is there now when another change landed first', async () => {
    const { store, change } = setup();
    const commit = store.commit.bind(store);
    let raced = false;
    store.commit = async (c) => {
      if (!raced) {
        raced = true;
        const cur = store.offices.get('o1')!;
        store.offices.set('o1', { config: { ...cur.config, alerts: { ...cur.config.alerts, targetWaitMin: 5 } }, version: cur.version + 1 });
      }
      return commit(c);
    };
    const r = await change(() => ok({ fairness: { maxWaitMin: 30, maxRecalls: 1, defaultServiceMin: 5, priorityCategories: [] } }));
    expect(r.ok && r.value.applied).toBe(true);
    const now = store.offices.get('o1')!.config;
    expect(now.alerts.targetWaitMin).toBe(5);
    expect(now.fairness.maxWaitMin).toBe(30);
  });

  it('undo re-applies the old values through the same checks', async () => {
    const { store, change } = setup();
    const r = await change((c) => ok({ hours: { ...c.hours, sat: day('09:00', '12:00') } }));
    expect(r.ok).toBe(true);
    const id = r.ok ? r.value.changeId! : 0;
    const u = await undoChange({ config: store }, { officeId: 'o1', changeId: id, preview: false, userId: 'u1', allowed: () => true, now: NOW });
    expect(u.ok && u.value.sections).toEqual(['hours']);
    expect(store.offices.get('o1')!.config.hours.sat).toBeNull();
    expect(store.entries.at(-1)).toMatchObject({ via: 'undo', undoOf: id });
    const missing = await undoChange({ config: store }, { officeId: 'o1', changeId: 99, preview: false, userId: 'u1', allowed: () => true, now: NOW });
    expect(missing).toEqual({ ok: false, error: { code: 'CONFIG_CHANGE_NOT_FOUND' } });
  });

  it('refuses a service’s hours outside the office’s, and a break outside its day, naming the field', async () => {
    const { change } = setup();
    const svc = await change((c) => ok({ services: { pass: { ...c.services[0]!, hours: { ...c.hours, mon: day('07:30', '12:00') } } } }));
    expect(svc).toEqual({ ok: false, error: { code: 'CONFIG_SERVICE_HOURS_OUTSIDE', params: { field: 'services.pass.hours.mon' } } });
    const brk = await change((c) => ok({ hours: { ...c.hours, fri: day('08:00', '12:00', [{ from: '11:30', to: '12:30' }]) } }));
    expect(brk).toEqual({ ok: false, error: { code: 'CONFIG_BREAK_OUTSIDE', params: { field: 'hours.fri.breaks.0' } } });
  });
});

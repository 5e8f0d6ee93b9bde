import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callNext, finishService, openCounter } from '../core/queue/counter-actions.ts';
import { issueTicket, type QueueDeps } from '../core/queue/issue-ticket.ts';
import type { Ticket } from '../core/shared/model.ts';
import { localTime } from '../core/shared/office-time.ts';
import type { Result } from '../core/shared/result.ts';
import { announceIssued, newTicket } from '../core/queue/ticket-state.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import { openQueueWorld, together, type QueueWorld } from './helpers/queue-world.ts';

/**
 * The merged order of booked arrivals and walk-ins, through the real SQLite and PostgreSQL stores: the
 * store seeks each line's heads by index (oldest walk-in, heaviest priority, earliest booked time)
 * and the call policy picks among them. Random days of walk-ins, check-ins (a booked arrival's
 * ticket, as check-in writes it: booked time within ±15 minutes of its arrival), calls by
 * counters serving different services, and time passing. At every call, against the queue as it
 * was just before:
 *  - a booked arrival is never called before its time while a walk-in waits for that counter's services;
 *  - while a booked arrival whose time has come waits for the counter's services, the one called
 *    is such an arrival, the earliest booked.
 */

const MIN = 60_000;
const SERVICES = 3;
/** Counter k serves these services, most preferred first. */
const COUNTERS: readonly (readonly number[])[] = [[0, 1, 2], [0], [1, 0], [2]];
const sid = (i: number) => `o1-s${i + 1}`;
const cid = (i: number) => `o1-c${i + 1}`;

type Cmd =
  | { kind: 'walkIn'; service: number; category: 'elderly' | 'disabled' | null }
  | { kind: 'checkIn'; service: number; bookedInMin: number }
  | { kind: 'call' | 'finish'; counter: number }
  | { kind: 'advance'; minutes: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('walkIn' as const), service: fc.nat(SERVICES - 1), category: fc.constantFrom(null, null, null, 'elderly' as const, 'disabled' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('checkIn' as const), service: fc.nat(SERVICES - 1), bookedInMin: fc.integer({ min: -15, max: 15 }) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(COUNTERS.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('finish' as const), counter: fc.nat(COUNTERS.length - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 12 }) }) },
);

const waiting = async (w: QueueWorld): Promise<Ticket[]> => (await w.tickets()).filter((t) => t.state === 'waiting');

/** A booked arrival's ticket as check-in writes it (the service's prefix, the booked time on it). */
async function checkedIn(d: QueueDeps, serviceId: string, bookedAt: number): Promise<Result<Ticket>> {
  const now = d.clock.now();
  const service = (await d.store.getService(serviceId))!;
  const office = (await d.store.getOffice(service.officeId))!;
  const day = localTime(office.timeZone, now).date;
  const ticket = newTicket({
    id: d.ids.ticketId(),
    officeId: office.id,
    serviceId,
    prefix: service.prefix,
    seq: await d.store.nextNumber(office.id, service.prefix, day),
    day,
    state: 'waiting',
    categoryId: null,
    priorityWeight: 0,
    bookedAt,
    now,
  });
  await d.store.insertTicket(ticket);
  await announceIssued(d.store, ticket, now);
  return { ok: true, value: ticket };
}

const actor = (k: number) => ({ userId: `u${k}`, officeId: 'o1', counterId: cid(k) });

async function openDay(store: TestStore, maxWaitMin: number): Promise<QueueWorld> {
  const w = await openQueueWorld(store, testOffice({ services: SERVICES, counters: COUNTERS, settings: { maxWaitMin } }), COUNTERS.length);
  for (let k = 0; k < COUNTERS.length; k++) await w.run((d) => openCounter(d, actor(k)));
  return w;
}

async function runDay(store: TestStore, commands: Cmd[], maxWaitMin: number): Promise<{ calls: number; bookedCalls: number }> {
  const w = await openDay(store, maxWaitMin);
  const { run, clock } = w;
  let calls = 0;
  let bookedCalls = 0;
  try {
  for (const c of commands) {
    switch (c.kind) {
      case 'walkIn':
        await run((d) => issueTicket(d, { serviceId: sid(c.service), categoryId: c.category }));
        break;
      case 'checkIn':
        await run((d) => checkedIn(d, sid(c.service), clock.now() + c.bookedInMin * MIN));
        break;
      case 'finish':
        await run((d) => finishService(d, actor(c.counter)));
        break;
      case 'advance':
        clock.advance(c.minutes * MIN);
        break;
      case 'call': {
        const now = clock.now();
        const served = COUNTERS[c.counter]!.map(sid);
        const line = (await waiting(w)).filter((t) => served.includes(t.serviceId));
        const r = await run((d) => callNext(d, actor(c.counter)));
        if (!r.ok || r.value.ticket === null) {
          expect(line).toEqual([]); // nobody was passed over
          break;
        }
        const picked = r.value.ticket;
        calls++;
        if (picked.bookedAt !== null) bookedCalls++;
        // Never before its time while a walk-in waits for this counter's services.
        if (picked.bookedAt !== null && picked.bookedAt > now) expect(line.filter((t) => t.bookedAt === null)).toEqual([]);
        // A booked arrival whose time has come goes first, the earliest booked time first.
        const due = line.filter((t) => t.bookedAt !== null && t.bookedAt <= now);
        if (due.length > 0) {
          expect(picked.bookedAt).not.toBeNull();
          expect(picked.bookedAt!).toBeLessThanOrEqual(now);
          expect(Math.min(...due.map((t) => t.bookedAt!))).toBe(picked.bookedAt);
        }
        break;
      }
    }
  }
  } finally {
    await w.close();
  }
  return { calls, bookedCalls };
}

type Pressed = Exclude<Cmd, { kind: 'advance' | 'finish' }>;
const pressed: fc.Arbitrary<Pressed> = cmd.filter((c): c is Pressed => c.kind !== 'advance' && c.kind !== 'finish');

/**
 * Bursts of 2–20 walk-ins, check-ins and call-nexts started together at one instant (time passes
 * between bursts). Each call picks among what waits at its own moment, which the test cannot see;
 * what it can: a ticket waiting for a counter's services from before the burst to after it was
 * waiting at every call of the burst, so a call at that counter never passed it over — never a
 * walk-in or a later booked time while a due booked arrival waited, never a booked arrival before
 * its time while a walk-in waited, never nobody while anyone waited — and no ticket is called twice.
 */
async function runBursts(store: TestStore, bursts: { presses: Pressed[]; thenMin: number }[], maxWaitMin: number): Promise<{ calls: number }> {
  const w = await openDay(store, maxWaitMin);
  const calledEver = new Set<string>();
  try {
    for (const { presses, thenMin } of bursts) {
      const now = w.clock.now();
      const before = await waiting(w);
      const results = await together(
        presses.map((p) => async () => {
          if (p.kind === 'walkIn') await w.run((d) => issueTicket(d, { serviceId: sid(p.service), categoryId: p.category }));
          else if (p.kind === 'checkIn') await w.run((d) => checkedIn(d, sid(p.service), now + p.bookedInMin * MIN));
          else return { counter: p.counter, r: await w.run((d) => callNext(d, actor(p.counter))) };
          return null;
        }),
      );
      const afterIds = new Set((await waiting(w)).map((t) => t.id));
      const throughout = before.filter((t) => afterIds.has(t.id));
      for (const x of results) {
        if (x === null || !x.r.ok) continue;
        const picked = x.r.value.ticket;
        const served = COUNTERS[x.counter]!.map(sid);
        const line = throughout.filter((t) => served.includes(t.serviceId));
        if (picked === null) {
          expect(line, 'a counter got nobody while someone waited').toEqual([]);
          continue;
        }
        expect(calledEver.has(picked.id), `${picked.id} called twice`).toBe(false);
        calledEver.add(picked.id);
        const due = line.filter((t) => t.bookedAt !== null && t.bookedAt <= now);
        if (due.length > 0) {
          expect(picked.bookedAt, 'a due booked arrival passed over').not.toBeNull();
          expect(picked.bookedAt!).toBeLessThanOrEqual(Math.min(...due.map((t) => t.bookedAt!)));
        }
        if (picked.bookedAt !== null && picked.bookedAt > now) expect(line.filter((t) => t.bookedAt === null), 'a booked arrival called early past a walk-in').toEqual([]);
      }
      w.clock.advance(thenMin * MIN);
    }
    return { calls: calledEver.size };
  } finally {
    await w.close();
  }
}

/**
 * Runs per store, each file under a minute on PostgreSQL on two shared cores: there a run opens a
 * database of its own (~0.5 s) and a unit costs tens of ms (round trips and its own COMMIT).
 */
const RUNS = { sqlite: { days: 150, bursts: 60, maxBursts: 8 }, postgres: { days: 8, bursts: 20, maxBursts: 4 } } as const;

describe.each(BOTH_STORES)('merged order of booked arrivals and walk-ins (fast-check, real %s store)', (store) => {
  it('holds for random days of walk-ins, check-ins, calls and time passing', async () => {
    console.log(`booked-order.property ${store}: ${RUNS[store].days} runs of random days`);
    let calls = 0;
    let bookedCalls = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 20, maxLength: 60, size: 'max' }), fc.constantFrom(0, 0, 20), async (commands, maxWait) => {
        const r = await runDay(store, commands, maxWait);
        calls += r.calls;
        bookedCalls += r.bookedCalls;
      }),
      { numRuns: RUNS[store].days },
    );
    // The days were not trivial: many calls, a fair share of them booked arrivals.
    expect(calls).toBeGreaterThan(RUNS[store].days * 3);
    expect(bookedCalls).toBeGreaterThan(calls / 5);
  }, 120_000);

  it('holds when arrivals and clerks press at the same instant: bursts of 2–20 concurrent commands', async () => {
    console.log(`booked-order.property ${store}: ${RUNS[store].bursts} runs of concurrent bursts`);
    let calls = 0;
    const burstArb = fc.record({ presses: fc.array(pressed, { minLength: 2, maxLength: 20 }), thenMin: fc.integer({ min: 0, max: 12 }) });
    await fc.assert(
      fc.asyncProperty(fc.array(burstArb, { minLength: 1, maxLength: RUNS[store].maxBursts }), fc.constantFrom(0, 0, 20), async (bursts, maxWait) => {
        calls += (await runBursts(store, bursts, maxWait)).calls;
      }),
      // An interleaving is not replayed by its seed: a failure is reported as found, not shrunk.
      { numRuns: RUNS[store].bursts, endOnFailure: true },
    );
    expect(calls).toBeGreaterThan(RUNS[store].bursts);
  }, 120_000);
});

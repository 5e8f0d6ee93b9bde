import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  callNext,
  finishService,
  markNoShow,
  openCounter,
  park,
  recall,
  resumeParked,
  setPaused,
  startService,
  transfer,
  type CounterState,
} from '../core/queue/counter-actions.ts';
import { issueTicket } from '../core/queue/issue-ticket.ts';
import type { Ticket } from '../core/shared/model.ts';
import type { Result } from '../core/shared/result.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import { openQueueWorld, together, type QueueWorld } from './helpers/queue-world.ts';

/**
 * Model-based property tests of the queue engine through the real stores, SQLite and PostgreSQL:
 * random sequences of kiosk and counter actions, with the invariants checked after every step;
 * then bursts of such actions started together, as clerks and kiosks press at the same instant.
 * On PostgreSQL every call of a unit is a round trip to the server, so units started together
 * interleave at each await (and on several connections), as those of several hosts do.
 */

const SERVICES = 3;
const COUNTERS = 4;
const sid = (i: number) => `o1-s${i + 1}`;
const cid = (i: number) => `o1-c${i + 1}`;

type Cmd =
  | { kind: 'issue'; service: number; category: 'elderly' | 'disabled' | null }
  | { kind: 'call' | 'recall' | 'start' | 'finish' | 'noShow' | 'park' | 'pause' | 'unpause' | 'resume'; counter: number }
  | { kind: 'transfer'; counter: number; service: number }
  | { kind: 'advance'; minutes: number }
  /** Several counters press call-next and one service is issued at the same instant: one commit group, some units refused. */
  | { kind: 'burst'; counters: number[]; service: number };

const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('issue' as const), service: fc.nat(SERVICES - 1), category: fc.constantFrom(null, null, null, 'elderly' as const, 'disabled' as const) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(COUNTERS - 1) }) },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constantFrom('recall' as const, 'start' as const, 'finish' as const, 'noShow' as const, 'park' as const, 'pause' as const, 'unpause' as const, 'resume' as const),
      counter: fc.nat(COUNTERS - 1),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('transfer' as const), counter: fc.nat(COUNTERS - 1), service: fc.nat(SERVICES - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('advance' as const), minutes: fc.integer({ min: 1, max: 30 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('burst' as const),
      counters: fc.array(fc.nat(COUNTERS - 1), { minLength: 2, maxLength: 6 }),
      service: fc.nat(SERVICES - 1),
    }),
  },
);

async function checkInvariants(w: QueueWorld): Promise<Ticket[]> {
  const all = await w.tickets();
  // At most one client per counter, and a ticket at a counter names it.
  const atCounter = all.filter((t) => t.state === 'called' || t.state === 'serving');
  const counters = atCounter.map((t) => t.counterId);
  expect(new Set(counters).size).toBe(counters.length);
  expect(counters.every((c) => c !== null)).toBe(true);
  // Numbers unique per (prefix, day).
  const keys = all.map((t) => `${t.prefix}/${t.day}/${t.seq}`);
  expect(new Set(keys).size).toBe(keys.length);
  // What the store answers (SQLite: its live image in memory) says what the table says: who
  // waits, in which order, how many per service, and who is at each counter — after rolled-back units too.
  const waiting = all.filter((t) => t.state === 'waiting').sort((a, b) => a.arrivedAt - b.arrivedAt || (a.id < b.id ? -1 : 1));
  await w.queue.read(async (store) => {
    expect(await store.waitingTickets('o1')).toEqual(waiting);
    for (let i = 0; i < SERVICES; i++) expect(await store.waitingCount(sid(i))).toBe(waiting.filter((t) => t.serviceId === sid(i)).length);
    for (let k = 0; k < COUNTERS; k++) expect(await store.currentTicket(cid(k))).toEqual(atCounter.find((t) => t.counterId === cid(k)) ?? null);
  });
  return all;
}

const OFFICE = (maxWaitMin: number) => testOffice({ services: SERVICES, counters: [[0, 1, 2], [0], [1, 0], [2]], settings: { maxWaitMin } });
const actorOf = (k: number) => ({ userId: `u${k}`, officeId: 'o1', counterId: cid(k) });

async function openWorld(store: TestStore, maxWaitMin: number): Promise<QueueWorld> {
  const w = await openQueueWorld(store, OFFICE(maxWaitMin), COUNTERS);
  for (let k = 0; k < COUNTERS; k++) await w.run((d) => openCounter(d, actorOf(k)));
  return w;
}

const older = (a: Ticket, b: Ticket): boolean => a.arrivedAt < b.arrivedAt || (a.arrivedAt === b.arrivedAt && a.id < b.id);

async function runScenario(store: TestStore, commands: Cmd[], maxWaitMin: number): Promise<void> {
  const w = await openWorld(store, maxWaitMin);
  const { run, clock } = w;
  try {
    const issuedOrder = new Map<string, number[]>();
    const callsPerTicket = new Map<string, number>();
    const requeuesPerTicket = new Map<string, number>();
    const arrival = new Map<string, number>();
    let all: Ticket[] = [];

    for (const c of commands) {
      const actor = 'counter' in c ? actorOf(c.counter) : null;
      switch (c.kind) {
        case 'issue': {
          const r = await run((d) => issueTicket(d, { serviceId: sid(c.service), categoryId: c.category }));
          if (r.ok) {
            const t = r.value.ticket;
            const seqs = issuedOrder.get(t.prefix) ?? [];
            // Numbers grow per prefix and day (the clock stays within one office day here).
            if (seqs.length > 0) expect(t.seq).toBeGreaterThan(seqs[seqs.length - 1]!);
            issuedOrder.set(t.prefix, [...seqs, t.seq]);
            arrival.set(t.id, t.arrivedAt);
          }
          break;
        }
        case 'call': {
          const wasPaused = (await w.counter(actor!.counterId)).status === 'paused';
          const r: Result<CounterState> = await run((d) => callNext(d, actor!));
          if (wasPaused) {
            // A paused counter is never handed a ticket.
            expect(r.ok ? r.value.ticket : null).toBeNull();
            if (!r.ok) expect(r.error.code).toBe('COUNTER_PAUSED');
            break;
          }
          if (r.ok && r.value.ticket !== null) {
            const t = r.value.ticket;
            callsPerTicket.set(t.id, (callsPerTicket.get(t.id) ?? 0) + 1);
            const left = (await w.tickets()).filter((x) => x.state === 'waiting');
            // Within a service and priority, walk-ins are called in arrival order (max wait included:
            // an older ticket of the same line is at least as overdue).
            expect(left.filter((x) => x.serviceId === t.serviceId && x.priorityWeight === t.priorityWeight && x.bookedAt === null && older(x, t))).toEqual([]);
            // Without max wait, no priority ticket waits for this counter while an ordinary one is called.
            if (maxWaitMin === 0 && t.priorityWeight === 0) {
              const services = (await w.counter(actor!.counterId)).serviceIds;
              const mine = left.filter((x) => services.includes(x.serviceId));
              expect(mine.filter((x) => x.priorityWeight > 0)).toEqual([]);
              // …and it is the oldest waiting across the counter's services.
              expect(mine.filter((x) => x.arrivedAt < t.arrivedAt)).toEqual([]);
            }
          }
          break;
        }
        case 'transfer': {
          const before = all.find((t) => t.counterId === actor!.counterId && (t.state === 'called' || t.state === 'serving'));
          const r = await run((d) => transfer(d, actor!, sid(c.service)));
          if (r.ok && before !== undefined) {
            const after = (await w.queue.read((s) => s.getTicket(before.id)))!;
            expect(after.arrivedAt).toBe(before.arrivedAt);
            expect(after.number).toBe(before.number);
            expect(after.state).toBe('waiting');
            requeuesPerTicket.set(before.id, (requeuesPerTicket.get(before.id) ?? 0) + 1);
          }
          break;
        }
        case 'resume': {
          const parked = all.filter((t) => t.state === 'parked').sort((a, b) => a.parkedAt! - b.parkedAt!)[0]?.id;
          if (parked !== undefined) {
            const r = await run((d) => resumeParked(d, actor!, parked));
            if (r.ok) requeuesPerTicket.set(parked, (requeuesPerTicket.get(parked) ?? 0) + 1);
          }
          break;
        }
        case 'recall':
          await run((d) => recall(d, actor!));
          break;
        case 'start':
          await run((d) => startService(d, actor!));
          break;
        case 'finish':
          await run((d) => finishService(d, actor!));
          break;
        case 'noShow':
          await run((d) => markNoShow(d, actor!));
          break;
        case 'park':
          await run((d) => park(d, actor!));
          break;
        case 'pause':
        case 'unpause':
          await run((d) => setPaused(d, actor!, c.kind === 'pause'));
          break;
        case 'advance':
          clock.advance(c.minutes * 60_000);
          break;
        case 'burst': {
          const calls = c.counters.map((k) => run((d) => callNext(d, actorOf(k))));
          const issued = run((d) => issueTicket(d, { serviceId: sid(c.service), categoryId: null }));
          const results = await Promise.all(calls);
          const r = await issued;
          if (r.ok) arrival.set(r.value.ticket.id, r.value.ticket.arrivedAt);
          const called = results.flatMap((x) => (x.ok && x.value.ticket !== null ? [x.value.ticket.id] : []));
          // Counters pressing at once never get the same ticket.
          expect(new Set(called).size).toBe(called.length);
          for (const id of called) callsPerTicket.set(id, (callsPerTicket.get(id) ?? 0) + 1);
          break;
        }
      }
      all = await checkInvariants(w);
    }
    // A ticket is called at most once per time it (re)joined the queue.
    for (const [id, n] of callsPerTicket) expect(n).toBeLessThanOrEqual(1 + (requeuesPerTicket.get(id) ?? 0));
    // Arrival times never change (transfer and park keep them).
    for (const t of all) expect(t.arrivedAt).toBe(arrival.get(t.id));
  } finally {
    await w.close();
  }
}

type Pressed =
  | { kind: 'issue'; service: number }
  | { kind: 'call' | 'noShow' | 'finish' | 'start' | 'recall' | 'park'; counter: number }
  | { kind: 'transfer'; counter: number; service: number };

const pressed: fc.Arbitrary<Pressed> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('issue' as const), service: fc.nat(SERVICES - 1) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('call' as const), counter: fc.nat(COUNTERS - 1) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constantFrom('noShow' as const, 'finish' as const, 'start' as const, 'recall' as const, 'park' as const), counter: fc.nat(COUNTERS - 1) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('transfer' as const), counter: fc.nat(COUNTERS - 1), service: fc.nat(SERVICES - 1) }) },
);

/**
 * Bursts: each a batch of 2–20 presses (kiosk issues, call-next on several counters, transfers,
 * no-shows, …) started together and awaited together, then the invariants against the database.
 */
async function runBursts(store: TestStore, bursts: Pressed[][]): Promise<{ calls: number }> {
  const w = await openWorld(store, 0);
  const callsPerTicket = new Map<string, number>();
  const requeuesPerTicket = new Map<string, number>();
  const seqsPerPrefix = new Map<string, number[]>();
  try {
    for (const burst of bursts) {
      const results = await together(
        burst.map((p) => async () => {
          if (p.kind === 'issue') return { p, r: await w.run((d) => issueTicket(d, { serviceId: sid(p.service), categoryId: null })) };
          const actor = actorOf(p.counter);
          const act = { call: callNext, noShow: markNoShow, finish: finishService, start: startService, recall, park, transfer: null }[p.kind];
          return { p, r: await w.run((d) => (act === null ? transfer(d, actor, sid((p as { service: number }).service)) : act(d, actor))) };
        }),
      );
      const called: string[] = [];
      const requeued: string[] = [];
      for (const { p, r } of results) {
        if (!r.ok) continue;
        if (p.kind === 'issue' && 'ticket' in r.value && r.value.ticket !== null) {
          const t = r.value.ticket;
          seqsPerPrefix.set(t.prefix, [...(seqsPerPrefix.get(t.prefix) ?? []), t.seq]);
        }
        if (p.kind === 'call' && 'counter' in r.value && r.value.ticket !== null) called.push(r.value.ticket.id);
        if (p.kind === 'transfer' && 'counter' in r.value && r.value.ticket?.state === 'waiting') {
          requeuesPerTicket.set(r.value.ticket.id, (requeuesPerTicket.get(r.value.ticket.id) ?? 0) + 1);
          requeued.push(r.value.ticket.id);
        }
      }
      // Two clerks pressing call-next at once never get the same ticket (unless a transfer of the
      // same burst put it back in the queue between the two calls)…
      for (const id of new Set(called)) {
        expect(called.filter((x) => x === id).length, `${id} called twice in one burst`).toBeLessThanOrEqual(1 + requeued.filter((x) => x === id).length);
      }
      for (const id of called) callsPerTicket.set(id, (callsPerTicket.get(id) ?? 0) + 1);
      // …nor one a ticket another counter still has; numbers stay unique per service and day.
      const all = await checkInvariants(w);
      // Kiosks pressing at once get numbers 1, 2, 3… of their service: none twice, none skipped.
      for (const [prefix, seqs] of seqsPerPrefix) {
        expect([...seqs].sort((a, b) => a - b), `numbers of ${prefix}`).toEqual(seqs.map((_, i) => i + 1));
        expect(all.filter((t) => t.prefix === prefix).length).toBe(seqs.length);
      }
    }
    // A ticket is called at most once per time it (re)joined the queue.
    for (const [id, n] of callsPerTicket) expect(n, `calls of ${id}`).toBeLessThanOrEqual(1 + (requeuesPerTicket.get(id) ?? 0));
    return { calls: [...callsPerTicket.values()].reduce((a, b) => a + b, 0) };
  } finally {
    await w.close();
  }
}

/**
 * Runs per store, each file under a minute on PostgreSQL on two shared cores: there a run opens a
 * database of its own (~0.5 s) and a unit costs tens of ms (round trips and its own COMMIT).
 */
const RUNS = { sqlite: { days: 150, bursts: 60, maxBursts: 8 }, postgres: { days: 10, bursts: 10, maxBursts: 4 } } as const;

describe.each(BOTH_STORES)('queue engine invariants (fast-check, real %s store)', (store) => {
  it('holds for random days of kiosk and counter actions', async () => {
    console.log(`engine.property ${store}: ${RUNS[store].days} runs of random days`);
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 80 }), fc.constantFrom(0, 0, 20), async (commands, maxWait) => {
        await runScenario(store, commands, maxWait);
      }),
      { numRuns: RUNS[store].days },
    );
  }, 120_000);

  it('holds when kiosks and clerks press at the same instant: bursts of 2–20 concurrent commands', async () => {
    console.log(`engine.property ${store}: ${RUNS[store].bursts} runs of concurrent bursts`);
    let calls = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(pressed, { minLength: 2, maxLength: 20 }), { minLength: 1, maxLength: RUNS[store].maxBursts }), async (bursts) => {
        calls += (await runBursts(store, bursts)).calls;
      }),
      // An interleaving is not replayed by its seed: a failure is reported as found, not shrunk.
      { numRuns: RUNS[store].bursts, endOnFailure: true },
    );
    // The bursts were not idle: clerks got tickets.
    expect(calls).toBeGreaterThan(RUNS[store].bursts);
  }, 120_000);
});

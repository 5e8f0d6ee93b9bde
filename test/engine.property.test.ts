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
import { issueTicket, type QueueDeps } from '../core/queue/issue-ticket.ts';
import type { Ticket } from '../core/shared/model.ts';
import type { QueueStore } from '../core/queue/ports.ts';
import type { Result } from '../core/shared/result.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { ticketFromRow, type TicketRow } from '../store/rows.ts';
import { GroupCommitUnitOfWork } from '../store/unit-of-work.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from './helpers/fakes.ts';
import { testOffice } from './helpers/office.ts';

/**
 * Model-based property tests of the queue engine through the real SQLite store: random
 * sequences of kiosk and counter actions, with the invariants checked after every step.
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

const tickets = (db: Db): Ticket[] => (db.prepare('SELECT * FROM tickets ORDER BY issued_at, id').all() as TicketRow[]).map(ticketFromRow);

async function checkInvariants(db: Db, uow: GroupCommitUnitOfWork): Promise<void> {
  const all = tickets(db);
  // At most one client per counter, and a ticket at a counter names it.
  const atCounter = all.filter((t) => t.state === 'called' || t.state === 'serving');
  const counters = atCounter.map((t) => t.counterId);
  expect(new Set(counters).size).toBe(counters.length);
  expect(counters.every((c) => c !== null)).toBe(true);
  // Numbers unique per (prefix, day).
  const keys = all.map((t) => `${t.prefix}/${t.day}/${t.seq}`);
  expect(new Set(keys).size).toBe(keys.length);
  // The store's live image (memory) says what the table says: who waits, in which order, how
  // many per service, and who is at each counter — after rolled-back units too.
  const waiting = all.filter((t) => t.state === 'waiting').sort((a, b) => a.arrivedAt - b.arrivedAt || (a.id < b.id ? -1 : 1));
  await uow.read(async (store) => {
    expect(await store.waitingTickets('o1')).toEqual(waiting);
    for (let i = 0; i < SERVICES; i++) expect(await store.waitingCount(sid(i))).toBe(waiting.filter((t) => t.serviceId === sid(i)).length);
    for (let k = 0; k < COUNTERS; k++) expect(await store.currentTicket(cid(k))).toEqual(atCounter.find((t) => t.counterId === cid(k)) ?? null);
    for (const t of all) expect(await store.getTicket(t.id)).toEqual(t);
  });
}

async function runScenario(commands: Cmd[], maxWaitMin: number): Promise<void> {
  const db = openDatabase(':memory:');
  saveOfficeConfig(db, testOffice({ services: SERVICES, counters: [[0, 1, 2], [0], [1, 0], [2]], settings: { maxWaitMin } }));
  const addUser = db.prepare(`INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at) VALUES (?, 'o1', ?, ?, 'clerk', '-', 0)`);
  for (let k = 0; k < COUNTERS; k++) addUser.run(`u${k}`, `u${k}`, `u${k}`);
  const uow = new GroupCommitUnitOfWork(db);
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const ids = new SequentialIds();
  const deps = (store: QueueStore): QueueDeps => ({ store, clock, ids });
  const run = <T>(f: (d: QueueDeps) => Promise<Result<T>>) => uow.run((store) => f(deps(store)));
  for (let k = 0; k < COUNTERS; k++) await run((d) => openCounter(d, { userId: `u${k}`, officeId: 'o1', counterId: cid(k) }));

  const issuedOrder = new Map<string, number[]>();
  const callsPerTicket = new Map<string, number>();
  const requeuesPerTicket = new Map<string, number>();
  const arrival = new Map<string, number>();

  for (const c of commands) {
    const actor = 'counter' in c ? { userId: `u${c.counter}`, officeId: 'o1', counterId: cid(c.counter) } : null;
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
        const wasPaused = db.prepare('SELECT status FROM counters WHERE id = ?').pluck().get(actor!.counterId) === 'paused';
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
          // Within a service and priority, walk-ins are called in arrival order (max wait included:
          // an older ticket of the same line is at least as overdue).
          const older = db
            .prepare(`SELECT count(*) FROM tickets WHERE state = 'waiting' AND service_id = ? AND priority_weight = ?
              AND booked_at IS NULL AND (arrived_at < ? OR (arrived_at = ? AND id < ?))`)
            .pluck()
            .get(t.serviceId, t.priorityWeight, t.arrivedAt, t.arrivedAt, t.id);
          expect(older).toBe(0);
          // Without max wait, no priority ticket waits for this counter while an ordinary one is called.
          if (maxWaitMin === 0 && t.priorityWeight === 0) {
            const services = JSON.parse(db.prepare('SELECT service_ids FROM counters WHERE id = ?').pluck().get(actor!.counterId) as string) as string[];
            const prio = db
              .prepare(`SELECT count(*) FROM tickets, json_each(?) j WHERE state = 'waiting' AND priority_weight > 0 AND service_id = j.value`)
              .pluck()
              .get(JSON.stringify(services));
            expect(prio).toBe(0);
            // …and it is the oldest waiting across the counter's services.
            const older = db
              .prepare(`SELECT count(*) FROM tickets, json_each(?) j WHERE state = 'waiting' AND service_id = j.value AND arrived_at < ?`)
              .pluck()
              .get(JSON.stringify(services), t.arrivedAt);
            expect(older).toBe(0);
          }
        }
        break;
      }
      case 'transfer': {
        const before = db.prepare(`SELECT * FROM tickets WHERE counter_id = ? AND state IN ('called','serving')`).get(actor!.counterId) as TicketRow | undefined;
        const r = await run((d) => transfer(d, actor!, sid(c.service)));
        if (r.ok && before !== undefined) {
          const after = ticketFromRow(db.prepare('SELECT * FROM tickets WHERE id = ?').get(before.id) as TicketRow);
          expect(after.arrivedAt).toBe(before.arrived_at);
          expect(after.number).toBe(before.number);
          expect(after.state).toBe('waiting');
          requeuesPerTicket.set(before.id, (requeuesPerTicket.get(before.id) ?? 0) + 1);
        }
        break;
      }
      case 'resume': {
        const parked = db.prepare(`SELECT id FROM tickets WHERE state = 'parked' ORDER BY parked_at LIMIT 1`).pluck().get() as string | undefined;
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
        const calls = c.counters.map((k) => run((d) => callNext(d, { userId: `u${k}`, officeId: 'o1', counterId: cid(k) })));
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
    await checkInvariants(db, uow);
  }
  // A ticket is called at most once per time it (re)joined the queue.
  for (const [id, n] of callsPerTicket) expect(n).toBeLessThanOrEqual(1 + (requeuesPerTicket.get(id) ?? 0));
  // Arrival times never change (transfer and park keep them).
  for (const t of tickets(db)) expect(t.arrivedAt).toBe(arrival.get(t.id));
  db.close();
}

describe('queue engine invariants (fast-check, real SQLite store)', () => {
  it('holds for random days of kiosk and counter actions', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 1, maxLength: 80 }), fc.constantFrom(0, 0, 20), async (commands, maxWait) => {
        await runScenario(commands, maxWait);
      }),
      { numRuns: 150 },
    );
  }, 120_000);
});

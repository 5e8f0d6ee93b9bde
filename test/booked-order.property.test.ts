import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { callNext, finishService, openCounter } from '../core/queue/counter-actions.ts';
import { issueTicket, type QueueDeps } from '../core/queue/issue-ticket.ts';
import type { Ticket } from '../core/shared/model.ts';
import { localTime } from '../core/shared/office-time.ts';
import type { QueueStore } from '../core/queue/ports.ts';
import type { Result } from '../core/shared/result.ts';
import { announceIssued, newTicket } from '../core/queue/ticket-state.ts';
import { saveOfficeConfig } from '../store/config.store.ts';
import { openDatabase, type Db } from '../store/database.ts';
import { ticketFromRow, type TicketRow } from '../store/rows.ts';
import { GroupCommitUnitOfWork } from '../store/unit-of-work.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from './helpers/fakes.ts';
import { testOffice } from './helpers/office.ts';

/**
 * The merged order of booked arrivals and walk-ins (issue 7), through the real SQLite store: the
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

const waiting = (db: Db): Ticket[] => (db.prepare(`SELECT * FROM tickets WHERE state = 'waiting'`).all() as TicketRow[]).map(ticketFromRow);

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

async function runDay(commands: Cmd[], maxWaitMin: number): Promise<{ calls: number; bookedCalls: number }> {
  const db = openDatabase(':memory:');
  saveOfficeConfig(db, testOffice({ services: SERVICES, counters: COUNTERS, settings: { maxWaitMin } }));
  const addUser = db.prepare(`INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at) VALUES (?, 'o1', ?, ?, 'clerk', '-', 0)`);
  COUNTERS.forEach((_, k) => addUser.run(`u${k}`, `u${k}`, `u${k}`));
  const uow = new GroupCommitUnitOfWork(db);
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const ids = new SequentialIds();
  const run = <T>(f: (d: QueueDeps) => Promise<Result<T>>) => uow.run((store: QueueStore) => f({ store, clock, ids }));
  const actor = (k: number) => ({ userId: `u${k}`, officeId: 'o1', counterId: cid(k) });
  for (let k = 0; k < COUNTERS.length; k++) await run((d) => openCounter(d, actor(k)));
  let calls = 0;
  let bookedCalls = 0;

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
        const line = waiting(db).filter((t) => served.includes(t.serviceId));
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
  db.close();
  return { calls, bookedCalls };
}

describe('merged order of booked arrivals and walk-ins (fast-check, real SQLite store)', () => {
  it('holds for random days of walk-ins, check-ins, calls and time passing', async () => {
    let calls = 0;
    let bookedCalls = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 20, maxLength: 60, size: 'max' }), fc.constantFrom(0, 0, 20), async (commands, maxWait) => {
        const r = await runDay(commands, maxWait);
        calls += r.calls;
        bookedCalls += r.bookedCalls;
      }),
      { numRuns: 150 },
    );
    // The days were not trivial: many calls, a fair share of them booked arrivals.
    expect(calls).toBeGreaterThan(500);
    expect(bookedCalls).toBeGreaterThan(calls / 5);
  }, 120_000);
});

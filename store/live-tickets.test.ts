import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { issueTicket, type QueueDeps } from '../core/queue/issue-ticket.ts';
import type { QueueStore } from '../core/queue/ports.ts';
import { fail } from '../core/shared/result.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from '../test/helpers/fakes.ts';
import { testOffice } from '../test/helpers/office.ts';
import { saveOfficeConfig } from './config.store.ts';
import { openDatabase, type Db } from './database.ts';
import { ticketFromRow, type TicketRow } from './rows.ts';
import { GroupCommitUnitOfWork } from './unit-of-work.ts';

/**
 * The queue store answers from memory (live-tickets.ts) what the tickets table says. These
 * are the ways the two could part: a unit rolled back after it changed tickets, inside a group
 * whose other units commit; and another connection writing the file.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function setup(): { db: Db; file: string; uow: GroupCommitUnitOfWork; deps: (s: QueueStore) => QueueDeps } {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-live-'));
  dirs.push(dir);
  const file = join(dir, 'fronta.db');
  const db = openDatabase(file);
  saveOfficeConfig(db, testOffice());
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const ids = new SequentialIds();
  return { db, file, uow: new GroupCommitUnitOfWork(db), deps: (store) => ({ store, clock, ids }) };
}

const tableWaiting = (db: Db) =>
  (db.prepare(`SELECT * FROM tickets WHERE state = 'waiting' ORDER BY arrived_at, id`).all() as TicketRow[]).map(ticketFromRow);

describe('the live image of the queue store', () => {
  it('rolls back with a unit that fails after changing tickets, while the rest of its group commits', async () => {
    const { db, uow, deps } = setup();
    const first = await uow.run((s) => issueTicket(deps(s), { serviceId: 'o1-s1' }));
    if (!first.ok) throw new Error(first.error.code);
    // One group: a good issue, a unit that issues and moves a ticket and then fails, another good issue.
    const [a, failed, b] = await Promise.all([
      uow.run((s) => issueTicket(deps(s), { serviceId: 'o1-s2' })),
      uow.run(async (s) => {
        const r = await issueTicket(deps(s), { serviceId: 'o1-s1' });
        await s.transition(first.value.ticket.id, 'waiting', 'void', { voidAt: 1 });
        return r.ok ? fail('CAPACITY_EXHAUSTED') : r;
      }),
      uow.run((s) => issueTicket(deps(s), { serviceId: 'o1-s1' })),
    ]);
    expect(a.ok && b.ok).toBe(true);
    expect(failed.ok).toBe(false);
    const waiting = tableWaiting(db);
    expect(waiting.map((t) => t.number)).toEqual(['A001', 'B001', 'A002']);
    await uow.read(async (s) => {
      expect(await s.waitingTickets('o1')).toEqual(waiting);
      expect(await s.waitingCount('o1-s1')).toBe(2);
      expect((await s.getTicket(first.value.ticket.id))?.state).toBe('waiting');
    });
    db.close();
  });

  it('rolls back with a unit that throws half way', async () => {
    const { db, uow, deps } = setup();
    await expect(
      uow.run(async (s) => {
        await issueTicket(deps(s), { serviceId: 'o1-s1' });
        throw new Error('a bug half way through a unit');
      }),
    ).rejects.toThrow(/half way/);
    await uow.read(async (s) => expect(await s.waitingTickets('o1')).toEqual([]));
    expect(tableWaiting(db)).toEqual([]);
    db.close();
  });

  it('sees what another connection wrote (the CLI, another process)', async () => {
    const { db, file, uow, deps } = setup();
    const issued = await uow.run((s) => issueTicket(deps(s), { serviceId: 'o1-s1' }));
    if (!issued.ok) throw new Error(issued.error.code);
    await uow.read(async (s) => expect(await s.waitingCount('o1-s1')).toBe(1));
    const other = new Database(file);
    other.prepare(`UPDATE tickets SET state = 'void', void_at = 1 WHERE id = ?`).run(issued.value.ticket.id);
    other.close();
    await uow.read(async (s) => {
      expect(await s.waitingCount('o1-s1')).toBe(0);
      expect((await s.getTicket(issued.value.ticket.id))?.state).toBe('void');
    });
    db.close();
  });
});

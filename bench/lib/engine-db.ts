import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { callNext, openCounter, type CounterActor, type CounterState } from '../../core/queue/counter-actions.ts';
import { officeLoad } from '../../core/queue/estimate.ts';
import type { QueueDeps } from '../../core/queue/issue-ticket.ts';
import { localTime } from '../../core/shared/office-time.ts';
import type { QueueStore } from '../../core/queue/ports.ts';
import type { Result } from '../../core/shared/result.ts';
import { createUser } from '../../server/provisioning.ts';
import { SqliteAccessStore } from '../../store/access.store.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase, type Db } from '../../store/database.ts';
import { GroupCommitUnitOfWork } from '../../store/unit-of-work.ts';
import { FakeClock, MONDAY_0900_PRAGUE, SequentialIds } from '../../test/helpers/fakes.ts';
import { testOffice } from '../../test/helpers/office.ts';
import { ENGINE_RUNS, COUNTER_SERVICES, MAX_WAIT_MIN, SERVICES, WAITING } from './engine-shape.ts';
import { figure, note } from './report.ts';
import { median, percentile, spread } from './stats.ts';
import { waitingRoom, waitingTicket } from './workload.ts';

/**
 * The engine bench's database part: one call-next through SQLite (the group-commit unit of work
 * on a durable file) against a plain durable commit of one row, with the diagnostics that split
 * the difference. Each printed figure is the median of ENGINE_RUNS runs; the spread goes to stderr.
 */

const DB_WARMUP = 20;
const DB_SAMPLES = 200;

interface DbRun {
  callNextMs: number;
  emptyCommitMs: number;
  /** Diagnostics: a call-next split into its work inside the transaction and its COMMIT. */
  workMs: number;
  commitMs: number;
  /** Diagnostics: the COMMIT of the empty transaction alone. */
  emptyCommitOnlyMs: number;
  officeLoadMs: number;
  /** Diagnostics: the empty transaction's row written through the unit of work instead. */
  uowRowMs: number;
  /** WAL pages appended per commit. */
  callNextPages: number;
  emptyPages: number;
  /** The floor: a call-next's writes alone, and the empty commit measured beside it. */
  floorMs: number;
  floorEmptyMs: number;
}

/** WAL file layout: a 32-byte header, then one frame (24-byte header + page) per page written. */
const WAL_HEADER = 32;
const WAL_FRAME_HEADER = 24;

async function dbRun(): Promise<DbRun> {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-bench-'));
  const file = join(dir, 'fronta.db');
  let db: Db | null = null;
  try {
    db = openDatabase(file);
    const sync = db.pragma('synchronous', { simple: true });
    if (sync !== 2) throw new Error(`synchronous is ${String(sync)}, not FULL: the benchmark would flatter the store`);
    const config = testOffice({
      services: SERVICES,
      capacity: 1_000_000,
      counters: [COUNTER_SERVICES, [0], [2], [4]],
      settings: { maxWaitMin: MAX_WAIT_MIN },
    });
    saveOfficeConfig(db, config);
    const office = config.office;
    const clock = new FakeClock(MONDAY_0900_PRAGUE);
    const ids = new SequentialIds();
    const user = await createUser(new SqliteAccessStore(db), { ids, clock }, {
      officeId: office.id,
      username: 'clerk1',
      password: 'correct horse battery',
      role: 'clerk',
      passwordCostLog2: 10,
    });
    if (user === null) throw new Error('could not create the clerk');
    const uow = new GroupCommitUnitOfWork(db);
    const deps = (store: QueueStore): QueueDeps => ({ store, clock, ids });
    const actor: CounterActor = { userId: user.id, officeId: office.id, counterId: config.counters[0]!.id };

    // Seed the waiting room in one unit of work (one transaction).
    const day = localTime(office.timeZone, clock.now()).date;
    const specs = waitingRoom(WAITING, SERVICES, clock.now());
    await uow.run(async (store) => {
      for (const spec of specs) {
        const service = config.services[spec.serviceIndex]!;
        const seq = await store.nextNumber(office.id, service.prefix, day);
        await store.insertTicket(
          waitingTicket(spec, { id: ids.ticketId(), officeId: office.id, serviceId: service.id, prefix: service.prefix, seq, day }),
        );
      }
    });
    const opened = await uow.run((store) => openCounter(deps(store), actor));
    if (!opened.ok) throw new Error(`open counter: ${opened.error.code}`);

    db.exec('CREATE TABLE bench_commit (id INTEGER PRIMARY KEY, note TEXT NOT NULL) STRICT');
    const insert = db.prepare('INSERT INTO bench_commit (note) VALUES (?)');
    const wal = `${file}-wal`;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    /** WAL frames (pages) each commit appends, averaged over `n` commits from an emptied WAL. */
    const walPages = async (commit: () => unknown, n = 20): Promise<number> => {
      db!.pragma('wal_checkpoint(TRUNCATE)');
      for (let i = 0; i < n; i++) await commit();
      return (statSync(wal).size - WAL_HEADER) / (WAL_FRAME_HEADER + pageSize) / n;
    };

    const check = (r: Result<CounterState>): void => {
      if (!r.ok || r.value.ticket === null) throw new Error(`call-next: ${r.ok ? 'no ticket' : r.error.code}`);
    };
    /** The figure: a whole call-next through the group-commit unit of work, answered once durable. */
    const callNextOnce = async (): Promise<number> => {
      clock.advance(1_000);
      const t0 = performance.now();
      const r = await uow.run((store) => callNext(deps(store), actor));
      const ms = performance.now() - t0;
      check(r);
      return ms;
    };
    /** The baseline: one small row in its own durable IMMEDIATE transaction. */
    let tInside = 0;
    const emptyCommit = db.transaction(() => {
      insert.run('tick');
      tInside = performance.now();
    });
    const emptyCommitOnce = (): { ms: number; commitMs: number } => {
      const t0 = performance.now();
      emptyCommit.immediate();
      const t1 = performance.now();
      return { ms: t1 - t0, commitMs: t1 - tInside };
    };
    /** Diagnostics: the same one-row write as a unit of work (setImmediate hop, savepoint, promise). */
    const uowRowOnce = async (): Promise<number> => {
      const t0 = performance.now();
      await uow.run(() => insert.run('unit'));
      return performance.now() - t0;
    };
    /** Diagnostics: the same call-next directly in a transaction, timing its work and its COMMIT apart. */
    const begin = db.prepare('BEGIN IMMEDIATE');
    const commitTx = db.prepare('COMMIT');
    const splitOnce = async (): Promise<{ work: number; commit: number }> => {
      clock.advance(1_000);
      const t0 = performance.now();
      begin.run();
      check(await uow.read((store) => callNext(deps(store), actor)));
      const inside = performance.now();
      commitTx.run();
      const t1 = performance.now();
      return { work: inside - t0, commit: t1 - inside };
    };
    const officeLoadOnce = async (): Promise<number> => {
      const t0 = performance.now();
      await uow.read((store) => officeLoad(store, office));
      return performance.now() - t0;
    };

    for (let i = 0; i < DB_WARMUP; i++) {
      await callNextOnce();
      emptyCommitOnce();
      await uowRowOnce();
      await splitOnce();
    }
    const callNextPages = await walPages(callNextOnce);
    const emptyPages = await walPages(() => emptyCommit.immediate());
    // Interleaved, so all see the same WAL size, page cache and disk state.
    const call: number[] = [];
    const empty: number[] = [];
    const emptyCommitOnly: number[] = [];
    const uowRow: number[] = [];
    const work: number[] = [];
    const commit: number[] = [];
    const load: number[] = [];
    for (let i = 0; i < DB_SAMPLES; i++) {
      call.push(await callNextOnce());
      const e = emptyCommitOnce();
      empty.push(e.ms);
      emptyCommitOnly.push(e.commitMs);
      uowRow.push(await uowRowOnce());
      const s = await splitOnce();
      work.push(s.work);
      commit.push(s.commit);
      load.push(await officeLoadOnce());
    }
    // The floor: the rows a call-next must write (the two ticket updates, its three events) as
    // bare statements in one durable transaction, no reads and no logic. Last, because these
    // writes bypass the store and would leave its live image behind.
    const floorIds = (
      db.prepare(`SELECT id FROM tickets WHERE state = 'waiting' ORDER BY arrived_at DESC, id DESC LIMIT ?`).pluck().all(DB_WARMUP + DB_SAMPLES + 1) as string[]
    ).reverse();
    const callStmt = db.prepare(`UPDATE tickets SET state = 'called', counter_id = ?, called_at = ?, recall_count = 0 WHERE id = ? AND state = 'waiting'`);
    const doneStmt = db.prepare(`UPDATE tickets SET state = 'done', done_at = ?, serving_at = ? WHERE id = ? AND state = 'called'`);
    const eventStmt = db.prepare('INSERT INTO events (office_id, type, payload, at) VALUES (?, ?, ?, ?)');
    const payload = (id: string) =>
      JSON.stringify({ ticket: { id, number: 'A123', serviceId: 'o1-s1', state: 'called', counterId: actor.counterId, categoryId: null, arrivedAt: 1, bookedAt: null, recallCount: 0 }, counterId: actor.counterId, counterNumber: '1', recall: false });
    const floorTx = db.transaction((done: string, next: string, now: number) => {
      doneStmt.run(now, now, done);
      eventStmt.run(office.id, 'ticket:changed', payload(done), now);
      callStmt.run(actor.counterId, now, next);
      eventStmt.run(office.id, 'ticket:called', payload(next), now);
      eventStmt.run(office.id, 'counter:changed', payload(next), now);
    });
    callStmt.run(actor.counterId, clock.now(), floorIds[0]!);
    const floor: number[] = [];
    const floorEmpty: number[] = [];
    for (let i = 1; i < floorIds.length; i++) {
      const t0 = performance.now();
      floorTx.immediate(floorIds[i - 1]!, floorIds[i]!, clock.now() + i);
      if (i > DB_WARMUP) floor.push(performance.now() - t0);
      const e = emptyCommitOnce();
      if (i > DB_WARMUP) floorEmpty.push(e.ms);
    }

    const r: DbRun = {
      floorMs: median(floor),
      floorEmptyMs: median(floorEmpty),
      callNextMs: median(call),
      emptyCommitMs: median(empty),
      workMs: median(work),
      commitMs: median(commit),
      emptyCommitOnlyMs: median(emptyCommitOnly),
      officeLoadMs: median(load),
      uowRowMs: median(uowRow),
      callNextPages,
      emptyPages,
    };
    note(
      `db run: call-next p50 ${r.callNextMs.toFixed(3)} p90 ${percentile(call, 90).toFixed(3)} ms (${r.callNextPages.toFixed(1)} WAL pages); ` +
        `empty commit p50 ${r.emptyCommitMs.toFixed(3)} p90 ${percentile(empty, 90).toFixed(3)} ms (${r.emptyPages.toFixed(1)} WAL pages), ` +
        `same row via the unit of work ${r.uowRowMs.toFixed(3)} ms; ` +
        `call-next split: work ${r.workMs.toFixed(3)} ms (officeLoad ${r.officeLoadMs.toFixed(3)}) + COMMIT ${r.commitMs.toFixed(3)} ms ` +
        `vs empty COMMIT ${r.emptyCommitOnlyMs.toFixed(3)} ms; ` +
        `floor (its writes alone) ${r.floorMs.toFixed(3)} ms vs empty commit ${r.floorEmptyMs.toFixed(3)} ms`,
    );
    return r;
  } finally {
    db?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function dbFigures(): Promise<void> {
  const runs: DbRun[] = [];
  for (let run = 0; run < ENGINE_RUNS; run++) runs.push(await dbRun());
  const callNextMs = median(runs.map((r) => r.callNextMs));
  const emptyMs = median(runs.map((r) => r.emptyCommitMs));
  note(`call-next ms: ${spread(runs.map((r) => r.callNextMs), 3)}`);
  note(`empty commit ms: ${spread(runs.map((r) => r.emptyCommitMs), 3)}`);
  note(`call-next split, work ms: ${spread(runs.map((r) => r.workMs), 3)}; COMMIT ms: ${spread(runs.map((r) => r.commitMs), 3)}`);
  note(`empty transaction, COMMIT alone ms: ${spread(runs.map((r) => r.emptyCommitOnlyMs), 3)}; same row via the unit of work ms: ${spread(runs.map((r) => r.uowRowMs), 3)}`);
  note(`officeLoad() ms: ${spread(runs.map((r) => r.officeLoadMs), 3)}; WAL pages per commit: call-next ${runs[0]!.callNextPages.toFixed(1)}, empty ${runs[0]!.emptyPages.toFixed(1)}`);
  figure('engine.call_next_db_median_ms', callNextMs, 'ms');
  figure('engine.empty_commit_median_ms', emptyMs, 'ms');
  figure('engine.call_next_commit_ratio', callNextMs / emptyMs, 'ratio', 2);
  // Context for the ratio: what the call-next's own writes cost against the same empty commit.
  note(`floor ms: ${spread(runs.map((r) => r.floorMs), 3)}; empty commit beside it ms: ${spread(runs.map((r) => r.floorEmptyMs), 3)}`);
  figure('engine.call_next_floor_ratio', median(runs.map((r) => r.floorMs / r.floorEmptyMs)), 'ratio', 2);
}


import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import type { Ticket } from '../../core/shared/model.ts';
import { saveOfficeConfig } from '../../store/config.store.ts';
import { openDatabase } from '../../store/database.ts';
import type { Sql } from '../../store/postgres/booking/sql.ts';
import { writeOfficeConfig } from '../../store/postgres/config.store.ts';
import type { PgDb } from '../../store/postgres/db.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { TICKET_COLUMNS, TICKET_FIELDS } from '../../store/rows.ts';
import { testOffice } from '../helpers/office.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';

/**
 * The contract suites of the configuration and back-office stores: the same cases against the
 * SQLite adapter on a real file, PostgreSQL on a real server, and the in-memory fake where the
 * port has one. Each case starts with office `o1` of testOffice() (services o1-s1…o1-s3, counters
 * o1-c1…). PostgreSQL runs twice: the store built on one transaction's client (as a unit of work
 * gives it; rolled back after the case), and built on the pool (as the host makes it once: every
 * write commits in a transaction of its own; a database per case, cloned from the migrated template).
 */

/** What a suite builds its subject from, with the few fixtures the stores' tables need around them. */
export type Opened =
  | { dialect: 'sqlite'; db: Database; fixtures: Fixtures }
  | { dialect: 'postgres'; db: PgDb; fixtures: Fixtures };

export interface Fixtures {
  /** A ticket of o1-s1 done at `at` (ratings and outcomes name a ticket), or as `over` says. */
  doneTicket(id: string, at: number, over?: Partial<Ticket>): Promise<void>;
  /** Another office, with its services and counters (its ids then are the other office's). */
  office(id: string): Promise<void>;
}

export interface Makers<X> {
  /** The subject over an opened store (SQLite or PostgreSQL). */
  store(o: Opened): X | Promise<X>;
  /** The in-memory fake, where the port has one. */
  memory?: () => X | Promise<X>;
}

export const doneTicket = (id: string, at: number, over: Partial<Ticket> = {}): Ticket => ({
  id, officeId: 'o1', serviceId: 'o1-s1', prefix: 'A', seq: Number(id.replace(/\D/g, '')) || 1, day: '2026-11-24', number: `A${id}`, state: 'done',
  categoryId: null, priorityWeight: 0, bookedAt: null, arrivedAt: at - 600_000, counterId: 'o1-c1', recallCount: 0, issuedAt: at - 600_000,
  waitingAt: at - 600_000, calledAt: at - 300_000, servingAt: at - 240_000, parkedAt: null, doneAt: at, noShowAt: null, voidAt: null, language: null, ...over,
});

const COLUMNS = TICKET_FIELDS.map((f) => TICKET_COLUMNS[f]).join(', ');

function sqliteOpened(): { opened: Opened; close(): Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'fronta-contract-'));
  const db = openDatabase(join(dir, 'f.db'));
  saveOfficeConfig(db, testOffice());
  const insert = db.prepare(`INSERT INTO tickets (${COLUMNS}) VALUES (${TICKET_FIELDS.map(() => '?').join(', ')})`);
  const fixtures: Fixtures = {
    doneTicket: async (id, at, over) => {
      const t = doneTicket(id, at, over);
      insert.run(...TICKET_FIELDS.map((f) => t[f]));
    },
    office: async (id) => saveOfficeConfig(db, testOffice({ id })),
  };
  return {
    opened: { dialect: 'sqlite', db, fixtures },
    close: async () => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function pgFixtures(sql: Sql): Fixtures {
  return {
    doneTicket: async (id, at, over) => {
      const t = doneTicket(id, at, over);
      await sql.query(`INSERT INTO tickets (${COLUMNS}) VALUES (${TICKET_FIELDS.map((_, i) => `$${i + 1}`).join(', ')})`, TICKET_FIELDS.map((f) => t[f]));
    },
    office: (id) => writeOfficeConfig(sql, testOffice({ id })),
  };
}

interface Backend {
  name: string;
  /** Calls share one transaction's connection: calls at once interleave their statements (a unit makes them one after another). */
  oneTransaction?: boolean;
  setUp: () => Promise<void>;
  tearDown: () => Promise<void>;
  open: () => Promise<{ opened: Opened; close: () => Promise<void> }>;
}

/** Built on one transaction's client, rolled back after each case (the file's one database). */
function pgInTransaction(): Backend {
  let database: TestDatabase | null = null;
  let pool: PgPool | null = null;
  return {
    name: "PostgreSQL adapter, in the caller's transaction",
    oneTransaction: true,
    setUp: async () => {
      database = await testDatabase({ migrated: true });
      pool = createPool(database.url, { max: 2 });
    },
    tearDown: async () => {
      await pool?.end();
      await database?.drop();
    },
    open: async () => {
      const client = await pool!.connect();
      await client.query('BEGIN');
      await writeOfficeConfig(client, testOffice());
      return {
        opened: { dialect: 'postgres', db: client, fixtures: pgFixtures(client) },
        close: async () => {
          await client.query('ROLLBACK');
          client.release();
        },
      };
    },
  };
}

/** Built on the pool, every write committed on its own: a database per case. */
function pgOnPool(): Backend {
  return {
    name: 'PostgreSQL adapter, on the pool',
    setUp: async () => undefined,
    tearDown: async () => undefined,
    open: async () => {
      const database = await testDatabase({ migrated: true });
      const pool = createPool(database.url, { max: 3 });
      await writeOfficeConfig(pool, testOffice());
      return {
        opened: { dialect: 'postgres', db: pool, fixtures: pgFixtures(pool) },
        close: async () => {
          await pool.end();
          await database.drop();
        },
      };
    },
  };
}

const sqlite: Backend = { name: 'SQLite adapter', setUp: async () => undefined, tearDown: async () => undefined, open: async () => sqliteOpened() };

/** Runs `suite` against every backend; `s()` is the case's fresh subject; `concurrent` false where calls at once are not a thing. */
export function eachStore<X>(makers: Makers<X>, suite: (s: () => X, backend: { concurrent: boolean }) => void): void {
  const backends: { name: string; oneTransaction?: boolean; setUp: () => Promise<void>; tearDown: () => Promise<void>; make: () => Promise<{ subject: X; close: () => Promise<void> }> }[] = [
    sqlite,
    pgInTransaction(),
    pgOnPool(),
  ].map((b) => ({
    ...b,
    make: async () => {
      const { opened, close } = await b.open();
      return { subject: await makers.store(opened), close };
    },
  }));
  const memory = makers.memory;
  if (memory !== undefined) {
    backends.splice(1, 0, {
      name: 'in-memory fake',
      setUp: async () => undefined,
      tearDown: async () => undefined,
      make: async () => ({ subject: await memory(), close: async () => undefined }),
    });
  }
  describe.each(backends)('$name', (b) => {
    let made: { subject: X; close(): Promise<void> } | null = null;
    beforeAll(() => b.setUp());
    afterAll(() => b.tearDown());
    beforeEach(async () => {
      made = await b.make();
    });
    afterEach(async () => {
      await made?.close();
      made = null;
    });
    suite(() => made!.subject, { concurrent: b.oneTransaction !== true });
  });
}

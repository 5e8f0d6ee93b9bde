import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadProfile } from '../../drivers/printer/profile.ts';
import { readConfig } from '../../host/config.ts';
import { createHost, type Host } from '../../host/host.ts';
import { STALE_PRINT_AFTER_MS, STALE_PRINT_PASS_MS } from '../../host/stale-prints.ts';
import { openStores, type Stores } from '../../host/stores.ts';
import { randomIds, systemClock } from '../../host/system.ts';
import { createDevice } from '../../server/provisioning.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { killChildHosts, startChildHost, type ChildHost } from '../helpers/child-host.ts';
import { testDatabase, type TestDatabase } from '../helpers/postgres.ts';
import { PtyKiosks, type IssueAnswer, type PtyKiosk } from '../helpers/pty-kiosk.ts';

/**
 * Host A (a real `fronta serve --database …` process) prints through a kiosk's agent on a real pty
 * line; the agent is frozen (SIGSTOP) right after the printer took the ticket, so the ticket stays
 * `printing` as long as the test wants. Host B starting meanwhile leaves it to A; once A is
 * SIGKILLed, B voids it within the stale age plus one pass period.
 */

let database: TestDatabase;
let sql: PgPool;
let stores: Stores;
let A: ChildHost;
let B: Host | null = null;
let pk: PtyKiosks;
let hall: PtyKiosk;
const dirs: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'fronta-stale-pg-'));
  dirs.push(d);
  return d;
};

beforeAll(async () => {
  database = await testDatabase();
  sql = createPool(database.url, { max: 2 });
  A = await startChildHost(dir(), 90_000, ['--database', database.url]);
  stores = await openStores({ kind: 'postgres', url: database.url, poolMax: 2 });
  const provision = async (name: string): Promise<string> =>
    (await createDevice(stores.people, { ids: randomIds, clock: systemClock }, { officeId: 'demo', kind: 'kiosk', name, printer: 'agent' })).token;
  pk = new PtyKiosks(provision, A.url, await loadProfile('epson-tm-t20'));
  hall = await pk.add('hall');
  await pk.waitPrinter(hall, 'ok', 30_000);
}, 120_000);

afterAll(async () => {
  hall.agent?.kill('SIGCONT');
  await pk.close();
  await B?.close();
  await killChildHosts();
  await stores.close();
  await sql.end();
  await database.drop();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const printing = async (): Promise<{ id: string; number: string }[]> =>
  (await sql.query<{ id: string; number: string }>(`SELECT id, number FROM tickets WHERE state = 'printing'`)).rows;
const ticket = async (id: string): Promise<{ state: string; issued_at: string; void_at: string | null }> =>
  (await sql.query<{ state: string; issued_at: string; void_at: string | null }>('SELECT state, issued_at, void_at FROM tickets WHERE id = $1', [id])).rows[0]!;

/** Issues on A and freezes the agent once the printer has the ticket: A waits for an acknowledgement that does not come. */
const issueAndFreeze = async (then: () => void = () => undefined): Promise<{ answer: Promise<IssueAnswer | null>; id: string }> => {
  hall.printer.once('job:printed', () => {
    hall.agent!.kill('SIGSTOP');
    then();
  });
  const answer = pk.issue(hall, 'cashier').catch(() => null);
  await expect.poll(async () => (await printing()).length, { timeout: 10_000, interval: 50 }).toBe(1);
  return { answer, id: (await printing())[0]!.id };
};

it('host B starting while host A prints leaves the ticket to A: acknowledged, it joins the queue', async () => {
  const { answer, id } = await issueAndFreeze();
  B = await createHost(readConfig({ data: dir(), port: '0', database: database.url, 'log-level': 'warn' }, {}));
  expect((await ticket(id)).state).toBe('printing');
  hall.agent!.kill('SIGCONT');
  const res = await answer;
  expect(res?.status, JSON.stringify(res?.json)).toBe(201);
  expect((await ticket(id)).state).toBe('waiting');
}, 60_000);

it('host A SIGKILLed mid-print: host B voids the ticket once it is stale, within one pass period', async () => {
  await pk.waitPrinter(hall, 'ok', 15_000);
  const { id } = await issueAndFreeze(() => A.proc.kill('SIGKILL'));
  await A.exited;
  const deadline = STALE_PRINT_AFTER_MS + STALE_PRINT_PASS_MS + 10_000;
  await expect.poll(async () => (await ticket(id)).state, { timeout: deadline, interval: 250 }).toBe('void');
  const t = await ticket(id);
  // Not before it was stale: a younger print may be a live host's.
  const age = Number(t.void_at) - Number(t.issued_at);
  expect(age).toBeGreaterThanOrEqual(STALE_PRINT_AFTER_MS);
  expect(age).toBeLessThan(STALE_PRINT_AFTER_MS + STALE_PRINT_PASS_MS + 5_000);
  const reasons = await sql.query<{ reason: string }>(`SELECT payload::jsonb->>'reason' AS reason FROM events WHERE type = 'ticket:changed' AND payload::jsonb->'ticket'->>'id' = $1`, [id]);
  expect(reasons.rows.map((r) => r.reason)).toEqual(['print not acknowledged: its host stopped']);
  console.log(`stale print voided by host B ${age} ms after its print started`);
}, 120_000);

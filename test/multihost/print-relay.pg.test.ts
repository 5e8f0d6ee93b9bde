import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadProfile } from '../../drivers/printer/profile.ts';
import { createDevice } from '../../server/provisioning.ts';
import { randomIds } from '../../host/system.ts';
import { createPool, type PgPool } from '../../store/postgres/pool.ts';
import { FakeClock, MONDAY_0900_PRAGUE } from '../helpers/fakes.ts';
import { testOffice } from '../helpers/office.ts';
import { startPgHosts, type PgHosts } from '../helpers/pg-hosts.ts';
import { PtyKiosks } from '../helpers/pty-kiosk.ts';

/**
 * Two hosts on one PostgreSQL; a kiosk's print agent (a process of its own, on a real pty line
 * to the virtual printer) is connected to host A, while the load balancer sends the kiosk's
 * requests to host B. B relays the status read and the job to A, A's agent prints, and its
 * acknowledgement comes back to B: the kiosk cannot tell which host it reached.
 */

let h: PgHosts;
let pk: PtyKiosks;
let sql: PgPool;
let A: string;
let B: string;

beforeAll(async () => {
  h = await startPgHosts(2, { config: testOffice({ capacity: 10_000 }) });
  sql = createPool(h.database.url, { max: 2 });
  [A, B] = h.hosts.map((x) => x.url) as [string, string];
  const clock = new FakeClock(MONDAY_0900_PRAGUE);
  const provision = async (name: string): Promise<string> =>
    (await createDevice(h.hosts[0]!.stores.people, { ids: randomIds, clock }, { officeId: 'o1', kind: 'kiosk', name, printer: 'agent' })).token;
  pk = new PtyKiosks(provision, A, await loadProfile('epson-tm-t20'));
}, 60_000);

afterAll(async () => {
  await pk.close();
  await sql.end();
  await h.close();
});

const queued = async (): Promise<string[]> => (await sql.query<{ number: string }>(`SELECT number FROM tickets WHERE state = 'waiting' ORDER BY seq`)).rows.map((r) => r.number);
const issuedCount = async (): Promise<number> => Number((await sql.query<{ n: string }>('SELECT count(*) AS n FROM tickets')).rows[0]!.n);

it('a kiosk whose agent is on host A issues through host B: A prints, the acknowledgement comes back to B, the ticket joins the queue', async () => {
  const hall = await pk.add('hall');
  await pk.waitPrinter(hall, 'ok');
  // B knows the printer from A's reports in the shared log.
  await pk.waitPrinter(hall, 'ok', 15_000, B);
  const answered: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const res = await pk.issue(hall, 'o1-s1', i % 2 === 0 ? B : A);
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.ticket.state).toBe('waiting');
    answered.push(res.json.ticket.number);
  }
  const printed = hall.printer.jobs.map((j) => j.preview.lines.find((l) => /^A\d{3}$/.test(l)));
  expect(printed).toEqual(answered);
  expect(await queued()).toEqual(answered);
  // A host started now knows the printer from the log (no change has been reported since), and prints through A.
  const C = (await h.add()).url;
  await pk.waitPrinter(hall, 'ok', 2000, C);
  const res = await pk.issue(hall, 'o1-s1', C);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  expect(hall.printer.jobs.at(-1)!.preview.lines).toContain(res.json.ticket.number);
}, 60_000);

it("the printer's condition travels both ways: out of paper seen on B refuses there without a number; paper running out during B's job voids it", async () => {
  const hall = pk.kiosks[0]!;
  hall.printer.setCondition({ isPaperEnd: true });
  await pk.waitPrinter(hall, 'paper_end', 15_000, B);
  const before = await issuedCount();
  const refused = await pk.issue(hall, 'o1-s1', B);
  expect(refused.status).toBe(409);
  expect(refused.json.error.code).toBe('PRINTER_OUT_OF_PAPER');
  expect(refused.json.error.message).toMatch(/papír/);
  expect(await issuedCount()).toBe(before);
  hall.printer.setCondition({ isPaperEnd: false });
  await pk.waitPrinter(hall, 'ok', 15_000, B);

  // The paper ends while B's job prints: the agent's answer, relayed from A, says so and B voids the ticket.
  hall.printer.once('job:printed', () => hall.printer.setCondition({ isPaperEnd: true }));
  const failed = await pk.issue(hall, 'o1-s1', B);
  expect(failed.status).toBe(409);
  expect(failed.json.error.code).toBe('PRINT_VOIDED_IN_HAND');
  const number = hall.printer.jobs.at(-1)!.preview.lines.find((l) => /^A\d{3}$/.test(l))!;
  expect((await sql.query(`SELECT state FROM tickets WHERE number = $1`, [number])).rows).toEqual([{ state: 'void' }]);
  hall.printer.setCondition({ isPaperEnd: false });
  await pk.waitPrinter(hall, 'ok', 15_000, B);
  expect((await pk.issue(hall, 'o1-s1', B)).status).toBe(201);
}, 60_000);

it('the agent gone from A: B says out of order at once, and prints through A again when it is back', async () => {
  const hall = pk.kiosks[0]!;
  await pk.killAgent(hall);
  await pk.waitPrinter(hall, 'no_agent', 15_000, B);
  const before = await issuedCount();
  const t0 = performance.now();
  expect((await pk.issue(hall, 'o1-s1', B)).json.error.code).toBe('PRINTER_OUT_OF_ORDER');
  // Refused from what B knows, not after waiting for an answer nobody would give.
  expect(performance.now() - t0).toBeLessThan(1000);
  expect(await issuedCount()).toBe(before);
  pk.startAgent(hall);
  await pk.waitPrinter(hall, 'ok', 15_000, B);
  const res = await pk.issue(hall, 'o1-s1', B);
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  expect(hall.printer.jobs.at(-1)!.preview.lines).toContain(res.json.ticket.number);
}, 60_000);

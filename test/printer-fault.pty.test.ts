import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile } from '../drivers/printer/profile.ts';
import type { VirtualCondition } from '../drivers/printer/virtual-printer.ts';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.ts';
import { startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import { PtyKiosks, type PtyKiosk } from './helpers/pty-kiosk.ts';

/**
 * A printer that fails between two of its agent's heartbeats, over real serial lines (socat pty,
 * agent process, virtual printer): the host reads the printer before it takes a number, so a
 * printer that cannot print uses none, and the kiosk says why. Paper that did come out of a
 * printer that then died is void, the kiosk says so, and staff see how often it happened.
 */

const HEARTBEAT_MS = 50;
const TRIES = 200;

let h: TestHost;
let pk: PtyKiosks;
let hall: PtyKiosk;
/** A kiosk whose agent reads its printer only when asked (no heartbeat read within a test). */
let quiet: PtyKiosks;
let corridor: PtyKiosk;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const ticketsOf = (prefix: string): { seq: number; state: string }[] =>
  h.db.prepare("SELECT seq, state FROM tickets WHERE office_id = 'o1' AND prefix = ? ORDER BY seq").all(prefix) as { seq: number; state: string }[];

async function printers(): Promise<{ deviceName: string; state: string; voidedInHand?: number }[]> {
  const res = await h.app.inject({ url: '/api/v1/offices/o1/printers', headers: { cookie: h.cookie('admin') } });
  return res.json<{ printers: { deviceName: string; state: string; voidedInHand?: number }[] }>().printers;
}

beforeAll(async () => {
  const profile = await loadProfile('epson-tm-t20');
  h = await startTestHost({ config: testOffice({ capacity: 10_000, services: 4 }) });
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  pk = new PtyKiosks(h, base, profile, HEARTBEAT_MS);
  hall = await pk.add('hall');
  quiet = new PtyKiosks(h, base, profile, 600_000);
  corridor = await quiet.add('corridor');
  // Two agent processes starting on a busy machine: give them time.
  await pk.waitPrinter(hall, 'ok', 45_000);
  await quiet.waitPrinter(corridor, 'ok', 45_000);
}, 60_000);

afterAll(async () => {
  await quiet.close();
  await pk.close();
  await h.close();
});

describe('a printer that fails between heartbeats burns no number', () => {
  const cases: { fault: Partial<VirtualCondition>; clear: Partial<VirtualCondition>; code: string; serviceId: string; prefix: string; message: RegExp }[] = [
    { fault: { isPaperEnd: true }, clear: { isPaperEnd: false }, code: 'PRINTER_OUT_OF_PAPER', serviceId: 'o1-s1', prefix: 'A', message: /papír/ },
    { fault: { isCoverOpen: true }, clear: { isCoverOpen: false }, code: 'PRINTER_COVER_OPEN', serviceId: 'o1-s2', prefix: 'B', message: /kryt/ },
  ];
  for (const c of cases) {
    it(`${c.code}: set at a random moment of the heartbeat interval, ${TRIES} tries, the next good ticket has the next number`, async () => {
      for (let i = 1; i <= TRIES; i++) {
        await sleep(Math.random() * HEARTBEAT_MS);
        hall.printer.setCondition(c.fault);
        const refused = await pk.issue(hall, c.serviceId);
        expect(refused.status, JSON.stringify(refused.json)).toBe(409);
        expect(refused.json.error.code).toBe(c.code);
        expect(refused.json.error.message).toMatch(c.message); // in the client's language
        expect(ticketsOf(c.prefix), 'no ticket row for a refusal').toHaveLength(i - 1);
        hall.printer.setCondition(c.clear);
        const good = await pk.issue(hall, c.serviceId);
        expect(good.status, JSON.stringify(good.json)).toBe(201);
        expect(good.json.ticket.number).toBe(`${c.prefix}${String(i).padStart(3, '0')}`);
      }
      // 0 numbers burnt: every number of the day is a printed ticket in the queue, none void.
      expect(ticketsOf(c.prefix)).toEqual(Array.from({ length: TRIES }, (_, k) => ({ seq: k + 1, state: 'waiting' })));
    }, 120_000);
  }

  it('paper end between the read before the number and the read before printing: nothing printed, the number is the next one again', async () => {
    for (let i = 1; i <= 20; i++) {
      // The first read (before the number is taken) still sees paper; the job's own read does not.
      corridor.printer.once('status:answered', () => corridor.printer.setCondition({ isPaperEnd: true }));
      const refused = await quiet.issue(corridor, 'o1-s4');
      expect(refused.json.error?.code, JSON.stringify(refused.json)).toBe('PRINTER_OUT_OF_PAPER');
      expect(ticketsOf('D'), 'no ticket row, no void').toHaveLength(i - 1);
      corridor.printer.setCondition({ isPaperEnd: false });
      const good = await quiet.issue(corridor, 'o1-s4');
      expect(good.json.ticket?.number, JSON.stringify(good.json)).toBe(`D${String(i).padStart(3, '0')}`);
    }
    expect(corridor.printer.jobs).toHaveLength(20);
    expect(ticketsOf('D').every((t) => t.state === 'waiting')).toBe(true);
  });

  it('a printer killed after it took a whole ticket: the ticket is void, the kiosk says the paper is not valid, staff see the count', async () => {
    expect((await printers()).find((p) => p.deviceName === 'hall')).toMatchObject({ state: 'ok', voidedInHand: 0 });
    // The printer received the ticket and GS r 1, printed it, and died before answering.
    hall.printer.once('job:printed', () => {
      hall.printer.setAnswering(false);
      void hall.pty.unplug();
    });
    const voided = await pk.issue(hall, 'o1-s3');
    expect(voided.status).toBe(409);
    expect(voided.json.error.code).toBe('PRINT_VOIDED_IN_HAND');
    expect(voided.json.error.message).toMatch(/není platný/);
    expect(ticketsOf('C')).toEqual([{ seq: 1, state: 'void' }]);
    expect((await printers()).find((p) => p.deviceName === 'hall')).toMatchObject({ voidedInHand: 1 });
    // Plugged in again, the kiosk prints the next number.
    await hall.printer.close();
    await hall.pty.plugIn();
    hall.printer = await VirtualPrinter.openSerial({ path: hall.pty.printerPath, profile: await loadProfile('epson-tm-t20') });
    await pk.waitPrinter(hall, 'ok');
    const next = await pk.issue(hall, 'o1-s3');
    expect(next.json.ticket?.number, JSON.stringify(next.json)).toBe('C002');
  });
});

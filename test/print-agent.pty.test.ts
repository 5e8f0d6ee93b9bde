import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfile, type PrinterProfile } from '../drivers/printer/profile.ts';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.ts';
import { startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';
import { PtyKiosks, type PtyKiosk } from './helpers/pty-kiosk.ts';

/**
 * Issue-and-print end to end on real serial lines: the host in process, each kiosk's print agent
 * as a process of its own (`fronta agent`), a socat pty pair as the cable, the virtual printer
 * at the far end in this process (so the test can run it out of paper, unplug it, read what
 * it printed).
 */

type Kiosk = PtyKiosk;

let h: TestHost;
let base: string;
let profile: PrinterProfile;
let pk: PtyKiosks;
const kiosks: Kiosk[] = [];

const newKiosk = async (name: string): Promise<Kiosk> => {
  const k = await pk.add(name);
  kiosks.push(k);
  return k;
};
const startAgent = (k: Kiosk): void => pk.startAgent(k);
const killAgent = (k: Kiosk): Promise<void> => pk.killAgent(k);
const issue = (k: Kiosk, serviceId = 'o1-s1') => pk.issue(k, serviceId);
const printerState = (k: Kiosk) => pk.printerState(k);
const waitPrinter = (k: Kiosk, state: string, timeoutMs?: number) => pk.waitPrinter(k, state, timeoutMs);

const lastNumber = (prefix: string): number =>
  (h.db.prepare('SELECT max(seq) FROM tickets WHERE office_id = ? AND prefix = ?').pluck().get('o1', prefix) as number | null) ?? 0;

const ticketRow = (number: string): { state: string } =>
  h.db.prepare("SELECT state FROM tickets WHERE office_id = 'o1' AND number = ?").get(number) as { state: string };

const pad = (n: number): string => String(n).padStart(3, '0');

beforeAll(async () => {
  profile = await loadProfile('epson-tm-t20');
  h = await startTestHost({ config: testOffice({ capacity: 10_000 }) });
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  pk = new PtyKiosks(h, base, profile);
});

afterAll(async () => {
  await pk.close();
  await h.close();
});

describe('issue-and-print over a pty pair, agent in its own process', () => {
  it('prints 200 tickets; paper end before 57 refuses without using a number; paper end after 80 voids it', async () => {
    const hall = await newKiosk('hall');
    await waitPrinter(hall, 'ok');
    const answered: string[] = [];
    for (let i = 1; i <= 200; i++) {
      if (i === 57) {
        hall.printer.setCondition({ isPaperEnd: true });
        await waitPrinter(hall, 'paper_end');
        for (let k = 0; k < 3; k++) {
          const refused = await issue(hall);
          expect(refused.status).toBe(409);
          expect(refused.json.error.code).toBe('PRINTER_OUT_OF_PAPER');
          expect(refused.json.error.message).toMatch(/papír/); // in the client's language
        }
        expect(lastNumber('A'), 'no number used while refused').toBe(56);
        hall.printer.setCondition({ isPaperEnd: false });
        await waitPrinter(hall, 'ok');
      }
      if (i === 80) {
        // The paper runs out while ticket 80 prints: the check after the job sees it.
        hall.printer.once('job:printed', () => hall.printer.setCondition({ isPaperEnd: true }));
        const failed = await issue(hall);
        expect(failed.status).toBe(409);
        // Printed, then voided: the client holds paper that is not valid, and is told so.
        expect(failed.json.error.code).toBe('PRINT_VOIDED_IN_HAND');
        expect(ticketRow('A080').state).toBe('void');
        const refused = await issue(hall);
        expect(refused.json.error.code).toBe('PRINTER_OUT_OF_PAPER');
        hall.printer.setCondition({ isPaperEnd: false });
        await waitPrinter(hall, 'ok');
        continue;
      }
      const res = await issue(hall);
      expect(res.status, JSON.stringify(res.json)).toBe(201);
      expect(res.json.ticket.number).toBe(`A${pad(i)}`);
      expect(res.json.ticket.state).toBe('waiting');
      answered.push(res.json.ticket.number);
    }
    expect(answered).toHaveLength(199);
    // Every printed ticket carries the number its client was given (80 printed, then voided).
    const printed = hall.printer.jobs.map((j) => j.preview.lines.find((l) => /^A\d{3}$/.test(l)));
    expect(printed).toEqual([...answered.slice(0, 79), 'A080', ...answered.slice(79)]);
    expect(hall.printer.jobs.every((j) => j.preview.cut && j.preview.qr[0]?.startsWith('http://fronta.test/t/'))).toBe(true);
    // The queue holds the 199 printed-and-acknowledged tickets, never A080.
    const queue = await h.app.inject({ url: '/api/v1/offices/o1/queue', headers: { cookie: h.cookie('admin') } });
    const waiting = queue.json().waiting.map((t: { number: string }) => t.number);
    expect(waiting).toHaveLength(199);
    expect(waiting).not.toContain('A080');
    // Void tickets do not count against capacity.
    const services = (await h.app.inject({ url: '/api/v1/offices/o1/services' })).json();
    expect(services.services.find((s: { id: string }) => s.id === 'o1-s1').walkInRemaining).toBe(10_000 - 199);
    // Audited: the void carries the reason the agent gave.
    const voided = h.db.prepare(`SELECT payload FROM events WHERE type = 'ticket:changed'`).pluck().all() as string[];
    expect(voided.map((p) => JSON.parse(p))).toEqual([
      expect.objectContaining({ previous: 'printing', ticket: expect.objectContaining({ number: 'A080', state: 'void' }), reason: expect.stringMatching(/paper_end/) }),
    ]);
    const changes = h.db.prepare(`SELECT payload FROM events WHERE type = 'printer:changed'`).pluck().all() as string[];
    expect(changes.map((p) => JSON.parse(p).state)).toEqual(expect.arrayContaining(['ok', 'paper_end']));
    // 200 prints, each after a status read of its own: on a loaded machine that is more than the default 30 s.
  }, 90_000);

  it('the virtual end killed and restarted: the agent reconnects without a restart', async () => {
    const hall = kiosks[0]!;
    await hall.printer.close();
    await hall.pty.unplug();
    await waitPrinter(hall, 'disconnected');
    expect((await issue(hall)).json.error.code).toBe('PRINTER_OUT_OF_ORDER');
    const before = lastNumber('A');
    await hall.pty.plugIn();
    hall.printer = await VirtualPrinter.openSerial({ path: hall.pty.printerPath, profile });
    await waitPrinter(hall, 'ok');
    const res = await issue(hall);
    expect(res.status).toBe(201);
    expect(res.json.ticket.number).toBe(`A${pad(before + 1)}`);
    expect(hall.printer.jobs.map((j) => j.preview.lines.includes(res.json.ticket.number))).toEqual([true]);
  });

  it('the agent process killed: the kiosk is out of order within seconds and recovers when it returns', async () => {
    const hall = kiosks[0]!;
    await killAgent(hall);
    const took = await waitPrinter(hall, 'no_agent', 5000);
    expect(took).toBeLessThan(3000);
    expect(await printerState(hall)).toMatchObject({ isOutOfOrder: true });
    const before = lastNumber('A');
    expect((await issue(hall)).json.error.code).toBe('PRINTER_OUT_OF_ORDER');
    expect(lastNumber('A')).toBe(before);
    startAgent(hall);
    await waitPrinter(hall, 'ok');
    const res = await issue(hall);
    expect(res.status).toBe(201);
    expect(res.json.ticket.number).toBe(`A${pad(before + 1)}`);
  });

  it('two kiosks print in parallel without mixing jobs', async () => {
    const hall = kiosks[0]!;
    const corridor = await newKiosk('corridor');
    await waitPrinter(corridor, 'ok');
    const hallJobs = hall.printer.jobs.length;
    const got = new Map<Kiosk, string[]>([
      [hall, []],
      [corridor, []],
    ]);
    // Both kiosks issue for the same service, three requests in flight each: numbers interleave.
    await Promise.all(
      [hall, corridor].flatMap((k) =>
        Array.from({ length: 3 }, async () => {
          for (let i = 0; i < 10; i++) {
            const res = await issue(k, 'o1-s2');
            expect(res.status, JSON.stringify(res.json)).toBe(201);
            got.get(k)!.push(res.json.ticket.number);
          }
        }),
      ),
    );
    const printedBy = (k: Kiosk, from: number) =>
      k.printer.jobs.slice(from).map((j) => j.preview.lines.find((l) => /^B\d{3}$/.test(l)) ?? '?');
    expect(new Set(printedBy(hall, hallJobs))).toEqual(new Set(got.get(hall)));
    expect(new Set(printedBy(corridor, 0))).toEqual(new Set(got.get(corridor)));
    expect(printedBy(hall, hallJobs)).toHaveLength(30);
    expect(printedBy(corridor, 0)).toHaveLength(30);
    const all = [...got.get(hall)!, ...got.get(corridor)!];
    expect(new Set(all).size).toBe(60);
  });
});

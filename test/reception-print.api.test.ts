import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localTime } from '../core/shared/office-time.ts';
import { newTicket } from '../core/queue/ticket-state.ts';
import { createMemoryLine } from '../drivers/printer/memory-line.ts';
import { PrintAgent } from '../drivers/printer/print-agent.ts';
import { loadProfile } from '../drivers/printer/profile.ts';
import { SerialPrinter } from '../drivers/printer/serial.transport.ts';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.ts';
import { createDevice } from '../server/provisioning.ts';
import { BOTH_STORES, startTestHost, type TestHost } from './helpers/harness.ts';
import { testOffice } from './helpers/office.ts';

/**
 * Kiosk printers for staff, through the API with print agents on in-memory lines: the printers'
 * state a counter page starts from; a reception ticket printed on the kiosk the clerk chooses
 * (only a printing kiosk of the clerk's office, refused before a number is used otherwise); and a
 * booked arrival's ticket saying which booking it is for, in office time and the ticket's language.
 */

let h: TestHost;
let base: string;
const agents: { agent: PrintAgent; printer: VirtualPrinter }[] = [];
let n = 0;
const access = () => h.stores.people;
const deps = () => ({ clock: h.clock, ids: { ticketId: () => `rp${++n}`, entityId: (p: string) => `${p}_rp_${++n}` } });
const kiosk = async (name: string, officeId = 'o1', printer: 'agent' | 'none' = 'agent') => await createDevice(access(), deps(), { officeId, kind: 'kiosk', name, printer });


async function startAgent(token: string): Promise<VirtualPrinter> {
  const profile = await loadProfile('epson-tm-t20');
  const line = createMemoryLine();
  const printer = await VirtualPrinter.openSerial({ path: 'memory', profile, openPort: line.openPrinterPort });
  const agent = new PrintAgent({ hostUrl: base, token, profile, printer: new SerialPrinter({ path: 'memory', openPort: line.openHostPort, heartbeatMs: 100 }), reportEveryMs: 100 });
  agents.push({ agent, printer });
  await agent.start();
  return printer;
}

const printers = async (who = 'clerk1', officeId = 'o1') => h.app.inject({ url: `/api/v1/offices/${officeId}/printers`, headers: { cookie: h.cookie(who) } });

async function waitPrinter(deviceId: string, match: (p: { state: string; isPaperNearEnd: boolean }) => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const p = (await printers()).json().printers.find((x: { deviceId: string }) => x.deviceId === deviceId);
    if (p !== undefined && match(p)) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`printer ${deviceId} never matched`);
}

const openCounter = (who = 'clerk1', counter = 'o1-c1') => h.app.inject({ method: 'POST', url: `/api/v1/counters/${counter}/open`, headers: { cookie: h.cookie(who) } });
const receptionIssue = (body: Record<string, unknown>, who = 'clerk1', lang = 'en') =>
  h.app.inject({ method: 'POST', url: '/api/v1/counters/o1-c1/tickets', headers: { cookie: h.cookie(who), 'accept-language': lang }, payload: body });
const ticketCount = async () => (await h.sql<{ n: number }>('SELECT count(*) AS n FROM tickets'))[0]!.n;

describe.each(BOTH_STORES)('on %s', (store) => {
  beforeEach(async () => {
    h = await startTestHost({ store, printTimeoutMs: 1500 });
    base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  });

  afterEach(async () => {
    for (const a of agents.splice(0)) {
      await a.agent.stop();
      await a.printer.close();
    }
    await h.close();
  });

  describe('the office’s kiosk printers, for staff', () => {
    it('lists every printing kiosk with the state it is in now, before any change event; only to the office’s staff', async () => {
      const hall = await kiosk('Hall kiosk');
      const corridor = await kiosk('Corridor kiosk');
      await kiosk('Plain kiosk', 'o1', 'none');
      const revoked = await kiosk('Old kiosk');
      await access().revokeDevice(revoked.device.id, h.clock.now());
      // Nobody connected yet: out of order, which is the truth.
      expect((await printers()).json().printers).toEqual([
        { deviceId: hall.device.id, deviceName: 'Hall kiosk', state: 'no_agent', isOutOfOrder: true, isPaperNearEnd: false, voidedInHand: 0 },
        { deviceId: corridor.device.id, deviceName: 'Corridor kiosk', state: 'no_agent', isOutOfOrder: true, isPaperNearEnd: false, voidedInHand: 0 },
      ]);
      (await startAgent(corridor.token)).setCondition({ isPaperNearEnd: true });
      await startAgent(hall.token);
      await waitPrinter(corridor.device.id, (p) => p.isPaperNearEnd);
      await waitPrinter(hall.device.id, (p) => p.state === 'ok');
      const now = (await printers()).json().printers;
      expect(now.find((p: { deviceId: string }) => p.deviceId === corridor.device.id)).toMatchObject({ isOutOfOrder: false, isPaperNearEnd: true });
      expect(now.find((p: { deviceId: string }) => p.deviceId === hall.device.id)).toMatchObject({ state: 'ok', isOutOfOrder: false, isPaperNearEnd: false });
      // The same fields as the printer:changed event that keeps a page up to date afterwards.
      const changed = (await h.sql<{ payload: string }>(`SELECT payload FROM events WHERE type = 'printer:changed' ORDER BY id`)).map((e) => JSON.parse(e.payload));
      expect(Object.keys(changed.at(-1)).sort()).toEqual(Object.keys(now[0]).sort());

      expect((await printers('admin')).statusCode).toBe(200);
      const asKiosk = await h.app.inject({ url: '/api/v1/offices/o1/printers', headers: { authorization: `Bearer ${h.kioskToken}` } });
      expect(asKiosk.json().error.code).toBe('FORBIDDEN');
      expect((await printers('clerk1', 'o2')).json().error.code).toBe('FORBIDDEN');
      expect((await h.app.inject({ url: '/api/v1/offices/o1/printers' })).json().error.code).toBe('AUTH_REQUIRED');
    });
  });

  describe('reception: a ticket printed on the kiosk the clerk chooses', () => {
    it('prints on that kiosk only, in the office’s language or the one asked for, and the ticket is in the queue', async () => {
      const hall = await kiosk('Hall kiosk');
      const corridor = await kiosk('Corridor kiosk');
      const hallPrinter = await startAgent(hall.token);
      const corridorPrinter = await startAgent(corridor.token);
      await waitPrinter(corridor.device.id, (p) => p.state === 'ok');
      await waitPrinter(hall.device.id, (p) => p.state === 'ok');
      expect((await openCounter()).statusCode).toBe(200);

      const res = await receptionIssue({ serviceId: 'o1-s1', deviceId: corridor.device.id });
      expect(res.statusCode, res.body).toBe(201);
      const ticket = res.json().ticket;
      expect(ticket).toMatchObject({ number: 'A001', state: 'waiting' });
      expect(hallPrinter.jobs).toEqual([]);
      const [job] = corridorPrinter.jobs;
      expect(job!.preview.lines).toContain('A001');
      // The office's first language (cs), whatever the clerk's page speaks.
      expect(job!.preview.lines.some((l) => l.startsWith('Před vámi'))).toBe(true);
      expect(job!.preview.qr).toEqual([`http://fronta.test/t/${ticket.id}`]);
      expect((await h.queue.read(async (s) => await s.waitingTickets('o1'))).map((t) => t.number)).toEqual(['A001']);

      const english = await receptionIssue({ serviceId: 'o1-s2', deviceId: hall.device.id, language: 'en' });
      expect(english.statusCode, english.body).toBe(201);
      expect(hallPrinter.jobs[0]!.preview.lines).toContain(english.json().ticket.number);
      expect(hallPrinter.jobs[0]!.preview.lines.some((l) => l.startsWith('Ahead of you'))).toBe(true);

      // Without a kiosk: shown on screen as before, nothing printed.
      const onScreen = await receptionIssue({ serviceId: 'o1-s1' });
      expect(onScreen.json().ticket).toMatchObject({ number: 'A002', state: 'waiting' });
      expect(hallPrinter.jobs.length + corridorPrinter.jobs.length).toBe(2);
    });

    it('refuses a device that is not one of the office’s printing kiosks, or a printer that cannot print, before a number is used', async () => {
      const hall = await kiosk('Hall kiosk');
      const plain = await kiosk('Plain kiosk', 'o1', 'none');
      const gone = await kiosk('Old kiosk');
      await access().revokeDevice(gone.device.id, h.clock.now());
      await h.stores.seed.officeConfig(testOffice({ id: 'o2' }));
      const elsewhere = await kiosk('o2 kiosk', 'o2');
      const display = (await access().listDevices('o1')).find((d) => d.kind === 'display')!;
      expect((await openCounter()).statusCode).toBe(200);

      const refused = async (deviceId: string, status: number, code: string, who = 'clerk1') => {
        const res = await receptionIssue({ serviceId: 'o1-s1', deviceId }, who);
        expect(res.statusCode, `${deviceId}: ${res.body}`).toBe(status);
        expect(res.json().error.code).toBe(code);
        expect(res.json().error.message).toBeTruthy();
      };
      await refused('nope', 404, 'DEVICE_NOT_FOUND');
      await refused(elsewhere.device.id, 404, 'DEVICE_NOT_FOUND');
      await refused(gone.device.id, 404, 'DEVICE_NOT_FOUND');
      await refused(plain.device.id, 400, 'KIOSK_WITHOUT_PRINTER');
      await refused(display.id, 400, 'KIOSK_WITHOUT_PRINTER');
      await refused('bad id!', 400, 'VALIDATION_FAILED');
      // A printing kiosk whose agent is not there, then one out of paper.
      await refused(hall.device.id, 409, 'PRINTER_OUT_OF_ORDER');
      const printer = await startAgent(hall.token);
      printer.setCondition({ isPaperEnd: true });
      await waitPrinter(hall.device.id, (p) => p.state === 'paper_end');
      await refused(hall.device.id, 409, 'PRINTER_OUT_OF_PAPER');
      // Only the clerk signed in at the counter, whatever the kiosk.
      await refused(hall.device.id, 403, 'COUNTER_NOT_ASSIGNED', 'clerk2');
      expect(await ticketCount()).toBe(0);
      expect(printer.jobs).toEqual([]);
      // The message is in the clerk's language.
      const cs = await receptionIssue({ serviceId: 'o1-s1', deviceId: plain.device.id }, 'clerk1', 'cs');
      expect(cs.json().error.message).toMatch(/kiosek/i);

      // Paper back: it prints.
      printer.setCondition({ isPaperEnd: false });
      await waitPrinter(hall.device.id, (p) => p.state === 'ok');
      expect((await receptionIssue({ serviceId: 'o1-s1', deviceId: hall.device.id })).statusCode).toBe(201);
      expect(printer.jobs).toHaveLength(1);
    });

    it('a reprint is refused with the same codes for a device that cannot print', async () => {
      const plain = await kiosk('Plain kiosk', 'o1', 'none');
      const issued = (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } })).json().ticket;
      const reprint = (deviceId: string) =>
        h.app.inject({ method: 'POST', url: `/api/v1/tickets/${issued.id}/reprint`, headers: { cookie: h.cookie('clerk1') }, payload: { deviceId } });
      expect((await reprint(plain.device.id)).json().error.code).toBe('KIOSK_WITHOUT_PRINTER');
      expect((await reprint('nope')).json().error.code).toBe('DEVICE_NOT_FOUND');
    });
  });

  describe('a booked arrival’s printed ticket', () => {
    /** A booked ticket of o1-s1 in the queue, booked for 10:30 Prague (09:30 UTC) today. */
    async function bookedTicket(): Promise<{ id: string; number: string }> {
      const now = h.clock.now();
      const day = localTime('Europe/Prague', now).date;
      const bookedAt = Date.parse(`${day}T09:30:00Z`);
      const ticket = newTicket({ id: 'booked1', officeId: 'o1', serviceId: 'o1-s1', prefix: 'A', seq: 901, day, state: 'waiting', categoryId: null, priorityWeight: 0, bookedAt, now });
      await h.queue.run(async (store) => await store.insertTicket(ticket));
      return ticket;
    }

    it('says which booking it is for, in office time and the language it is printed in; a walk-in’s does not', async () => {
      const hall = await kiosk('Hall kiosk');
      const printer = await startAgent(hall.token);
      await waitPrinter(hall.device.id, (p) => p.state === 'ok');
      const booked = await bookedTicket();
      const walkIn = (await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } })).json().ticket;
      const reprint = (ticketId: string, lang: string) =>
        h.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/reprint`, headers: { cookie: h.cookie('clerk1'), 'accept-language': lang }, payload: { deviceId: hall.device.id } });

      for (const [lang, line] of [['cs', 'Objednávka na 10:30'], ['zh-CN', '预约 10:30'], ['ro', 'Programare la 10:30'], ['en', 'Booked for 10:30']] as const) {
        const res = await reprint(booked.id, lang);
        expect(res.statusCode, res.body).toBe(200);
        const lines = printer.jobs.at(-1)!.preview.lines;
        // Under the number, above the issue time.
        expect(lines.slice(lines.indexOf(booked.number), lines.indexOf(booked.number) + 2)).toEqual([booked.number, line]);
      }
      expect((await reprint(walkIn.id, 'cs')).statusCode).toBe(200);
      const walkInLines = printer.jobs.at(-1)!.preview.lines;
      expect(walkInLines).toContain(walkIn.number);
      expect(walkInLines.join('\n')).not.toMatch(/Objednávka|10:30/);
    });
  });
});

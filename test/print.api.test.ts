import { io, type Socket } from 'socket.io-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AGENT_NAMESPACE } from '../contracts/print.ts';
import { createMemoryLine } from '../drivers/printer/memory-line.ts';
import { PrintAgent } from '../drivers/printer/print-agent.ts';
import { loadProfile } from '../drivers/printer/profile.ts';
import { SerialPrinter } from '../drivers/printer/serial.transport.ts';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.ts';
import { createDevice } from '../server/provisioning.ts';
import { BOTH_STORES, startTestHost, type TestStore, type TestHost } from './helpers/harness.ts';

/**
 * Issue-and-print through the API with an in-process agent on an in-memory line: bad input in
 * configuration never reaches the printer as a command; staff reprints are audited; a silent
 * agent makes the ticket void, never a queue entry.
 */

let h: TestHost;
let base: string;
let token: string;
let deviceId: string;
let agent: PrintAgent | null = null;
let printer: VirtualPrinter;
const sockets: Socket[] = [];

async function start(store: TestStore): Promise<void> {
  h = await startTestHost({ store, printTimeoutMs: 1500 });
  base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  let n = 0;
  const created = await createDevice(
    h.stores.people,
    { clock: h.clock, ids: { ticketId: () => `p${++n}`, entityId: (p) => `${p}_print_${++n}` } },
    { officeId: 'o1', kind: 'kiosk', name: 'Printing kiosk', printer: 'agent' },
  );
  token = created.token;
  deviceId = created.device.id;
}

afterEach(async () => {
  await agent?.stop();
  agent = null;
  for (const s of sockets.splice(0)) s.disconnect();
  await h.close();
});

async function startAgent(): Promise<void> {
  const profile = await loadProfile('epson-tm-t20');
  const line = createMemoryLine();
  printer = await VirtualPrinter.openSerial({ path: 'memory', profile, openPort: line.openPrinterPort });
  agent = new PrintAgent({
    hostUrl: base,
    token,
    profile,
    printer: new SerialPrinter({ path: 'memory', openPort: line.openHostPort, heartbeatMs: 100 }),
    reportEveryMs: 100,
  });
  await agent.start();
  await waitState('ok');
}

async function waitState(state: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const r = await h.app.inject({ url: '/api/v1/kiosk', headers: { authorization: `Bearer ${token}` } });
    if (r.json().printer?.state === state) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`printer never reached ${state}`);
}

const issue = (serviceId = 'o1-s1', lang = 'cs') =>
  h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${token}`, 'accept-language': lang }, payload: { serviceId } });

const ticketCount = async () => (await h.sql<{ n: number }>('SELECT count(*) AS n FROM tickets'))[0]!.n;

describe.each(BOTH_STORES)('issue-and-print through the API on %s', (store) => {
  beforeEach(async () => {
    await start(store);
  });

  it('a service name with ESC/GS bytes, set through the API, prints as plain text', async () => {
    await startAgent();
    const nasty = 'Pas\u001b@\u001dV\u0042\u0000 \u001bd\u0005por\u0010\u0004\u0001t\u001b\u0074\u0001 \u009b2J';
    const set = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/offices/o1/services/o1-s1/names',
      headers: { cookie: h.cookie('admin') },
      payload: { names: { cs: nasty, en: nasty } },
    });
    expect(set.statusCode, set.body).toBe(200);
    // The clerk may not rename services.
    const clerk = await h.app.inject({ method: 'PUT', url: '/api/v1/offices/o1/services/o1-s1/names', headers: { cookie: h.cookie('clerk1') }, payload: { names: { cs: 'x' } } });
    expect(clerk.json().error.code).toBe('FORBIDDEN');

    const failures: Error[] = [];
    printer.on('job:failed', (e) => failures.push(e));
    const res = await issue();
    expect(res.statusCode, res.body).toBe(201);
    expect(failures).toEqual([]);
    const [job] = printer.jobs;
    // The control bytes are gone; the printable characters around them print as they are.
    expect(job!.preview.lines).toContain('Pas@VB dportt 2J');
    // Exactly the commands the encoder emits, once each: one init, one cut, no status query.
    const bytes = Buffer.from(job!.bytes);
    const count = (seq: number[]) => {
      let c = 0;
      for (let i = bytes.indexOf(Buffer.from(seq)); i >= 0; i = bytes.indexOf(Buffer.from(seq), i + 1)) c++;
      return c;
    };
    expect(count([0x1b, 0x40])).toBe(1);
    expect(count([0x1d, 0x56])).toBe(1);
    expect(count([0x10, 0x04])).toBe(0);
    expect(count([0x1b, 0x64])).toBe(0);
    expect(job!.preview.cut).toBe(true);
  });

  it('the office’s ticket logo, set in its configuration, prints above its name on the next ticket', async () => {
    await startAgent();
    const bits = Buffer.alloc(32 * 16, 0xf0); // 256 × 16 dots
    const set = await h.app.inject({
      method: 'PUT',
      url: '/api/v1/offices/o1/logos',
      headers: { cookie: h.cookie('admin') },
      payload: { screen: null, ticket: { kind: 'raster', widthDots: 256, heightDots: 16, data: bits.toString('base64') } },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect((await issue()).statusCode).toBe(201);
    const bytes = Buffer.from(printer.jobs[0]!.bytes);
    const raster = bytes.indexOf(Buffer.from([0x1d, 0x76, 0x30, 0, 32, 0, 16, 0]));
    expect(raster).toBeGreaterThan(0);
    expect(bytes.subarray(raster + 8, raster + 8 + bits.length).equals(bits)).toBe(true);
    expect(raster).toBeLessThan(bytes.indexOf(Buffer.from('Office o1')));
  });

  it('a staff reprint prints the same number again and is audited; a void or unknown ticket is refused', async () => {
    await startAgent();
    const issued = (await issue()).json().ticket;
    const reprint = (ticketId: string, who = 'clerk1', device = deviceId) =>
      h.app.inject({ method: 'POST', url: `/api/v1/tickets/${ticketId}/reprint`, headers: { cookie: h.cookie(who) }, payload: { deviceId: device } });
    const res = await reprint(issued.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(printer.jobs.map((j) => j.preview.lines.includes(issued.number))).toEqual([true, true]);
    // Reprinted in the client's language (Czech at the kiosk), not the clerk's (English here).
    expect(printer.jobs.map((j) => j.preview.lines.some((l) => l.includes('Služba 1')))).toEqual([true, true]);
    const audit = await h.sql<{ payload: string }>(`SELECT payload FROM events WHERE type = 'ticket:reprinted'`);
    expect(audit.map((a) => JSON.parse(a.payload))).toEqual([
      expect.objectContaining({ deviceId, userId: expect.stringMatching(/^usr_/), ticket: expect.objectContaining({ id: issued.id, state: 'waiting' }) }),
    ]);
    expect((await reprint('nope')).json().error.code).toBe('TICKET_NOT_FOUND');
    const kioskCall = await h.app.inject({ method: 'POST', url: `/api/v1/tickets/${issued.id}/reprint`, headers: { authorization: `Bearer ${token}` }, payload: { deviceId } });
    expect(kioskCall.json().error.code).toBe('FORBIDDEN');
  });

  it('without a connected agent the kiosk refuses before any number is used', async () => {
    const res = await issue();
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('PRINTER_OUT_OF_ORDER');
    expect(await ticketCount()).toBe(0);
    // A kiosk without a printer (the harness's) is unaffected: straight to the queue.
    const plain = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
    expect(plain.json().ticket).toMatchObject({ number: 'A001', state: 'waiting' });
  });

  it('an agent that never acknowledges: the ticket is void after the timeout and the kiosk goes out of order', async () => {
    const silent = io(new URL(AGENT_NAMESPACE, base).toString(), { auth: { token }, transports: ['websocket'] });
    sockets.push(silent);
    await new Promise<void>((resolve) => silent.on('connect', () => resolve()));
    // It reads a good printer once, when asked before the number is taken, then stays silent.
    silent.once('print:hold' as never, ((_hold: unknown, ack: (r: unknown) => void) => ack({ ok: true, status: { state: 'ok', isPaperNearEnd: false } })) as never);
    silent.emit('printer:status' as never, { state: 'ok', isPaperNearEnd: false });
    await waitState('ok');
    const t0 = Date.now();
    const res = await issue();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
    expect(res.json().error.code).toBe('PRINT_FAILED');
    expect(await h.sql('SELECT number, state FROM tickets')).toEqual([{ number: 'A001', state: 'void' }]);
    // Still silent when asked again before a number: out of order, and no number used.
    expect((await issue()).json().error.code).toBe('PRINTER_OUT_OF_ORDER');
    expect(await ticketCount()).toBe(1);
    // Refused tokens: a display, or a kiosk without a printer, may not be a print agent.
    for (const bad of [h.displayToken, h.kioskToken, 'x'.repeat(43)]) {
      const s = io(new URL(AGENT_NAMESPACE, base).toString(), { auth: { token: bad }, transports: ['websocket'], reconnection: false });
      sockets.push(s);
      const err = await new Promise<string>((resolve) => s.on('connect_error', (e) => resolve(e.message)));
      expect(['FORBIDDEN', 'AUTH_TOKEN_INVALID']).toContain(err);
    }
  });
});

/**
 * The transport against the virtual printer over a real pty pair (socat), native bindings and all.
 */
import { once } from 'node:events';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from './escpos.decoder.ts';
import { encodeTicket } from './escpos.encoder.ts';
import { loadProfile } from './profile.ts';
import { SerialPrinter } from './serial.transport.ts';
import type { PrinterStatus } from './printer-status.ts';
import { createPtyPair } from './test-pty.ts';
import type { PtyPair } from './test-pty.ts';
import { sampleTickets } from './ticket.fixtures.ts';
import { VirtualPrinter } from './virtual-printer.ts';

const profile = await loadProfile('epson-tm-t20');
const REPLY_TIMEOUT_MS = 150;

let pair: PtyPair;
let virtual: VirtualPrinter;
let printer: SerialPrinter;

beforeEach(async () => {
  pair = await createPtyPair();
  // The printer side first: opening a pty flushes what is already waiting in it.
  virtual = await VirtualPrinter.openSerial({ path: pair.printerPath, profile });
  printer = new SerialPrinter({
    path: pair.hostPath,
    replyTimeoutMs: REPLY_TIMEOUT_MS,
    confirmTimeoutMs: 1000,
    reconnectDelayMs: { initial: 20, max: 80 },
    heartbeatMs: 0,
  });
  await printer.open();
});

afterEach(async () => {
  await printer.close();
  await virtual.close();
  await pair.dispose();
});

async function statusWithin(ms: number, wanted: PrinterStatus['state']): Promise<PrinterStatus> {
  const deadline = performance.now() + ms;
  let status = await printer.status();
  while (status.state !== wanted && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    status = await printer.status();
  }
  return status;
}

describe('SerialPrinter ↔ VirtualPrinter over a pty pair', () => {
  it('prints a Czech ticket that decodes back to its texts', async () => {
    const ticket = sampleTickets.cs;
    const job = encodeTicket(ticket, profile, 'cs');
    const printed = virtual.nextJob(2000);
    await printer.print(job);
    const { bytes, preview } = await printed;
    expect(Buffer.from(bytes).equals(Buffer.from(job))).toBe(true);
    expect(preview.lines).toEqual(expect.arrayContaining([ticket.officeName, ticket.serviceName, 'A017', ticket.footer, 'Před vámi: 4']));
    expect(preview.qr).toEqual([ticket.statusUrl]);
    expect(preview.cut).toBe(true);
    expect(preview).toEqual(decodeEscPos(job, profile));
  });

  it('reports paper end set on the virtual printer, and refuses the job', async () => {
    expect((await printer.status()).state).toBe('ok');
    virtual.setCondition({ isPaperEnd: true });
    expect(await printer.status()).toMatchObject({ state: 'paper_end', isPaperEnd: true });
    await expect(printer.print(encodeTicket(sampleTickets.en, profile, 'en'))).rejects.toMatchObject({ code: 'PRINTER_PAPER_END' });
    virtual.setCondition({ isPaperEnd: false, isPaperNearEnd: true });
    expect((await printer.status()).state).toBe('near_end');
  });

  it('gives no_answer and a print timeout, within the timeout, when the printer does not answer', async () => {
    virtual.setAnswering(false);
    let started = performance.now();
    expect((await printer.status()).state).toBe('no_answer');
    expect(performance.now() - started).toBeLessThan(REPLY_TIMEOUT_MS + 500);
    started = performance.now();
    await expect(printer.print(encodeTicket(sampleTickets.cs, profile, 'cs'))).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT' });
    expect(performance.now() - started).toBeLessThan(REPLY_TIMEOUT_MS + 500);
  });

  it('gives no_answer and a print timeout when the printer stops reading the line', async () => {
    virtual.stopReading();
    expect((await printer.status()).state).toBe('no_answer');
    await expect(printer.print(encodeTicket(sampleTickets.cs, profile, 'cs'))).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT' });
  });

  it('notices the port vanish by its heartbeat, and reconnects by itself when it comes back', async () => {
    await printer.close();
    // A vanished pty (like a pulled USB adapter) shows up only on the next write: the heartbeat's.
    printer = new SerialPrinter({
      path: pair.hostPath,
      replyTimeoutMs: REPLY_TIMEOUT_MS,
      confirmTimeoutMs: 1000,
      reconnectDelayMs: { initial: 20, max: 80 },
      heartbeatMs: 50,
    });
    await printer.open();
    const closed = once(printer, 'port:closed');
    await pair.unplug();
    await closed;
    expect(printer.lastStatus.state).toBe('disconnected');
    await expect(printer.print(encodeTicket(sampleTickets.en, profile, 'en'))).rejects.toMatchObject({ code: 'PRINTER_DISCONNECTED' });
    await virtual.close();

    const reopened = once(printer, 'port:opened');
    await pair.plugIn();
    virtual = await VirtualPrinter.openSerial({ path: pair.printerPath, profile });
    await reopened;
    // The first query after reopening may have been flushed by the printer side opening late.
    expect((await statusWithin(1000, 'ok')).state).toBe('ok');
    const printed = virtual.nextJob(2000);
    await printer.print(encodeTicket(sampleTickets['zh-CN'], profile, 'zh-CN'));
    expect((await printed).preview.lines).toContain('机动车登记 𠮷');
  });
});

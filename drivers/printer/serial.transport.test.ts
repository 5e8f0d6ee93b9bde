import { SerialPortMock } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from './escpos.decoder.ts';
import { encodeTicket } from './escpos.encoder.ts';
import { loadProfile } from './profile.ts';
import { SerialPrinter } from './serial.transport.ts';
import { PrinterError, parseStatusBytes, transmitMs, type PrinterStatus } from './printer-status.ts';
import { sampleTickets } from './ticket.fixtures.ts';
import { VirtualPrinter } from './virtual-printer.ts';

const profile = await loadProfile('epson-tm-t20');
// The instance serialport itself loads: importing @serialport/binding-mock here would give the ESM
// copy, whose port registry serialport (CommonJS) never sees.
const MockBinding = SerialPortMock.binding;
// From serialport's own typings: @serialport/binding-mock's package exports hide its .d.ts from ESM.
type MockPortBinding = NonNullable<SerialPortMock['port']>;
const REPLY_TIMEOUT_MS = 60;
const CONFIRM_TIMEOUT_MS = 100;

/** Mock ports opened by the printer under test, newest last, and a hook on what it writes. */
function mockLine(
  path: string,
  onWrite: (bytes: Buffer, binding: MockPortBinding) => void,
  onOpen: (binding: MockPortBinding, index: number) => void = () => undefined,
) {
  const opened: SerialPortMock[] = [];
  const openPort = (p: string, baudRate: number): SerialPortMock => {
    const port = new SerialPortMock({ path: p, baudRate, autoOpen: false });
    const index = opened.length;
    port.once('open', () => {
      const binding = port.port;
      if (binding === undefined) return;
      onOpen(binding, index);
      const write = binding.write.bind(binding);
      binding.write = async (buffer: Buffer) => {
        await write(buffer);
        onWrite(buffer, binding);
      };
    });
    opened.push(port);
    return port;
  };
  return { openPort, opened, path };
}

/** A VirtualPrinter on the far side of a mock port. */
function withVirtualPrinter(path: string, onOpen?: (binding: MockPortBinding, index: number) => void) {
  let binding: MockPortBinding | null = null;
  const virtual = new VirtualPrinter(profile, (bytes) => binding?.emitData(Buffer.from(bytes)));
  const line = mockLine(
    path,
    (bytes, b) => {
      binding = b;
      virtual.receive(bytes);
    },
    onOpen,
  );
  return { virtual, ...line };
}

function printerOn(line: { path: string; openPort: (p: string, b: number) => SerialPortMock }): SerialPrinter {
  return new SerialPrinter({
    path: line.path,
    openPort: line.openPort,
    replyTimeoutMs: REPLY_TIMEOUT_MS,
    confirmTimeoutMs: CONFIRM_TIMEOUT_MS,
    reconnectDelayMs: { initial: 10, max: 40 },
    heartbeatMs: 0,
  });
}

const printers: SerialPrinter[] = [];
afterEach(async () => {
  await Promise.all(printers.splice(0).map((p) => p.close()));
  MockBinding.reset();
});

function track(printer: SerialPrinter): SerialPrinter {
  printers.push(printer);
  return printer;
}

describe('parseStatusBytes', () => {
  it.each<[string, [number, number, number, number], PrinterStatus['state']]>([
    ['a ready printer', [0x16, 0x12, 0x12, 0x12], 'ok'],
    ['paper near its end', [0x16, 0x12, 0x12, 0x1e], 'near_end'],
    ['paper end (roll sensor and stop)', [0x1e, 0x32, 0x12, 0x72], 'paper_end'],
    ['cover open, which wins over paper end', [0x1e, 0x36, 0x12, 0x72], 'cover_open'],
    ['an autocutter error', [0x1e, 0x52, 0x16, 0x12], 'offline'],
  ])('reads %s', (_name, raw, state) => {
    expect(parseStatusBytes(raw).state).toBe(state);
  });
});

describe('transmitMs', () => {
  it('is 10 bits per byte: 2 KB at 9600 baud takes over two seconds', () => {
    expect(transmitMs(2048, 9600)).toBe(2134);
  });
});

describe('SerialPrinter on a mock binding', () => {
  it('reads the status back from the four DLE EOT replies', async () => {
    const line = withVirtualPrinter('/dev/mock-status');
    MockBinding.createPort(line.path, { record: true });
    const printer = track(printerOn(line));
    await printer.open();
    expect((await printer.status()).state).toBe('ok');
    line.virtual.setCondition({ isPaperNearEnd: true });
    expect((await printer.status()).state).toBe('near_end');
    line.virtual.setCondition({ isPaperEnd: true });
    expect(await printer.status()).toMatchObject({ state: 'paper_end', isPaperEnd: true, isOffline: true });
  });

  it('puts together a reply that arrives in pieces, with noise in between', async () => {
    const line = mockLine('/dev/mock-split', (bytes, binding) => {
      if (bytes[0] !== 0x10) return;
      binding.emitData(Buffer.from([0x16]));
      setTimeout(() => binding.emitData(Buffer.from([0xff, 0x12])), 5);
      setTimeout(() => binding.emitData(Buffer.from([0x12, 0x72])), 15);
    });
    MockBinding.createPort(line.path);
    const printer = track(printerOn(line));
    await printer.open();
    expect(await printer.status()).toMatchObject({ state: 'paper_end', raw: [0x16, 0x12, 0x12, 0x72] });
  });

  it('resolves no_answer after the reply timeout when the printer stays silent', async () => {
    const line = mockLine('/dev/mock-silent', () => undefined);
    MockBinding.createPort(line.path);
    const printer = track(printerOn(line));
    await printer.open();
    const started = performance.now();
    expect((await printer.status()).state).toBe('no_answer');
    expect(performance.now() - started).toBeLessThan(REPLY_TIMEOUT_MS + 500);
    await expect(printer.print(Uint8Array.of(0x41, 0x0a))).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT' });
  });

  it('prints a job and waits for the printer to confirm it', async () => {
    const line = withVirtualPrinter('/dev/mock-print');
    MockBinding.createPort(line.path, { record: true });
    const printer = track(printerOn(line));
    await printer.open();
    const job = encodeTicket(sampleTickets.cs, profile, 'cs');
    const printed = line.virtual.nextJob(1000);
    await printer.print(job);
    const { bytes, preview } = await printed;
    expect(Buffer.from(bytes).equals(Buffer.from(job))).toBe(true);
    expect(preview).toEqual(decodeEscPos(job, profile));
    const recording = line.opened[0]?.port?.recording ?? Buffer.alloc(0);
    expect(recording.subarray(-3)).toEqual(Buffer.from([0x1d, 0x72, 0x01]));
  });

  it('a hold reads the printer and keeps it for one job; refused, the job is never sent; lapsed, the printer is free again', async () => {
    const line = withVirtualPrinter('/dev/mock-hold');
    MockBinding.createPort(line.path, { record: true });
    const printer = track(printerOn(line));
    await printer.open();
    const text = (s: string): Uint8Array => Uint8Array.from(Buffer.from(`${s}\n`));
    const firstLines = () => line.virtual.jobs.map((j) => j.preview.lines[0]);
    const held = await printer.hold(1000);
    expect(held.status.state).toBe('ok');
    // Another job asked for meanwhile waits behind the hold's own job.
    const other = printer.print(text('B'));
    await new Promise((r) => setTimeout(r, 30));
    expect(firstLines()).toEqual([]);
    await held.print(text('A'));
    await other;
    expect(firstLines()).toEqual(['A', 'B']);
    // Paper gone between the hold's read and its job: the job's own read stops it, nothing is sent.
    const racing = await printer.hold(1000);
    line.virtual.setCondition({ isPaperEnd: true });
    await expect(racing.print(text('C'))).rejects.toMatchObject({ code: 'PRINTER_PAPER_END', isUnsent: true });
    const refused = await printer.hold(1000);
    expect(refused.status.state).toBe('paper_end');
    await expect(refused.print(text('D'))).rejects.toMatchObject({ code: 'PRINTER_PAPER_END', isUnsent: true });
    line.virtual.setCondition({ isPaperEnd: false });
    // A hold nobody fills lapses and lets go of the printer.
    const lapsed = await printer.hold(20);
    expect((await printer.status()).state).toBe('ok');
    await lapsed.print(text('E'));
    expect(firstLines()).toEqual(['A', 'B', 'E']);
  });

  it('refuses to print on paper end, before sending the job', async () => {
    const line = withVirtualPrinter('/dev/mock-paper');
    MockBinding.createPort(line.path, { record: true });
    const printer = track(printerOn(line));
    await printer.open();
    line.virtual.setCondition({ isPaperEnd: true });
    const error = await printer.print(Uint8Array.of(0x41, 0x0a)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PrinterError);
    expect(error).toMatchObject({ code: 'PRINTER_PAPER_END', status: { state: 'paper_end' } });
    expect(line.virtual.jobs).toEqual([]);
  });

  it('times out a job the printer does not confirm', async () => {
    const line = mockLine('/dev/mock-unconfirmed', (bytes, binding) => {
      // Answers the status query but never GS r 1, like a printer that stalls mid-job.
      if (bytes[0] === 0x10) binding.emitData(Buffer.from([0x16, 0x12, 0x12, 0x12]));
    });
    MockBinding.createPort(line.path);
    const printer = track(printerOn(line));
    await printer.open();
    const job = Uint8Array.of(0x41, 0x0a);
    const started = performance.now();
    await expect(printer.print(job)).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT' });
    const budget = REPLY_TIMEOUT_MS + transmitMs(job.length + 3, 9600) + CONFIRM_TIMEOUT_MS;
    expect(performance.now() - started).toBeGreaterThanOrEqual(CONFIRM_TIMEOUT_MS - 5);
    expect(performance.now() - started).toBeLessThan(budget + 500);
  });

  it('times out a job whose drain never returns, then starts over on a fresh port', async () => {
    const line = withVirtualPrinter('/dev/mock-stuck', (binding, index) => {
      // The first port's output is stuck, as when nobody reads the line.
      if (index === 0) binding.drain = () => new Promise<void>(() => undefined);
    });
    MockBinding.createPort(line.path);
    const printer = track(printerOn(line));
    await printer.open();
    const reopened = new Promise<void>((resolve) => printer.once('port:opened', resolve));
    await expect(printer.print(Uint8Array.of(0x41, 0x0a))).rejects.toMatchObject({ code: 'PRINTER_TIMEOUT' });
    await reopened;
    expect(line.opened).toHaveLength(2);
    const printed = line.virtual.nextJob(1000);
    await printer.print(Uint8Array.of(0x42, 0x0a));
    expect((await printed).preview.lines).toEqual(['B']);
  });

  it('emits status:changed only when the status changes', async () => {
    const line = withVirtualPrinter('/dev/mock-events');
    MockBinding.createPort(line.path);
    const printer = track(printerOn(line));
    const seen: string[] = [];
    printer.on('status:changed', (s) => seen.push(s.state));
    await printer.open();
    await printer.status();
    await printer.status();
    line.virtual.setCondition({ isCoverOpen: true });
    await printer.status();
    expect(seen).toEqual(['ok', 'cover_open']);
  });

  it('reports disconnected while the port is missing and opens it once it appears', async () => {
    const line = withVirtualPrinter('/dev/mock-late');
    const printer = track(printerOn(line));
    const opened = new Promise<void>((resolve) => printer.once('port:opened', resolve));
    await printer.open();
    expect((await printer.status()).state).toBe('disconnected');
    await expect(printer.print(Uint8Array.of(0x41))).rejects.toMatchObject({ code: 'PRINTER_DISCONNECTED' });
    MockBinding.createPort(line.path);
    await opened;
    expect((await printer.status()).state).toBe('ok');
  });

  it('reopens a port that closed under it', async () => {
    const line = withVirtualPrinter('/dev/mock-vanish');
    MockBinding.createPort(line.path);
    const printer = track(printerOn(line));
    await printer.open();
    const closed = new Promise<Error>((resolve) => printer.once('port:closed', resolve));
    const reopened = new Promise<void>((resolve) => printer.once('port:opened', resolve));
    line.opened[0]?.close();
    expect((await closed).message).toMatch(/closed/);
    await reopened;
    expect(line.opened).toHaveLength(2);
    expect((await printer.status()).state).toBe('ok');
  });
});

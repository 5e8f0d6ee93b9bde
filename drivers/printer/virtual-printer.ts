/**
 * The far end of the line: behaves like an ESC/POS printer for tests and the demo. It answers
 * the real-time status query (DLE EOT n) as soon as it arrives, holds everything else while it
 * is "offline" (paper end, cover open), and cuts the byte stream into jobs at GS r 1, the command
 * the transport appends to every job. Jobs are decoded into previews.
 */
import { EventEmitter } from 'node:events';
import { PreviewBuilder, readToken } from './escpos.decoder.ts';
import type { EscPosToken, TicketPreview } from './escpos.decoder.ts';
import type { PrinterProfile } from './profile.ts';
import { nativeSerialPort, type PrinterPort } from './serial-port.ts';

export interface VirtualCondition {
  isPaperEnd: boolean;
  isPaperNearEnd: boolean;
  isCoverOpen: boolean;
  /** Offline for another reason (e.g. an error) on top of paper end and cover open. */
  isOffline: boolean;
}

export interface PrintedJob {
  /** The job as sent, without the status queries and the closing GS r 1. */
  bytes: Uint8Array;
  preview: TicketPreview;
}

export interface VirtualPrinterEvents {
  'job:printed': [PrintedJob];
  /** Bytes that are not ESC/POS we know; the job they were in is dropped. */
  'job:failed': [Error];
  /** A whole status read (DLE EOT 4, the last the transport asks) was answered. */
  'status:answered': [];
}

/** A port the virtual printer can stop reading from, to play a printer whose buffer is full. */
export interface VirtualPort extends PrinterPort {
  pause(): unknown;
  resume(): unknown;
}

export interface VirtualSerialOptions {
  path: string;
  profile: PrinterProfile;
  baudRate?: number;
  openPort?: (path: string, baudRate: number) => VirtualPort;
}

interface PendingCommand {
  token: EscPosToken;
  bytes: Uint8Array;
}

export class VirtualPrinter extends EventEmitter<VirtualPrinterEvents> {
  readonly #profile: PrinterProfile;
  readonly #reply: (bytes: Uint8Array) => void;
  #condition: VirtualCondition = { isPaperEnd: false, isPaperNearEnd: false, isCoverOpen: false, isOffline: false };
  #isAnswering = true;
  #unparsed: Uint8Array = new Uint8Array(0);
  #held: PendingCommand[] = [];
  #job: { builder: PreviewBuilder; bytes: number[] } | null = null;
  #jobs: PrintedJob[] = [];
  #port: VirtualPort | null = null;

  /** `reply` carries the printer's answers back to the host (the serial wrapper writes them). */
  constructor(profile: PrinterProfile, reply: (bytes: Uint8Array) => void = () => undefined) {
    super();
    this.#profile = profile;
    this.#reply = reply;
  }

  /** Opens `path` and plays the printer on it. Open it before the host side: opening flushes. */
  static async openSerial(options: VirtualSerialOptions): Promise<VirtualPrinter> {
    const openPort: (path: string, baudRate: number) => VirtualPort = options.openPort ?? nativeSerialPort;
    const port = openPort(options.path, options.baudRate ?? 9600);
    await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    const printer = new VirtualPrinter(options.profile, (bytes) => port.write(Buffer.from(bytes)));
    printer.#port = port;
    port.on('data', (chunk) => printer.receive(chunk));
    port.on('error', () => undefined);
    return printer;
  }

  get condition(): VirtualCondition {
    return { ...this.#condition };
  }

  get jobs(): readonly PrintedJob[] {
    return this.#jobs;
  }

  /** Paper, cover and error state as the status replies report it; back online resumes held jobs. */
  setCondition(patch: Partial<VirtualCondition>): void {
    this.#condition = { ...this.#condition, ...patch };
    this.#execute();
  }

  /** When false the printer reads (and prints) but answers no status query: a one-way cable. */
  setAnswering(isAnswering: boolean): void {
    this.#isAnswering = isAnswering;
  }

  /** Stops reading the port, so its buffers fill and the host's drain() never returns. */
  stopReading(): void {
    this.#port?.pause();
  }

  startReading(): void {
    this.#port?.resume();
  }

  /** The next job printed after this call. */
  nextJob(timeoutMs: number): Promise<PrintedJob> {
    return new Promise((resolve, reject) => {
      const onJob = (job: PrintedJob): void => {
        clearTimeout(timer);
        resolve(job);
      };
      const timer = setTimeout(() => {
        this.off('job:printed', onJob);
        reject(new Error(`no job printed within ${timeoutMs} ms`));
      }, timeoutMs);
      this.once('job:printed', onJob);
    });
  }

  /** Bytes from the line, in whatever chunks they arrived. */
  receive(chunk: Uint8Array): void {
    const buffer = new Uint8Array(this.#unparsed.length + chunk.length);
    buffer.set(this.#unparsed);
    buffer.set(chunk, this.#unparsed.length);
    let at = 0;
    while (at < buffer.length) {
      let read;
      try {
        read = readToken(buffer, at);
      } catch (error) {
        this.#fail(error);
        // Resynchronise on the next byte, as a printer would print or ignore the junk.
        at++;
        continue;
      }
      if (read === null) break;
      if (read.token.kind === 'realtime-status') {
        this.#answerStatus(read.token.n);
      } else {
        this.#held.push({ token: read.token, bytes: buffer.slice(at, read.end) });
      }
      at = read.end;
    }
    this.#unparsed = buffer.slice(at);
    this.#execute();
  }

  async close(): Promise<void> {
    const port = this.#port;
    this.#port = null;
    if (port === null || !port.isOpen) return;
    port.removeAllListeners();
    port.on('error', () => undefined);
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  get #isOnline(): boolean {
    const c = this.#condition;
    return !c.isPaperEnd && !c.isCoverOpen && !c.isOffline;
  }

  #execute(): void {
    while (this.#isOnline) {
      const command = this.#held.shift();
      if (command === undefined) return;
      if (command.token.kind === 'paper-status') {
        this.#finishJob();
        if (this.#isAnswering) this.#reply(Uint8Array.of(this.#paperStatusByte()));
        continue;
      }
      const job = (this.#job ??= { builder: new PreviewBuilder(this.#profile), bytes: [] });
      try {
        job.builder.push(command.token);
        for (const b of command.bytes) job.bytes.push(b);
      } catch (error) {
        this.#job = null;
        this.#fail(error);
      }
    }
  }

  #finishJob(): void {
    const job = this.#job;
    this.#job = null;
    if (job === null) return;
    try {
      const printed: PrintedJob = { bytes: Uint8Array.from(job.bytes), preview: job.builder.finish() };
      this.#jobs.push(printed);
      this.emit('job:printed', printed);
    } catch (error) {
      this.#fail(error);
    }
  }

  #fail(error: unknown): void {
    this.emit('job:failed', error instanceof Error ? error : new Error(String(error)));
  }

  #answerStatus(n: number): void {
    if (!this.#isAnswering || n < 1 || n > 4) return;
    const c = this.#condition;
    const isOffline = c.isOffline || c.isPaperEnd || c.isCoverOpen;
    // Fixed bits 0xx1xx10 in every DLE EOT reply.
    let b = 0x12;
    if (n === 1 && isOffline) b |= 0x08;
    if (n === 2 && c.isCoverOpen) b |= 0x04;
    if (n === 2 && c.isPaperEnd) b |= 0x20;
    if (n === 4 && c.isPaperNearEnd) b |= 0x0c;
    if (n === 4 && c.isPaperEnd) b |= 0x60;
    this.#reply(Uint8Array.of(b));
    if (n === 4) this.emit('status:answered');
  }

  #paperStatusByte(): number {
    return (this.#condition.isPaperNearEnd ? 0x03 : 0) | (this.#condition.isPaperEnd ? 0x0c : 0);
  }
}

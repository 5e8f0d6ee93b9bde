/**
 * The serial line to an ESC/POS printer: writes jobs, reads status back, survives the adapter
 * being pulled. Every wait is raced against a timeout, because a printer that is off, blocked or
 * gone simply never answers (and `drain()` never returns while nobody reads).
 */
import { EventEmitter } from 'node:events';
import {
  DLE_EOT_ALL,
  GS_R_1,
  isGoodState,
  isPaperReply,
  isRealtimeReply,
  parseStatusBytes,
  PrinterError,
  transmitMs,
  unknownStatus,
  type PrinterHold,
  type PrinterStatus,
} from './printer-status.ts';
import { openNativePort, type OpenPort, type PrinterPort } from './serial-port.ts';

export interface SerialPrinterOptions {
  path: string;
  /** Default 9600. Also sets how long a job may take to transmit (10 bits per byte). */
  baudRate?: number;
  openPort?: OpenPort;
  /** Longest wait for a status reply, and the slack on top of transmit time for a job; ms. */
  replyTimeoutMs?: number;
  /** Longest wait, once a job is transmitted, for the printer to finish it (GS r 1); ms. */
  confirmTimeoutMs?: number;
  /** Reopen back-off after the port vanished: doubles from `initial` up to `max`; ms. */
  reconnectDelayMs?: { initial: number; max: number };
  /** Status poll while idle, which is also how a pulled adapter is noticed; 0 turns it off; ms. */
  heartbeatMs?: number;
}

export interface SerialPrinterEvents {
  /** A status read differs from the previous one (state or flags). */
  'status:changed': [PrinterStatus];
  'port:opened': [];
  'port:closed': [Error];
}

type Reply = { kind: 'bytes'; bytes: number[] } | { kind: 'timeout' } | { kind: 'lost' };

interface Waiter {
  count: number;
  accept: (b: number) => boolean;
  timer: NodeJS.Timeout;
  resolve: (reply: Reply) => void;
}

export class SerialPrinter extends EventEmitter<SerialPrinterEvents> {
  readonly #path: string;
  readonly #baudRate: number;
  readonly #openPort: OpenPort;
  readonly #replyTimeoutMs: number;
  readonly #confirmTimeoutMs: number;
  readonly #reconnect: { initial: number; max: number };
  readonly #heartbeatMs: number;
  #port: PrinterPort | null = null;
  #isStarted = false;
  #reconnectAttempt = 0;
  #reconnectTimer: NodeJS.Timeout | null = null;
  #heartbeatTimer: NodeJS.Timeout | null = null;
  #queue: Promise<void> = Promise.resolve();
  #pendingTasks = 0;
  #rx: number[] = [];
  #waiter: Waiter | null = null;
  #lastStatus: PrinterStatus = unknownStatus('disconnected', 'not opened');

  constructor(options: SerialPrinterOptions) {
    super();
    this.#path = options.path;
    this.#baudRate = options.baudRate ?? 9600;
    this.#openPort = options.openPort ?? openNativePort;
    this.#replyTimeoutMs = options.replyTimeoutMs ?? 1000;
    // Printing and cutting a ticket takes about a second of mechanics after the last byte.
    this.#confirmTimeoutMs = options.confirmTimeoutMs ?? 5000;
    this.#reconnect = options.reconnectDelayMs ?? { initial: 200, max: 10_000 };
    this.#heartbeatMs = options.heartbeatMs ?? 5000;
  }

  get isConnected(): boolean {
    return this.#port !== null;
  }

  /** The last status read (or `disconnected`), without asking the printer. */
  get lastStatus(): PrinterStatus {
    return this.#lastStatus;
  }

  /**
   * Opens the line and resolves after the first attempt (and, if the port opened, a first status
   * read), whether or not the port could be opened: a missing adapter is a status
   * (`disconnected`), and reopening goes on in the background until close().
   */
  async open(): Promise<void> {
    if (this.#isStarted) return;
    this.#isStarted = true;
    if (this.#heartbeatMs > 0) {
      this.#heartbeatTimer = setInterval(() => {
        if (this.#port !== null && this.#pendingTasks === 0) void this.status();
      }, this.#heartbeatMs);
    }
    await this.#connect();
  }

  /** Asks the printer (DLE EOT 1..4); resolves `no_answer` after the reply timeout, never rejects. */
  status(): Promise<PrinterStatus> {
    return this.#exclusive(() => this.#queryStatus());
  }

  /**
   * Reads the printer now and, when it can print, keeps it for one job for at most `holdMs`:
   * the status queries of the heartbeat and other jobs wait behind the hold. Resolves once the
   * status is read; never rejects.
   */
  hold(holdMs: number): Promise<PrinterHold> {
    return new Promise<PrinterHold>((resolveHold) => {
      void this.#exclusive(async () => {
        const status = await this.#queryStatus();
        if (!isGoodState(status.state)) {
          resolveHold({ status, print: (job, options) => this.print(job, options), release: () => undefined });
          return;
        }
        type Taken = { job: Uint8Array; done: (error: Error | null) => void } | null;
        let take: (taken: Taken) => void = () => undefined;
        let isOpen = true;
        const taken = new Promise<Taken>((resolve) => {
          take = (t) => {
            isOpen = false;
            resolve(t);
          };
        });
        const timer = setTimeout(() => take(null), holdMs);
        resolveHold({
          status,
          print: (job, options) =>
            isOpen ? new Promise<void>((resolve, reject) => take({ job, done: (error) => (error === null ? resolve() : reject(error)) })) : this.print(job, options),
          release: () => {
            if (isOpen) take(null);
          },
        });
        const got = await taken;
        clearTimeout(timer);
        if (got === null) return;
        try {
          await this.#print(got.job);
          got.done(null);
        } catch (error) {
          got.done(error instanceof Error ? error : new Error(String(error)));
        }
      });
    });
  }

  /**
   * Sends one job and resolves once the printer has processed it (GS r 1 answered). Rejects with
   * a PrinterError when the printer is not ready before the job (status read first), when the
   * job is not transmitted within its transmit time plus the reply timeout, or when the printer
   * does not confirm it within the confirm timeout, or when it could not start before `startBy`
   * (epoch ms).
   */
  print(job: Uint8Array, options: { startBy?: number } = {}): Promise<void> {
    return this.#exclusive(async () => {
      // Queued behind other jobs for too long: whoever asked has given up, so print nothing.
      if (options.startBy !== undefined && Date.now() > options.startBy) {
        throw new PrinterError('PRINTER_TIMEOUT', 'job expired before the printer was free', this.#lastStatus, true);
      }
      return this.#print(job);
    });
  }

  async close(): Promise<void> {
    this.#isStarted = false;
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    if (this.#heartbeatTimer !== null) clearInterval(this.#heartbeatTimer);
    this.#reconnectTimer = null;
    this.#heartbeatTimer = null;
    const port = this.#port;
    this.#port = null;
    this.#settleWaiter({ kind: 'lost' });
    if (port !== null) await closeQuietly(port, this.#replyTimeoutMs);
    this.#lastStatus = unknownStatus('disconnected', 'closed');
  }

  async #connect(): Promise<void> {
    const port = this.#openPort(this.#path, this.#baudRate);
    try {
      await new Promise<void>((resolve, reject) => port.open((error) => (error ? reject(error) : resolve())));
    } catch (error) {
      this.#setStatus(unknownStatus('disconnected', errorMessage(error)));
      this.#scheduleReconnect();
      return;
    }
    if (!this.#isStarted) {
      await closeQuietly(port, this.#replyTimeoutMs);
      return;
    }
    port.on('data', (chunk) => this.#onData(port, chunk));
    port.on('close', (error) => this.#onLost(port, error ?? new Error('port closed')));
    port.on('error', (error) => this.#onLost(port, error ?? new Error('port error')));
    this.#port = port;
    this.#rx = [];
    this.#reconnectAttempt = 0;
    this.emit('port:opened');
    await this.status();
  }

  #onLost(port: PrinterPort, error: Error): void {
    if (port !== this.#port) return;
    this.#port = null;
    port.removeAllListeners();
    // A port may still emit errors after we let go of it; unhandled they would crash the process.
    port.on('error', () => undefined);
    if (port.isOpen) port.close(() => undefined);
    this.#settleWaiter({ kind: 'lost' });
    this.#setStatus(unknownStatus('disconnected', error.message));
    this.emit('port:closed', error);
    this.#scheduleReconnect();
  }

  #scheduleReconnect(): void {
    if (!this.#isStarted || this.#reconnectTimer !== null) return;
    const delay = Math.min(this.#reconnect.max, this.#reconnect.initial * 2 ** this.#reconnectAttempt);
    this.#reconnectAttempt++;
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = null;
      void this.#connect();
    }, delay);
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    this.#pendingTasks++;
    const run = this.#queue.then(task).finally(() => {
      this.#pendingTasks--;
    });
    this.#queue = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  async #queryStatus(): Promise<PrinterStatus> {
    const port = this.#port;
    if (port === null) return this.#lastStatus.state === 'disconnected' ? this.#lastStatus : unknownStatus('disconnected');
    // Bytes still in the buffer answer an earlier query that timed out; they must not answer this one.
    this.#rx = [];
    port.write(Buffer.from(DLE_EOT_ALL));
    const reply = await this.#expect(4, isRealtimeReply, this.#replyTimeoutMs);
    let status: PrinterStatus;
    if (reply.kind === 'bytes') {
      const [b1 = 0, b2 = 0, b3 = 0, b4 = 0] = reply.bytes;
      status = parseStatusBytes([b1, b2, b3, b4]);
    } else {
      status = reply.kind === 'lost' ? this.#lastStatus : unknownStatus('no_answer');
    }
    this.#setStatus(status);
    return status;
  }

  async #print(job: Uint8Array): Promise<void> {
    const before = await this.#queryStatus();
    switch (before.state) {
      case 'ok':
      case 'near_end':
        break;
      case 'disconnected':
        throw new PrinterError('PRINTER_DISCONNECTED', `printer port ${this.#path} is not open`, before, true);
      case 'no_answer':
        throw new PrinterError('PRINTER_TIMEOUT', `printer did not answer within ${this.#replyTimeoutMs} ms`, before, true);
      case 'paper_end':
        throw new PrinterError('PRINTER_PAPER_END', 'printer is out of paper', before, true);
      case 'cover_open':
        throw new PrinterError('PRINTER_COVER_OPEN', 'printer cover is open', before, true);
      case 'offline':
        throw new PrinterError('PRINTER_OFFLINE', 'printer is offline', before, true);
      default: {
        const unknown: never = before.state;
        throw new Error(`unhandled printer state ${String(unknown)}`);
      }
    }
    const port = this.#port;
    if (port === null) throw new PrinterError('PRINTER_DISCONNECTED', `printer port ${this.#path} is not open`, this.#lastStatus, true);
    const payload = Buffer.concat([job, Buffer.from(GS_R_1)]);
    const budgetMs = transmitMs(payload.length, this.#baudRate) + this.#replyTimeoutMs;
    this.#rx = [];
    port.write(payload);
    const drained = await withTimeout(new Promise<boolean>((resolve) => port.drain((error) => resolve(error === null))), budgetMs, false);
    if (!drained) {
      if (this.#port === port) {
        // The write queue is stuck behind bytes nobody reads; only a fresh port gets it moving again.
        this.#onLost(port, new Error('drain timed out'));
        throw new PrinterError('PRINTER_TIMEOUT', `job not transmitted within ${budgetMs} ms`, this.#lastStatus);
      }
      throw new PrinterError('PRINTER_DISCONNECTED', 'printer port vanished during the job', this.#lastStatus);
    }
    const reply = await this.#expect(1, isPaperReply, this.#confirmTimeoutMs);
    if (reply.kind === 'lost') throw new PrinterError('PRINTER_DISCONNECTED', 'printer port vanished during the job', this.#lastStatus);
    if (reply.kind === 'timeout') {
      throw new PrinterError('PRINTER_TIMEOUT', `printer did not confirm the job within ${this.#confirmTimeoutMs} ms`, this.#lastStatus);
    }
  }

  #expect(count: number, accept: (b: number) => boolean, timeoutMs: number): Promise<Reply> {
    this.#settleWaiter({ kind: 'lost' });
    return new Promise<Reply>((resolve) => {
      const timer = setTimeout(() => this.#settleWaiter({ kind: 'timeout' }), timeoutMs);
      this.#waiter = { count, accept, timer, resolve };
      this.#takeReply();
    });
  }

  #onData(port: PrinterPort, chunk: Buffer): void {
    if (port !== this.#port) return;
    for (const b of chunk) this.#rx.push(b);
    // Nobody asked for these (noise, a late answer): keep a bounded tail only.
    if (this.#rx.length > 64) this.#rx.splice(0, this.#rx.length - 64);
    this.#takeReply();
  }

  /** Completes the waiter once enough matching bytes have arrived, however they were chunked. */
  #takeReply(): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    const bytes = this.#rx.filter(waiter.accept);
    if (bytes.length < waiter.count) return;
    this.#rx = [];
    this.#settleWaiter({ kind: 'bytes', bytes: bytes.slice(0, waiter.count) });
  }

  #settleWaiter(reply: Reply): void {
    const waiter = this.#waiter;
    if (waiter === null) return;
    this.#waiter = null;
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
  }

  #setStatus(status: PrinterStatus): void {
    const previous = this.#lastStatus;
    this.#lastStatus = status;
    const isSame =
      previous.state === status.state &&
      previous.isOffline === status.isOffline &&
      previous.isCoverOpen === status.isCoverOpen &&
      previous.isPaperEnd === status.isPaperEnd &&
      previous.isPaperNearEnd === status.isPaperNearEnd &&
      previous.hasError === status.hasError;
    if (!isSame) this.emit('status:changed', status);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

async function closeQuietly(port: PrinterPort, timeoutMs: number): Promise<void> {
  port.removeAllListeners();
  port.on('error', () => undefined);
  if (!port.isOpen) return;
  await withTimeout(new Promise<void>((resolve) => port.close(() => resolve())), timeoutMs, undefined);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

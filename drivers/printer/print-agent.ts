/**
 * The print agent: the printer driver beside a kiosk plus a socket.io client logged in with the
 * kiosk's device token. It tells the host what its printer says (every change at once, and the
 * current status every `reportEveryMs` as a keep-alive), and prints the jobs the host sends.
 * Before the host allocates a number it asks for a hold (`print:hold`): the agent reads the
 * printer now and, when it can print, keeps it for that job. The job then runs: status check,
 * write, drain, GS r 1 confirmation (all in SerialPrinter), then a second status check — only
 * then does it acknowledge `ok`, and only then does the host put the ticket in the queue. A
 * failure says how far the job got (`stage`): `unsent` means no paper can exist.
 */
import { io, type Socket } from 'socket.io-client';
import { AGENT_NAMESPACE, PrintHold, PrintJob, type AgentAuth, type HoldAckT, type AgentStatusT, type AgentToServer, type PrintAckT, type PrintJobT, type ServerToAgent } from '../../contracts/print.ts';
import { encodeTicket } from './escpos.encoder.ts';
import type { PrinterProfile } from './profile.ts';
import { PrinterError, type PrinterHold, type PrinterStatus } from './printer-status.ts';
import type { SerialPrinter } from './serial.transport.ts';

export interface PrintAgentOptions {
  /** The host, e.g. `http://127.0.0.1:8080` (the agent adds the `/agent` namespace). */
  hostUrl: string;
  /** The kiosk's device token. */
  token: string;
  printer: SerialPrinter;
  profile: PrinterProfile;
  /** Keep-alive status report period; ms. */
  reportEveryMs?: number;
  /** Reconnect back-off towards the host; ms. */
  reconnectDelayMs?: { initial: number; max: number };
  log?: (message: string) => void;
}

type AgentSocket = Socket<ServerToAgent, AgentToServer>;

export function toAgentStatus(s: PrinterStatus): AgentStatusT {
  const status: AgentStatusT = { state: s.state, isPaperNearEnd: s.isPaperNearEnd };
  if (s.detail !== undefined) status.detail = s.detail.slice(0, 200);
  return status;
}

const isGood = (s: PrinterStatus): boolean => s.state === 'ok' || s.state === 'near_end';

export class PrintAgent {
  readonly #options: PrintAgentOptions;
  #socket: AgentSocket | null = null;
  #timer: NodeJS.Timeout | null = null;
  readonly #onStatus = (status: PrinterStatus): void => this.#send(status);
  /** Holds granted to the host and not yet filled by a job, by hold id. */
  readonly #holds = new Map<string, PrinterHold>();
  /** Jobs printed since start (for the demo preview and tests). */
  printedJobs = 0;
  lastJob: PrintJobT | null = null;

  constructor(options: PrintAgentOptions) {
    this.#options = options;
  }

  get isConnected(): boolean {
    return this.#socket?.connected === true;
  }

  /** Opens the printer line (never fails: a missing port is a status) and connects to the host. */
  async start(): Promise<void> {
    const { printer } = this.#options;
    printer.on('status:changed', this.#onStatus);
    await printer.open();
    const auth: AgentAuth = { token: this.#options.token };
    const socket: AgentSocket = io(new URL(AGENT_NAMESPACE, this.#options.hostUrl).toString(), {
      auth,
      transports: ['websocket'],
      reconnectionDelay: this.#options.reconnectDelayMs?.initial ?? 250,
      reconnectionDelayMax: this.#options.reconnectDelayMs?.max ?? 3000,
    });
    this.#socket = socket;
    socket.on('connect', () => {
      this.#log('connected to the host');
      this.#send(printer.lastStatus);
    });
    socket.on('disconnect', (reason) => this.#log(`disconnected from the host: ${reason}`));
    socket.on('connect_error', (error) => {
      this.#log(`cannot reach the host: ${error.message}`);
      // A refused token is final: the host will not change its mind on retry.
      if (error.message === 'AUTH_TOKEN_INVALID' || error.message === 'FORBIDDEN') socket.disconnect();
    });
    socket.on('print:job', (raw, ack) => {
      void this.#handle(raw, ack);
    });
    socket.on('print:hold', (raw, ack) => {
      void this.#hold(raw, ack);
    });
    socket.on('print:release', (holdId) => {
      this.#takeHold(holdId)?.release();
    });
    this.#timer = setInterval(() => this.#send(printer.lastStatus), this.#options.reportEveryMs ?? 5000);
  }

  async stop(): Promise<void> {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#options.printer.off('status:changed', this.#onStatus);
    this.#socket?.disconnect();
    this.#socket = null;
    for (const hold of this.#holds.values()) hold.release();
    this.#holds.clear();
    await this.#options.printer.close();
  }

  /** Prints one job; the answer is what the host acknowledges on. Never throws. */
  async printJob(job: PrintJobT): Promise<PrintAckT> {
    const { printer, profile } = this.#options;
    const receivedAt = Date.now();
    const hold = job.holdId === undefined ? undefined : this.#takeHold(job.holdId);
    let bytes: Uint8Array;
    try {
      bytes = encodeTicket(job.ticket, profile, job.language);
    } catch (error) {
      hold?.release();
      return { ok: false, status: toAgentStatus(printer.lastStatus), error: `cannot encode: ${message(error)}`.slice(0, 200), stage: 'unsent' };
    }
    try {
      // Waited too long behind other jobs: the host is about to give up on this one.
      const startBy = receivedAt + job.timeoutMs / 2;
      await (hold === undefined ? printer.print(bytes, { startBy }) : hold.print(bytes, { startBy }));
    } catch (error) {
      const status = error instanceof PrinterError && error.status !== null ? error.status : printer.lastStatus;
      const stage = error instanceof PrinterError && error.isUnsent ? 'unsent' : 'sent';
      return { ok: false, status: toAgentStatus(status), error: message(error).slice(0, 200), stage };
    }
    // The after-check: paper that ran out during this ticket, a cover opened while it printed.
    const after = await printer.status();
    this.printedJobs++;
    this.lastJob = job;
    if (!isGood(after)) return { ok: false, status: toAgentStatus(after), error: `printer ${after.state} after the job`, stage: 'printed' };
    return { ok: true, status: toAgentStatus(after), stage: 'printed' };
  }

  async #hold(raw: unknown, ack: (result: HoldAckT) => void): Promise<void> {
    const parsed = PrintHold.safeParse(raw);
    if (!parsed.success) {
      ack({ ok: false, status: toAgentStatus(this.#options.printer.lastStatus) });
      return;
    }
    const { holdId, holdMs } = parsed.data;
    const hold = await this.#options.printer.hold(holdMs);
    const isHeld = isGood(hold.status) && this.#socket?.connected === true;
    if (isHeld) {
      this.#holds.set(holdId, hold);
      // The host fills or releases a hold within milliseconds; this only forgets a lapsed one.
      setTimeout(() => this.#holds.get(holdId) === hold && this.#holds.delete(holdId), holdMs).unref();
    } else {
      hold.release();
    }
    ack({ ok: isHeld, status: toAgentStatus(hold.status) });
  }

  #takeHold(holdId: string): PrinterHold | undefined {
    const hold = this.#holds.get(holdId);
    this.#holds.delete(holdId);
    return hold;
  }

  async #handle(raw: unknown, ack: (result: PrintAckT) => void): Promise<void> {
    const parsed = PrintJob.safeParse(raw);
    if (!parsed.success) {
      ack({ ok: false, status: toAgentStatus(this.#options.printer.lastStatus), error: 'malformed job' });
      return;
    }
    ack(await this.printJob(parsed.data));
  }

  #send(status: PrinterStatus): void {
    if (this.#socket?.connected === true) this.#socket.emit('printer:status', toAgentStatus(status));
  }

  #log(text: string): void {
    this.#options.log?.(text);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

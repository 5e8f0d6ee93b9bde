import { randomUUID } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Namespace, Server, Socket } from 'socket.io';
import type { AccessStore, DeviceRecord } from '../core/access/access.ts';
import type { Clock, QueueRuntime } from '../core/queue/ports.ts';
import { canPrint, type PrinterState } from '../core/queue/printer.ts';
import type { KioskPrinterT } from '../contracts/screens.ts';
import type { EventLog } from '../core/queue/ports.ts';
import type { LoggedEvent } from '../core/shared/events.ts';
import { AGENT_NAMESPACE, AgentStatus, HoldAck, PrintAck, PrintJob, type AgentAuth, type AgentToServer, type PrintJobT, type PrintStageT, type ServerToAgent } from '../contracts/print.ts';
import { tokenHash } from './passwords.ts';

export interface PrinterInfo {
  state: PrinterState;
  isPaperNearEnd: boolean;
  detail?: string;
  /** When the host last heard from the agent (epoch ms), null when never. */
  reportedAt: number | null;
}

/**
 * A failed job says how far it got (PrintStage); `unknown` when the agent gave no usable answer
 * (silence, a malformed or stage-less acknowledgement): paper may or may not exist.
 */
export type PrintOutcome = { ok: true; printer: PrinterInfo } | { ok: false; printer: PrinterInfo; reason: string; stage: PrintStageT | 'unknown' };

/** A kiosk's printer read just now and kept for one job (`holdId`), or why it cannot print. */
export type HoldOutcome = { ok: true; holdId: string; printer: PrinterInfo } | { ok: false; printer: PrinterInfo };

interface AgentData {
  device: DeviceRecord;
}

type AgentSocket = Socket<AgentToServer, ServerToAgent, Record<string, never>, AgentData>;
type AgentNamespace = Namespace<AgentToServer, ServerToAgent, Record<string, never>, AgentData>;

const NO_AGENT: PrinterInfo = { state: 'no_agent', isPaperNearEnd: false, reportedAt: null };
/** The host holding the agent did not answer a relayed request in time (it died, or the agent is stuck). */
const NO_RELAY_ANSWER: PrinterInfo = { state: 'no_answer', isPaperNearEnd: false, detail: 'no answer from the host holding the print agent', reportedAt: null };
/** A relayed request waits this much longer than the agent's own time-out: two notifications and the other host's work. */
const RELAY_MARGIN_MS = 1000;

/**
 * Print requests to the host holding a kiosk's print agent, when several hosts share the kiosks
 * (the load balancer sends the kiosk's request to any of them). A request nobody answers within
 * `timeoutMs` resolves null.
 */
export interface PrintRelay {
  request(deviceId: string, op: 'hold' | 'print' | 'release', body: unknown, timeoutMs: number): Promise<unknown>;
  /** Answers other hosts' requests for the agents of this host; undefined = not one of them. */
  serve(handler: (deviceId: string, op: string, body: unknown, timeoutMs: number) => Promise<unknown> | undefined): void;
}

interface PrintAgentsDeps {
  queue: QueueRuntime;
  access: AccessStore;
  clock: Clock;
  /** Several hosts: every host's `printer:changed`, so this host knows the printers of agents connected elsewhere. */
  live?: { subscribe(listener: (events: readonly LoggedEvent[]) => void): () => void };
  events?: EventLog;
  printRelay?: PrintRelay;
}

/**
 * The print agents connected to this host, one per kiosk device (`printer: 'agent'`), and what
 * each last said about its printer. Every change of a printer's condition becomes a durable
 * `printer:changed` event (staff see it, the kiosk switches to out-of-order); an agent that
 * disconnects is `no_agent` at once. Lives as long as the host process: after a restart every
 * kiosk is `no_agent` until its agent is back, which is the truth.
 *
 * Several hosts: an agent is connected to one of them, a kiosk's request may reach another. Each
 * host learns every printer's condition from the `printer:changed` events of the shared log, and
 * sends a hold, a job or a release for an agent it does not hold through the relay to the host
 * that does, which runs it as its own and answers with the agent's acknowledgement.
 */
export class PrintAgents {
  readonly #sockets = new Map<string, AgentSocket>();
  readonly #printers = new Map<string, PrinterInfo>();
  /** What the event log last said of each printer, whichever host its agent is on (several hosts only). */
  readonly #known = new Map<string, PrinterInfo>();
  readonly #unsubscribe: () => void;
  /** Tickets voided after their bytes reached the printer (a client may hold them), per kiosk, since start. */
  readonly #voidedInHand = new Map<string, number>();
  #nsp: AgentNamespace | null = null;
  #log: FastifyBaseLogger | null = null;

  constructor(private readonly deps: PrintAgentsDeps) {
    this.#unsubscribe =
      deps.live?.subscribe((events) => {
        for (const e of events) if (e.type === 'printer:changed') this.#known.set(e.payload.deviceId, { state: e.payload.state, isPaperNearEnd: e.payload.isPaperNearEnd, reportedAt: null });
      }) ?? (() => undefined);
  }

  /** What the host believes about a kiosk's printer now. */
  printer(deviceId: string): PrinterInfo {
    if (this.deps.live === undefined || this.#sockets.has(deviceId)) return this.#printers.get(deviceId) ?? NO_AGENT;
    return this.#known.get(deviceId) ?? NO_AGENT;
  }

  /** A kiosk's printer as staff see it: the `printer:changed` payload, now (also before any change). */
  view(device: DeviceRecord): KioskPrinterT {
    const info = this.printer(device.id);
    return {
      deviceId: device.id,
      deviceName: device.name,
      state: info.state,
      isOutOfOrder: !canPrint(info.state),
      isPaperNearEnd: info.isPaperNearEnd || info.state === 'near_end',
      voidedInHand: this.#voidedInHand.get(device.id) ?? 0,
    };
  }

  /** Counts a ticket voided after its bytes reached the kiosk's printer (paper a client may hold). */
  countVoidedInHand(deviceId: string): void {
    this.#voidedInHand.set(deviceId, (this.#voidedInHand.get(deviceId) ?? 0) + 1);
  }

  isConnected(deviceId: string): boolean {
    return this.#sockets.has(deviceId);
  }

  /** Opens the `/agent` namespace on the host's socket.io server. */
  attach(io: Server, log?: FastifyBaseLogger): void {
    this.#log = log ?? null;
    this.#serveRelay();
    void this.#learnPrinters().catch((err: unknown) => this.#log?.warn({ err }, 'could not read the printers of other hosts'));
    const nsp = io.of(AGENT_NAMESPACE) as unknown as AgentNamespace;
    this.#nsp = nsp;
    nsp.use((socket, next) => {
      const auth = (socket.handshake.auth ?? {}) as Partial<AgentAuth>;
      if (typeof auth.token !== 'string' || auth.token.length > 200) return next(new Error('AUTH_REQUIRED'));
      // The store answers with promises; a failure fails the handshake instead of floating.
      void (async () => {
        const device = await this.deps.access.deviceByTokenHash(tokenHash(auth.token as string));
        if (device === null) return next(new Error('AUTH_TOKEN_INVALID'));
        if (device.kind !== 'kiosk' || device.printer !== 'agent') return next(new Error('FORBIDDEN'));
        await this.deps.access.deviceSeen(device.id, this.deps.clock.now());
        socket.data = { device };
        next();
      })().catch((error: unknown) => next(error instanceof Error ? error : new Error(String(error))));
    });
    nsp.on('connection', (socket: AgentSocket) => {
      const { device } = socket.data;
      const previous = this.#sockets.get(device.id);
      // One agent per kiosk: a restarted agent replaces the one whose connection has not died yet.
      this.#sockets.set(device.id, socket);
      if (previous !== undefined && previous.id !== socket.id) previous.disconnect(true);
      this.#log?.info({ deviceId: device.id }, 'print agent connected');
      socket.on('printer:status', (raw) => {
        const parsed = AgentStatus.safeParse(raw);
        if (!parsed.success || this.#sockets.get(device.id) !== socket) return;
        // The agent's heartbeat: a kiosk printing through it is seen while it lives (written once a minute).
        void this.deps.access.deviceSeen(device.id, this.deps.clock.now()).catch(() => undefined);
        this.#report(device, { ...stripUndefined(parsed.data), reportedAt: this.deps.clock.now() });
      });
      socket.on('disconnect', (reason) => {
        if (this.#sockets.get(device.id) !== socket) return;
        this.#sockets.delete(device.id);
        this.#log?.warn({ deviceId: device.id, reason }, 'print agent disconnected');
        this.#report(device, { state: 'no_agent', isPaperNearEnd: false, detail: reason, reportedAt: this.printer(device.id).reportedAt });
      });
    });
  }

  /**
   * Asks a kiosk's agent to read its printer now (DLE EOT) and, when it can print, to keep it for
   * the job that follows: the number is allocated only after a good answer. Never rejects: a
   * missing agent or silence past `timeoutMs` is `ok: false` (the latter also makes the printer
   * `no_answer`, as for a job).
   */
  async hold(device: DeviceRecord, holdMs: number, timeoutMs: number): Promise<HoldOutcome> {
    const socket = this.#sockets.get(device.id);
    if (socket === undefined) {
      const remote = await this.#relayed(device, 'hold', { holdMs }, timeoutMs);
      return remote === undefined ? { ok: false, printer: this.printer(device.id) } : ((remote as HoldOutcome | null) ?? { ok: false, printer: NO_RELAY_ANSWER });
    }
    const holdId = randomUUID();
    let raw: unknown;
    try {
      raw = await socket.timeout(timeoutMs).emitWithAck('print:hold', { holdId, holdMs });
    } catch {
      if (this.#sockets.get(device.id) === socket) {
        this.#report(device, { state: 'no_answer', isPaperNearEnd: false, detail: 'no answer to a status read', reportedAt: this.printer(device.id).reportedAt });
      }
      return { ok: false, printer: this.printer(device.id) };
    }
    const ack = HoldAck.safeParse(raw);
    if (!ack.success) return { ok: false, printer: this.printer(device.id) };
    this.#report(device, { ...stripUndefined(ack.data.status), reportedAt: this.deps.clock.now() });
    const printer = this.printer(device.id);
    if (ack.data.ok && canPrint(printer.state)) return { ok: true, holdId, printer };
    if (ack.data.ok) socket.emit('print:release', holdId);
    return { ok: false, printer };
  }

  /** Gives a hold back unused (the allocation was refused). */
  release(device: DeviceRecord, holdId: string): void {
    const socket = this.#sockets.get(device.id);
    if (socket !== undefined) socket.emit('print:release', holdId);
    else void this.#relayed(device, 'release', { holdId }, 0);
  }

  /**
   * Sends one job to a kiosk's agent and waits for its acknowledgement. Never rejects: a missing
   * agent, a failed print and silence past `timeoutMs` are all `ok: false` with the reason.
   */
  async print(device: DeviceRecord, job: PrintJobT, timeoutMs: number): Promise<PrintOutcome> {
    const socket = this.#sockets.get(device.id);
    if (socket === undefined) {
      const remote = await this.#relayed(device, 'print', { job }, timeoutMs);
      if (remote === undefined) return { ok: false, printer: this.printer(device.id), reason: 'print agent not connected', stage: 'unsent' };
      // Silence from the other host: the job may have reached the printer.
      return (remote as PrintOutcome | null) ?? { ok: false, printer: NO_RELAY_ANSWER, reason: 'no answer from the host holding the print agent', stage: 'unknown' };
    }
    let raw: unknown;
    try {
      raw = await socket.timeout(timeoutMs).emitWithAck('print:job', job);
    } catch {
      // Silence: the agent (or its printer) is stuck. Out of order until it reports again.
      if (this.#sockets.get(device.id) === socket) {
        this.#report(device, { state: 'no_answer', isPaperNearEnd: false, detail: 'no acknowledgement', reportedAt: this.printer(device.id).reportedAt });
      }
      return { ok: false, printer: this.printer(device.id), reason: `no acknowledgement within ${timeoutMs} ms`, stage: 'unknown' };
    }
    const ack = PrintAck.safeParse(raw);
    if (!ack.success) return { ok: false, printer: this.printer(device.id), reason: 'malformed acknowledgement', stage: 'unknown' };
    this.#report(device, { ...stripUndefined(ack.data.status), reportedAt: this.deps.clock.now() });
    const printer = this.printer(device.id);
    if (ack.data.ok && canPrint(printer.state)) return { ok: true, printer };
    return { ok: false, printer, reason: ack.data.error ?? `printer ${printer.state}`, stage: ack.data.stage ?? 'unknown' };
  }

  /** Ends a kiosk's agent connection (its device was revoked): it is `no_agent` at once. */
  drop(deviceId: string): void {
    this.#sockets.get(deviceId)?.disconnect(true);
  }

  async close(): Promise<void> {
    this.#unsubscribe();
    this.#nsp?.disconnectSockets(true);
    this.#sockets.clear();
  }

  /**
   * Sends a request for an agent another host holds: its answer, null when none came in time, or
   * undefined when no host is believed to hold it (then nothing was sent).
   */
  async #relayed(device: DeviceRecord, op: 'hold' | 'print' | 'release', body: unknown, timeoutMs: number): Promise<unknown> {
    const relay = this.deps.printRelay;
    if (relay === undefined || this.printer(device.id).state === 'no_agent') return undefined;
    const answer = await relay.request(device.id, op, body, timeoutMs + RELAY_MARGIN_MS);
    return typeof answer === 'object' && answer !== null && 'ok' in answer ? answer : null;
  }

  /** Runs other hosts' requests for the agents connected here, as if they were this host's own. */
  #serveRelay(): void {
    this.deps.printRelay?.serve((deviceId, op, body, timeoutMs) => {
      const socket = this.#sockets.get(deviceId);
      if (socket === undefined) return undefined;
      const device = socket.data.device;
      const b = (typeof body === 'object' && body !== null ? body : {}) as { holdMs?: unknown; holdId?: unknown; job?: unknown };
      if (op === 'hold' && typeof b.holdMs === 'number') return this.hold(device, b.holdMs, timeoutMs);
      if (op === 'release' && typeof b.holdId === 'string') {
        this.release(device, b.holdId);
        return undefined;
      }
      const job = PrintJob.safeParse(b.job);
      return op === 'print' && job.success ? this.print(device, job.data, timeoutMs) : undefined;
    });
  }

  /** The printers of agents connected to other hosts, as the log last described them (several hosts, at start). */
  async #learnPrinters(): Promise<void> {
    const events = this.deps.events;
    if (this.deps.live === undefined || events === undefined) return;
    for (const office of await this.deps.queue.read((s) => s.listOffices())) {
      // Newest first: a printer's latest change wins, and one the tail delivered meanwhile is newer still.
      for (const e of await events.latestOfType(office.id, 'printer:changed', 500)) {
        if (!this.#known.has(e.payload.deviceId)) this.#known.set(e.payload.deviceId, { state: e.payload.state, isPaperNearEnd: e.payload.isPaperNearEnd, reportedAt: null });
      }
    }
  }

  #report(device: DeviceRecord, info: PrinterInfo): void {
    const before = this.#printers.get(device.id) ?? NO_AGENT;
    this.#printers.set(device.id, info);
    // This host's own report is the newest word on the printer, before the log's tail brings it back.
    this.#known.set(device.id, info);
    if (before.state === info.state && before.isPaperNearEnd === info.isPaperNearEnd) return;
    this.#log?.info({ deviceId: device.id, state: info.state, was: before.state }, 'printer changed');
    const payload = this.view(device);
    this.deps.queue
      .run((store) => store.appendEvent({ type: 'printer:changed', officeId: device.officeId, payload }, this.deps.clock.now()))
      .catch((err: unknown) => this.#log?.error({ err }, 'could not record a printer change'));
  }
}

function stripUndefined(s: { state: Exclude<PrinterState, 'no_agent'>; isPaperNearEnd: boolean; detail?: string | undefined }): Omit<PrinterInfo, 'reportedAt'> {
  return s.detail === undefined ? { state: s.state, isPaperNearEnd: s.isPaperNearEnd } : { state: s.state, isPaperNearEnd: s.isPaperNearEnd, detail: s.detail };
}

import type { ConfirmChannel, MessageKind } from '../../core/booking/model.ts';
import { retryDelayMs } from '../../core/booking/codes.ts';
import type { Clock } from '../../core/queue/ports.ts';

/** A message ready for a transport: already rendered in the recipient's language. */
export interface RenderedMessage {
  channel: ConfirmChannel;
  to: string;
  subject: string;
  text: string;
  html?: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

/**
 * Delivers one message or throws; resolves only once the provider accepted it. Once `signal`
 * aborts (the worker stopped waiting and will retry) the send must not go on: a message handed
 * over later would arrive twice.
 */
export interface Transport {
  send(message: RenderedMessage, signal?: AbortSignal): Promise<{ providerId: string }>;
  close?(): Promise<void>;
}

export interface ClaimedMessage {
  id: string;
  /** The office whose message it is (its templates are used). */
  officeId: string;
  channel: ConfirmChannel;
  kind: MessageKind;
  attempts: number;
  /** The sealed `{ to, language, params }`. */
  sealed: string;
}

export interface OpenedMessage {
  to: string;
  language: string;
  params: Record<string, string | number>;
}

/**
 * What the worker needs from the host. `claim` and the two `record…` calls are durable
 * (they run through the unit of work) before they resolve.
 */
export interface OutboxWorkerDeps {
  clock: Clock;
  /** Due pending messages of a channel, highest priority first, now marked `sending`. */
  claim(channel: ConfirmChannel, now: number, limit: number): Promise<ClaimedMessage[]>;
  recordSent(id: string, now: number, providerId: string): Promise<void>;
  recordFailed(id: string, now: number, error: string, nextAttemptAt: number): Promise<void>;
  open(sealed: string): OpenedMessage | null;
  render(kind: MessageKind, channel: ConfirmChannel, message: OpenedMessage, officeId: string): Promise<RenderedMessage>;
  transports: Record<ConfirmChannel, Transport>;
  /** Messages in flight per channel (a slow SMS gateway never holds up e-mail). */
  concurrency?: number;
  /** A send that has not answered by then counts as failed and is retried. */
  sendTimeoutMs?: number;
  onError?: (error: unknown) => void;
  /** Asked before each pass: on several hosts, whether this one holds the outbox's lease. */
  mayRun?: () => Promise<boolean>;
  /**
   * Puts back messages left `sending` by a sender that was cut off. Run when this worker takes
   * the outbox's turn (at its first pass on one host), with none of its own sends in flight:
   * a row does not say who claimed it, so only the turn's holder may decide it was abandoned.
   */
  recover?: () => Promise<unknown>;
}

/** `start`'s answer, or a rejection after `ms`, when `start`'s signal aborts too. */
const withTimeout = <T>(start: (signal: AbortSignal) => Promise<T>, ms: number): Promise<T> =>
  new Promise<T>((resolve, reject) => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      const error = new Error(`no answer within ${ms} ms`);
      abort.abort(error);
      reject(error);
    }, ms);
    const p = start(abort.signal);
    p.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });

/**
 * Drains the outbox. A message is claimed (`sending`) durably before it is handed to the
 * provider and recorded `sent` durably after: it is sent twice only if the host dies between the
 * provider's acceptance and that record (on restart, `sending` goes back to `pending`). Failures
 * are retried with back-off, forever; their state and last error stay visible to staff.
 */
export class OutboxWorker {
  private readonly inFlight: Record<ConfirmChannel, number> = { email: 0, sms: 0 };
  private timer: NodeJS.Timeout | null = null;
  /** Sends in flight (claimed, not yet recorded). */
  private readonly running = new Set<Promise<void>>();
  /** Passes started by `kick` and not finished: `idle` waits for them too. */
  private readonly passes = new Set<Promise<void>>();
  private stopped = false;
  private holdsTurn = false;

  constructor(private readonly deps: OutboxWorkerDeps) {}

  /** One pass: claims what is due on each channel, up to its free concurrency, and sends it. */
  async tick(): Promise<number> {
    let started = 0;
    // Several hosts: claims are safe anyway, but only the lease holder drains (one sender's pace per provider).
    const may = this.deps.mayRun === undefined || (await this.deps.mayRun());
    if (may && !this.holdsTurn && this.deps.recover !== undefined) {
      // Its own sends still in flight would be put back too: try again at a later pass. (Not
      // waiting for them here: a pass may run inside a unit of work their records wait for.)
      if (this.running.size > 0) return 0;
      await this.deps.recover();
    }
    this.holdsTurn = may;
    if (!may) return 0;
    for (const channel of ['sms', 'email'] as const) {
      const room = (this.deps.concurrency ?? 8) - this.inFlight[channel];
      if (room <= 0 || this.stopped) continue;
      const claimed = await this.deps.claim(channel, this.deps.clock.now(), room);
      for (const m of claimed) {
        started++;
        this.inFlight[channel]++;
        const p = this.deliver(m).finally(() => {
          this.inFlight[channel]--;
          this.running.delete(p);
        });
        this.running.add(p);
      }
    }
    return started;
  }

  /** Waits for every send in flight to be recorded. */
  async idle(): Promise<void> {
    while (this.running.size + this.passes.size > 0) await Promise.allSettled([...this.running, ...this.passes]);
  }

  /** Ticks every `intervalMs` (and the host may call `kick` right after enqueueing). */
  start(intervalMs = 500): void {
    this.stopped = false;
    const loop = (): void => this.kick();
    this.timer = setInterval(loop, intervalMs);
    this.timer.unref();
  }

  kick(): void {
    if (this.stopped) return;
    const p: Promise<void> = this.tick().then(
      () => undefined,
      (e: unknown) => this.deps.onError?.(e),
    );
    this.passes.add(p);
    void p.finally(() => this.passes.delete(p));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.idle();
  }

  private async deliver(m: ClaimedMessage): Promise<void> {
    const opened = this.deps.open(m.sealed);
    const fail = async (error: string): Promise<void> => {
      const now = this.deps.clock.now();
      await this.deps.recordFailed(m.id, now, error.slice(0, 300), now + retryDelayMs(m.attempts));
    };
    if (opened === null) return fail('message cannot be opened (key changed?)');
    let rendered: RenderedMessage;
    try {
      rendered = await this.deps.render(m.kind, m.channel, opened, m.officeId);
    } catch (e) {
      return fail(`render: ${e instanceof Error ? e.message : String(e)}`);
    }
    let providerId: string;
    try {
      const transport = this.deps.transports[m.channel];
      providerId = (await withTimeout((signal) => transport.send(rendered, signal), this.deps.sendTimeoutMs ?? 30_000)).providerId;
    } catch (e) {
      return fail(e instanceof Error ? e.message : String(e));
    }
    await this.deps.recordSent(m.id, this.deps.clock.now(), providerId);
  }
}

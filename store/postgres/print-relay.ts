import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { PgListener } from './listener.ts';

/** The channel of print requests and their answers between the hosts sharing one database. */
export const PRINT_CHANNEL = 'fronta_print';

/**
 * PostgreSQL refuses a NOTIFY payload of 8000 bytes or more: a request larger than this is not
 * sent (a ticket's print data is far smaller; the refusal is answered as no answer, nothing hangs).
 */
const MAX_PAYLOAD = 7900;

type Message =
  | { t: 'req'; id: string; from: string; deviceId: string; op: string; body: unknown; timeoutMs: number }
  | { t: 'res'; id: string; to: string; body: unknown };

/** What a host answers for a device whose agent it holds; undefined = not this host's. */
export type RelayHandler = (deviceId: string, op: string, body: unknown, timeoutMs: number) => Promise<unknown> | undefined;

export interface PrintRelayOptions {
  url: string;
  hostId: string;
  /** A wait before the listening connection is opened again after it broke (ms, default 500). */
  reconnectMs?: number;
  onError?: (error: unknown) => void;
}

/**
 * Print requests between hosts: a kiosk whose agent is connected to host A may send its request
 * to host B (the load balancer chose). B publishes the request on a channel every host listens
 * to; the host holding the agent's socket runs it as its own (hold, job, release) and publishes
 * the agent's answer, addressed to B. A request nobody answers in time is null: the agent is on no
 * live host (or its host died mid-job) — the caller treats it as silence, as for a job.
 *
 * NOTIFY is the transport because it needs nothing but the database every host already has, and
 * a lost message costs exactly one request (the kiosk says it could not print; nothing is queued).
 */
export class PgPrintRelay {
  private readonly pending = new Map<string, { resolve: (body: unknown) => void; timer: NodeJS.Timeout }>();
  private handler: RelayHandler | null = null;
  private readonly listener: PgListener;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: PrintRelayOptions,
  ) {
    this.listener = new PgListener(
      {
        url: opts.url,
        channel: PRINT_CHANNEL,
        applicationName: 'fronta-print-relay',
        ...(opts.reconnectMs === undefined ? {} : { reconnectMs: opts.reconnectMs }),
        ...(opts.onError === undefined ? {} : { onError: opts.onError }),
      },
      (payload) => this.received(payload),
    );
  }

  start(): Promise<void> {
    return this.listener.start();
  }

  /** Answers the requests of other hosts for the agents this host holds. */
  serve(handler: RelayHandler): void {
    this.handler = handler;
  }

  /** Sends a request to the host holding `deviceId`'s agent; its answer, or null when none came within `timeoutMs`. */
  request(deviceId: string, op: string, body: unknown, timeoutMs: number): Promise<unknown> {
    const id = randomUUID();
    const payload = JSON.stringify({ t: 'req', id, from: this.opts.hostId, deviceId, op, body, timeoutMs } satisfies Message);
    if (this.closed || Buffer.byteLength(payload) > MAX_PAYLOAD) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        resolve(null);
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, { resolve, timer });
      this.notify(payload);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      this.pending.delete(id);
      p.resolve(null);
    }
    await this.listener.close();
  }

  private notify(payload: string): void {
    this.pool.query('SELECT pg_notify($1, $2)', [PRINT_CHANNEL, payload]).catch((error: unknown) => this.opts.onError?.(error));
  }

  private received(raw: string): void {
    let msg: Message;
    try {
      msg = JSON.parse(raw) as Message;
    } catch {
      return;
    }
    if (msg.t === 'res') {
      if (msg.to !== this.opts.hostId) return;
      const p = this.pending.get(msg.id);
      if (p === undefined) return;
      this.pending.delete(msg.id);
      clearTimeout(p.timer);
      p.resolve(msg.body);
      return;
    }
    if (msg.from === this.opts.hostId) return;
    const answer = this.handler?.(msg.deviceId, msg.op, msg.body, msg.timeoutMs);
    if (answer === undefined) return;
    answer.then(
      (body) => this.notify(JSON.stringify({ t: 'res', id: msg.id, to: msg.from, body } satisfies Message)),
      (error: unknown) => this.opts.onError?.(error),
    );
  }
}

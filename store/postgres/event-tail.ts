import type pg from 'pg';
import type { LoggedEvent } from '../../core/shared/events.ts';
import { EVENTS_CHANNEL, PgEventLog } from './event-log.ts';
import { PgListener } from './listener.ts';

/**
 * Every host's commits, in each office's id order, for this host's sockets. A host on a shared
 * PostgreSQL cannot publish only its own commits: a display connected to host A must see the
 * calls made on host B, in order. So each host tails the event log: a NOTIFY (sent by every
 * transaction that appends to an office's log, delivered at its commit) wakes it, then it reads
 * everything of that office after the last id it published, in id order, and publishes that.
 *
 * Why this cannot miss or reorder: an office's appends commit in id order (event-log.ts holds the
 * office's advisory lock from the first append to COMMIT), so "after the last id published" never
 * skips an id that commits later. A notification is only a wake-up — one lost while the
 * listening connection was down costs latency, not events: on reconnecting, and every `pollMs`
 * as a backstop, every office is read again from its cursor. (A socket.io adapter relaying each
 * host's own broadcasts would order calls by arrival, not by id, and lose what was sent while a
 * host's relay connection was down.)
 */
export interface EventTailOptions {
  /** The listening connection's URL (a connection of its own, outside the pool: LISTEN holds it). */
  url: string;
  /** Backstop read of every office (ms, default 2000). */
  pollMs?: number;
  /** A wait before the listening connection is opened again after it broke (ms, default 500). */
  reconnectMs?: number;
  onError?: (error: unknown) => void;
}

const PAGE = 500;

export class PgEventTail {
  private readonly log: PgEventLog;
  private readonly cursors = new Map<string, number>();
  private readonly reading = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private readonly listeners = new Set<(events: readonly LoggedEvent[]) => void>();
  private readonly listener: PgListener;
  private poll: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    private readonly opts: EventTailOptions,
  ) {
    this.log = new PgEventLog(pool);
    this.listener = new PgListener(
      {
        url: opts.url,
        channel: EVENTS_CHANNEL,
        applicationName: 'fronta-event-tail',
        ...(opts.reconnectMs === undefined ? {} : { reconnectMs: opts.reconnectMs }),
        ...(opts.onError === undefined ? {} : { onError: opts.onError }),
        onReconnect: () => this.wakeAll(),
      },
      (officeId) => this.wake(officeId),
    );
  }

  /** Listens, then takes each office's last id as its starting point: what commits after is published. */
  async start(): Promise<void> {
    await this.listener.start();
    const r = await this.pool.query<{ id: string; last: number }>('SELECT o.id, COALESCE((SELECT max(e.id) FROM events e WHERE e.office_id = o.id), 0) AS last FROM offices o');
    for (const row of r.rows) if (!this.cursors.has(row.id)) this.cursors.set(row.id, Number(row.last));
    this.poll = setInterval(() => this.wakeAll(), this.opts.pollMs ?? 2000);
    this.poll.unref();
    // Anything committed between LISTEN and the cursors' read was counted in them or is read now.
    this.wakeAll();
  }

  /** Called with each page of an office's newly committed events, in id order. */
  subscribe(listener: (events: readonly LoggedEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The office's last id published (or known at start); undefined for an office this host has not seen yet. */
  position(officeId: string): number | undefined {
    return this.cursors.get(officeId);
  }

  /** Resolves once everything of the office committed before this call is published. */
  async caughtUp(officeId: string): Promise<void> {
    this.wake(officeId);
    while (this.reading.has(officeId)) await this.reading.get(officeId);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.poll !== null) clearInterval(this.poll);
    await Promise.allSettled([...this.reading.values()]);
    await this.listener.close();
  }

  private wakeAll(): void {
    for (const officeId of this.cursors.keys()) this.wake(officeId);
  }

  /** One reader per office at a time; a wake-up during a read reads once more after it. */
  private wake(officeId: string): void {
    if (this.closed) return;
    if (this.reading.has(officeId)) {
      this.again.add(officeId);
      return;
    }
    const p = this.drain(officeId)
      .catch((error: unknown) => this.opts.onError?.(error))
      .finally(() => {
        this.reading.delete(officeId);
        if (this.again.delete(officeId)) this.wake(officeId);
      });
    this.reading.set(officeId, p);
  }

  private async drain(officeId: string): Promise<void> {
    for (;;) {
      // An office first heard of now (created after start): its whole log is new to this host.
      const after = this.cursors.get(officeId) ?? 0;
      const page = await this.log.eventsAfter(officeId, after, PAGE);
      if (page.length === 0 || this.closed) return;
      // The cursor moves with the publication, in the same tick: position() never runs ahead of what sockets got.
      this.cursors.set(officeId, page[page.length - 1]!.id);
      for (const l of this.listeners) l(page);
      if (page.length < PAGE) return;
    }
  }
}

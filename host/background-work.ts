import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';

/**
 * Background work that must run once across hosts, each task asking before every pass. One host
 * on SQLite always may (`oneHost`). Several hosts on one PostgreSQL hold a lease per task
 * (`leasedBackgroundWork`): the first to ask takes it, renews it while it lives, and another host
 * takes it over once it lapses — within `ttlMs` plus that task's pass interval of the holder's death.
 */
export type BackgroundTask = 'webhooks' | 'booking-sweep' | 'retention-purge' | 'stats-rollups' | 'outbox' | 'alerts' | 'stale-prints';

export interface BackgroundWork {
  /** Whether this host may run a pass of `task` now; false while another host holds it (or the database cannot say). */
  mayRun(task: BackgroundTask): Promise<boolean>;
  /** Stops renewing and gives every held lease up, so another host takes over at once. */
  close(): Promise<void>;
}

/** The one host of an office on its own SQLite file: nobody to share with. */
export const oneHost: BackgroundWork = {
  mayRun: () => Promise.resolve(true),
  close: () => Promise.resolve(),
};

/** The lease table as the keeper needs it (store/postgres/leases.store.ts). */
export interface LeaseTable {
  acquire(name: string, owner: string, ttlMs: number): Promise<boolean>;
  release(name: string, owner: string): Promise<void>;
}

export interface LeaseOptions {
  leases: LeaseTable;
  /** This host's id in the lease rows (default: host name, pid and a random part). */
  hostId?: string;
  /** How long a lease holds without renewal (ms, default 4000). */
  ttlMs?: number;
  /** A monotonic clock in ms (default performance.now): a lease's local deadline must not jump with the wall clock. */
  monotonic?: () => number;
  onError?: (error: unknown) => void;
}

export function newHostId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

interface Hold {
  /** Local monotonic instant until which this host may act on the lease (its last renewal's send + ttl, less a margin). */
  until: number;
  renewedAt: number;
}

/**
 * The lease keeper. A pass asks `mayRun`: a lease renewed less than a third of its life ago is
 * answered from memory, an older one is renewed (or taken) by one upsert. A timer renews every
 * held lease at that same pace, so a task whose passes are rarer than the lease's life keeps it.
 * A holder counts its lease from the moment it sent the renewal, less a margin, so it stops
 * believing it holds a lease before the database lets another host take it.
 */
export function leasedBackgroundWork(opts: LeaseOptions): BackgroundWork & { hostId: string } {
  const hostId = opts.hostId ?? newHostId();
  const ttl = opts.ttlMs ?? 4000;
  const margin = Math.min(500, ttl / 4);
  const now = opts.monotonic ?? (() => performance.now());
  const holds = new Map<BackgroundTask, Hold>();
  const asking = new Map<BackgroundTask, Promise<boolean>>();
  let closed = false;

  const ask = (task: BackgroundTask): Promise<boolean> => {
    const pending = asking.get(task);
    if (pending !== undefined) return pending;
    const sentAt = now();
    const p = opts.leases
      .acquire(task, hostId, ttl)
      .then(
        (held) => {
          if (held && !closed) holds.set(task, { until: sentAt + ttl - margin, renewedAt: sentAt });
          else holds.delete(task);
          return held && !closed;
        },
        (error: unknown) => {
          // The database cannot tell: act as if another host held it (the lease lapses by itself).
          opts.onError?.(error);
          holds.delete(task);
          return false;
        },
      )
      .finally(() => asking.delete(task));
    asking.set(task, p);
    return p;
  };

  const timer = setInterval(() => {
    for (const task of [...holds.keys()]) void ask(task);
  }, ttl / 3);
  timer.unref();

  return {
    hostId,
    async mayRun(task) {
      if (closed) return false;
      const hold = holds.get(task);
      const t = now();
      if (hold !== undefined && t - hold.renewedAt < ttl / 3 && t < hold.until) return true;
      return ask(task);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(timer);
      await Promise.allSettled([...asking.values()]);
      const held = [...holds.keys()];
      holds.clear();
      await Promise.allSettled(held.map((task) => opts.leases.release(task, hostId)));
    },
  };
}

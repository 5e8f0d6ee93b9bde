import { PgEventTail } from '../store/postgres/event-tail.ts';
import { PgLeases } from '../store/postgres/leases.store.ts';
import { createPool } from '../store/postgres/pool.ts';
import { leasedBackgroundWork, type BackgroundWork } from './background-work.ts';

/**
 * What a host needs to share a PostgreSQL with other hosts: the event log's tail (every host's
 * commits reach this host's sockets, in each office's id order) and the leases on background
 * work (each task runs on one host at a time). A small pool of its own, so a unit-of-work rush on
 * the main pool never delays a lease renewal past the lease's life.
 */
export interface MultiHost {
  live: PgEventTail;
  background: BackgroundWork & { hostId: string };
  close(): Promise<void>;
}

export async function startMultiHost(url: string, opts: { ttlMs?: number; pollMs?: number; onError?: (error: unknown) => void } = {}): Promise<MultiHost> {
  const pool = createPool(url, { max: 3, applicationName: 'fronta host (tail, leases)' });
  const live = new PgEventTail(pool, { url, ...(opts.pollMs === undefined ? {} : { pollMs: opts.pollMs }), ...(opts.onError === undefined ? {} : { onError: opts.onError }) });
  try {
    await live.start();
  } catch (err) {
    await live.close();
    await pool.end();
    throw err;
  }
  const background = leasedBackgroundWork({
    leases: new PgLeases(pool),
    ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }),
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
  });
  let closed = false;
  return {
    live,
    background,
    async close() {
      if (closed) return;
      closed = true;
      await background.close();
      await live.close();
      await pool.end();
    },
  };
}

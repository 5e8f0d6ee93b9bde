import { PgEventTail } from '../store/postgres/event-tail.ts';
import { PgLeases } from '../store/postgres/leases.store.ts';
import { createPool } from '../store/postgres/pool.ts';
import { PgPrintRelay } from '../store/postgres/print-relay.ts';
import { leasedBackgroundWork, newHostId, type BackgroundWork } from './background-work.ts';

/**
 * What a host needs to share a PostgreSQL with other hosts: the event log's tail (every host's
 * commits reach this host's sockets, in each office's id order) and the leases on background
 * work (each task runs on one host at a time); the print relay (a kiosk's request reaches the host
 * holding its print agent, whichever host took it). A small pool of its own, so a unit-of-work rush on
 * the main pool never delays a lease renewal past the lease's life.
 */
export interface MultiHost {
  live: PgEventTail;
  background: BackgroundWork & { hostId: string };
  relay: PgPrintRelay;
  close(): Promise<void>;
  /** Ends its connections without giving any lease up, as a host that died would: the others take over once the leases lapse (tests of takeovers). */
  crash(): Promise<void>;
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
  const hostId = newHostId();
  const relay = new PgPrintRelay(pool, { url, hostId, ...(opts.onError === undefined ? {} : { onError: opts.onError }) });
  try {
    await relay.start();
  } catch (err) {
    await live.close();
    await relay.close();
    await pool.end();
    throw err;
  }
  const background = leasedBackgroundWork({
    hostId,
    leases: new PgLeases(pool),
    ...(opts.ttlMs === undefined ? {} : { ttlMs: opts.ttlMs }),
    ...(opts.onError === undefined ? {} : { onError: opts.onError }),
  });
  let closed = false;
  return {
    live,
    background,
    relay,
    async close() {
      if (closed) return;
      closed = true;
      await background.close();
      await relay.close();
      await live.close();
      await pool.end();
    },
    async crash() {
      if (closed) return;
      closed = true;
      await relay.close();
      await live.close();
      // The keeper's renewals now fail: it stops believing it holds anything, and the rows lapse.
      await pool.end();
    },
  };
}

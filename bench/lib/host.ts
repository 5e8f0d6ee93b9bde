import { performance } from 'node:perf_hooks';
import Fastify, { type FastifyInstance } from 'fastify';
import type { GroupCommitUnitOfWork } from '../../store/unit-of-work.ts';
import { startTestHost, type TestHost } from '../../test/helpers/harness.ts';
import { testOffice } from '../../test/helpers/office.ts';

/**
 * A whole Fronta host listening on 127.0.0.1 (ephemeral port), wired by the test harness:
 * SQLite file in a temp folder (WAL, synchronous=FULL), group-commit unit of work, real
 * Fastify app with auth, socket.io attached. Its FakeClock stands at Monday 09:00 Prague,
 * inside opening hours. Walk-in capacity is effectively unlimited so a long run never hits
 * CAPACITY_EXHAUSTED.
 */
export interface ListeningHost {
  host: TestHost;
  url: string;
  close(): Promise<void>;
}

export async function startListeningHost(): Promise<ListeningHost> {
  // The checkpointer thread as in production (host/host.ts): the WAL is copied off the request thread.
  const host = await startTestHost({ config: testOffice({ capacity: 1_000_000_000 }), checkpointer: true });
  const sync = host.db.pragma('synchronous', { simple: true });
  if (sync !== 2) throw new Error(`host database is not synchronous=FULL (got ${String(sync)}): durability weakened`);
  await host.app.listen({ host: '127.0.0.1', port: 0 });
  const address = host.app.server.address();
  if (address === null || typeof address === 'string') throw new Error('host did not bind a TCP port');
  return { host, url: `http://127.0.0.1:${address.port}`, close: () => host.close() };
}

/** The baseline: a bare Fastify POST route parsing the same JSON body, nothing else (and a health GET). */
export async function startBareServer(path: string): Promise<{ url: string; close(): Promise<void> }> {
  const app: FastifyInstance = Fastify({ logger: false });
  app.post(path, async (req, reply) => {
    void reply.status(201);
    return { serviceId: (req.body as { serviceId?: unknown }).serviceId ?? null };
  });
  // What a health probe would get from a server doing nothing but answer the same burst.
  app.get('/api/health', async () => ({ status: 'ok' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (address === null || typeof address === 'string') throw new Error('bare server did not bind a TCP port');
  return { url: `http://127.0.0.1:${address.port}`, close: () => app.close() };
}

/**
 * Diagnostics only (stderr): how many units each group commit carried and how long each flush
 * held the event loop. Wraps the instance's `flush` (the unit of work schedules
 * `this.flush()`, so an own property takes precedence); reads the private pending queue's
 * length defensively and reports NaN if its shape changes.
 */
export interface GroupCommitStats {
  groups: number;
  units: number;
  flushMs: number;
  maxGroup: number;
}

export function instrumentGroupCommit(queue: Pick<GroupCommitUnitOfWork, 'flush'>): GroupCommitStats {
  const stats: GroupCommitStats = { groups: 0, units: 0, flushMs: 0, maxGroup: 0 };
  const original = queue.flush.bind(queue);
  queue.flush = () => {
    const pending = (queue as unknown as { queue?: unknown }).queue;
    const n = Array.isArray(pending) ? pending.length : NaN;
    const t0 = performance.now();
    // The SQLite ports answer at once: the flush's promise settles within this turn of the loop.
    return original().then(() => {
      stats.flushMs += performance.now() - t0;
      if (n > 0) {
        stats.groups++;
        stats.units += n;
        stats.maxGroup = Math.max(stats.maxGroup, n);
      }
    });
  };
  return stats;
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.ts';

/**
 * Checkpoints the WAL from a thread of its own. SQLite's automatic checkpoint runs inside the
 * COMMIT that crosses its threshold: copying a thousand pages into the database file and
 * fsyncing it, on the one thread that also parses requests — about a tenth of a busy host's
 * time. A PASSIVE checkpoint from another connection runs beside the writer without blocking
 * it, so this thread does that work on the other core instead.
 *
 * Durability does not depend on it: every commit is already durable in the WAL
 * (synchronous=FULL); a checkpoint only copies committed pages into the main file. If the
 * thread dies, the writer's own automatic checkpoint, raised to SAFETY_NET_PAGES, still keeps
 * the WAL bounded.
 */

/** The writer's own automatic checkpoint while this runs (4 KiB pages: 32 MiB of WAL). */
const SAFETY_NET_PAGES = 8_000;
/** SQLite's default, restored when the checkpointer stops. */
const DEFAULT_AUTOCHECKPOINT = 1_000;

// Plain CommonJS for an eval worker: no loader needed, whatever runs the host (tsx, node).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
const checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const run = () => {
  try {
    checkpoint.get();
  } catch (error) {
    parentPort.postMessage({ error: String(error) });
  }
};
const timer = setInterval(run, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message !== 'stop') return;
  clearInterval(timer);
  run();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  /** Stops the thread after a last checkpoint, and gives the writer its automatic checkpoint back. */
  stop(): Promise<void>;
}

export function startCheckpointer(db: Db, file: string, opts: { everyMs?: number; onError?: (message: string) => void } = {}): Checkpointer {
  db.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver, everyMs: opts.everyMs ?? 200 } });
  // A host that is shutting down does not wait for this thread's timer.
  worker.unref();
  worker.on('message', (m: { error?: string }) => {
    if (m.error !== undefined) opts.onError?.(m.error);
  });
  worker.on('error', (e) => opts.onError?.(String(e)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let stopping: Promise<void> | null = null;
  return {
    stop() {
      stopping ??= (async () => {
        // Held again while it finishes: an unreferenced worker lets the process exit mid-await.
        worker.ref();
        worker.postMessage('stop');
        await exited;
        if (db.open) db.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
      })();
      return stopping;
    },
  };
}

import type { Clock, Ids, QueueRuntime } from '../core/queue/ports.ts';
import { voidStalePrints } from '../core/queue/print-ticket.ts';
import { PRINT_ACK_TIMEOUT_MS, PRINT_HOLD_MS } from '../server/issue-and-print.ts';

/**
 * How long a ticket may stay `printing` before it is taken for abandoned: the host printing it
 * waits for the agent's acknowledgement (the hold, then the job, possibly relayed through another
 * host) and settles it at once; the margin covers a slow commit and clocks of hosts a little apart.
 */
export const STALE_PRINT_AFTER_MS = PRINT_HOLD_MS + PRINT_ACK_TIMEOUT_MS + 10_000;

/** How often the pass looks for abandoned prints (ms): a dead host's ticket is settled within this after it became stale. */
export const STALE_PRINT_PASS_MS = 30_000;

export interface StalePrintSweep {
  /** One pass over every office, when this host may run it; how many tickets it voided. */
  pass(): Promise<number>;
  stop(): Promise<void>;
}

export interface StalePrintDeps {
  queue: QueueRuntime;
  clock: Clock;
  ids: Ids;
  /** Whether this host runs the pass now (the lease among several hosts; always on SQLite). */
  mayRun: () => Promise<boolean>;
  onError: (error: unknown) => void;
  staleAfterMs?: number;
  intervalMs?: number;
}

/**
 * Voids tickets left `printing` by a host that stopped or died, every `intervalMs`: among several
 * hosts on one database the host that printed a ticket may be gone for good, so waiting for its
 * restart is not enough; a ticket younger than the stale age is another live host's business.
 */
export function startStalePrintSweep(deps: StalePrintDeps): StalePrintSweep {
  const staleAfterMs = deps.staleAfterMs ?? STALE_PRINT_AFTER_MS;
  let running: Promise<number> | null = null;
  const pass = (): Promise<number> => {
    running ??= (async () => {
      if (!(await deps.mayRun())) return 0;
      let voided = 0;
      for (const office of await deps.queue.read((s) => s.listOffices())) {
        const r = await deps.queue.run((store) => voidStalePrints({ store, clock: deps.clock, ids: deps.ids }, office.id, staleAfterMs));
        if (r.ok) voided += r.value.length;
      }
      return voided;
    })().finally(() => (running = null));
    return running;
  };
  const timer = setInterval(() => {
    pass().catch(deps.onError);
  }, deps.intervalMs ?? STALE_PRINT_PASS_MS);
  timer.unref();
  return {
    pass,
    async stop() {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}

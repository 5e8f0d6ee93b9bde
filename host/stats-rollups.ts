import type { Clock } from '../core/queue/ports.ts';
import type { StatsStore } from '../core/stats/ports.ts';
import { closeMissingDays } from '../core/stats/report.ts';
import { addDays } from '../core/booking/release.ts';
import { localTime } from '../core/shared/office-time.ts';

/** How often the host looks for office days that are over and not rolled up yet. */
const EVERY_MS = 10 * 60_000;
/** How far back a start catches up (older days are rolled up when a report first asks for them). */
const CATCH_UP_DAYS = 7;

/**
 * Keeps the daily statistics rollups current: shortly after an office's midnight the day just
 * over is folded from the event log and stored, so reports read rollups, not the log.
 */
export function startStatsRollups(
  stats: StatsStore,
  offices: () => Promise<readonly { id: string; timeZone: string }[]>,
  clock: Clock,
  onError: (error: unknown) => void,
  /** Several hosts: only the lease holder rolls up (default: always). */
  mayRun: () => Promise<boolean> = () => Promise.resolve(true),
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = (): void => {
    running = running.then(async () => {
      if (!(await mayRun())) return;
      const now = clock.now();
      for (const office of await offices()) {
        const today = localTime(office.timeZone, now).date;
        await closeMissingDays(stats, office, addDays(today, -CATCH_UP_DAYS), addDays(today, -1), now);
      }
    }).catch(onError);
  };
  tick();
  const timer = setInterval(tick, EVERY_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

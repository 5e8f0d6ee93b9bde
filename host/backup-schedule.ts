import type { FastifyBaseLogger } from 'fastify';
import { backupDatabase, pruneBackups } from './backup.ts';

export interface NightlyBackups {
  /** Folder of the backups (`--backup-dir`, FRONTA_BACKUP_DIR; default `<data>/backups`). */
  dir: string;
  /** Backups older than this are deleted after each night's (the newest is always kept). */
  keepDays: number;
  /** Local time of day, `HH:MM`, when the lobby is closed. */
  at: string;
}

/** Milliseconds from `now` to the next local `HH:MM` (tomorrow's when today's has passed). */
export function msUntil(at: string, now: Date): number {
  const [h, m] = at.split(':').map(Number);
  const next = new Date(now);
  next.setHours(h!, m, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

/**
 * Takes a backup every night and prunes the old ones. Wall-clock time of the machine on purpose
 * (not the host's clock, which tests move): backups follow the machine's night. A failed backup is
 * logged and tried again the next night; the host keeps serving.
 */
export function scheduleNightlyBackups(dataDir: string, plan: NightlyBackups, log: FastifyBaseLogger): () => void {
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    timer = setTimeout(() => {
      void backupDatabase(dataDir, plan.dir, Date.now())
        .then((r) => {
          const removed = pruneBackups(plan.dir, plan.keepDays, Date.now());
          log.info({ file: r.file, bytes: r.bytes, ms: r.ms, removed: removed.length }, 'nightly backup taken');
        })
        .catch((err: unknown) => log.error({ err }, 'nightly backup failed'))
        .finally(arm);
    }, msUntil(plan.at, new Date()));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

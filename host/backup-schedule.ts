import { existsSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackupsAdmin } from '../server/deps.ts';
import { backupDatabase, pruneBackups } from './backup.ts';

export interface NightlyBackups {
  /** Folder of the backups (`--backup-dir`, FRONTA_BACKUP_DIR; default `<data>/backups`). */
  dir: string;
  /** Backups older than this are deleted after each night's (the newest is always kept). */
  keepDays: number;
  /** Local time of day, `HH:MM`, when the lobby is closed. */
  at: string;
}

/** What an admin sets in the back office (kept beside the database, so it travels with the data folder). */
export type BackupPlan = Pick<NightlyBackups, 'keepDays' | 'at'>;

const SETTINGS_FILE = 'backup-settings.json';

/** Milliseconds from `now` to the next local `HH:MM` (tomorrow's when today's has passed). */
export function msUntil(at: string, now: Date): number {
  const [h, m] = at.split(':').map(Number);
  const next = new Date(now);
  next.setHours(h!, m, 0, 0);
  if (next.getTime() <= now.getTime()) next.setDate(next.getDate() + 1);
  return next.getTime() - now.getTime();
}

export interface BackupLog {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** The machine's clock and timers; tests give their own. */
export interface BackupTimers {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const machineTimers: BackupTimers = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** The plan in force: the back office's where an admin set one, else the host's flags and environment. */
export function readBackupPlan(dataDir: string, defaults: NightlyBackups): NightlyBackups {
  const file = join(dataDir, SETTINGS_FILE);
  if (!existsSync(file)) return defaults;
  try {
    const saved = JSON.parse(readFileSync(file, 'utf8')) as Partial<BackupPlan>;
    const keepDays = Number.isInteger(saved.keepDays) && saved.keepDays! >= 1 ? saved.keepDays! : defaults.keepDays;
    const at = typeof saved.at === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(saved.at) ? saved.at : defaults.at;
    return { ...defaults, keepDays, at };
  } catch {
    // A damaged file must not stop the backups: the host's own settings hold.
    return defaults;
  }
}

/** Saved whole or not at all (written aside, then renamed). */
export function writeBackupPlan(dataDir: string, plan: BackupPlan): void {
  const file = join(dataDir, SETTINGS_FILE);
  writeFileSync(`${file}.tmp`, `${JSON.stringify({ keepDays: plan.keepDays, at: plan.at }, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
}

/**
 * Takes a backup every night and prunes the old ones. The machine's wall-clock time on purpose
 * (not the host's clock, which tests move): backups follow the machine's night. The plan is read
 * again each time the next backup is armed, and at once when an admin changes it. A failed backup
 * is logged and tried again the next night; the host keeps serving.
 */
export class NightlyBackupScheduler implements BackupsAdmin {
  private timer: unknown;
  private isRunning = false;
  /** The backup under way, if any (tests wait for it). */
  running: Promise<void> = Promise.resolve();

  constructor(
    private readonly dataDir: string,
    private readonly defaults: NightlyBackups,
    private readonly log: BackupLog,
    private readonly timers: BackupTimers = machineTimers,
  ) {}

  start(): this {
    this.isRunning = true;
    this.arm();
    return this;
  }

  stop(): void {
    this.isRunning = false;
    this.timers.clearTimeout(this.timer);
  }

  plan(): NightlyBackups {
    return readBackupPlan(this.dataDir, this.defaults);
  }

  save(plan: BackupPlan): NightlyBackups {
    writeBackupPlan(this.dataDir, plan);
    this.arm();
    return this.plan();
  }

  /** The backups in the folder, newest first. */
  list(): { name: string; bytes: number; at: number }[] {
    const dir = this.plan().dir;
    if (!existsSync(dir)) return [];
    return readdirSync(dir)
      .filter((n) => /^fronta-\d{8}T\d{6}Z\.db$/.test(n))
      .map((name) => {
        const s = statSync(join(dir, name));
        return { name, bytes: s.size, at: Math.round(s.mtimeMs) };
      })
      .sort((a, b) => b.name.localeCompare(a.name));
  }

  private arm(): void {
    this.timers.clearTimeout(this.timer);
    if (!this.isRunning) return;
    const plan = this.plan();
    this.timer = this.timers.setTimeout(() => {
      this.running = this.takeOne(plan).finally(() => this.arm());
    }, msUntil(plan.at, new Date(this.timers.now())));
  }

  private async takeOne(plan: NightlyBackups): Promise<void> {
    try {
      const r = await backupDatabase(this.dataDir, plan.dir, this.timers.now());
      const removed = pruneBackups(plan.dir, plan.keepDays, this.timers.now());
      this.log.info({ file: r.file, bytes: r.bytes, ms: r.ms, removed: removed.length }, 'nightly backup taken');
    } catch (err: unknown) {
      this.log.error({ err }, 'nightly backup failed');
    }
  }
}

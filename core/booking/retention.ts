import type { BookingStore } from './ports.ts';
import { localTime } from '../shared/office-time.ts';
import type { Clock, QueueStore } from '../queue/ports.ts';
import { addDays, zonedInstant } from './release.ts';

/**
 * The retention purge the privacy notice promises: once a booking's day is more than the office's
 * `retentionDays` in the past, every personal field of it goes (name, sealed contacts, contact
 * and identity hashes, its secrets, its messages' bodies); what statistics need stays (service,
 * day, state, times), and so does the public status by booking number (state and time). A staff
 * ban goes once it has been over for the period. Outcomes stay: a `requires` eligibility rule
 * counts from them however old they are (an office's registry of passed exams).
 */

export const DEFAULT_RETENTION_DAYS = 30;
/** The public status page must keep working for at least this many days (Bihor: 10). */
export const MIN_RETENTION_DAYS = 10;

export interface PurgeCutoff {
  officeId: string;
  /** Bookings and applications of office days before this one are purged. */
  beforeDay: string;
  /** The start of `beforeDay` in office time: messages and rule decisions older than this are purged. */
  beforeInstant: number;
  /**
   * A no-show of a purged booking keeps its hashes while the ban it causes lasts (the office's
   * no-show period may outlast retention): recorded at or before this instant, they go.
   */
  noShowsUntil: number;
}

export interface PurgeCounts {
  bookings: number;
  applications: number;
  messages: number;
  /** Staff bans over for the whole period, deleted. */
  bans: number;
}

export interface RetentionStore {
  /** The office's setting; DEFAULT_RETENTION_DAYS when it never set one. */
  retentionDays(officeId: string): Promise<number>;
  /** Sets the office's period (the caller checks it is at least MIN_RETENTION_DAYS; the table refuses less). */
  setRetentionDays(officeId: string, days: number): Promise<void>;
  /** Clears personal data older than the cutoff, at most `limit` bookings per call (the rest next time). */
  purge(cutoff: PurgeCutoff, now: number, limit: number): Promise<PurgeCounts>;
}

export interface RetentionDeps {
  store: QueueStore;
  bookings: Pick<BookingStore, 'officeSettings'>;
  retention: RetentionStore;
  clock: Clock;
}

const DAY_MS = 86_400_000;

/** Where the purge cuts for one office at `now`. */
export async function purgeCutoff(deps: RetentionDeps, officeId: string, timeZone: string, now: number): Promise<PurgeCutoff> {
  const days = Math.max(MIN_RETENTION_DAYS, await deps.retention.retentionDays(officeId));
  const beforeDay = addDays(localTime(timeZone, now).date, -days);
  const beforeInstant = zonedInstant(timeZone, beforeDay, 0);
  const banDays = (await deps.bookings.officeSettings(officeId)).rules.noShowBanDays;
  return { officeId, beforeDay, beforeInstant, noShowsUntil: now - banDays * DAY_MS };
}

/** The job (the host runs it every hour): purges every office; returns what it purged per office. */
export async function purgePersonalData(deps: RetentionDeps, limit = 5000): Promise<(PurgeCounts & { officeId: string; })[]> {
  const now = deps.clock.now();
  const out: (PurgeCounts & { officeId: string })[] = [];
  for (const office of await deps.store.listOffices()) {
    const counts = await deps.retention.purge(await purgeCutoff(deps, office.id, office.timeZone, now), now, limit);
    if (counts.bookings + counts.applications + counts.messages + counts.bans > 0) out.push({ officeId: office.id, ...counts });
  }
  return out;
}

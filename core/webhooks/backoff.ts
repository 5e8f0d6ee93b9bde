import type { AttemptOutcome } from './ports.ts';

/** How long a finished delivery (its body: an admin's extra fields may name someone) and its attempts are kept. */
export const KEEP_FINISHED_MS = 30 * 24 * 3600_000;

/** How long a delivery is retried before it is given up (and its subscription paused). */
export const RETRY_FOR_MS = 24 * 3600_000;
const FIRST_DELAY_MS = 10_000;
const LONGEST_DELAY_MS = 3600_000;

/**
 * The wait before attempt `attempts + 1`, after `attempts` failures: 10 s, 20 s, 40 s … capped at
 * an hour, each drawn between half and all of that (`random` in [0, 1)), so receivers that
 * come back together are not hit by every host's retries in the same second.
 */
export function retryDelayMs(attempts: number, random: number): number {
  const ceiling = Math.min(LONGEST_DELAY_MS, FIRST_DELAY_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

/**
 * After an attempt: delivered on a 2xx answer; else another try, the last one no later than a day
 * after the delivery began; a failure at or after that day gives it up.
 */
export function outcomeOf(input: { isOk: boolean; attempts: number; createdAt: number; now: number; random: number }): AttemptOutcome {
  if (input.isOk) return { state: 'delivered' };
  const deadline = input.createdAt + RETRY_FOR_MS;
  if (input.now >= deadline) return { state: 'failed' };
  return { state: 'pending', nextAttemptAt: Math.min(deadline, input.now + retryDelayMs(input.attempts + 1, input.random)) };
}

import type { z } from 'zod';
import type { BookingSettingsResponse } from '../../contracts/booking-settings.ts';
import type { AlertViewT } from '../../contracts/alerts.ts';
import type { FloorSnapshotT } from '../../contracts/screens.ts';
import type { Lang } from '../shared/i18n.ts';
import type { MeT } from '../shared/login.ts';
import { Actions, type FieldError } from '../shared/ui.ts';

/**
 * The floor view's state. The host is the truth: any event makes the page re-read the floor (at
 * most a few times a second).
 */

export type BookingSettings = z.infer<typeof BookingSettingsResponse>;

export const state = {
  me: null as MeT | null,
  floor: null as FloorSnapshotT | null,
  /** The office's alerts (re-read with the floor after each event). */
  alerts: [] as AlertViewT[],
  message: '',
  /** The office's online-booking switches; null where the host offers no online booking. */
  booking: null as BookingSettings | null,
  /** The crisis form: the message to the public, one per office language, and what is missing. */
  crisis: { messages: {} as Partial<Record<Lang, string>>, errors: [] as FieldError[] },
};

export const page = { update: (): void => undefined };

export const running = new Actions(() => page.update());

export const minutesSince = (at: number): number => Math.max(0, Math.floor((Date.now() - at) / 60_000));

export function fail(e: unknown): void {
  state.message = e instanceof Error ? e.message : String(e);
  page.update();
}

/** The crisis form starts from the message the public saw last, in each language. */
export function resetCrisisForm(): void {
  state.crisis = { messages: { ...(state.booking?.suspendedMessage ?? {}) }, errors: [] };
}

import type { z } from 'zod';
import type { ServicesResponse } from '../../contracts/api.ts';
import type { KioskInfoResponseT, PrinterInfoT } from '../../contracts/kiosk.ts';
import type { Actions } from '../shared/ui.ts';
import type { LiveConnection } from '../shared/live.ts';
import type { PairingState } from '../shared/pairing.ts';
import { currentLang, isLang, LANGS, type Lang } from '../shared/i18n.ts';

/** The kiosk's state: what the host said, and which screen the passer-by is on. */

export type Service = z.infer<typeof ServicesResponse>['services'][number];

/** A refusal of the host, kept by code so that it can follow a change of language. */
export interface KioskError {
  code: string;
  message: string;
}

export type Screen =
  | { kind: 'home' }
  | { kind: 'priority' }
  | { kind: 'services'; categoryId: string | null }
  | { kind: 'booking'; code: string; error: KioskError | null; offerWalkIn: boolean }
  | { kind: 'printing' }
  | { kind: 'issued'; number: string; serviceId: string; categoryId: string | null; ahead: number; estimatedWaitMin: number | null; bookedTime: string | null }
  | { kind: 'failed'; error: KioskError }
  | SettingsScreen;

/** The kiosk's local settings: a staff sign-in first (`unlockedBy` null), then the settings. */
export interface SettingsScreen {
  kind: 'settings';
  username: string;
  password: string;
  error: string;
  /** Display name of the staff member who unlocked them; null while locked. */
  unlockedBy: string | null;
}

export interface KioskState {
  info: KioskInfoResponseT | null;
  services: Service[];
  departments: { id: string; name: string }[];
  /** The office's screen logo as a data: URL (shared/logo.ts), null when it has none. */
  logo: string | null;
  screen: Screen;
  /** Large text, high contrast and speech, until the idle reset. */
  isAccessible: boolean;
  /** Shown instead of the kiosk while this browser is not paired. */
  pairing: PairingState | null;
  /** The host cannot save: its disk is full (STORAGE_FULL) or its database out of reach (DATABASE_UNAVAILABLE). Out of order until it can again. */
  isHostUnable: boolean;
}

/** The running kiosk: its state and the parts every module acts through. */
export interface Kiosk {
  state: KioskState;
  update: () => void;
  actions: Actions;
  live: LiveConnection;
  timers: { idle?: number; screen?: number; reload?: number; hold?: number; hostBack?: number };
}

export const BOOKING_CODE_LENGTH = 8;
/** Back to the first screen (and the office's language) after this long without a touch. */
export const IDLE_MS = 30_000;
/** How long the issued (or failed) screen stays before the next client's first screen. */
export const RESULT_SHOW_MS = 12_000;
/** How long a kiosk stays out of order after the host's disk was full, before the next client may try again. */
export const STORAGE_RETRY_MS = 30_000;
/** How often a kiosk out of order for a lost database asks the host again. */
export const DATABASE_RETRY_MS = 5_000;

export const newState = (): KioskState => ({ info: null, services: [], departments: [], logo: null, screen: { kind: 'home' }, isAccessible: false, pairing: null, isHostUnable: false });

export function defaultLang(s: KioskState): Lang {
  const first = s.info?.office.languages[0];
  return isLang(first) ? first : 'en';
}

export const officeLangs = (s: KioskState): Lang[] => (s.info?.office.languages ?? [...LANGS]).filter(isLang);

export const printer = (s: KioskState): PrinterInfoT | null => s.info?.printer ?? null;

/** Paper end, cover open, agent gone, the host unable to save: nothing can be issued, whatever screen was on. */
export const isOutOfOrder = (s: KioskState): boolean => printer(s)?.isOutOfOrder === true || s.isHostUnable;

export const serviceName = (s: Service): string => s.names[currentLang()] ?? s.name;

export function categoryName(s: KioskState, categoryId: string | null): string {
  const c = s.info?.office.priorityCategories.find((x) => x.id === categoryId);
  if (c === undefined) return '';
  return c.names[currentLang()] ?? c.names[defaultLang(s)] ?? c.id;
}

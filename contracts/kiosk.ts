import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { PRINTER_STATES } from '../core/queue/printer.ts';
import { SPOKEN_TICKET } from '../core/queue/voice.ts';
import { TicketView } from './api.ts';

/** An event as the pages receive it (re-exported: pages may import contracts/, not core/). */
export type { LoggedEvent } from '../core/shared/events.ts';

/** What a kiosk page (and its Electron shell) asks the host about itself. */

export const PrinterInfo = z.object({
  state: z.enum(PRINTER_STATES),
  isPaperNearEnd: z.boolean(),
  /** True when the kiosk must not issue (paper end, cover open, offline, agent gone…). */
  isOutOfOrder: z.boolean(),
});
export type PrinterInfoT = z.infer<typeof PrinterInfo>;

export const KioskInfoResponse = z.object({
  device: z.object({ id: z.string(), name: z.string(), officeId: z.string(), printer: z.enum(['agent', 'none']) }),
  /** Null for a kiosk without a printer (`printer: 'none'`): it never goes out of order. */
  printer: PrinterInfo.nullable(),
  office: z.object({
    id: z.string(),
    name: z.string(),
    /** Default first. */
    languages: z.array(z.enum(LANGUAGES)),
    priorityCategories: z.array(z.object({ id: z.string(), names: z.record(z.string(), z.string()) })),
  }),
});
export type KioskInfoResponseT = z.infer<typeof KioskInfoResponse>;

export const ReprintBody = z.object({
  /** The kiosk whose printer prints it. */
  deviceId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
});

/** The public status of one ticket (`/t/<id>`): the id is the secret printed in the QR code. */
export const TicketStatusResponse = z.object({
  ticket: TicketView,
  /** Waiting tickets of the same service called before this one, in the call policy's order. */
  ahead: z.number().int(),
  counterNumber: z.string().nullable(),
  /** A booked arrival's booked time, office-local `HH:MM`; null for a walk-in. */
  bookedTime: z.string().nullable(),
  /** The service in the request's language, and in every language for a page that switches. */
  service: z.object({ name: z.string(), names: z.record(z.string(), z.string()) }),
  officeName: z.string(),
  /** The office's id: its address and contact are at `/offices/:officeId/public`. */
  officeId: z.string(),
  /**
   * Minutes until a waiting ticket is called (its place among `ahead`, shared by the open
   * counters serving it); null when not waiting or when nothing can be told (no counter open).
   */
  estimatedWaitMin: z.number().int().nullable(),
  /** Whether the client may rate the visit now (done, within a day, the office asks), and what they gave. */
  rating: z.object({ open: z.boolean(), given: z.number().int().nullable() }),
});
export type TicketStatusResponseT = z.infer<typeof TicketStatusResponse>;

/** Steps the kiosk speaks in accessibility mode: phrases come from locale templates, never free text. */
export const KIOSK_VOICE_STEPS = ['welcome', 'issued', 'booking', 'priority', 'outOfOrder', 'failed'] as const;
export type KioskVoiceStep = (typeof KIOSK_VOICE_STEPS)[number];

export const KioskVoiceQuery = z.object({
  lang: z.enum(LANGUAGES),
  step: z.enum(KIOSK_VOICE_STEPS),
  /** For `issued` only: the ticket number spoken. */
  number: z.string().regex(SPOKEN_TICKET).optional(),
});

/**
 * What the Electron shell's preload exposes to the kiosk page (window.frontaKiosk), and nothing
 * more: the device token to pair with on first start (the page turns it into an HttpOnly cookie
 * at once and never stores it), and the shell's version for the diagnostics line.
 */
export interface KioskBridge {
  pairingToken(): Promise<string | null>;
  version: string;
}

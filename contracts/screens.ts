import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { PRINTER_STATES } from '../core/queue/printer.ts';
import { SPOKEN_COUNTER, SPOKEN_TICKET } from '../core/queue/voice.ts';
import { CounterView, IssueTicketBody, TicketView } from './api.ts';
import { ReprintBody } from './kiosk.ts';

/** Events as the pages receive them (browser code imports the wire types from contracts/ only). */
export type { LoggedEvent } from '../core/shared/events.ts';

/**
 * Wire contract of the screens added with the counter terminal, the hall display and the
 * supervisor's floor view. Instants are epoch milliseconds; `day` is the office-local date.
 */

/** The announcement a display asks the host to speak: built from locale templates, never free text. */
export const VoiceQuery = z.object({
  lang: z.enum(LANGUAGES),
  number: z.string().regex(SPOKEN_TICKET),
  counter: z.string().regex(SPOKEN_COUNTER),
  recall: z.enum(['0', '1']).optional(),
});
export type VoiceQueryT = z.infer<typeof VoiceQuery>;

/** Pairing answers with the device the token belongs to; the token itself goes into an HttpOnly cookie. */
export const PairResponse = z.object({
  device: z.object({ id: z.string(), kind: z.enum(['kiosk', 'display']), name: z.string(), officeId: z.string() }),
});

export const ServiceClosedResponse = z.object({ serviceId: z.string(), day: z.string() });

export const OfficeServiceParams = z.object({
  officeId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
  serviceId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/),
});

/**
 * Reception: the clerk at a counter issues a ticket for a client the kiosk cannot serve — shown
 * on screen to be written down, or printed on a kiosk's printer the clerk chooses.
 */
export const ReceptionIssueBody = IssueTicketBody.extend({
  /** One of the office's printing kiosks (`GET /offices/:officeId/printers`); absent: not printed. */
  deviceId: ReprintBody.shape.deviceId.optional(),
  /** The printed ticket's language; the office's first language when absent. */
  language: z.enum(LANGUAGES).optional(),
});

/** A kiosk's printer as staff see it: the same fields as a `printer:changed` event. */
export const KioskPrinter = z.object({
  deviceId: z.string(),
  deviceName: z.string(),
  state: z.enum(PRINTER_STATES),
  isOutOfOrder: z.boolean(),
  isPaperNearEnd: z.boolean(),
  /**
   * Tickets voided after their bytes reached this printer (a client may hold one that is not
   * valid), since the host started. Absent from events recorded before this field.
   */
  voidedInHand: z.number().int().min(0).optional(),
});
export type KioskPrinterT = z.infer<typeof KioskPrinter>;

/** The office's kiosks with a printer and what each printer last reported: the state a page starts from. */
export const KioskPrintersResponse = z.object({ printers: z.array(KioskPrinter) });

export const FloorSnapshot = z.object({
  officeId: z.string(),
  lastEventId: z.number().int(),
  day: z.string(),
  counters: z.array(
    z.object({
      counter: CounterView,
      ticket: TicketView.nullable(),
      clerk: z.object({ id: z.string(), displayName: z.string() }).nullable(),
    }),
  ),
  services: z.array(
    z.object({
      id: z.string(),
      prefix: z.string(),
      name: z.string(),
      waiting: z.number().int(),
      oldestArrivedAt: z.number().nullable(),
      estimatedWaitMin: z.number().nullable(),
      closedForDay: z.boolean(),
    }),
  ),
  /** Kiosks of the office; `printer` is null until the kiosk's print agent reports. */
  kiosks: z.array(z.object({ id: z.string(), name: z.string(), printer: z.string().nullable() })),
});
export type FloorSnapshotT = z.infer<typeof FloorSnapshot>;

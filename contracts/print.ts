import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { PRINTER_STATES } from '../core/queue/printer.ts';
import { TicketLogo } from './office-config.ts';

/**
 * The print agent's socket.io namespace. An agent (the printer driver beside a kiosk) connects
 * to `/agent` with the kiosk's device token, reports its printer's status, and receives print
 * jobs with an acknowledgement callback.
 *
 * The host sends the ticket's *content* (already translated, in the client's language), not
 * ESC/POS bytes: the agent owns its printer profile (code page numbers, paper width, cutter,
 * native QR), so the host needs no knowledge of printer models and a printer swap is a change
 * on the kiosk PC only. The agent encodes and strips control bytes (escpos.encoder.ts).
 */

export const AGENT_NAMESPACE = '/agent';

/** States an agent can report; `no_agent` is the host's own verdict, never reported. */
export const AgentPrinterState = z.enum(PRINTER_STATES.filter((s) => s !== 'no_agent') as [Exclude<(typeof PRINTER_STATES)[number], 'no_agent'>, ...Exclude<(typeof PRINTER_STATES)[number], 'no_agent'>[]]);

export const AgentStatus = z.object({
  state: AgentPrinterState,
  isPaperNearEnd: z.boolean(),
  detail: z.string().max(200).optional(),
});
export type AgentStatusT = z.infer<typeof AgentStatus>;

const text = (max: number) => z.string().max(max);

export const TicketPrintData = z.object({
  officeName: text(200),
  serviceName: text(200),
  number: text(16),
  /** Already formatted in office-local time. */
  issuedAt: text(40),
  /**
   * For a booked arrival only: which booking it is for, already translated and in office time
   * ("Booked 10:30"). Absent for a walk-in (and ignored by an agent older than this field).
   */
  booked: text(120).optional(),
  ahead: z.number().int().min(0),
  /** Whole minutes, null when the office has no estimate. */
  estimatedWaitMin: z.number().int().min(0).nullable(),
  /** The ticket's public status page, encoded in the QR code. */
  statusUrl: text(1000),
  footer: text(400),
  /**
   * The office's ticket template: lines on top (the first bold, in place of `officeName`) and
   * under the QR code (in place of `footer`). Absent from an older host: `officeName` and `footer` are printed.
   */
  headerLines: z.array(text(200)).max(4).optional(),
  footerLines: z.array(text(200)).max(4).optional(),
  labels: z.object({ ahead: text(80), wait: text(80), minutes: text(20), waitUnknown: text(80), scan: text(120) }),
  /** The office's ticket logo (absent: none; ignored by an agent older than this field). */
  logo: TicketLogo.optional(),
});
export type TicketPrintDataT = z.infer<typeof TicketPrintData>;

export const PrintJob = z.object({
  /** Unique per attempt (a reprint is a new job for the same ticket). */
  jobId: z.string().min(1).max(80),
  ticketId: z.string().min(1).max(64),
  language: z.enum(LANGUAGES),
  /**
   * How long the host waits for the acknowledgement. An agent that could only start the job
   * later than about half of this (its printer busy with earlier jobs) refuses it instead:
   * paper printed after the host gave up would be a ticket nobody's queue knows.
   */
  timeoutMs: z.number().int().min(100).max(60_000),
  /**
   * The hold this job fills (`print:hold`): the agent keeps its printer for it from the status read
   * the number was allocated after. Without one (or once the hold lapsed) the job queues as usual.
   */
  holdId: z.string().min(1).max(80).optional(),
  ticket: TicketPrintData,
});
export type PrintJobT = z.infer<typeof PrintJob>;

/**
 * How far a job got: `unsent` = not one byte reached the printer (no paper can exist), `sent` =
 * written but the printer never confirmed it, `printed` = the printer confirmed it (GS r 1): the
 * client may hold paper. Absent from an agent older than this field: treated as `sent`.
 */
export const PrintStage = z.enum(['unsent', 'sent', 'printed']);
export type PrintStageT = z.infer<typeof PrintStage>;

/** `ok` = printed, processed by the printer (GS r 1) and the status read after it is good. */
export const PrintAck = z.object({
  ok: z.boolean(),
  status: AgentStatus,
  error: z.string().max(200).optional(),
  stage: PrintStage.optional(),
});
export type PrintAckT = z.infer<typeof PrintAck>;

/**
 * Before a number is allocated the host asks the agent to read its printer now (DLE EOT) and, if
 * it can print, to keep it for this one job for at most `holdMs` (no other job runs in between);
 * the answer is the status just read. `print:release` gives a hold back unused.
 */
export const PrintHold = z.object({
  holdId: z.string().min(1).max(80),
  holdMs: z.number().int().min(50).max(60_000),
});
export type PrintHoldT = z.infer<typeof PrintHold>;

export const HoldAck = z.object({ ok: z.boolean(), status: AgentStatus });
export type HoldAckT = z.infer<typeof HoldAck>;

export interface AgentToServer {
  'printer:status': (status: AgentStatusT) => void;
}

export interface ServerToAgent {
  'print:job': (job: PrintJobT, ack: (result: PrintAckT) => void) => void;
  'print:hold': (hold: PrintHoldT, ack: (result: HoldAckT) => void) => void;
  'print:release': (holdId: string) => void;
}

export interface AgentAuth {
  /** The kiosk's device token; the kiosk must be configured with `printer: 'agent'`. */
  token: string;
}

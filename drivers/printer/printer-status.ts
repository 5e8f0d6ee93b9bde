/**
 * A printer's status as the driver reports it, and the ESC/POS real-time status protocol it is
 * read with (DLE EOT 1–4, GS r 1): pure, no I/O.
 */

export type PrinterState = 'ok' | 'near_end' | 'paper_end' | 'cover_open' | 'offline' | 'no_answer' | 'disconnected';

export interface PrinterStatus {
  /** The one thing to act on; the flags below say what else is true at the same time. */
  state: PrinterState;
  isOffline: boolean;
  isCoverOpen: boolean;
  isPaperEnd: boolean;
  isPaperNearEnd: boolean;
  /** Cutter jam, unrecoverable or auto-recoverable error (DLE EOT 3). */
  hasError: boolean;
  /** Replies to DLE EOT 1, 2, 3, 4; null when the printer did not answer or the port is gone. */
  raw: readonly [number, number, number, number] | null;
  /** Why the port is closed, for `disconnected`. */
  detail?: string;
}

export type PrinterErrorCode = 'PRINTER_DISCONNECTED' | 'PRINTER_TIMEOUT' | 'PRINTER_PAPER_END' | 'PRINTER_COVER_OPEN' | 'PRINTER_OFFLINE';

export class PrinterError extends Error {
  readonly code: PrinterErrorCode;
  /** The status that made the job fail, when one was read. */
  readonly status: PrinterStatus | null;
  /** True when not one byte of the job was written: no paper can have come out. */
  readonly isUnsent: boolean;
  constructor(code: PrinterErrorCode, message: string, status: PrinterStatus | null = null, isUnsent = false) {
    super(message);
    this.name = 'PrinterError';
    this.code = code;
    this.status = status;
    this.isUnsent = isUnsent;
  }
}

/**
 * The printer kept for one job (SerialPrinter.hold): nothing else is sent to it between the status
 * read the hold began with and this job, so whoever allocates a number after a good read knows
 * that no other job can take the paper or find the printer busy first.
 */
export interface PrinterHold {
  /** The status read when the hold was asked for. */
  readonly status: PrinterStatus;
  /** Prints within the hold; a refused or lapsed hold queues the job like print() does (with `startBy`). */
  print(job: Uint8Array, options?: { startBy?: number }): Promise<void>;
  /** Gives the printer back unused (no-op once a job was given or the hold lapsed). */
  release(): void;
}

export const isGoodState = (state: PrinterState): boolean => state === 'ok' || state === 'near_end';

export const DLE_EOT_ALL = [0x10, 0x04, 1, 0x10, 0x04, 2, 0x10, 0x04, 3, 0x10, 0x04, 4] as const;
/** GS r 1: answered only once everything before it has been processed. */
export const GS_R_1 = [0x1d, 0x72, 0x01];

/** DLE EOT replies have the fixed bits 0xx1xx10; GS r replies have bit 4 clear. */
export const isRealtimeReply = (b: number): boolean => (b & 0x93) === 0x12;
export const isPaperReply = (b: number): boolean => (b & 0x90) === 0x00;

/** Status of a printer we could not ask: the port is closed, or nobody answered. */
export function unknownStatus(state: 'no_answer' | 'disconnected', detail?: string): PrinterStatus {
  const status: PrinterStatus = { state, isOffline: true, isCoverOpen: false, isPaperEnd: false, isPaperNearEnd: false, hasError: false, raw: null };
  if (detail !== undefined) status.detail = detail;
  return status;
}

/** Reads the four DLE EOT replies (n = 1..4), in order. */
export function parseStatusBytes(raw: readonly [number, number, number, number]): PrinterStatus {
  const [printer, offlineCause, errorCause, paper] = raw;
  const isOffline = (printer & 0x08) !== 0;
  const isCoverOpen = (offlineCause & 0x04) !== 0;
  const isPaperEnd = (offlineCause & 0x20) !== 0 || (paper & 0x60) !== 0;
  const isPaperNearEnd = (paper & 0x0c) !== 0;
  const hasError = (offlineCause & 0x40) !== 0 || (errorCause & 0x2c) !== 0;
  const state: PrinterState = isCoverOpen
    ? 'cover_open'
    : isPaperEnd
      ? 'paper_end'
      : isOffline || hasError
        ? 'offline'
        : isPaperNearEnd
          ? 'near_end'
          : 'ok';
  return { state, isOffline, isCoverOpen, isPaperEnd, isPaperNearEnd, hasError, raw };
}

/** Transmit time of `bytes` at `baudRate` with 8N1 framing (10 bits per byte), ms. */
export function transmitMs(bytes: number, baudRate: number): number {
  return Math.ceil((bytes * 10 * 1000) / baudRate);
}

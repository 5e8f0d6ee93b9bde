import type { ErrorCode } from '../shared/errors.ts';

/**
 * A kiosk printer's condition as the host knows it. The first seven are what the printer (or its
 * serial line) says — `no_answer` = the line is there but the printer stays silent, `disconnected`
 * = the serial port is gone; `no_agent` = the kiosk's print agent is not connected to the host.
 */
export const PRINTER_STATES = ['ok', 'near_end', 'paper_end', 'cover_open', 'offline', 'no_answer', 'disconnected', 'no_agent'] as const;
export type PrinterState = (typeof PRINTER_STATES)[number];

/** Paper near end still prints: a warning for staff, not a reason to stop the kiosk. */
export const canPrint = (state: PrinterState): boolean => state === 'ok' || state === 'near_end';

/** Why a kiosk refuses to issue, as the client is told; null when the printer can print. */
export function printerRefusal(state: PrinterState): ErrorCode | null {
  switch (state) {
    case 'ok':
    case 'near_end':
      return null;
    case 'paper_end':
      return 'PRINTER_OUT_OF_PAPER';
    case 'cover_open':
      return 'PRINTER_COVER_OPEN';
    case 'offline':
    case 'no_answer':
    case 'disconnected':
    case 'no_agent':
      return 'PRINTER_OUT_OF_ORDER';
    default: {
      const unknown: never = state;
      throw new Error(`unhandled printer state ${String(unknown)}`);
    }
  }
}

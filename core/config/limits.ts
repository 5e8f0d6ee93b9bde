/**
 * Bounds of an office's configuration, shared by the API's schemas, the office file and the
 * back-office forms (contracts/office-config.ts imports them), and by the checks in core/config/.
 */

/**
 * The ticket logo is sent to the printer with every ticket, before its acknowledgement (6 s, see
 * server/issue-and-print.ts). At 9600 baud a serial line moves about 960 bytes a second, so a
 * raster logo of this many bytes costs about 1.1 s of that time (measured in
 * drivers/printer/ticket-logo.test.ts with the virtual printer), leaving the rest for the ticket.
 * A bigger logo belongs in the printer's own memory (`stored`).
 */
export const TICKET_LOGO_MAX_BYTES = 1024;
/** 80 mm paper at 203 dpi: 576 dots; 58 mm paper: 384. */
export const TICKET_LOGO_MAX_WIDTH_DOTS = 576;
export const TICKET_LOGO_MAX_HEIGHT_DOTS = 255;
/** A logo for screens (kiosk, display, portal), as a data file. */
export const SCREEN_LOGO_MAX_BYTES = 64 * 1024;

export const MAX_DEPARTMENTS = 50;
export const MAX_SERVICES = 200;
export const MAX_COUNTERS = 200;
export const MAX_PRIORITY_CATEGORIES = 12;
/** Closed days and changed days kept in the calendar, together. */
export const MAX_CALENDAR_DAYS = 1000;
export const MAX_BREAKS_PER_DAY = 6;

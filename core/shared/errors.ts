/**
 * The error catalogue: every coded answer the host can give, with its HTTP status.
 * Codes are stable (clients switch on them); messages live in locales/<lang>.json under
 * `errors.<CODE>` and a test checks each code is translated in every language.
 */
export const ERRORS = {
  // edge / transport
  VALIDATION_FAILED: 400,
  BODY_INVALID_JSON: 400,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  /** The database's disk is full: writes are refused until space returns (reads go on); the host needs no restart. */
  STORAGE_FULL: 503,
  /** The database server cannot be reached (down, restarting, cut off): nothing was saved; the host reconnects by itself. */
  DATABASE_UNAVAILABLE: 503,
  // auth
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  /** A cookie-authenticated change whose Origin (or Referer) is neither this host nor an allowed origin. */
  ORIGIN_REFUSED: 403,
  // configuration lookups
  OFFICE_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  COUNTER_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  PRIORITY_CATEGORY_UNKNOWN: 400,
  USERNAME_TAKEN: 409,
  // office configuration (back office, office file)
  CONFIG_HOURS_INVALID: 400,
  CONFIG_BREAK_OUTSIDE: 400,
  CONFIG_BREAKS_OVERLAP: 400,
  CONFIG_SERVICE_HOURS_OUTSIDE: 400,
  CONFIG_DAY_TWICE: 400,
  CONFIG_UNKNOWN_REFERENCE: 400,
  CONFIG_ID_TWICE: 400,
  CONFIG_PREFIX_TAKEN: 409,
  CONFIG_COUNTER_NUMBER_TAKEN: 409,
  CONFIG_VOICE_LANGUAGE: 400,
  CONFIG_RANGE_INVALID: 400,
  CONFIG_SERVICE_IN_USE: 409,
  CONFIG_COUNTER_BUSY: 409,
  CONFIG_DEPARTMENT_IN_USE: 409,
  CONFIG_COUNTER_ONLY_SERVICE: 409,
  CONFIG_CHANGE_NOT_FOUND: 404,
  DEPARTMENT_NOT_FOUND: 404,
  /** Disabling or demoting the last enabled admin of an office: nobody could manage it any more. */
  LAST_ADMIN: 409,
  OFFICE_EXISTS: 409,
  // outgoing webhooks
  WEBHOOK_URL_INVALID: 400,
  WEBHOOK_HTTPS_REQUIRED: 400,
  /** A private, loopback, link-local or unique-local target the subscription's admin did not allow. */
  WEBHOOK_TARGET_PRIVATE: 400,
  WEBHOOK_NOT_FOUND: 404,
  /** The user signed in with a password somebody else saw (generated, reset): they change it first. */
  PASSWORD_CHANGE_REQUIRED: 403,
  /** Changing one's own password: the current one given is not theirs. */
  PASSWORD_WRONG: 400,
  // queue
  OFFICE_CLOSED: 409,
  SERVICE_CLOSED: 409,
  CAPACITY_EXHAUSTED: 409,
  QUEUE_EMPTY: 409,
  COUNTER_NOT_ASSIGNED: 403,
  COUNTER_PAUSED: 409,
  COUNTER_BUSY: 409,
  COUNTER_NOT_SERVING: 409,
  COUNTER_DOES_NOT_SERVE: 409,
  TICKET_STATE_INVALID: 409,
  TICKET_NOT_AT_COUNTER: 409,
  TRANSFER_SAME_SERVICE: 409,
  /** Calling a chosen ticket out of turn needs the clerk's reason. */
  CALL_REASON_REQUIRED: 400,
  // statistics
  /** `from`/`to` not days, `to` before `from`, or a range longer than the report covers. */
  STATS_RANGE_INVALID: 400,
  /** A day is rolled up only once it is over (today's figures come from the events as they are). */
  STATS_DAY_NOT_OVER: 409,
  /** The visit is not done, was done more than a day ago, or the office does not ask for ratings. */
  RATING_NOT_OPEN: 409,
  // kiosk printer (the print agent of a kiosk device)
  PRINTER_OUT_OF_PAPER: 409,
  PRINTER_COVER_OPEN: 409,
  PRINTER_OUT_OF_ORDER: 409,
  PRINT_FAILED: 409,
  /** The ticket's bytes reached the printer but it was voided: paper the client may hold is not valid. */
  PRINT_VOIDED_IN_HAND: 409,
  /** Staff chose a device to print on (reception, reprint) that is not a kiosk with a printer. */
  KIOSK_WITHOUT_PRINTER: 400,
  // online booking
  BOOKING_SUSPENDED: 409,
  BOOKING_NOT_OFFERED: 404,
  BOOKING_BY_DRAW: 409,
  BOOKING_BY_FCFS: 409,
  DAY_NOT_RELEASED: 409,
  DAY_NOT_OFFERED: 409,
  DAY_CLOSED: 409,
  DAY_TOO_SOON: 409,
  DAY_BEYOND_HORIZON: 409,
  DAY_SOLD_OUT: 409,
  SLOT_NOT_FOUND: 404,
  SLOT_OUTSIDE_HOURS: 409,
  SLOT_TAKEN: 409,
  CONTACT_REQUIRED: 400,
  CONTACT_INVALID: 400,
  CONFIRM_CHANNEL_UNAVAILABLE: 400,
  HOLD_NOT_FOUND: 404,
  HOLD_EXPIRED: 410,
  HOLD_ALREADY_EXTENDED: 409,
  HOLD_NOT_HELD: 409,
  TOKEN_INVALID: 404,
  TOKEN_USED: 410,
  TOKEN_EXPIRED: 410,
  CODE_WRONG: 400,
  CODE_EXPIRED: 410,
  CODE_LOCKED: 429,
  CODE_RESEND_TOO_SOON: 429,
  BOOKING_NOT_FOUND: 404,
  BOOKING_ALREADY_CANCELLED: 409,
  BOOKING_NOT_PAID: 409,
  BOOKING_NOT_CANCELLABLE: 409,
  BOOKING_NOT_CHANGEABLE: 409,
  FEE_NOT_REQUIRED: 409,
  FEE_ORDER_NOT_FOUND: 404,
  FEE_ORDER_BUSY: 409,
  FEE_NOT_PAYABLE: 409,
  FEE_DEADLINE_PASSED: 410,
  FEE_PROVIDER_UNAVAILABLE: 409,
  FEE_WEBHOOK_INVALID: 400,
  DRAW_NOT_OPEN: 409,
  DRAW_WINDOW_CLOSED: 409,
  DRAW_ALREADY_APPLIED: 409,
  DRAW_NOT_FOUND: 404,
  // rules about people (issue 6 part A): identity keys, bans, national ID numbers
  IDENTITY_KEY_REQUIRED: 400,
  IDENTITY_KEY_HAS_BOOKING: 409,
  IDENTITY_BOOKINGS_CANCELLED: 409,
  BOOKING_BANNED: 403,
  NATIONAL_ID_FORBIDDEN: 400,
  BAN_TARGET_REQUIRED: 400,
  BAN_NOT_FOUND: 404,
  // the outbox: staff send a waiting message again at once
  OUTBOX_MESSAGE_NOT_FOUND: 404,
  OUTBOX_ALREADY_SENT: 409,
  OUTBOX_NOT_RESENDABLE: 409,
  /** The crisis switch turned on without a message for the public in any language. */
  CRISIS_MESSAGE_REQUIRED: 400,
  // check-in of a booked client (kiosk code or counter)
  BOOKING_CODE_UNKNOWN: 404,
  CODE_TOO_EARLY: 409,
  BOOKING_LAPSED: 410,
  BOOKING_LATE_WALK_IN: 409,
  BOOKING_ALREADY_CHECKED_IN: 409,
  CHECK_IN_LOCKED: 429,
  // rosters, outcomes and eligibility (issue 6 part B)
  ROSTER_CSV_HEADER: 400,
  ROSTER_CSV_MALFORMED: 400,
  ROSTER_CSV_INVALID: 400,
  ROSTER_CSV_DUPLICATE: 400,
  ROSTER_CSV_TOO_LONG: 400,
  ROSTER_DOCUMENT_REQUIRED: 400,
  ROSTER_NOT_LISTED: 409,
  ROSTER_NAME_MISMATCH: 409,
  ROSTER_PHONE_MISMATCH: 409,
  ELIGIBILITY_IDENTITY_REQUIRED: 400,
  ELIGIBILITY_TOO_SOON: 409,
  ELIGIBILITY_PREREQUISITE: 409,
  OUTCOME_UNKNOWN: 400,
  OUTCOME_NO_IDENTITY: 409,
  // hall display
  VOICE_UNAVAILABLE: 404,
  // message and ticket templates of an office
  TEMPLATE_BRACES_UNBALANCED: 400,
  TEMPLATE_PLACEHOLDER_UNKNOWN: 400,
  TEMPLATE_SMS_TOO_LONG: 400,
  TEMPLATE_LINE_TOO_WIDE: 400,
  TEMPLATE_CHANGE_NOT_FOUND: 404,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export const httpStatusOf = (code: ErrorCode): number => ERRORS[code];

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
  // auth
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_TOKEN_INVALID: 401,
  FORBIDDEN: 403,
  // configuration lookups
  OFFICE_NOT_FOUND: 404,
  SERVICE_NOT_FOUND: 404,
  COUNTER_NOT_FOUND: 404,
  TICKET_NOT_FOUND: 404,
  USER_NOT_FOUND: 404,
  DEVICE_NOT_FOUND: 404,
  PRIORITY_CATEGORY_UNKNOWN: 400,
  USERNAME_TAKEN: 409,
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
  // hall display
  VOICE_UNAVAILABLE: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERRORS;

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[];

export const httpStatusOf = (code: ErrorCode): number => ERRORS[code];

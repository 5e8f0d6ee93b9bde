import type { ErrorCode } from './errors.ts';

/** Expected failures are values, not exceptions: a use case returns one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export interface DomainError {
  code: ErrorCode;
  /** Interpolation values for the translated message (e.g. `{ time: "09:45" }`). */
  params?: Record<string, string | number>;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(code: ErrorCode, params?: Record<string, string | number>): Result<T> =>
  params === undefined ? { ok: false, error: { code } } : { ok: false, error: { code, params } };

/** Thrown for impossible cases in exhaustive switches: a bug, never an expected failure. */
export function missingCase(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

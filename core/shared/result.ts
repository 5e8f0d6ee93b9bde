import type { RuleDecision } from '../booking/model.ts';
import type { ErrorCode } from './errors.ts';

/** Expected failures are values, not exceptions: a use case returns one of these. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: DomainError };

export interface DomainError {
  code: ErrorCode;
  /** Interpolation values for the translated message (e.g. `{ time: "09:45" }`). */
  params?: Record<string, string | number>;
  /**
   * A rule's refusal of a person (issue 6): the edge records it after the rollback, so staff can
   * answer "why was I refused?" from the attempt id the client was given (`params.attempt`).
   */
  decision?: RuleDecision;
}

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });

export const fail = <T = never>(code: ErrorCode, params?: Record<string, string | number>): Result<T> =>
  params === undefined ? { ok: false, error: { code } } : { ok: false, error: { code, params } };

/** Thrown for impossible cases in exhaustive switches: a bug, never an expected failure. */
export function missingCase(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

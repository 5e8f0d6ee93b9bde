import { readFileSync } from 'node:fs';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { httpStatusOf, type ErrorCode } from '../core/shared/errors.ts';
import type { DomainError } from '../core/shared/result.ts';
import type { Translate } from './i18n.ts';
import { fieldLabel, validationDetail, validationField } from './validation.ts';

/** Thrown inside a handler to answer with a coded error; the error handler renders it. */
export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
  }

  static from(error: DomainError): ApiError {
    return new ApiError(error.code, error.params ?? {});
  }
}

export interface ErrorBody {
  /** `field`: the input the error is about, as sent (`checkIn.earlyMin`): a form puts the message beside it. */
  error: { code: ErrorCode; message: string; field?: string };
}

/** Answers without parameters, per language: a sold-out release says the same thing thousands of times. */
const plainBodies = new WeakMap<Translate, Map<ErrorCode, ErrorBody>>();

export function errorBody(t: Translate, code: ErrorCode, given: Record<string, string | number> = {}): ErrorBody {
  // A field named by the core ('email', 'phone') is named in the reader's words.
  const params = typeof given['field'] === 'string' ? { ...given, field: fieldLabel(t, given['field']) } : given;
  if (Object.keys(params).length === 0) {
    let bodies = plainBodies.get(t);
    if (bodies === undefined) plainBodies.set(t, (bodies = new Map<ErrorCode, ErrorBody>()));
    let body = bodies.get(code);
    if (body === undefined) bodies.set(code, (body = { error: { code, message: t(`errors.${code}`, params) } }));
    return body;
  }
  const message = t(`errors.${code}`, params);
  // A rule's refusal names the attempt, so the client can quote it and staff can say why.
  const attempt = params['attempt'];
  return { error: { code, message: attempt === undefined ? message : `${message} ${t('ui.attemptRef', { attempt })}` } };
}

/** Fastify's own error codes for bad input, mapped onto the catalogue. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'BODY_INVALID_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'BODY_INVALID_JSON',
  FST_ERR_CTP_BODY_TOO_LARGE: 'BODY_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
  FST_ERR_BAD_URL: 'NOT_FOUND',
  FST_ERR_ASYNC_CONSTRAINT: 'VALIDATION_FAILED',
};

/**
 * SQLite could not write for want of space (SQLITE_FULL: the disk, or its page limit; or a write
 * refused while the process runs under a file-size limit, which SQLite reports as an I/O error:
 * EFBIG is not ENOSPC to it). The group that hit it was rolled back whole, nothing was
 * acknowledged, and the next write tries again: no restart needed.
 */
export const isStorageFull = (error: unknown): boolean => {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (code === 'SQLITE_FULL') return true;
  return (code === 'SQLITE_IOERR_WRITE' || code === 'SQLITE_IOERR_TRUNCATE') && fileSizeLimited();
};

/** Socket errors of a server that is gone or not answering, as Node names them. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);
/** What the pg driver says, without a code, when its connection breaks or cannot be had in time. */
const CONNECTION_LOST = /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed)/;

/**
 * The PostgreSQL server cannot be reached: refused or cut connections, a connection not had in
 * time, SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shutting down, crashed,
 * starting up), 53300 (no connection slot left) or 25006 (a read-only standby after a failover). The transaction did not commit — a COMMIT cut
 * off before its answer may have, which is why writes that matter are idempotent or checked —
 * and the pool connects again on the next request: no restart needed.
 */
export const isDatabaseUnavailable = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (UNREACHABLE.has(code) || code.startsWith('08') || ['57P01', '57P02', '57P03', '53300', '25006'].includes(code))) return true;
  return typeof message === 'string' && CONNECTION_LOST.test(message);
};

/** Whether a file-size limit (`ulimit -f`, `prlimit --fsize`) is in force now: it can be set on a running process. */
function fileSizeLimited(): boolean {
  try {
    const line = /^Max file size\s+(\S+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line !== null && line[1] !== 'unlimited';
  } catch {
    return false;
  }
}

/** Bad input is told in the caller's language through and through: never zod's or Fastify's English text. */
function classify(error: FastifyError | ApiError, t: Translate): { code: ErrorCode; params: Record<string, string | number>; field?: string } {
  if (error instanceof ApiError) return { code: error.code, params: error.params, ...fieldParam(error.params) };
  if (isStorageFull(error)) return { code: 'STORAGE_FULL', params: {} };
  if (isDatabaseUnavailable(error)) return { code: 'DATABASE_UNAVAILABLE', params: {} };
  if (error.validation !== undefined) {
    const field = validationField(error.validationContext, error.validation);
    return { code: 'VALIDATION_FAILED', params: { detail: validationDetail(t, error.validationContext, error.validation) }, ...(field === undefined ? {} : { field }) };
  }
  const mapped = FASTIFY_CODES[error.code];
  if (mapped !== undefined) return { code: mapped, params: { detail: t('validation.unreadable') } };
  if (error.statusCode === 429) return { code: 'RATE_LIMITED', params: {} };
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return { code: 'VALIDATION_FAILED', params: { detail: t('validation.unreadable') } };
  }
  return { code: 'INTERNAL', params: {} };
}

/**
 * Answers with a domain error without throwing: for refusals a route expects by the thousand
 * (a sold-out release), where an exception with its stack trace per answer was measurable.
 */
export function sendDomainError(request: FastifyRequest, reply: FastifyReply, error: DomainError): FastifyReply {
  return reply.status(httpStatusOf(error.code)).send(withField(errorBody(request.t, error.code, error.params ?? {}), fieldParam(error.params ?? {}).field));
}

/** A refusal that names its field (`{ field: 'email' }`) says which, as sent, beside the message. */
const fieldParam = (params: Record<string, string | number>): { field?: string } => (typeof params['field'] === 'string' ? { field: params['field'] } : {});

const withField = (body: ErrorBody, field: string | undefined): ErrorBody => (field === undefined ? body : { error: { ...body.error, field } });

/** Every error leaves as `{ error: { code, message } }` in the caller's language; 5xx are logged, never shown. */
export function handleError(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply): void {
  const { code, params, field } = classify(error, request.t);
  const status = httpStatusOf(code);
  // A full disk refuses every write until space returns: one line each, not a stack trace.
  if (code === 'STORAGE_FULL') request.log.warn({ url: request.url }, 'write refused: the database disk is full');
  else if (code === 'DATABASE_UNAVAILABLE') request.log.warn({ url: request.url, reason: (error as { code?: unknown }).code ?? error.message }, 'refused: the database server cannot be reached');
  else if (status >= 500) request.log.error({ err: error }, 'unhandled error');
  void reply.status(status).send(withField(errorBody(request.t, code, params), field));
}

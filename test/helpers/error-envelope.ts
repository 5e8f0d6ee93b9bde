import { ERRORS, type ErrorCode } from '../../core/shared/errors.ts';
import type { Language } from '../../core/shared/model.ts';
import { CATALOGUES } from '../../server/i18n.ts';

export interface RawAnswer {
  statusCode: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The catalogue text of a code in a language, `{{param}}` placeholders matching anything. */
export function messagePattern(lang: Language, code: ErrorCode): RegExp {
  const template = (CATALOGUES[lang].errors as Record<string, string>)[code] ?? '';
  return new RegExp(`^${template.split(/\{\{\w+\}\}/).map(escapeRe).join('[\\s\\S]*')}$`);
}

/** Stack frames, source paths, Fastify/Node internals: never in an answer. */
const LEAKS = /\n\s+at |\bat [^\s(]+ \(|node_modules|\.ts:\d+|\.js:\d+|FST_ERR|statusCode|SQLITE|TypeError|ReferenceError/;

/**
 * What is wrong with an error answer; empty when it is exactly `{ error: { code, message, field? } }`
 * with a catalogued code, the catalogue's status, and the catalogue message in `lang`.
 */
export function envelopeProblems(res: RawAnswer, lang: Language): string[] {
  const problems: string[] = [];
  const type = String(res.headers['content-type'] ?? '');
  if (!type.startsWith('application/json')) problems.push(`content-type ${type || '(none)'}`);
  if (LEAKS.test(res.body)) problems.push('leaks internals');
  let body: unknown;
  try {
    body = JSON.parse(res.body);
  } catch {
    return [...problems, 'body is not JSON'];
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body) || Object.keys(body).join() !== 'error') {
    return [...problems, 'body is not { error }'];
  }
  const error = (body as { error: unknown }).error;
  // `field`, when there, names the input the error is about (a form puts the message beside it).
  const keys = typeof error === 'object' && error !== null ? Object.keys(error).sort().join() : '';
  if (keys !== 'code,message' && !(keys === 'code,field,message' && typeof (error as { field: unknown }).field === 'string')) {
    return [...problems, 'error is not { code, message, field? }'];
  }
  const { code, message } = error as { code: unknown; message: unknown };
  if (typeof code !== 'string' || typeof message !== 'string') return [...problems, 'code/message not strings'];
  if (!(code in ERRORS)) return [...problems, `unknown code ${code}`];
  const status = ERRORS[code as ErrorCode];
  if (status !== res.statusCode) problems.push(`status ${res.statusCode} but ${code} is ${status}`);
  if (!messagePattern(lang, code as ErrorCode).test(message)) problems.push(`message not the ${lang} text of ${code}: ${message}`);
  return problems;
}

export function errorCodeOf(res: RawAnswer): string | null {
  try {
    const code = (JSON.parse(res.body) as { error?: { code?: unknown } }).error?.code;
    return typeof code === 'string' ? code : null;
  } catch {
    return null;
  }
}

export { changedTables, dbSnapshot } from './store-snapshot.ts';

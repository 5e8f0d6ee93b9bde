import type { Translate } from './i18n.ts';

/**
 * Bad input told in the caller's language: which field, where, and what is wrong with it, from
 * the zod issue's code and numbers (never zod's English message, nor a schema's own English
 * text). Field names the catalogue knows are translated; others are quoted as sent.
 */

/** One issue as fastify-type-provider-zod hands it over (`keyword` is zod's issue code). */
export interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  message?: string;
  params?: Record<string, unknown>;
}

const WHERE = new Set(['body', 'querystring', 'params', 'headers']);
const TYPES = new Set(['string', 'number', 'boolean', 'object', 'array']);

/** A field name in the reader's words when the catalogue has it (`validation.fields.*`), else as sent. */
export function fieldLabel(t: Translate, name: string): string {
  const key = `validation.fields.${name}`;
  const label = t(key);
  return label === key ? name : label;
}

function problemOf(t: Translate, issue: ValidationIssue): string {
  const p = issue.params ?? {};
  const num = (k: string): number => Number(p[k] ?? 0);
  const str = (k: string): string => (typeof p[k] === 'string' ? p[k] : '');
  switch (issue.keyword ?? '') {
    case 'invalid_type': {
      // zod reports a missing field as a wrong type "received undefined".
      if (/received undefined/.test(issue.message ?? '')) return t('validation.missing');
      const expected = str('expected');
      return t('validation.type', { type: t(`validation.types.${TYPES.has(expected) ? expected : 'other'}`) });
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.keyword === 'too_small';
      const limit = num(small ? 'minimum' : 'maximum');
      const origin = str('origin');
      if (origin === 'string') return t(small ? 'validation.tooSmallString' : 'validation.tooBigString', { count: limit });
      if (origin === 'array' || origin === 'set') return t(small ? 'validation.tooSmallArray' : 'validation.tooBigArray', { count: limit });
      return t(small ? 'validation.tooSmallNumber' : 'validation.tooBigNumber', { limit });
    }
    case 'invalid_format':
      return t('validation.format');
    case 'invalid_value':
      return t('validation.value', { values: Array.isArray(p['values']) ? p['values'].map(String).join(', ') : '' });
    case 'unrecognized_keys':
      return t('validation.unknownKeys', { keys: Array.isArray(p['keys']) ? p['keys'].map(String).join(', ') : '' });
    default:
      return t('validation.invalid');
  }
}

/** The `detail` of VALIDATION_FAILED for the first issue (one thing to fix at a time, like a form). */
export function validationDetail(t: Translate, context: string | undefined, issues: readonly ValidationIssue[]): string {
  const first = issues[0];
  if (first === undefined) return t('validation.unreadable');
  const where = t(`validation.where.${context !== undefined && WHERE.has(context) ? context : 'body'}`);
  const problem = problemOf(t, first);
  const path = (first.instancePath ?? '').replace(/^\//, '').split('/').filter((s) => s !== '');
  if (path.length === 0) return t('validation.atWhole', { where, problem });
  const field = path.length === 1 ? fieldLabel(t, path[0]!) : path.join('.');
  return t('validation.atField', { field, where, problem });
}

/** The body field the first issue is about, as sent (`checkIn.earlyMin`, `voiceLanguages.1`); none for the whole body or another part. */
export function validationField(context: string | undefined, issues: readonly ValidationIssue[]): string | undefined {
  if (context !== undefined && context !== 'body') return undefined;
  const path = (issues[0]?.instancePath ?? '').split('/').filter((s) => s !== '');
  return path.length === 0 ? undefined : path.join('.');
}

/** The `detail` of a field a route finds missing by its own rule (one the schema cannot state). */
export const missingField = (t: Translate, context: 'body' | 'querystring' | 'params', name: string): string =>
  t('validation.atField', { field: fieldLabel(t, name), where: t(`validation.where.${context}`), problem: t('validation.missing') });

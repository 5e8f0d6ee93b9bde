import type { Language } from '../shared/model.ts';
import type { Template, TemplateFieldChange, TemplateKind } from './model.ts';

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * The fields a change touched, by path (`confirmed.cs.subject`, `ticket.en.header`), from → to; a
 * template put back to its default (or changed for the first time) shows `null` for that side.
 */
export function templateFieldChanges(kind: TemplateKind, language: Language, before: Template | null, after: Template | null): TemplateFieldChange[] {
  const prefix = `${kind}.${language}`;
  if (before === null || after === null) return same(before, after) ? [] : [{ path: prefix, from: before, to: after }];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  const out: TemplateFieldChange[] = [];
  for (const k of keys) {
    const from = (before as unknown as Record<string, unknown>)[k] ?? null;
    const to = (after as unknown as Record<string, unknown>)[k] ?? null;
    if (!same(from, to)) out.push({ path: `${prefix}.${k}`, from, to });
  }
  return out;
}

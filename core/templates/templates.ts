import type { Language } from '../shared/model.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { Template, TemplateChange, TemplateChangeVia, TemplateKind, TemplateOf } from './model.ts';
import { previewTemplate } from './preview.ts';
import type { TemplateStore } from './ports.ts';

export interface TemplateDeps {
  templates: TemplateStore;
}

export interface SaveTemplateInput {
  officeId: string;
  kind: TemplateKind;
  language: Language;
  /** null: back to the default. */
  template: Template | null;
  /** A value for every placeholder of the kind, as in the preview (checks SMS length and line width). */
  sample: Readonly<Record<string, string>>;
  now: number;
  userId: string | null;
  username: string | null;
  via: TemplateChangeVia;
  undoOf?: number;
}

/**
 * Saves one template of an office (or puts its default back), refused with nothing changed when
 * it would not render: the same check as the preview. Answers the audit record, or null when the
 * template was already so.
 */
export async function saveTemplate(deps: TemplateDeps, input: SaveTemplateInput): Promise<Result<TemplateChange | null>> {
  if (input.template !== null) {
    const checked = previewTemplate(input.kind, input.template as TemplateOf<typeof input.kind>, input.sample);
    if (!checked.ok) return checked;
  }
  const change = await deps.templates.save({
    officeId: input.officeId,
    kind: input.kind,
    language: input.language,
    template: input.template,
    at: input.now,
    userId: input.userId,
    username: input.username,
    via: input.via,
    undoOf: input.undoOf ?? null,
  });
  return ok(change);
}

/**
 * Undo re-applies a change's old value as a new change, through the same check (a placeholder
 * removed since then is refused like any other). TEMPLATE_CHANGE_NOT_FOUND when the office has no such change.
 */
export async function undoTemplateChange(
  deps: TemplateDeps,
  input: Omit<SaveTemplateInput, 'kind' | 'language' | 'template' | 'via' | 'undoOf'> & { changeId: number },
): Promise<Result<TemplateChange | null>> {
  const change = await deps.templates.change(input.officeId, input.changeId);
  if (change === null) return fail('TEMPLATE_CHANGE_NOT_FOUND');
  return saveTemplate(deps, { ...input, kind: change.kind, language: change.language, template: change.before, via: 'undo', undoOf: change.id });
}

/** The template in force: the office's own, else the default. */
export async function templateInForce<K extends TemplateKind>(deps: TemplateDeps, officeId: string, kind: K, language: Language, defaults: (kind: K, language: Language) => TemplateOf<K>): Promise<TemplateOf<K>> {
  const own = await deps.templates.get(officeId, kind, language);
  return own === null ? defaults(kind, language) : (own as TemplateOf<K>);
}

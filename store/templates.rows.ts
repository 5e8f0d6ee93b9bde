import type { Template, TemplateChange } from '../core/templates/model.ts';
import type { TemplateWrite } from '../core/templates/ports.ts';

/** What the template stores of both dialects share: a body's JSON read back, and an audit row's values. */

export const parseTemplate = (json: string | null): Template | null => (json === null ? null : (JSON.parse(json) as Template));

/** The values of a template_changes row in column order (office_id, at, …, before, after), for either dialect's INSERT. */
export const auditParams = (w: TemplateWrite, before: Template | null, changes: TemplateChange['changes']): unknown[] => [
  w.officeId,
  w.at,
  w.userId,
  w.username,
  w.via,
  w.undoOf,
  w.kind,
  w.language,
  JSON.stringify(changes),
  before === null ? null : JSON.stringify(before),
  w.template === null ? null : JSON.stringify(w.template),
];

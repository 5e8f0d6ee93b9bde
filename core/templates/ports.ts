import type { Language } from '../shared/model.ts';
import type { StoredTemplate, Template, TemplateChange, TemplateChangeVia, TemplateKind } from './model.ts';

/** A change to write: `template` null puts the default back. Plain JSON (a named store command). */
export interface TemplateWrite {
  officeId: string;
  kind: TemplateKind;
  language: Language;
  template: Template | null;
  /** Milliseconds since the epoch (UTC). */
  at: number;
  userId: string | null;
  username: string | null;
  via: TemplateChangeVia;
  undoOf: number | null;
}

/**
 * The templates offices changed, and their audit trail. Asynchronous so that a database server
 * can implement it; `save` is atomic: the template and its audit record (before → after) are
 * written in one transaction, or neither.
 */
export interface TemplateStore {
  /** Every template the office changed (absent ones are the defaults). */
  list(officeId: string): Promise<StoredTemplate[]>;
  get(officeId: string, kind: TemplateKind, language: Language): Promise<Template | null>;
  /** Writes the template and its audit record; null when it equals what is there (nothing recorded). */
  save(write: TemplateWrite): Promise<TemplateChange | null>;
  /** The office's changes, newest first: at most `limit`, with an id below `before` when given. */
  changes(officeId: string, limit: number, before?: number): Promise<TemplateChange[]>;
  change(officeId: string, id: number): Promise<TemplateChange | null>;
}

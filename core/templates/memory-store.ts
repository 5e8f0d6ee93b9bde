import type { Language } from '../shared/model.ts';
import { templateFieldChanges } from './audit.ts';
import type { StoredTemplate, Template, TemplateChange, TemplateKind } from './model.ts';
import type { TemplateStore, TemplateWrite } from './ports.ts';

/** In-memory TemplateStore for core unit tests (the SQLite one passes the same checks). */
export class MemoryTemplateStore implements TemplateStore {
  private readonly rows = new Map<string, StoredTemplate>();
  private readonly log: TemplateChange[] = [];

  private static key(officeId: string, kind: TemplateKind, language: Language): string {
    return `${officeId}\u0000${kind}\u0000${language}`;
  }

  list(officeId: string): Promise<StoredTemplate[]> {
    return Promise.resolve([...this.rows.values()].filter((r) => r.officeId === officeId).map((r) => structuredClone(r)));
  }

  get(officeId: string, kind: TemplateKind, language: Language): Promise<Template | null> {
    const row = this.rows.get(MemoryTemplateStore.key(officeId, kind, language));
    return Promise.resolve(row === undefined ? null : structuredClone(row.template));
  }

  save(w: TemplateWrite): Promise<TemplateChange | null> {
    const key = MemoryTemplateStore.key(w.officeId, w.kind, w.language);
    const before = this.rows.get(key)?.template ?? null;
    const changes = templateFieldChanges(w.kind, w.language, before, w.template);
    if (changes.length === 0) return Promise.resolve(null);
    if (w.template === null) this.rows.delete(key);
    else this.rows.set(key, { officeId: w.officeId, kind: w.kind, language: w.language, template: structuredClone(w.template) });
    const change: TemplateChange = { id: this.log.length + 1, officeId: w.officeId, at: w.at, userId: w.userId, username: w.username, via: w.via, undoOf: w.undoOf, kind: w.kind, language: w.language, changes, before, after: w.template };
    this.log.push(change);
    return Promise.resolve(structuredClone(change));
  }

  changes(officeId: string, limit: number, before?: number): Promise<TemplateChange[]> {
    const mine = this.log.filter((c) => c.officeId === officeId && (before === undefined || c.id < before));
    return Promise.resolve(mine.reverse().slice(0, limit));
  }

  change(officeId: string, id: number): Promise<TemplateChange | null> {
    return Promise.resolve(this.log.find((c) => c.officeId === officeId && c.id === id) ?? null);
  }
}

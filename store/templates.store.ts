import type { Database, Statement } from 'better-sqlite3';
import type { Language } from '../core/shared/model.ts';
import { templateFieldChanges } from '../core/templates/audit.ts';
import type { StoredTemplate, Template, TemplateChange, TemplateChangeVia, TemplateKind } from '../core/templates/model.ts';
import type { TemplateStore, TemplateWrite } from '../core/templates/ports.ts';
import { auditParams, parseTemplate as parse } from './templates.rows.ts';
import { storeWrite } from './write-gate.ts';

interface ChangeRow {
  id: number;
  office_id: string;
  at: number;
  user_id: string | null;
  username: string | null;
  via: TemplateChangeVia;
  undo_of: number | null;
  kind: TemplateKind;
  language: Language;
  changes: string;
  before: string | null;
  after: string | null;
}

const change = (r: ChangeRow): TemplateChange => ({
  id: r.id,
  officeId: r.office_id,
  at: r.at,
  userId: r.user_id,
  username: r.username,
  via: r.via,
  undoOf: r.undo_of,
  kind: r.kind,
  language: r.language,
  changes: JSON.parse(r.changes) as TemplateChange['changes'],
  before: parse(r.before),
  after: parse(r.after),
});

/**
 * Templates and their audit on SQLite. Built from the database alone; each method is one
 * synchronous step (a write is one transaction: template and audit row together).
 */
export class SqliteTemplateStore implements TemplateStore {
  private readonly s: Record<string, Statement>;
  private readonly write: (w: TemplateWrite) => TemplateChange | null;

  constructor(private readonly db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      list: p(`SELECT kind, language, body FROM message_templates WHERE office_id = ? ORDER BY kind, language`),
      get: p(`SELECT body FROM message_templates WHERE office_id = ? AND kind = ? AND language = ?`),
      upsert: p(`INSERT INTO message_templates (office_id, kind, language, body, updated_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (office_id, kind, language) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`),
      remove: p(`DELETE FROM message_templates WHERE office_id = ? AND kind = ? AND language = ?`),
      audit: p(`INSERT INTO template_changes (office_id, at, user_id, username, via, undo_of, kind, language, changes, before, after)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`),
      changes: p(`SELECT * FROM template_changes WHERE office_id = ? AND id < ? ORDER BY id DESC LIMIT ?`),
      change: p(`SELECT * FROM template_changes WHERE office_id = ? AND id = ?`),
    };
    this.write = db.transaction((w: TemplateWrite): TemplateChange | null => {
      const before = parse((this.s['get']!.get(w.officeId, w.kind, w.language) as { body: string } | undefined)?.body ?? null);
      const changes = templateFieldChanges(w.kind, w.language, before, w.template);
      if (changes.length === 0) return null;
      if (w.template === null) this.s['remove']!.run(w.officeId, w.kind, w.language);
      else this.s['upsert']!.run(w.officeId, w.kind, w.language, JSON.stringify(w.template), w.at);
      const row = this.s['audit']!.get(...auditParams(w, before, changes)) as ChangeRow;
      return change(row);
    });
  }

  list(officeId: string): Promise<StoredTemplate[]> {
    const rows = this.s['list']!.all(officeId) as { kind: TemplateKind; language: Language; body: string }[];
    return Promise.resolve(rows.map((r) => ({ officeId, kind: r.kind, language: r.language, template: JSON.parse(r.body) as Template })));
  }

  get(officeId: string, kind: TemplateKind, language: Language): Promise<Template | null> {
    const row = this.s['get']!.get(officeId, kind, language) as { body: string } | undefined;
    return Promise.resolve(parse(row?.body ?? null));
  }

  save(w: TemplateWrite): Promise<TemplateChange | null> {
    return storeWrite(this.db, () => this.write(w));
  }

  changes(officeId: string, limit: number, before?: number): Promise<TemplateChange[]> {
    return Promise.resolve((this.s['changes']!.all(officeId, before ?? Number.MAX_SAFE_INTEGER, limit) as ChangeRow[]).map(change));
  }

  change(officeId: string, id: number): Promise<TemplateChange | null> {
    const row = this.s['change']!.get(officeId, id) as ChangeRow | undefined;
    return Promise.resolve(row === undefined ? null : change(row));
  }
}

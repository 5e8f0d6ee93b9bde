import type { Language } from '../../core/shared/model.ts';
import { templateFieldChanges } from '../../core/templates/audit.ts';
import type { StoredTemplate, Template, TemplateChange, TemplateKind } from '../../core/templates/model.ts';
import type { TemplateStore, TemplateWrite } from '../../core/templates/ports.ts';
import { auditParams, parseTemplate as parse } from '../templates.rows.ts';
import { fieldsOf, lockKeys, LOCK, row, rows, type Sql } from './booking/sql.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';

type ChangeRow = Omit<TemplateChange, 'changes' | 'before' | 'after'> & { changes: string; before: string | null; after: string | null };

const CHANGE = fieldsOf(['id', 'officeId', 'at', 'userId', 'username', 'via', 'undoOf', 'kind', 'language', 'changes', 'before', 'after']);

const change = (r: ChangeRow): TemplateChange => ({
  ...r,
  changes: JSON.parse(r.changes) as TemplateChange['changes'],
  before: parse(r.before),
  after: parse(r.after),
});

const BODY = 'SELECT body FROM message_templates WHERE office_id = $1 AND kind = $2 AND language = $3';

/**
 * Templates and their audit on PostgreSQL. A save is one transaction (the caller's, or its own):
 * the template and its audit record (before → after). Two hosts saving the same template take
 * turns on a lock of its key, so each audit's "before" is what the other committed.
 */
export class PgTemplateStore implements TemplateStore {
  constructor(private readonly db: PgDb) {}

  async list(officeId: string): Promise<StoredTemplate[]> {
    const found = await rows<{ kind: TemplateKind; language: Language; body: string }>(
      sqlOf(this.db),
      'SELECT kind, language, body FROM message_templates WHERE office_id = $1 ORDER BY kind COLLATE "C", language COLLATE "C"',
      [officeId],
    );
    return found.map((r) => ({ officeId, kind: r.kind, language: r.language, template: JSON.parse(r.body) as Template }));
  }

  async get(officeId: string, kind: TemplateKind, language: Language): Promise<Template | null> {
    return parse((await row<{ body: string }>(sqlOf(this.db), BODY, [officeId, kind, language]))?.body ?? null);
  }

  save(w: TemplateWrite): Promise<TemplateChange | null> {
    return atomically(this.db, (sql) => write(sql, w));
  }

  async changes(officeId: string, limit: number, before?: number): Promise<TemplateChange[]> {
    const found = await rows<ChangeRow>(
      sqlOf(this.db),
      `SELECT ${CHANGE} FROM template_changes WHERE office_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`,
      [officeId, before ?? Number.MAX_SAFE_INTEGER, limit],
    );
    return found.map(change);
  }

  async change(officeId: string, id: number): Promise<TemplateChange | null> {
    const r = await row<ChangeRow>(sqlOf(this.db), `SELECT ${CHANGE} FROM template_changes WHERE office_id = $1 AND id = $2`, [officeId, id]);
    return r === null ? null : change(r);
  }
}

async function write(sql: Sql, w: TemplateWrite): Promise<TemplateChange | null> {
  await lockKeys(sql, LOCK.template, [JSON.stringify([w.officeId, w.kind, w.language])]);
  const before = parse((await row<{ body: string }>(sql, BODY, [w.officeId, w.kind, w.language]))?.body ?? null);
  const changes = templateFieldChanges(w.kind, w.language, before, w.template);
  if (changes.length === 0) return null;
  if (w.template === null) await sql.query('DELETE FROM message_templates WHERE office_id = $1 AND kind = $2 AND language = $3', [w.officeId, w.kind, w.language]);
  else {
    await sql.query(
      `INSERT INTO message_templates (office_id, kind, language, body, updated_at) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (office_id, kind, language) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at`,
      [w.officeId, w.kind, w.language, JSON.stringify(w.template), w.at],
    );
  }
  const audit = await row<ChangeRow>(
    sql,
    `INSERT INTO template_changes (office_id, at, user_id, username, via, undo_of, kind, language, changes, before, after)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING ${CHANGE}`,
    auditParams(w, before, changes),
  );
  return change(audit!);
}

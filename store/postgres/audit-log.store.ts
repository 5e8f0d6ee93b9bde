import type { AuditLogFilter, AuditLogRow, AuditLogStore } from '../../core/audit/audit-log.ts';
import { auditLogParams, auditLogSql, PG_AUDIT } from '../audit-log.sql.ts';
import { rows } from './booking/sql.ts';
import { sqlOf, type PgDb } from './db.ts';

/** The office's audit records on PostgreSQL (the same statement as SQLite's). */
export class PgAuditLogStore implements AuditLogStore {
  constructor(private readonly db: PgDb) {}

  async rows(officeId: string, filter: AuditLogFilter): Promise<AuditLogRow[]> {
    const found = await rows<AuditLogRow>(sqlOf(this.db), auditLogSql(PG_AUDIT, filter), auditLogParams(officeId, filter));
    return found.map((r) => ({ ...r, at: Number(r.at) }));
  }
}

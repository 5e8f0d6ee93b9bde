import type { Database } from 'better-sqlite3';
import type { AuditLogFilter, AuditLogRow, AuditLogStore } from '../core/audit/audit-log.ts';
import { auditLogParams, auditLogSql, SQLITE_AUDIT } from './audit-log.sql.ts';

/** The office's audit records on SQLite, read on the request thread (a few rows, indexed by office). */
export class SqliteAuditLogStore implements AuditLogStore {
  constructor(private readonly db: Database) {}

  rows(officeId: string, filter: AuditLogFilter): Promise<AuditLogRow[]> {
    // Named parameters: each is used in several branches of the union.
    const named = Object.fromEntries(auditLogParams(officeId, filter).map((v, i) => [`p${i + 1}`, v]));
    return Promise.resolve(this.db.prepare(auditLogSql(SQLITE_AUDIT, filter)).all(named) as AuditLogRow[]);
  }
}

import { AUDIT_KINDS, type AuditLogFilter } from '../core/audit/audit-log.ts';

/** What differs between SQLite and PostgreSQL in the audit read: placeholders and reading a JSON text field. */
export interface AuditDialect {
  param: (n: number) => string;
  jsonText: (column: string, key: string) => string;
}

export const SQLITE_AUDIT: AuditDialect = { param: (n) => `@p${n}`, jsonText: (c, k) => `json_extract(${c}, '$.${k}')` };
export const PG_AUDIT: AuditDialect = { param: (n) => `$${n}`, jsonText: (c, k) => `(${c}::json ->> '${k}')` };

/**
 * Every audit record of an office in the same columns (kind, ref, at, user, via, subject, a, b),
 * newest first, in one statement for both dialects. Parameters: office, from, to, limit, then the
 * person when the filter names one. Kinds are a fixed list, written into the text.
 */
export function auditLogSql(d: AuditDialect, filter: AuditLogFilter): string {
  const p = d.param;
  const kinds = filter.kinds.filter((k) => (AUDIT_KINDS as readonly string[]).includes(k)).map((k) => `'${k}'`);
  const who = filter.who === undefined ? '' : ` AND (a.user_id = ${p(5)} OR COALESCE(a.username, u.username) = ${p(5)})`;
  return `SELECT a.kind AS kind, a.ref AS ref, a.at AS at, a.user_id AS "userId", COALESCE(a.username, u.username) AS username, a.via AS via, a.subject AS subject, a.a AS a, a.b AS b
  FROM (
    SELECT 'config' AS kind, 'config:' || CAST(c.id AS TEXT) AS ref, c.at AS at, c.user_id AS user_id, CAST(NULL AS TEXT) AS username, c.via AS via, c.sections AS subject, c.changes AS a, CAST(NULL AS TEXT) AS b
      FROM config_changes c WHERE c.office_id = ${p(1)}
    UNION ALL
    SELECT 'people', 'people:' || CAST(pa.id AS TEXT), pa.at, pa.user_id, pa.username, pa.via, pa.entity || ' ' || pa.entity_id || ' ' || pa.action, pa.before, pa.after
      FROM people_audit pa WHERE pa.office_id = ${p(1)}
    UNION ALL
    SELECT 'templates', 'templates:' || CAST(t.id AS TEXT), t.at, t.user_id, t.username, t.via, t.kind || ' ' || t.language, t.changes, NULL
      FROM template_changes t WHERE t.office_id = ${p(1)}
    UNION ALL
    SELECT 'booking-settings', 'booking-settings:' || CAST(e.id AS TEXT), e.at, ${d.jsonText('e.payload', 'userId')}, NULL, NULL, NULL, e.payload, NULL
      FROM events e WHERE e.office_id = ${p(1)} AND e.type = 'booking:settings-changed'
    UNION ALL
    SELECT 'bans', 'bans:set:' || b.id, b.starts_at, b.created_by, NULL, 'api', NULL, b.reason, CAST(b.ends_at AS TEXT)
      FROM bans b WHERE b.office_id = ${p(1)}
    UNION ALL
    SELECT 'bans', 'bans:lift:' || r.id, r.at, ${d.jsonText('r.detail', 'by')}, NULL, 'api', NULL, r.detail, NULL
      FROM rule_decisions r WHERE r.office_id = ${p(1)} AND r.outcome = 'ban-lifted'
  ) a LEFT JOIN users u ON u.id = a.user_id
  WHERE a.at >= ${p(2)} AND a.at < ${p(3)} AND a.kind IN (${kinds.length === 0 ? "''" : kinds.join(', ')})${who}
  ORDER BY a.at DESC, a.ref DESC
  LIMIT ${p(4)}`;
}

/** The statement's parameters in order. */
export const auditLogParams = (officeId: string, f: AuditLogFilter): (string | number)[] => [officeId, f.from, f.to, f.limit, ...(f.who === undefined ? [] : [f.who])];

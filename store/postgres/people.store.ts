import type { DeviceRecord, UserRecord } from '../../core/access/access.ts';
import type { EndSessions, PeopleAuditInput, PeopleAuditRecord, PeopleStore, UserPatch } from '../../core/access/people.ts';
import type { Office } from '../../core/shared/model.ts';
import { officeToRow } from '../rows.ts';
import { CREATED, DEVICE, insertDeviceRow, insertUserRow, PgAccessStore, USER } from './access.store.ts';
import { changes, fieldsOf, row, rows, type Sql } from './booking/sql.ts';
import { atomically } from './db.ts';

type AuditRow = Omit<PeopleAuditRecord, 'before' | 'after'> & { before: string | null; after: string | null };

const AUDIT = fieldsOf(['id', 'officeId', 'at', 'userId', 'username', 'via', 'entity', 'entityId', 'action', 'before', 'after']);

const auditOf = (r: AuditRow): PeopleAuditRecord => ({
  ...r,
  before: r.before === null ? null : (JSON.parse(r.before) as PeopleAuditRecord['before']),
  after: r.after === null ? null : (JSON.parse(r.after) as PeopleAuditRecord['after']),
});

/** UserPatch field → column; the flag is a 0/1 column. */
const USER_COLUMNS: Readonly<Record<keyof UserPatch, string>> = {
  role: 'role',
  displayName: 'display_name',
  email: 'email',
  passwordHash: 'password_hash',
  mustChangePassword: 'must_change_password',
  disabledAt: 'disabled_at',
};

async function writeAudit(sql: Sql, a: PeopleAuditInput): Promise<void> {
  await sql.query(
    `INSERT INTO people_audit (office_id, at, user_id, username, via, entity, entity_id, action, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
    [a.officeId, a.at, a.userId, a.username, a.via, a.entity, a.entityId, a.action, a.before === null ? null : JSON.stringify(a.before), a.after === null ? null : JSON.stringify(a.after)],
  );
}

/**
 * The access store with the back office's writes, on PostgreSQL: each write and its audit row are
 * one transaction (the caller's, or one of its own). A disabled user's sessions end in the same
 * transaction; since no host remembers credentials (access.store.ts), every host refuses them at once.
 */
export class PgPeopleStore extends PgAccessStore implements PeopleStore {
  listUsers(officeId: string): Promise<UserRecord[]> {
    return rows<UserRecord>(this.sql, `SELECT ${USER} FROM users WHERE office_id = $1 ORDER BY ${CREATED}`, [officeId]);
  }

  findUser(id: string): Promise<UserRecord | null> {
    return this.userById(id);
  }

  async countEnabledAdmins(officeId: string): Promise<number> {
    return (await row<{ n: number }>(this.sql, `SELECT count(*) AS n FROM users WHERE office_id = $1 AND role = 'admin' AND disabled_at IS NULL`, [officeId]))!.n;
  }

  insertUser(user: UserRecord, audit: PeopleAuditInput): Promise<boolean> {
    return atomically(this.db, async (sql) => {
      if (!(await insertUserRow(sql, user))) return false;
      await writeAudit(sql, audit);
      return true;
    });
  }

  updateUser(id: string, patch: UserPatch, end: EndSessions, audit: PeopleAuditInput | null): Promise<UserRecord | null> {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    for (const [field, column] of Object.entries(USER_COLUMNS) as [keyof UserPatch, string][]) {
      const value = patch[field];
      if (value === undefined) continue;
      values.push(typeof value === 'boolean' ? (value ? 1 : 0) : value);
      sets.push(`${column} = $${values.length}`);
    }
    return atomically(this.db, async (sql) => {
      if (sets.length > 0 && (await changes(sql, `UPDATE users SET ${sets.join(', ')} WHERE id = $${values.length + 1}`, [...values, id])) === 0) return null;
      if (end.kind === 'all') await sql.query('DELETE FROM sessions WHERE user_id = $1', [id]);
      if (end.kind === 'all-but') await sql.query('DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2', [id, end.tokenHash]);
      if (audit !== null) await writeAudit(sql, audit);
      return row<UserRecord>(sql, `SELECT ${USER} FROM users WHERE id = $1`, [id]);
    });
  }

  findDevice(id: string): Promise<DeviceRecord | null> {
    return row<DeviceRecord>(this.sql, `SELECT ${DEVICE} FROM devices WHERE id = $1`, [id]);
  }

  insertDevice(device: DeviceRecord, tokenHash: string, audit: PeopleAuditInput): Promise<void> {
    return atomically(this.db, async (sql) => {
      await insertDeviceRow(sql, device, tokenHash);
      await writeAudit(sql, audit);
    });
  }

  updateDevice(id: string, patch: { name?: string; revokedAt?: number }, audit: PeopleAuditInput): Promise<DeviceRecord | null> {
    return atomically(this.db, async (sql) => {
      // The row locked: a rename and a revocation on two hosts apply one after the other.
      const current = await row<{ id: string }>(sql, 'SELECT id FROM devices WHERE id = $1 FOR UPDATE', [id]);
      if (current === null) return null;
      if (patch.name !== undefined) await sql.query('UPDATE devices SET name = $1 WHERE id = $2', [patch.name, id]);
      if (patch.revokedAt !== undefined) await sql.query('UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [patch.revokedAt, id]);
      await writeAudit(sql, audit);
      return row<DeviceRecord>(sql, `SELECT ${DEVICE} FROM devices WHERE id = $1`, [id]);
    });
  }

  recordAudit(audit: PeopleAuditInput): Promise<void> {
    return writeAudit(this.sql, audit);
  }

  insertOffice(office: Office, audit: PeopleAuditInput): Promise<boolean> {
    const o = officeToRow(office);
    return atomically(this.db, async (sql) => {
      const inserted = await changes(
        sql,
        `INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
        [o.id, o.name, o.time_zone, o.languages, o.hours, o.closed_days, o.settings],
      );
      if (inserted === 0) return false;
      await writeAudit(sql, audit);
      return true;
    });
  }

  async listAudit(officeId: string, limit: number, before?: number): Promise<PeopleAuditRecord[]> {
    const found = await rows<AuditRow>(this.sql, `SELECT ${AUDIT} FROM people_audit WHERE office_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3`, [
      officeId,
      before ?? Number.MAX_SAFE_INTEGER,
      limit,
    ]);
    return found.map(auditOf);
  }
}

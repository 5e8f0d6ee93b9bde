import type { Database, Statement } from 'better-sqlite3';
import type { DeviceRecord, UserRecord } from '../core/access/access.ts';
import type { EndSessions, PeopleAuditInput, PeopleAuditRecord, PeopleStore, UserPatch } from '../core/access/people.ts';
import type { Office } from '../core/shared/model.ts';
import { deviceFromRow, SqliteAccessStore, userFromRow } from './access.store.ts';
import { officeToRow } from './rows.ts';
import { storeWrite } from './write-gate.ts';

interface AuditRow {
  id: number;
  office_id: string;
  at: number;
  user_id: string | null;
  username: string | null;
  via: PeopleAuditInput['via'];
  entity: PeopleAuditInput['entity'];
  entity_id: string;
  action: PeopleAuditInput['action'];
  before: string | null;
  after: string | null;
}

const auditFromRow = (r: AuditRow): PeopleAuditRecord => ({
  id: r.id,
  officeId: r.office_id,
  at: r.at,
  userId: r.user_id,
  username: r.username,
  via: r.via,
  entity: r.entity,
  entityId: r.entity_id,
  action: r.action,
  before: r.before === null ? null : (JSON.parse(r.before) as PeopleAuditRecord['before']),
  after: r.after === null ? null : (JSON.parse(r.after) as PeopleAuditRecord['after']),
});

/**
 * The access store with the back office's writes. One object serves both ports on purpose: the
 * access store remembers who a token belongs to, and a write here (a user disabled, a device
 * revoked) must make it forget at once, on this same connection, where PRAGMA data_version
 * does not move. Each write and its audit row are one IMMEDIATE transaction.
 */
export class SqlitePeopleStore extends SqliteAccessStore implements PeopleStore {
  private readonly q: Record<string, Statement>;

  constructor(db: Database) {
    super(db);
    const p = (sql: string): Statement => db.prepare(sql);
    this.q = {
      users: p('SELECT * FROM users WHERE office_id = ? ORDER BY created_at, rowid'),
      user: p('SELECT * FROM users WHERE id = ?'),
      admins: p(`SELECT count(*) FROM users WHERE office_id = ? AND role = 'admin' AND disabled_at IS NULL`).pluck(),
      endAll: p('DELETE FROM sessions WHERE user_id = ?'),
      endAllBut: p('DELETE FROM sessions WHERE user_id = ? AND token_hash <> ?'),
      device: p('SELECT * FROM devices WHERE id = ?'),
      audit: p(`INSERT INTO people_audit (office_id, at, user_id, username, via, entity, entity_id, action, before, after)
        VALUES (@officeId, @at, @userId, @username, @via, @entity, @entityId, @action, @before, @after)`),
      insertOffice: p(`INSERT INTO offices (id, name, time_zone, languages, hours, closed_days, settings)
        VALUES (@id, @name, @time_zone, @languages, @hours, @closed_days, @settings) ON CONFLICT (id) DO NOTHING`),
      rename: p('UPDATE devices SET name = ? WHERE id = ?'),
      auditPage: p('SELECT * FROM people_audit WHERE office_id = ? AND id < ? ORDER BY id DESC LIMIT ?'),
    };
  }

  /** A write and its audit row: one unit of the group commit (write-gate.ts). */
  private tx<T>(work: () => T): Promise<T> {
    return storeWrite(this.database, () => {
      this.known.clear();
      return work();
    });
  }

  private writeAudit(a: PeopleAuditInput): void {
    this.q['audit']!.run({ ...a, before: a.before === null ? null : JSON.stringify(a.before), after: a.after === null ? null : JSON.stringify(a.after) });
  }

  listUsers(officeId: string): Promise<UserRecord[]> {
    return Promise.resolve((this.q['users']!.all(officeId) as Parameters<typeof userFromRow>[0][]).map(userFromRow));
  }

  findUser(id: string): Promise<UserRecord | null> {
    const r = this.q['user']!.get(id) as Parameters<typeof userFromRow>[0] | undefined;
    return Promise.resolve(r === undefined ? null : userFromRow(r));
  }

  countEnabledAdmins(officeId: string): Promise<number> {
    return Promise.resolve(this.q['admins']!.get(officeId) as number);
  }

  insertUser(user: UserRecord, audit: PeopleAuditInput): Promise<boolean> {
    return this.tx(() => {
      if (!this.insertUserRow(user)) return false;
      this.writeAudit(audit);
      return true;
    });
  }

  updateUser(id: string, patch: UserPatch, end: EndSessions, audit: PeopleAuditInput | null): Promise<UserRecord | null> {
    const sets: string[] = [];
    const values: (string | number | null)[] = [];
    const set = (column: string, value: string | number | null): void => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (patch.role !== undefined) set('role', patch.role);
    if (patch.displayName !== undefined) set('display_name', patch.displayName);
    if (patch.email !== undefined) set('email', patch.email);
    if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
    if (patch.mustChangePassword !== undefined) set('must_change_password', patch.mustChangePassword ? 1 : 0);
    if (patch.disabledAt !== undefined) set('disabled_at', patch.disabledAt);
    return this.tx(() => {
        if (sets.length > 0 && this.database.prepare(`UPDATE users SET ${sets.join(', ')} WHERE id = ?`).run(...values, id).changes === 0) return null;
        if (end.kind === 'all') this.q['endAll']!.run(id);
        if (end.kind === 'all-but') this.q['endAllBut']!.run(id, end.tokenHash);
        if (audit !== null) this.writeAudit(audit);
        const r = this.q['user']!.get(id) as Parameters<typeof userFromRow>[0] | undefined;
        return r === undefined ? null : userFromRow(r);
    });
  }

  findDevice(id: string): Promise<DeviceRecord | null> {
    const r = this.q['device']!.get(id) as Parameters<typeof deviceFromRow>[0] | undefined;
    return Promise.resolve(r === undefined ? null : deviceFromRow(r));
  }

  insertDevice(device: DeviceRecord, tokenHash: string, audit: PeopleAuditInput): Promise<void> {
    return this.tx(() => {
      this.insertDeviceRow(device, tokenHash);
      this.writeAudit(audit);
    });
  }

  updateDevice(id: string, patch: { name?: string; revokedAt?: number }, audit: PeopleAuditInput): Promise<DeviceRecord | null> {
    return this.tx(() => {
        const current = this.q['device']!.get(id) as Parameters<typeof deviceFromRow>[0] | undefined;
        if (current === undefined) return null;
        if (patch.name !== undefined) this.q['rename']!.run(patch.name, id);
        if (patch.revokedAt !== undefined) this.revokeDeviceRow(id, patch.revokedAt);
        this.writeAudit(audit);
        return deviceFromRow(this.q['device']!.get(id) as Parameters<typeof deviceFromRow>[0]);
    });
  }

  recordAudit(audit: PeopleAuditInput): Promise<void> {
    return this.tx(() => this.writeAudit(audit));
  }

  insertOffice(office: Office, audit: PeopleAuditInput): Promise<boolean> {
    return this.tx(() => {
      if (this.q['insertOffice']!.run(officeToRow(office)).changes === 0) return false;
      this.writeAudit(audit);
      return true;
    });
  }

  listAudit(officeId: string, limit: number, before?: number): Promise<PeopleAuditRecord[]> {
    return Promise.resolve((this.q['auditPage']!.all(officeId, before ?? Number.MAX_SAFE_INTEGER, limit) as AuditRow[]).map(auditFromRow));
  }
}

import type { Database, Statement } from 'better-sqlite3';
import type { AccessStore, DeviceRecord, UserRecord } from '../core/access.ts';

interface UserRow {
  id: string;
  office_id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  password_hash: string;
  disabled_at: number | null;
}

interface DeviceRow {
  id: string;
  office_id: string;
  kind: DeviceRecord['kind'];
  name: string;
  printer: DeviceRecord['printer'];
  created_at: number;
  revoked_at: number | null;
}

const userFromRow = (r: UserRow): UserRecord => ({
  id: r.id,
  officeId: r.office_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  disabledAt: r.disabled_at,
});

const deviceFromRow = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  officeId: r.office_id,
  kind: r.kind,
  name: r.name,
  printer: r.printer,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

/** Users, sessions and devices. Each write is its own small durable transaction. */
export class SqliteAccessStore implements AccessStore {
  private readonly s: Record<string, Statement>;

  constructor(db: Database) {
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      userByName: p('SELECT * FROM users WHERE username = ?'),
      userById: p('SELECT * FROM users WHERE id = ?'),
      insertUser: p(`INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`),
      setPassword: p('UPDATE users SET password_hash = ? WHERE id = ?'),
      insertSession: p('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      purgeSessions: p('DELETE FROM sessions WHERE expires_at <= ?'),
      sessionUser: p(`SELECT u.* FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`),
      deleteSession: p('DELETE FROM sessions WHERE token_hash = ?'),
      deviceByToken: p('SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL'),
      insertDevice: p('INSERT INTO devices (id, office_id, kind, name, printer, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      revokeDevice: p('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      devices: p('SELECT * FROM devices WHERE office_id = ? ORDER BY created_at, id'),
    };
  }

  userByUsername(username: string) {
    const r = this.s['userByName']!.get(username) as UserRow | undefined;
    return r === undefined ? null : userFromRow(r);
  }

  userById(id: string) {
    const r = this.s['userById']!.get(id) as UserRow | undefined;
    return r === undefined ? null : userFromRow(r);
  }

  createUser(u: UserRecord, createdAt: number): boolean {
    return this.s['insertUser']!.run(u.id, u.officeId, u.username, u.displayName, u.role, u.passwordHash, createdAt).changes === 1;
  }

  setPassword(userId: string, passwordHash: string): boolean {
    return this.s['setPassword']!.run(passwordHash, userId).changes === 1;
  }

  createSession(tokenHash: string, userId: string, createdAt: number, expiresAt: number): void {
    // Sign-ins are rare enough to sweep expired sessions here instead of in a timer.
    this.s['purgeSessions']!.run(createdAt);
    this.s['insertSession']!.run(tokenHash, userId, createdAt, expiresAt);
  }

  sessionUser(tokenHash: string, now: number) {
    const r = this.s['sessionUser']!.get(tokenHash, now) as UserRow | undefined;
    return r === undefined ? null : userFromRow(r);
  }

  deleteSession(tokenHash: string): void {
    this.s['deleteSession']!.run(tokenHash);
  }

  deviceByTokenHash(tokenHash: string) {
    const r = this.s['deviceByToken']!.get(tokenHash) as DeviceRow | undefined;
    return r === undefined ? null : deviceFromRow(r);
  }

  createDevice(d: DeviceRecord, tokenHash: string): void {
    this.s['insertDevice']!.run(d.id, d.officeId, d.kind, d.name, d.printer, tokenHash, d.createdAt);
  }

  revokeDevice(id: string, at: number): boolean {
    return this.s['revokeDevice']!.run(at, id).changes === 1;
  }

  listDevices(officeId: string) {
    return (this.s['devices']!.all(officeId) as DeviceRow[]).map(deviceFromRow);
  }
}

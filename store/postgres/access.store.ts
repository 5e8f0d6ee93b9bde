import type { AccessStore, DeviceRecord, UserRecord } from '../../core/access/access.ts';
import { changes, fieldsOf, row, rows, type Sql } from './booking/sql.ts';
import { atomically, sqlOf, type PgDb } from './db.ts';

/** A user row in the model's shape (the two flags are 0/1 columns, as on SQLite). */
export const USER = fieldsOf(['id', 'officeId', 'username', 'displayName', 'role', 'passwordHash', 'disabledAt', 'email', 'isInstallAdmin', 'mustChangePassword', 'createdAt'], {
  isInstallAdmin: 'is_install_admin = 1',
  mustChangePassword: 'must_change_password = 1',
});
export const DEVICE = fieldsOf(['id', 'officeId', 'kind', 'name', 'printer', 'createdAt', 'revokedAt', 'lastSeenAt']);
/**
 * Creation order. SQLite breaks ties of one millisecond (the demo's two kiosks) by rowid; a
 * PostgreSQL table has no insertion order to read, so ties go by id.
 */
export const CREATED = 'created_at, id COLLATE "C"';

/** Remembered sightings past this many are dropped all at once (the map is bounded, not an LRU). */
const SEEN_MAX = 10_000;
/** A device's last sighting is written at most this often (ms). */
const SEEN_EVERY_MS = 60_000;

/**
 * Users, sessions and devices on PostgreSQL. Unlike the SQLite adapter this one remembers no
 * credentials: several hosts share the database, and a user disabled or a device revoked through
 * one host must be refused by every other at its next request — each lookup is one indexed query.
 * Only the throttle of `deviceSeen` is per process (a sighting written late is harmless).
 */
export class PgAccessStore implements AccessStore {
  constructor(protected readonly db: PgDb) {}

  protected get sql(): Sql {
    return sqlOf(this.db);
  }

  userByUsername(username: string): Promise<UserRecord | null> {
    return row<UserRecord>(this.sql, `SELECT ${USER} FROM users WHERE username = $1`, [username]);
  }

  userById(id: string): Promise<UserRecord | null> {
    return row<UserRecord>(this.sql, `SELECT ${USER} FROM users WHERE id = $1`, [id]);
  }

  createUser(u: UserRecord): Promise<boolean> {
    return insertUserRow(this.sql, u);
  }

  async setPassword(userId: string, passwordHash: string): Promise<boolean> {
    return (await changes(this.sql, 'UPDATE users SET password_hash = $1 WHERE id = $2', [passwordHash, userId])) === 1;
  }

  createSession(tokenHash: string, userId: string, createdAt: number, expiresAt: number): Promise<void> {
    return atomically(this.db, async (sql) => {
      // Sign-ins are rare enough to sweep expired sessions here instead of in a timer.
      await sql.query('DELETE FROM sessions WHERE expires_at <= $1', [createdAt]);
      await sql.query('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [tokenHash, userId, createdAt, expiresAt]);
    });
  }

  sessionUser(tokenHash: string, now: number): Promise<UserRecord | null> {
    return row<UserRecord>(
      this.sql,
      `SELECT ${USER} FROM users WHERE disabled_at IS NULL AND id = (SELECT user_id FROM sessions WHERE token_hash = $1 AND expires_at > $2)`,
      [tokenHash, now],
    );
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.sql.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
  }

  deviceByTokenHash(tokenHash: string): Promise<DeviceRecord | null> {
    return row<DeviceRecord>(this.sql, `SELECT ${DEVICE} FROM devices WHERE token_hash = $1 AND revoked_at IS NULL`, [tokenHash]);
  }

  createDevice(d: DeviceRecord, tokenHash: string): Promise<void> {
    return insertDeviceRow(this.sql, d, tokenHash);
  }

  async revokeDevice(id: string, at: number): Promise<boolean> {
    return (await changes(this.sql, 'UPDATE devices SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])) === 1;
  }

  /** When each device's last sighting was written: a request does not write more than once a minute. */
  private readonly seenWritten = new Map<string, number>();

  async deviceSeen(id: string, at: number): Promise<void> {
    const last = this.seenWritten.get(id);
    if (last !== undefined && at - last < SEEN_EVERY_MS && at >= last) return;
    if (this.seenWritten.size >= SEEN_MAX) this.seenWritten.clear();
    this.seenWritten.set(id, at);
    await this.sql.query('UPDATE devices SET last_seen_at = $1 WHERE id = $2', [at, id]);
  }

  listDevices(officeId: string): Promise<DeviceRecord[]> {
    return rows<DeviceRecord>(this.sql, `SELECT ${DEVICE} FROM devices WHERE office_id = $1 ORDER BY ${CREATED}`, [officeId]);
  }
}

/** False when the user name is taken (nothing written). */
export async function insertUserRow(sql: Sql, u: UserRecord): Promise<boolean> {
  const inserted = await changes(
    sql,
    `INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at, email, is_install_admin, must_change_password)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (username) DO NOTHING`,
    [u.id, u.officeId, u.username, u.displayName, u.role, u.passwordHash, u.createdAt, u.email, u.isInstallAdmin ? 1 : 0, u.mustChangePassword ? 1 : 0],
  );
  return inserted === 1;
}

export async function insertDeviceRow(sql: Sql, d: DeviceRecord, tokenHash: string): Promise<void> {
  await sql.query('INSERT INTO devices (id, office_id, kind, name, printer, token_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
    d.id,
    d.officeId,
    d.kind,
    d.name,
    d.printer,
    tokenHash,
    d.createdAt,
  ]);
}

import type { Database, Statement } from 'better-sqlite3';
import { storeWrite } from './write-gate.ts';
import type { AccessStore, DeviceRecord, UserRecord } from '../core/access/access.ts';

interface UserRow {
  id: string;
  office_id: string;
  username: string;
  display_name: string;
  role: UserRecord['role'];
  password_hash: string;
  disabled_at: number | null;
  email: string | null;
  is_install_admin: number;
  must_change_password: number;
  created_at: number;
}

interface DeviceRow {
  id: string;
  office_id: string;
  kind: DeviceRecord['kind'];
  name: string;
  printer: DeviceRecord['printer'];
  created_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
}

export const userFromRow = (r: UserRow): UserRecord => ({
  id: r.id,
  officeId: r.office_id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  passwordHash: r.password_hash,
  disabledAt: r.disabled_at,
  email: r.email,
  isInstallAdmin: r.is_install_admin === 1,
  mustChangePassword: r.must_change_password === 1,
  createdAt: r.created_at,
});

export const deviceFromRow = (r: DeviceRow): DeviceRecord => ({
  id: r.id,
  officeId: r.office_id,
  kind: r.kind,
  name: r.name,
  printer: r.printer,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
  lastSeenAt: r.last_seen_at,
});

/** Remembered answers past this many are dropped all at once (the map is bounded, not an LRU). */
const KNOWN_MAX = 10_000;
/** A device's last sighting is written at most this often (ms). */
const SEEN_EVERY_MS = 60_000;

/** Users, sessions and devices. Each write is its own small durable transaction. */
export class SqliteAccessStore implements AccessStore {
  private readonly s: Record<string, Statement>;
  /**
   * Who a token hash belongs to, remembered: every API request asks, and a lookup (a join for
   * sessions) per request was a tenth of a ticket's cost. Only found credentials are kept, so
   * random tokens cannot grow it. Every write through this store forgets all; writes by another
   * connection (the CLI revoking a device) are noticed through PRAGMA data_version, read on
   * every lookup (it costs a fraction of the lookup, and a revocation then holds at once).
   */
  protected readonly known = new Map<string, { device: DeviceRecord } | { user: UserRecord; expiresAt: number }>();
  private dataVersion = -1;
  protected readonly database: Database;

  constructor(db: Database) {
    this.database = db;
    const p = (sql: string): Statement => db.prepare(sql);
    this.s = {
      userByName: p('SELECT * FROM users WHERE username = ?'),
      userById: p('SELECT * FROM users WHERE id = ?'),
      insertUser: p(`INSERT INTO users (id, office_id, username, display_name, role, password_hash, created_at, email, is_install_admin, must_change_password)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (username) DO NOTHING`),
      setPassword: p('UPDATE users SET password_hash = ? WHERE id = ?'),
      insertSession: p('INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)'),
      purgeSessions: p('DELETE FROM sessions WHERE expires_at <= ?'),
      sessionUser: p(`SELECT u.*, s.expires_at AS session_expires_at FROM sessions s JOIN users u ON u.id = s.user_id
        WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled_at IS NULL`),
      deleteSession: p('DELETE FROM sessions WHERE token_hash = ?'),
      deviceByToken: p('SELECT * FROM devices WHERE token_hash = ? AND revoked_at IS NULL'),
      insertDevice: p('INSERT INTO devices (id, office_id, kind, name, printer, token_hash, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      revokeDevice: p('UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL'),
      // Creation order: devices made in the same millisecond (the demo's two kiosks) keep the order they were made in.
      devices: p('SELECT * FROM devices WHERE office_id = ? ORDER BY created_at, rowid'),
      deviceSeen: p('UPDATE devices SET last_seen_at = ? WHERE id = ?'),
      dataVersion: p('PRAGMA data_version').pluck(),
    };
  }

  /** Forget remembered credentials if another connection committed since the last look. */
  private fresh(): void {
    const v = this.s['dataVersion']!.get() as number;
    if (v !== this.dataVersion) {
      this.dataVersion = v;
      this.known.clear();
    }
  }

  private remember(tokenHash: string, who: { device: DeviceRecord } | { user: UserRecord; expiresAt: number }): void {
    if (this.known.size >= KNOWN_MAX) this.known.clear();
    this.known.set(tokenHash, who);
  }

  async userByUsername(username: string) {
    const r = this.s['userByName']!.get(username) as UserRow | undefined;
    return r === undefined ? null : userFromRow(r);
  }

  async userById(id: string) {
    const r = this.s['userById']!.get(id) as UserRow | undefined;
    return r === undefined ? null : userFromRow(r);
  }

  createUser(u: UserRecord): Promise<boolean> {
    return storeWrite(this.database, () => this.insertUserRow(u));
  }

  /** The row alone, inside a write already under way (the people store adds its audit). */
  protected insertUserRow(u: UserRecord): boolean {
    const row = [u.id, u.officeId, u.username, u.displayName, u.role, u.passwordHash, u.createdAt, u.email, u.isInstallAdmin ? 1 : 0, u.mustChangePassword ? 1 : 0];
    return this.s['insertUser']!.run(...row).changes === 1;
  }

  setPassword(userId: string, passwordHash: string): Promise<boolean> {
    return storeWrite(this.database, () => {
      this.known.clear();
      return this.s['setPassword']!.run(passwordHash, userId).changes === 1;
    });
  }

  createSession(tokenHash: string, userId: string, createdAt: number, expiresAt: number): Promise<void> {
    return storeWrite(this.database, () => {
      // Sign-ins are rare enough to sweep expired sessions here instead of in a timer.
      this.known.clear();
      this.s['purgeSessions']!.run(createdAt);
      this.s['insertSession']!.run(tokenHash, userId, createdAt, expiresAt);
    });
  }

  async sessionUser(tokenHash: string, now: number) {
    this.fresh();
    const known = this.known.get(tokenHash);
    if (known !== undefined && 'user' in known && known.expiresAt > now) return known.user;
    const r = this.s['sessionUser']!.get(tokenHash, now) as (UserRow & { session_expires_at: number }) | undefined;
    if (r === undefined) return null;
    const user = userFromRow(r);
    this.remember(tokenHash, { user, expiresAt: r.session_expires_at });
    return user;
  }

  deleteSession(tokenHash: string): Promise<void> {
    return storeWrite(this.database, () => {
      this.known.clear();
      this.s['deleteSession']!.run(tokenHash);
    });
  }

  async deviceByTokenHash(tokenHash: string) {
    this.fresh();
    const known = this.known.get(tokenHash);
    if (known !== undefined && 'device' in known) return known.device;
    const r = this.s['deviceByToken']!.get(tokenHash) as DeviceRow | undefined;
    if (r === undefined) return null;
    const device = deviceFromRow(r);
    this.remember(tokenHash, { device });
    return device;
  }

  createDevice(d: DeviceRecord, tokenHash: string): Promise<void> {
    return storeWrite(this.database, () => this.insertDeviceRow(d, tokenHash));
  }

  protected insertDeviceRow(d: DeviceRecord, tokenHash: string): void {
    this.known.clear();
    this.s['insertDevice']!.run(d.id, d.officeId, d.kind, d.name, d.printer, tokenHash, d.createdAt);
  }

  revokeDevice(id: string, at: number): Promise<boolean> {
    return storeWrite(this.database, () => this.revokeDeviceRow(id, at));
  }

  protected revokeDeviceRow(id: string, at: number): boolean {
    this.known.clear();
    return this.s['revokeDevice']!.run(at, id).changes === 1;
  }

  /** When each device's last sighting was written: a request does not write more than once a minute. */
  private readonly seenWritten = new Map<string, number>();

  deviceSeen(id: string, at: number): Promise<void> {
    const last = this.seenWritten.get(id);
    if (last !== undefined && at - last < SEEN_EVERY_MS && at >= last) return Promise.resolve();
    if (this.seenWritten.size >= KNOWN_MAX) this.seenWritten.clear();
    this.seenWritten.set(id, at);
    return storeWrite(this.database, () => {
      this.s['deviceSeen']!.run(at, id);
    });
  }

  async listDevices(officeId: string) {
    return (this.s['devices']!.all(officeId) as DeviceRow[]).map(deviceFromRow);
  }
}

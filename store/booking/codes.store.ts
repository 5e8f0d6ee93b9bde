import type { Database } from 'better-sqlite3';
import type { CodeEntryGuardStore, ConfirmationStore, SmsCode, TokenLookup, TokenPurpose } from '../../core/booking/ports.ts';

interface SmsCodeRow {
  booking_id: string;
  code_hash: string;
  expires_at: number;
  tries_left: number;
  sends: number;
  resend_after: number;
}

const confirmationStatements = (db: Database) => ({
  insertToken: db.prepare<[string, string, TokenPurpose, number]>('INSERT INTO booking_tokens (hash, booking_id, purpose, expires_at) VALUES (?, ?, ?, ?)'),
  token: db.prepare<[string, TokenPurpose], { booking_id: string; expires_at: number; used_at: number | null }>(
    'SELECT * FROM booking_tokens WHERE hash = ? AND purpose = ?',
  ),
  useToken: db.prepare<[number, string, number]>('UPDATE booking_tokens SET used_at = ? WHERE hash = ? AND used_at IS NULL AND expires_at > ?'),
  smsCode: db.prepare<[string], SmsCodeRow>('SELECT * FROM sms_codes WHERE booking_id = ?'),
  putSmsCode: db.prepare<[string, string, number, number, number, number]>(`INSERT INTO sms_codes (booking_id, code_hash, expires_at, tries_left, sends, resend_after)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (booking_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
      tries_left = excluded.tries_left, sends = excluded.sends, resend_after = excluded.resend_after`),
  spendTry: db.prepare<[string], { tries_left: number }>('UPDATE sms_codes SET tries_left = max(0, tries_left - 1) WHERE booking_id = ? RETURNING tries_left'),
  deleteSmsCode: db.prepare<[string]>('DELETE FROM sms_codes WHERE booking_id = ?'),
});

/** The SQLite adapter of confirmation secrets (link tokens and SMS codes, stored as hashes). */
export class SqliteConfirmationStore implements ConfirmationStore {
  private readonly s: ReturnType<typeof confirmationStatements>;

  constructor(db: Database) {
    this.s = confirmationStatements(db);
  }

  async insertToken(hash: string, bookingId: string, purpose: TokenPurpose, expiresAt: number): Promise<void> {
    this.s.insertToken.run(hash, bookingId, purpose, expiresAt);
  }

  async peekToken(hash: string, purpose: TokenPurpose, now: number): Promise<TokenLookup> {
    const r = this.s.token.get(hash, purpose);
    if (r === undefined) return { kind: 'unknown' };
    if (r.used_at !== null) return { kind: 'used', bookingId: r.booking_id };
    if (r.expires_at <= now) return { kind: 'expired' };
    return { kind: 'valid', bookingId: r.booking_id };
  }

  async consumeToken(hash: string, purpose: TokenPurpose, now: number): Promise<TokenLookup> {
    const seen = await this.peekToken(hash, purpose, now);
    if (seen.kind !== 'valid') return seen;
    return this.s.useToken.run(now, hash, now).changes === 1 ? seen : { kind: 'used', bookingId: seen.bookingId };
  }

  async smsCode(bookingId: string): Promise<SmsCode | null> {
    const r = this.s.smsCode.get(bookingId);
    return r === undefined
      ? null
      : { bookingId: r.booking_id, codeHash: r.code_hash, expiresAt: r.expires_at, triesLeft: r.tries_left, sends: r.sends, resendAfter: r.resend_after };
  }

  async putSmsCode(c: SmsCode): Promise<void> {
    this.s.putSmsCode.run(c.bookingId, c.codeHash, c.expiresAt, c.triesLeft, c.sends, c.resendAfter);
  }

  async spendTry(bookingId: string): Promise<number> {
    return this.s.spendTry.get(bookingId)?.tries_left ?? 0;
  }

  async deleteSmsCode(bookingId: string): Promise<void> {
    this.s.deleteSmsCode.run(bookingId);
  }
}

const guardStatements = (db: Database) => ({
  lockedUntil: db.prepare<[string, number], number>('SELECT locked_until FROM kiosk_code_locks WHERE device_id = ? AND locked_until > ?').pluck(),
  pruneFailures: db.prepare<[string, number]>('DELETE FROM kiosk_code_failures WHERE device_id = ? AND at <= ?'),
  addFailure: db.prepare<[string, number]>('INSERT INTO kiosk_code_failures (device_id, at) VALUES (?, ?)'),
  countFailures: db.prepare<[string, number], number>('SELECT count(*) FROM kiosk_code_failures WHERE device_id = ? AND at > ?').pluck(),
  lock: db.prepare<[string, number]>(`INSERT INTO kiosk_code_locks (device_id, locked_until) VALUES (?, ?)
    ON CONFLICT (device_id) DO UPDATE SET locked_until = excluded.locked_until`),
});

/** The SQLite adapter of the kiosks' guard against guessed codes. */
export class SqliteCodeEntryGuard implements CodeEntryGuardStore {
  private readonly s: ReturnType<typeof guardStatements>;

  constructor(db: Database) {
    this.s = guardStatements(db);
  }

  async codeEntryLockedUntil(deviceId: string, now: number): Promise<number | null> {
    return this.s.lockedUntil.get(deviceId, now) ?? null;
  }

  async recordCodeFailure(deviceId: string, at: number, windowMs: number): Promise<number> {
    this.s.pruneFailures.run(deviceId, at - windowMs);
    this.s.addFailure.run(deviceId, at);
    return this.s.countFailures.get(deviceId, at - windowMs) ?? 0;
  }

  async lockCodeEntry(deviceId: string, until: number): Promise<void> {
    this.s.lock.run(deviceId, until);
    this.s.pruneFailures.run(deviceId, until);
  }
}

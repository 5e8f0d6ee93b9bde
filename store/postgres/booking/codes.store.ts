import type { CodeEntryGuardStore, ConfirmationStore, SmsCode, TokenLookup, TokenPurpose } from '../../../core/booking/ports.ts';
import { changes, fieldsOf, row, type Async, type Sql } from './sql.ts';

const SMS_CODE = fieldsOf(['bookingId', 'codeHash', 'expiresAt', 'triesLeft', 'sends', 'resendAfter']);

/** The PostgreSQL adapter of confirmation secrets (link tokens and SMS codes, stored as hashes). */
export class PgConfirmationStore implements Async<ConfirmationStore> {
  constructor(private readonly sql: Sql) {}

  async insertToken(hash: string, bookingId: string, purpose: TokenPurpose, expiresAt: number): Promise<void> {
    await this.sql.query('INSERT INTO booking_tokens (hash, booking_id, purpose, expires_at) VALUES ($1, $2, $3, $4)', [hash, bookingId, purpose, expiresAt]);
  }

  async peekToken(hash: string, purpose: TokenPurpose, now: number): Promise<TokenLookup> {
    const r = await row<{ bookingId: string; expiresAt: number; usedAt: number | null }>(
      this.sql,
      `SELECT ${fieldsOf(['bookingId', 'expiresAt', 'usedAt'])} FROM booking_tokens WHERE hash = $1 AND purpose = $2`,
      [hash, purpose],
    );
    if (r === null) return { kind: 'unknown' };
    if (r.usedAt !== null) return { kind: 'used', bookingId: r.bookingId };
    if (r.expiresAt <= now) return { kind: 'expired' };
    return { kind: 'valid', bookingId: r.bookingId };
  }

  /** The conditional UPDATE decides: of two hosts consuming one link at once, one gets `valid`. */
  async consumeToken(hash: string, purpose: TokenPurpose, now: number): Promise<TokenLookup> {
    const seen = await this.peekToken(hash, purpose, now);
    if (seen.kind !== 'valid') return seen;
    const used = await changes(this.sql, 'UPDATE booking_tokens SET used_at = $1 WHERE hash = $2 AND used_at IS NULL AND expires_at > $1', [now, hash]);
    return used === 1 ? seen : { kind: 'used', bookingId: seen.bookingId };
  }

  smsCode(bookingId: string): Promise<SmsCode | null> {
    return row<SmsCode>(this.sql, `SELECT ${SMS_CODE} FROM sms_codes WHERE booking_id = $1`, [bookingId]);
  }

  async putSmsCode(c: SmsCode): Promise<void> {
    await this.sql.query(
      `INSERT INTO sms_codes (booking_id, code_hash, expires_at, tries_left, sends, resend_after) VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (booking_id) DO UPDATE SET code_hash = excluded.code_hash, expires_at = excluded.expires_at,
        tries_left = excluded.tries_left, sends = excluded.sends, resend_after = excluded.resend_after`,
      [c.bookingId, c.codeHash, c.expiresAt, c.triesLeft, c.sends, c.resendAfter],
    );
  }

  async spendTry(bookingId: string): Promise<number> {
    const r = await row<{ n: number }>(this.sql, 'UPDATE sms_codes SET tries_left = GREATEST(0, tries_left - 1) WHERE booking_id = $1 RETURNING tries_left AS n', [
      bookingId,
    ]);
    return r?.n ?? 0;
  }

  async deleteSmsCode(bookingId: string): Promise<void> {
    await this.sql.query('DELETE FROM sms_codes WHERE booking_id = $1', [bookingId]);
  }
}

const PRUNE = 'DELETE FROM kiosk_code_failures WHERE device_id = $1 AND at <= $2';

/** The PostgreSQL adapter of the kiosks' guard against guessed codes. */
export class PgCodeEntryGuard implements Async<CodeEntryGuardStore> {
  constructor(private readonly sql: Sql) {}

  async codeEntryLockedUntil(deviceId: string, now: number): Promise<number | null> {
    const r = await row<{ until: number }>(this.sql, 'SELECT locked_until AS until FROM kiosk_code_locks WHERE device_id = $1 AND locked_until > $2', [deviceId, now]);
    return r?.until ?? null;
  }

  async recordCodeFailure(deviceId: string, at: number, windowMs: number): Promise<number> {
    await this.sql.query(PRUNE, [deviceId, at - windowMs]);
    await this.sql.query('INSERT INTO kiosk_code_failures (device_id, at) VALUES ($1, $2)', [deviceId, at]);
    const r = await row<{ n: number }>(this.sql, 'SELECT count(*) AS n FROM kiosk_code_failures WHERE device_id = $1 AND at > $2', [deviceId, at - windowMs]);
    return r?.n ?? 0;
  }

  async lockCodeEntry(deviceId: string, until: number): Promise<void> {
    await this.sql.query(
      `INSERT INTO kiosk_code_locks (device_id, locked_until) VALUES ($1, $2) ON CONFLICT (device_id) DO UPDATE SET locked_until = excluded.locked_until`,
      [deviceId, until],
    );
    await this.sql.query(PRUNE, [deviceId, until]);
  }
}

import type { CodeEntryGuardStore, ConfirmationStore, SmsCode, TokenLookup, TokenPurpose } from '../ports.ts';

interface Token {
  bookingId: string;
  purpose: TokenPurpose;
  expiresAt: number;
  usedAt: number | null;
}

/** In-memory confirmation secrets: a token is used once; a used one still names its booking. */
export function memoryConfirmationStore() {
  const tokens = new Map<string, Token>();
  const codes = new Map<string, SmsCode>();
  const peek = (hash: string, purpose: TokenPurpose, now: number): TokenLookup => {
    const t = tokens.get(hash);
    if (t === undefined || t.purpose !== purpose) return { kind: 'unknown' };
    if (t.usedAt !== null) return { kind: 'used', bookingId: t.bookingId };
    if (t.expiresAt <= now) return { kind: 'expired' };
    return { kind: 'valid', bookingId: t.bookingId };
  };
  return {
    insertToken: async (hash, bookingId, purpose, expiresAt) => {
      if (tokens.has(hash)) throw new Error('token exists');
      tokens.set(hash, { bookingId, purpose, expiresAt, usedAt: null });
    },
    peekToken: async (hash, purpose, now) => peek(hash, purpose, now),
    consumeToken: async (hash, purpose, now) => {
      const seen = peek(hash, purpose, now);
      if (seen.kind === 'valid') tokens.get(hash)!.usedAt = now;
      return seen;
    },
    smsCode: async (bookingId) => {
      const c = codes.get(bookingId);
      return c === undefined ? null : { ...c };
    },
    putSmsCode: async (code) => {
      codes.set(code.bookingId, { ...code });
    },
    spendTry: async (bookingId) => {
      const c = codes.get(bookingId);
      if (c === undefined) return 0;
      c.triesLeft = Math.max(0, c.triesLeft - 1);
      return c.triesLeft;
    },
    deleteSmsCode: async (bookingId) => {
      codes.delete(bookingId);
    },
  } satisfies ConfirmationStore;
}

/** In-memory guard of a kiosk's code entry: wrong codes counted in a sliding window, a lock until a time. */
export function memoryCodeEntryGuard() {
  const failures = new Map<string, number[]>();
  const locks = new Map<string, number>();
  const prune = (deviceId: string, upTo: number): void => {
    failures.set(deviceId, (failures.get(deviceId) ?? []).filter((at) => at > upTo));
  };
  return {
    codeEntryLockedUntil: async (deviceId, now) => {
      const until = locks.get(deviceId);
      return until !== undefined && until > now ? until : null;
    },
    recordCodeFailure: async (deviceId, at, windowMs) => {
      prune(deviceId, at - windowMs);
      failures.get(deviceId)!.push(at);
      return failures.get(deviceId)!.length;
    },
    lockCodeEntry: async (deviceId, until) => {
      locks.set(deviceId, until);
      prune(deviceId, until);
    },
  } satisfies CodeEntryGuardStore;
}

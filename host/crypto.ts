import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Keyed, Secrets } from '../core/booking-ports.ts';
import { CROCKFORD } from '../core/codes.ts';

/**
 * The booking secrets: one 256-bit master secret from configuration (FRONTA_SECRET_KEY, hex or
 * base64) or, for the demo, a random key file created in the data folder on first run. Keys for
 * HMAC and for AES-256-GCM are derived from it (HKDF), each with an id so they can rotate: a
 * sealed value names its key, and old keys stay readable when listed in `previous`.
 */
export interface KeyMaterial {
  current: Buffer;
  previous: readonly Buffer[];
}

export function parseKey(text: string): Buffer {
  const t = text.trim();
  const buf = /^[0-9a-f]{64,}$/i.test(t) ? Buffer.from(t, 'hex') : Buffer.from(t, 'base64');
  if (buf.length < 32) throw new Error('FRONTA_SECRET_KEY must hold at least 32 bytes (64 hex digits or base64)');
  return buf;
}

/** Reads the key from the environment value, else from `<dataDir>/secret.key`, creating it (0600) on first run. */
export function loadKeyMaterial(envValue: string | undefined, dataDir: string, previous: readonly string[] = []): KeyMaterial {
  if (envValue !== undefined && envValue !== '') return { current: parseKey(envValue), previous: previous.map(parseKey) };
  const file = join(dataDir, 'secret.key');
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  return { current: parseKey(readFileSync(file, 'utf8')), previous: previous.map(parseKey) };
}

const derive = (master: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);
const b64u = (b: Buffer): string => b.toString('base64url');

export function nodeKeyed(material: KeyMaterial): Keyed {
  // Identity keys are matched under every key still configured, each hash stored with its key's id.
  const hmacKeys = [material.current, ...material.previous].map((m) => {
    const key = derive(m, 'fronta hmac v1');
    return { keyId: keyId(key), key };
  });
  const hmacKey = hmacKeys[0]!.key;
  const mac = (key: Buffer, purpose: string, value: string): string => createHmac('sha256', key).update(purpose).update('\0').update(value).digest('hex');
  const sealKeys = new Map<string, Buffer>();
  for (const m of [material.current, ...material.previous]) {
    const k = derive(m, 'fronta seal v1');
    sealKeys.set(keyId(k), k);
  }
  const sealKey = derive(material.current, 'fronta seal v1');
  const sealId = keyId(sealKey);
  return {
    hmac: (purpose, value) => mac(hmacKey, purpose, value),
    hmacAll: (purpose, value) => hmacKeys.map((k) => ({ keyId: k.keyId, hash: mac(k.key, purpose, value) })),
    hashToken: (token) => createHash('sha256').update(token).digest('hex'),
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', sealKey, iv);
      const ct = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return `v1.${sealId}.${b64u(iv)}.${b64u(ct)}.${b64u(c.getAuthTag())}`;
    },
    open(sealed) {
      const [v, id, iv, ct, tag] = sealed.split('.');
      const key = id === undefined ? undefined : sealKeys.get(id);
      if (v !== 'v1' || key === undefined || iv === undefined || ct === undefined || tag === undefined) return null;
      try {
        const d = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
        d.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([d.update(Buffer.from(ct, 'base64url')), d.final()]).toString('utf8');
      } catch {
        return null;
      }
    },
    equal(a, b) {
      const x = Buffer.from(a, 'utf8');
      const y = Buffer.from(b, 'utf8');
      return x.length === y.length && timingSafeEqual(x, y);
    },
    sha256: (value) => createHash('sha256').update(value).digest('hex'),
    hmacWith: (key, value) => createHmac('sha256', key).update(value).digest('hex'),
  };
}

/** CSPRNG-backed secrets. */
export const nodeSecrets: Secrets = {
  token: () => b64u(randomBytes(32)),
  digits: (n) => Array.from({ length: n }, () => String(randomInt(10))).join(''),
  bookingNumber: () => Array.from({ length: 10 }, () => CROCKFORD[randomInt(32)]).join(''),
  id: () => b64u(randomBytes(12)),
};

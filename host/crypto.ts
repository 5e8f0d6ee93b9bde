import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Keyed, Secrets } from '../core/booking/ports.ts';
import { CROCKFORD } from '../core/booking/codes.ts';

/**
 * The booking secrets: one 256-bit master secret from configuration (FRONTA_SECRET_KEY, hex or
 * base64) or a random key file created on first run outside the data folder (`--key-file`). Keys for
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

/** A key file that must not be used as it is: the host refuses to start with this one line. */
export class KeyFileError extends Error {}

/** What loading the key needs from the configuration (see `BookingConfig`). */
export interface KeySettings {
  secretKey: string | undefined;
  keyFile: string;
  keyFileConfigured: boolean;
  previousKeys: readonly string[];
}

/** Where installs before the key became a setting kept it: beside the data it opens. */
export const legacyKeyFile = (dataDir: string): string => join(dataDir, 'secret.key');

/** The command that moves a data folder's key out of it (printed by the host and the docs). */
export const moveKeyCommand = (dataDir: string, settings: Pick<KeySettings, 'keyFile' | 'keyFileConfigured'>): string =>
  `fronta key move --data ${dataDir}${settings.keyFileConfigured ? ` --to ${settings.keyFile}` : ''}`;

function checkPrivate(file: string): void {
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KeyFileError(`the key file ${file} is open to group or others (mode ${mode.toString(8).padStart(3, '0')}); run: chmod 600 ${file}`);
  }
}

const sameKey = (a: string, b: string): boolean => readFileSync(a, 'utf8').trim() === readFileSync(b, 'utf8').trim();

/**
 * Which file holds the key, and a warning to print when it is still the data folder's. The
 * configured (or default) file wins; an install that kept `<data>/secret.key` goes on using it
 * (with the command to move it) until it is moved. Never silently a new key while an old one
 * exists: that would lose every sealed contact.
 */
export function resolveKeyFile(settings: KeySettings, dataDir: string): { file: string; warning: string | null } {
  const legacy = legacyKeyFile(dataDir);
  const hasLegacy = existsSync(legacy);
  if (existsSync(settings.keyFile)) {
    checkPrivate(settings.keyFile);
    if (!hasLegacy || resolve(legacy) === resolve(settings.keyFile)) return { file: settings.keyFile, warning: null };
    if (!sameKey(legacy, settings.keyFile)) {
      throw new KeyFileError(`two different keys: ${settings.keyFile} and ${legacy}; keep the one your data was sealed with and delete the other`);
    }
    return { file: settings.keyFile, warning: `${legacy} is a copy of the key ${settings.keyFile} inside the data folder; delete it: rm ${legacy}` };
  }
  if (hasLegacy) {
    if (settings.keyFileConfigured) throw new KeyFileError(`the key file ${settings.keyFile} does not exist, but the data folder holds the key; move it there: ${moveKeyCommand(dataDir, settings)}`);
    checkPrivate(legacy);
    return { file: legacy, warning: `the sealing key is inside the data folder (${legacy}), so a copy of the data carries the key to its contacts; move it out: ${moveKeyCommand(dataDir, settings)}` };
  }
  return { file: settings.keyFile, warning: null };
}

/** Writes a key file 0600 (its folder 0700) all at once: a reader never sees it half written, and an existing file is never replaced. */
function createKeyFile(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600, flag: 'wx' });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  try {
    linkSync(tmp, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** Reads the key from FRONTA_SECRET_KEY, else from its file (see `resolveKeyFile`), creating it (0600) on first run. */
export function loadKeyMaterial(settings: KeySettings, dataDir: string): KeyMaterial {
  const previous = settings.previousKeys.map(parseKey);
  if (settings.secretKey !== undefined && settings.secretKey !== '') return { current: parseKey(settings.secretKey), previous };
  const { file } = resolveKeyFile(settings, dataDir);
  if (!existsSync(file)) createKeyFile(file, randomBytes(32).toString('hex') + '\n');
  checkPrivate(file);
  return { current: parseKey(readFileSync(file, 'utf8')), previous };
}

/**
 * `fronta key move`: the data folder's key to `to` (0600), checked by reading it back, and only
 * then removed from the data folder. A different key already at `to` stops it.
 */
export function moveKey(dataDir: string, to: string): string {
  const from = legacyKeyFile(dataDir);
  if (!existsSync(from)) throw new KeyFileError(`no key in the data folder (${from}): nothing to move`);
  const target = resolve(to);
  const rel = relative(resolve(dataDir), target);
  if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))) throw new KeyFileError(`${target} is inside the data folder; give --to a path outside it`);
  const text = readFileSync(from, 'utf8');
  parseKey(text);
  if (existsSync(target)) {
    if (!sameKey(from, target)) throw new KeyFileError(`${target} already holds a different key; nothing moved`);
  } else {
    createKeyFile(target, text);
  }
  if (!sameKey(from, target)) throw new KeyFileError(`${target} does not read back as the key; nothing removed`);
  checkPrivate(target);
  unlinkSync(from);
  return target;
}

const derive = (master: Buffer, info: string): Buffer => Buffer.from(hkdfSync('sha256', master, Buffer.alloc(0), info, 32));
const keyId = (key: Buffer): string => createHash('sha256').update(key).digest('hex').slice(0, 8);
const b64u = (b: Buffer): string => b.toString('base64url');

/** The id a sealed value names (`v1.<id>.…`) for this master key: how the host tells whether a key opens its data. */
export const sealKeyId = (master: Buffer): string => keyId(derive(master, 'fronta seal v1'));

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

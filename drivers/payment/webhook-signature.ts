import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header carrying `t=<unix seconds>,v1=<hex HMAC-SHA256 of "t.rawbody">` (Stripe's scheme). */
export const SIGNATURE_HEADER = 'pay-signature';

/** Five minutes: older signatures are refused, so a captured webhook cannot be replayed later. */
export const DEFAULT_TOLERANCE_S = 300;

const hmac = (secret: string, t: number, rawBody: string | Buffer): string =>
  createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');

export function signWebhook(secret: string, rawBody: string | Buffer, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmac(secret, unixSeconds, rawBody)}`;
}

export type SignatureCheck = { ok: true; timestamp: number } | { ok: false; reason: 'missing' | 'malformed' | 'too_old' | 'bad_signature' };

/**
 * Verifies a webhook on its raw bytes (a re-serialised JSON body would not match), within a
 * tolerance either side of `nowSeconds`. Several `v1=` values are accepted (a provider signs with
 * the old and new secret while rotating); the comparison is constant-time.
 */
export function verifyWebhook(p: {
  secret: string;
  header: string | undefined;
  rawBody: string | Buffer;
  nowSeconds: number;
  toleranceSeconds?: number;
}): SignatureCheck {
  if (p.header === undefined || p.header === '') return { ok: false, reason: 'missing' };
  let t: number | null = null;
  const v1: string[] = [];
  for (const part of p.header.split(',')) {
    const eq = part.indexOf('=');
    const k = part.slice(0, eq).trim();
    const v = part.slice(eq + 1).trim();
    if (k === 't' && /^\d{1,12}$/.test(v)) t = Number(v);
    else if (k === 'v1' && /^[0-9a-f]{64}$/.test(v)) v1.push(v);
  }
  if (t === null || v1.length === 0) return { ok: false, reason: 'malformed' };
  if (Math.abs(p.nowSeconds - t) > (p.toleranceSeconds ?? DEFAULT_TOLERANCE_S)) return { ok: false, reason: 'too_old' };
  const expected = Buffer.from(hmac(p.secret, t, p.rawBody), 'hex');
  // Every candidate is compared (no early exit), each in constant time.
  let match = false;
  for (const sig of v1) match = timingSafeEqual(expected, Buffer.from(sig, 'hex')) || match;
  return match ? { ok: true, timestamp: t } : { ok: false, reason: 'bad_signature' };
}

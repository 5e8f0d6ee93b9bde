import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from './webhook-signature.ts';

const SECRET = 'whsec_test';
const body = '{"webhook_message_id":"e1","event_type":"card_payment_succeeded"}';
const now = 1_800_000_000;

describe('webhook signature (t=<unix>,v1=<HMAC-SHA256 of "t.rawbody">)', () => {
  it('accepts what the provider signed, within five minutes either way', () => {
    expect(verifyWebhook({ secret: SECRET, header: signWebhook(SECRET, body, now), rawBody: body, nowSeconds: now })).toEqual({ ok: true, timestamp: now });
    expect(verifyWebhook({ secret: SECRET, header: signWebhook(SECRET, body, now - 300), rawBody: Buffer.from(body), nowSeconds: now }).ok).toBe(true);
  });

  it('refuses an old timestamp, even correctly signed (a replayed webhook)', () => {
    expect(verifyWebhook({ secret: SECRET, header: signWebhook(SECRET, body, now - 301), rawBody: body, nowSeconds: now })).toEqual({ ok: false, reason: 'too_old' });
  });

  it('refuses another secret, a changed body, a changed timestamp, and garbage', () => {
    const good = signWebhook(SECRET, body, now);
    expect(verifyWebhook({ secret: SECRET, header: signWebhook('whsec_other', body, now), rawBody: body, nowSeconds: now })).toEqual({ ok: false, reason: 'bad_signature' });
    // Re-serialised JSON (a space added) is not what was signed.
    expect(verifyWebhook({ secret: SECRET, header: good, rawBody: body.replace(':', ': '), nowSeconds: now }).ok).toBe(false);
    expect(verifyWebhook({ secret: SECRET, header: good.replace(`t=${now}`, `t=${now + 1}`), rawBody: body, nowSeconds: now })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ secret: SECRET, header: undefined, rawBody: body, nowSeconds: now })).toEqual({ ok: false, reason: 'missing' });
    expect(verifyWebhook({ secret: SECRET, header: 't=abc,v1=zz', rawBody: body, nowSeconds: now })).toEqual({ ok: false, reason: 'malformed' });
  });

  it('accepts one good v1 among several (a secret being rotated)', () => {
    const good = signWebhook(SECRET, body, now);
    const old = signWebhook('whsec_old', body, now).split(',')[1]!;
    expect(verifyWebhook({ secret: SECRET, header: `${good},${old}`, rawBody: body, nowSeconds: now }).ok).toBe(true);
  });
});

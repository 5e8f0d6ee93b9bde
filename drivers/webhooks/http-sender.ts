import { createHmac } from 'node:crypto';
import { lookup as dnsLookup } from 'node:dns/promises';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { checkResolved, type TargetPolicy } from '../../core/webhooks/address-policy.ts';
import type { SendResult } from '../../core/webhooks/model.ts';
import { EVENT_ID_HEADER, EVENT_TYPE_HEADER, SIGNATURE_HEADER, signatureHeader, signedText } from '../../core/webhooks/signature.ts';

export interface WebhookPost {
  url: string;
  body: string;
  eventId: string;
  eventType: string;
  secret: string;
  /** Time of the signature (ms). */
  now: number;
  policy: TargetPolicy;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Resolves a name to every address it has (tests pass their own). */
export type Resolve = (host: string) => Promise<string[]>;

export const systemResolve: Resolve = async (host) => (await dnsLookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The `Fronta-Signature` value for a body signed at `now`. */
export function signBody(secret: string, now: number, body: string): string {
  const { t, text } = signedText(now, body);
  return signatureHeader(t, createHmac('sha256', secret).update(text).digest('hex'));
}

/**
 * POSTs one signed webhook. The target's name is resolved here and every address checked against
 * the policy; the connection then goes to the checked address only (the request's own lookup is
 * pinned to it), so a name that resolves elsewhere between check and connect cannot reach the
 * office's network. Redirects are not followed. Never throws: failures are in the result.
 */
export async function postWebhook(p: WebhookPost, resolve: Resolve = systemResolve): Promise<SendResult> {
  const started = performance.now();
  const took = (): number => Math.round(performance.now() - started);
  let url: URL;
  try {
    url = new URL(p.url);
  } catch {
    return { status: null, error: 'invalid URL', durationMs: took() };
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = isIP(host) !== 0 ? [host] : await resolve(host);
  } catch (e) {
    return { status: null, error: `resolve ${host}: ${e instanceof Error ? e.message : String(e)}`.slice(0, 300), durationMs: took() };
  }
  const allowed = checkResolved(addresses, p.policy);
  if (!allowed.ok) return { status: null, error: `address refused: ${allowed.refused}`, durationMs: took() };
  const address = addresses[0]!;
  const family = isIP(address);
  const pinned: LookupFunction = (_name, options, callback) => {
    if (options.all === true) (callback as unknown as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const options: RequestOptions = {
    method: 'POST',
    lookup: pinned,
    headers: {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(p.body),
      'user-agent': 'Fronta-Webhooks/1',
      [SIGNATURE_HEADER]: signBody(p.secret, p.now, p.body),
      [EVENT_ID_HEADER]: p.eventId,
      [EVENT_TYPE_HEADER]: p.eventType,
    },
  };
  return new Promise<SendResult>((done) => {
    let settled = false;
    const finish = (r: Omit<SendResult, 'durationMs'>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      p.signal?.removeEventListener('abort', onAbort);
      done({ ...r, durationMs: took() });
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      // The status is the answer; the body (a receiver's page) is read and dropped.
      res.resume();
      res.on('end', () => finish({ status: res.statusCode ?? null, error: null }));
      res.on('error', () => finish({ status: res.statusCode ?? null, error: null }));
    });
    const timer = setTimeout(() => {
      finish({ status: null, error: `no answer within ${p.timeoutMs} ms` });
      req.destroy();
    }, p.timeoutMs);
    const onAbort = (): void => {
      finish({ status: null, error: 'stopped' });
      req.destroy();
    };
    p.signal?.addEventListener('abort', onAbort);
    req.on('error', (e) => finish({ status: null, error: e.message.slice(0, 300) }));
    req.end(p.body);
  });
}

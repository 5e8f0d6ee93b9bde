import type { ProviderAttemptState } from '../../core/fees/model.ts';
import type { PaymentOrder, PaymentPort, ProviderCall, ProviderPayment, ProviderRefund, StatementEntry } from '../../core/fees/ports.ts';

export interface GovukPayOptions {
  /** `https://publicapi.payments.service.gov.uk`, or the simulator's URL. */
  baseUrl: string;
  apiKey: string;
  /** Every call gives up after this long (the answer may still have taken effect: retry with the same key). */
  timeoutMs?: number;
}

/** GOV.UK Pay's payment states on our attempt states: `error` is a failure of the provider's, not a capture. */
export function mapStatus(status: string): ProviderAttemptState {
  switch (status) {
    case 'created':
      return 'created';
    case 'started':
    case 'submitted':
    case 'capturable':
      return 'submitted';
    case 'success':
      return 'succeeded';
    case 'cancelled':
      return 'cancelled';
    default:
      // failed, error, and any status this adapter does not know: never counted as paid.
      return 'failed';
  }
}

type Json = Record<string, unknown>;
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});
const num = (v: unknown): number => (typeof v === 'number' ? v : 0);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A GOV.UK Pay payment resource (API answer or webhook `resource`) as our plain data. */
export function toProviderPayment(body: unknown): ProviderPayment {
  const b = obj(body);
  const status = str(obj(b['state'])['status']);
  const summary = obj(b['refund_summary']);
  const refunded = num(summary['amount_submitted']);
  // What is still refundable plus what was refunded is what was captured (twice the amount after a double charge).
  const captured = status === 'success' ? num(summary['amount_available']) + refunded : 0;
  const captureTime = str(obj(b['settlement_summary'])['capture_submit_time']);
  const next = obj(obj(b['_links'])['next_url'])['href'];
  const attempt = obj(b['metadata'])['attempt'];
  return {
    providerRef: str(b['payment_id']),
    reference: str(b['reference']),
    attempt: typeof attempt === 'number' && Number.isInteger(attempt) ? attempt : null,
    amount: num(b['amount']),
    providerStatus: status,
    state: mapStatus(status),
    nextUrl: typeof next === 'string' ? next : null,
    captured,
    refunded,
    ...(captureTime === '' ? {} : { capturedAt: Date.parse(captureTime) }),
  };
}

const toRefund = (body: unknown): ProviderRefund => {
  const b = obj(body);
  const s = str(b['status']);
  return { refundId: str(b['refund_id']), amount: num(b['amount']), state: s === 'success' ? 'succeeded' : s === 'error' ? 'failed' : 'submitted' };
};

/** A verified webhook's body: its event id (deduplicate on it), its type and the payment it carries. */
export function parseWebhook(rawBody: string): { eventId: string; eventType: string; payment: ProviderPayment } | null {
  let b: Json;
  try {
    b = obj(JSON.parse(rawBody));
  } catch {
    return null;
  }
  const eventId = str(b['webhook_message_id']);
  if (eventId === '' || b['resource_type'] !== 'payment') return null;
  return { eventId, eventType: str(b['event_type']), payment: toProviderPayment(b['resource']) };
}

/**
 * The payment port over GOV.UK Pay's public API (and the simulator that speaks it): bearer key,
 * a timeout on every call, the caller's idempotency key on every write.
 */
export function govukPay(o: GovukPayOptions): PaymentPort {
  const base = o.baseUrl.replace(/\/+$/, '');
  const timeoutMs = o.timeoutMs ?? 10_000;

  async function call<T>(method: string, path: string, map: (b: unknown, status: number) => T, body?: unknown, idempotencyKey?: string): Promise<ProviderCall<T>> {
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${o.apiKey}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...(idempotencyKey === undefined ? {} : { 'idempotency-key': idempotencyKey }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const name = (e as { name?: string }).name;
      return { ok: false, reason: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : 'unavailable' };
    }
    let json: unknown = null;
    try {
      const t = await res.text();
      json = t === '' ? null : JSON.parse(t);
    } catch (e) {
      if ((e as { name?: string }).name === 'TimeoutError') return { ok: false, reason: 'timeout' };
    }
    if (res.status >= 500) return { ok: false, reason: 'unavailable', code: String(res.status) };
    if (res.status >= 400) {
      const err = obj(json);
      return { ok: false, reason: 'refused', code: str(err['code']) || String(res.status), message: str(err['description']) };
    }
    return { ok: true, value: map(json, res.status) };
  }

  return {
    createPayment(order: PaymentOrder, attempt: number, idempotencyKey: string) {
      // Our order number is the reference: the provider's statement and our orders meet on it.
      const body = { amount: order.amount, reference: order.orderNo, description: order.description, return_url: order.returnUrl, metadata: { attempt } };
      return call('POST', '/v1/payments', toProviderPayment, body, idempotencyKey);
    },
    getPayment(providerRef) {
      return call('GET', `/v1/payments/${encodeURIComponent(providerRef)}`, toProviderPayment);
    },
    async cancelPayment(providerRef) {
      const got = await call('POST', `/v1/payments/${encodeURIComponent(providerRef)}/cancel`, () => true);
      // 400 P0501: the payment has gone too far (paid, failed, already cancelled) to be cancelled.
      if (!got.ok && got.reason === 'refused' && got.code === 'P0501') return { ok: true, value: false };
      return got;
    },
    async refund(providerRef, amount, idempotencyKey) {
      return call('POST', `/v1/payments/${encodeURIComponent(providerRef)}/refunds`, toRefund, { amount }, idempotencyKey);
    },
    listRefunds(providerRef) {
      return call('GET', `/v1/payments/${encodeURIComponent(providerRef)}/refunds`, (b) => {
        const list = obj(obj(b)['_embedded'])['refunds'];
        return Array.isArray(list) ? list.map(toRefund) : [];
      });
    },
    listStatement() {
      return call('GET', '/v1/statement', (b): StatementEntry[] => {
        const list = obj(b)['entries'];
        return (Array.isArray(list) ? list : []).map((e) => {
          const x = obj(e);
          return { type: x['type'] === 'refund' ? 'refund' : 'charge', id: str(x['id']), providerRef: str(x['payment_id']), reference: str(x['reference']), amount: num(x['amount']), at: Date.parse(str(x['created_date'])) };
        });
      });
    },
  };
}

/**
 * The simulator's records and their JSON, shaped like GOV.UK Pay's public API (amounts in pence,
 * ISO dates, `state.status`, `refund_summary`, `_links.next_url`), so that one adapter talks to
 * both.
 */

export type SimStatus = 'created' | 'started' | 'submitted' | 'success' | 'failed' | 'cancelled' | 'error';
export const FINISHED: readonly SimStatus[] = ['success', 'failed', 'cancelled', 'error'];

/**
 * What one payment is told to get wrong: set by `metadata.simulate` at creation or beforehand by
 * `PUT /simulator/faults/:reference`, as a comma list: `confirm_late:<ms>`, `webhook_twice`,
 * `out_of_order`, `timeout[:<n responses>]`, `charge_twice`, `fail`, `refund_error`.
 */
export interface Faults {
  confirmLateMs: number;
  webhookTwice: boolean;
  outOfOrder: boolean;
  timeouts: number;
  chargeTwice: boolean;
  fail: boolean;
  refundError: boolean;
}

export const NO_FAULTS: Faults = { confirmLateMs: 0, webhookTwice: false, outOfOrder: false, timeouts: 0, chargeTwice: false, fail: false, refundError: false };

export function parseFaults(spec: string): Faults | null {
  const f: Faults = { ...NO_FAULTS };
  for (const raw of spec.split(',')) {
    const [name = '', arg] = raw.trim().split(':');
    const n = arg === undefined ? null : Number(arg);
    if (n !== null && (!Number.isInteger(n) || n < 0)) return null;
    switch (name) {
      case '':
        break;
      case 'confirm_late':
        f.confirmLateMs = n ?? 1000;
        break;
      case 'webhook_twice':
        f.webhookTwice = true;
        break;
      case 'out_of_order':
        f.outOfOrder = true;
        break;
      case 'timeout':
        f.timeouts = n ?? 1;
        break;
      case 'charge_twice':
        f.chargeTwice = true;
        break;
      case 'fail':
        f.fail = true;
        break;
      case 'refund_error':
        f.refundError = true;
        break;
      default:
        return null;
    }
  }
  return f;
}

export interface SimCharge {
  id: string;
  amount: number;
  at: number;
}

export interface SimRefund {
  id: string;
  amount: number;
  status: 'submitted' | 'success' | 'error';
  createdAt: number;
}

export interface SimPayment {
  id: string;
  amount: number;
  reference: string;
  description: string;
  returnUrl: string;
  metadata: Record<string, string | number | boolean> | null;
  status: SimStatus;
  code: string | null;
  message: string | null;
  createdAt: number;
  capturedAt: number | null;
  charges: SimCharge[];
  refunds: SimRefund[];
  faults: Faults;
  /** API answers about this payment still to hang (the `timeout` fault). */
  hangsLeft: number;
}

const iso = (ms: number): string => new Date(ms).toISOString();

export function refundSummary(p: SimPayment): { status: string; amount_available: number; amount_submitted: number } {
  const submitted = p.refunds.filter((r) => r.status !== 'error').reduce((s, r) => s + r.amount, 0);
  const captured = p.charges.reduce((s, c) => s + c.amount, 0);
  const available = p.status === 'success' ? captured - submitted : 0;
  const status = p.status !== 'success' ? 'unavailable' : available === 0 ? 'full' : 'available';
  return { status, amount_available: available, amount_submitted: submitted };
}

export function paymentJson(p: SimPayment, base: string): Record<string, unknown> {
  const self = `${base}/v1/payments/${p.id}`;
  const finished = FINISHED.includes(p.status);
  return {
    amount: p.amount,
    description: p.description,
    reference: p.reference,
    language: 'en',
    ...(p.metadata === null ? {} : { metadata: p.metadata }),
    state: { status: p.status, finished, ...(p.code === null ? {} : { code: p.code, message: p.message }) },
    payment_id: p.id,
    payment_provider: 'sandbox',
    created_date: iso(p.createdAt),
    return_url: p.returnUrl,
    refund_summary: refundSummary(p),
    settlement_summary: p.capturedAt === null ? {} : { capture_submit_time: iso(p.capturedAt), captured_date: iso(p.capturedAt).slice(0, 10) },
    delayed_capture: false,
    moto: false,
    _links: {
      self: { href: self, method: 'GET' },
      ...(finished ? {} : { next_url: { href: `${base}/secure/${p.id}`, method: 'GET' }, cancel: { href: `${self}/cancel`, method: 'POST' } }),
      refunds: { href: `${self}/refunds`, method: 'GET' },
    },
  };
}

export function refundJson(p: SimPayment, r: SimRefund, base: string): Record<string, unknown> {
  return {
    refund_id: r.id,
    amount: r.amount,
    status: r.status,
    created_date: iso(r.createdAt),
    _links: { self: { href: `${base}/v1/payments/${p.id}/refunds/${r.id}`, method: 'GET' }, payment: { href: `${base}/v1/payments/${p.id}`, method: 'GET' } },
  };
}

/** GOV.UK Pay's error body: a stable code and a description (never anything personal). */
export const apiError = (code: string, description: string, field?: string): Record<string, string> =>
  field === undefined ? { code, description } : { code, field, description };

import { createHash, randomBytes } from 'node:crypto';
import { apiError, FINISHED, NO_FAULTS, parseFaults, paymentJson, refundJson, refundSummary, type Faults, type SimPayment, type SimRefund, type SimStatus } from './model.ts';
import { WebhookSender, type WebhookEvent } from './webhooks.ts';

export interface Answer {
  status: number;
  body: unknown;
  /** The payment this answer is about (the `timeout` fault hangs answers per payment). */
  paymentId?: string;
}

/** GOV.UK Pay's sandbox cards: what a card number does on the simulator's page. */
export const TEST_CARDS: Readonly<Record<string, { status: SimStatus; code?: string; message?: string }>> = {
  '4444333322221111': { status: 'success' },
  '4242424242424242': { status: 'success' },
  '5555555555554444': { status: 'success' },
  '4000000000000002': { status: 'failed', code: 'P0010', message: 'Payment method rejected' },
  '4000000000000069': { status: 'failed', code: 'P0010', message: 'Payment method rejected' },
  '4000000000000127': { status: 'failed', code: 'P0010', message: 'Payment method rejected' },
  '4000000000000119': { status: 'error', code: 'P0050', message: 'Payment provider returned an error' },
};

const EVENT_OF: Partial<Record<SimStatus, string>> = {
  started: 'card_payment_started',
  success: 'card_payment_succeeded',
  failed: 'card_payment_failed',
  cancelled: 'card_payment_cancelled',
  error: 'card_payment_failed',
};

const id = (bytes = 13): string => randomBytes(bytes).toString('base64url').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 26);

/** Same JSON whatever the key order: "the same body" for the idempotency check. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

export interface SimulatorOptions {
  base: () => string;
  now: () => number;
  webhookUrl: () => string | null;
  webhookSecret: string;
  webhookRetryBaseMs: number;
  webhookMaxTries: number;
  refundDelayMs: number;
}

/**
 * The provider's bookkeeping: payments, their charges and refunds, idempotency keys, faults and
 * the webhooks they cause. The HTTP layer (server.ts) only parses and answers.
 */
export class PaymentSimulator {
  readonly payments = new Map<string, SimPayment>();
  readonly webhooks: WebhookSender;
  /** Faults set ahead for a reference (our order number), applied to each payment made for it. */
  readonly faultsByReference = new Map<string, Faults>();
  private readonly keys = new Map<string, { hash: string; answer: () => Answer }>();
  /** Events held back by `out_of_order`, sent newest first once the payment finishes. */
  private readonly held = new Map<string, WebhookEvent[]>();
  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(private readonly o: SimulatorOptions) {
    this.webhooks = new WebhookSender({ url: o.webhookUrl, secret: o.webhookSecret, now: o.now, retryBaseMs: o.webhookRetryBaseMs, maxTries: o.webhookMaxTries, timeoutMs: 5000 });
  }

  /**
   * Same key and same body: the first answer again (for a payment, as it is now); same key with
   * another body: refused, as GOV.UK Pay does (P0191). Keys are per API key and per endpoint.
   */
  idempotent(scope: string, key: string | undefined, body: unknown, run: () => { answer: Answer; replay: () => Answer }): Answer {
    if (key === undefined) return run().answer;
    const hash = createHash('sha256').update(canonical(body)).digest('hex');
    const seen = this.keys.get(`${scope}\n${key}`);
    if (seen !== undefined) {
      return seen.hash === hash ? seen.answer() : { status: 422, body: apiError('P0191', 'The Idempotency-Key was used before with a different request body') };
    }
    const first = run();
    if (first.answer.status < 300) this.keys.set(`${scope}\n${key}`, { hash, answer: first.replay });
    return first.answer;
  }

  create(body: { amount: number; reference: string; description: string; return_url: string; metadata?: Record<string, string | number | boolean> }): Answer {
    const spec = body.metadata?.['simulate'];
    const faults = typeof spec === 'string' ? parseFaults(spec) : (this.faultsByReference.get(body.reference) ?? NO_FAULTS);
    if (faults === null) return { status: 422, body: apiError('P0102', 'Invalid attribute value: metadata', 'metadata') };
    const p: SimPayment = {
      id: id(),
      amount: body.amount,
      reference: body.reference,
      description: body.description,
      returnUrl: body.return_url,
      metadata: body.metadata ?? null,
      status: 'created',
      code: null,
      message: null,
      createdAt: this.o.now(),
      capturedAt: null,
      charges: [],
      refunds: [],
      faults,
      hangsLeft: faults.timeouts,
    };
    this.payments.set(p.id, p);
    return { status: 201, body: paymentJson(p, this.o.base()), paymentId: p.id };
  }

  get(paymentId: string): Answer {
    const p = this.payments.get(paymentId);
    return p === undefined ? { status: 404, body: apiError('P0200', 'Not found') } : { status: 200, body: paymentJson(p, this.o.base()), paymentId };
  }

  search(reference: string): Answer {
    const results = [...this.payments.values()].filter((p) => p.reference === reference).map((p) => paymentJson(p, this.o.base()));
    return { status: 200, body: { total: results.length, count: results.length, page: 1, results } };
  }

  cancel(paymentId: string): Answer {
    const p = this.payments.get(paymentId);
    if (p === undefined) return { status: 404, body: apiError('P0500', 'Not found') };
    // Once the card details are in, the bank decides: too late to cancel.
    if (p.status !== 'created' && p.status !== 'started') return { status: 400, body: apiError('P0501', 'Cancellation of payment failed'), paymentId };
    this.finish(p, 'cancelled', 'P0040', 'Payment was cancelled by the service');
    return { status: 204, body: null, paymentId };
  }

  /** The citizen opened the payment page. */
  open(p: SimPayment): void {
    if (p.status !== 'created') return;
    p.status = 'started';
    this.emit(p, 'started');
  }

  /** The citizen submitted a card (validated by the page); a second submit changes nothing. */
  submitCard(p: SimPayment, cardNumber: string): void {
    if (p.status !== 'created' && p.status !== 'started') return;
    p.status = 'submitted';
    const card = TEST_CARDS[cardNumber] ?? { status: 'failed', code: 'P0010', message: 'Payment method rejected' };
    const settle = (): void => {
      if (p.faults.fail || card.status !== 'success') {
        this.finish(p, card.status === 'success' ? 'failed' : card.status, card.code ?? 'P0010', card.message ?? 'Payment method rejected');
        return;
      }
      const at = this.o.now();
      p.capturedAt = at;
      p.charges.push({ id: id(), amount: p.amount, at });
      if (p.faults.chargeTwice) p.charges.push({ id: id(), amount: p.amount, at });
      this.finish(p, 'success', null, null);
    };
    if (p.faults.confirmLateMs > 0) this.later(settle, p.faults.confirmLateMs);
    else settle();
  }

  userCancel(p: SimPayment): void {
    if (p.status === 'created' || p.status === 'started') this.finish(p, 'cancelled', 'P0030', 'Payment was cancelled by the user');
  }

  refund(paymentId: string, body: { amount: number; refund_amount_available?: number }): { answer: Answer; replay: () => Answer } {
    const p = this.payments.get(paymentId);
    const once = (a: Answer): { answer: Answer; replay: () => Answer } => ({ answer: a, replay: () => a });
    if (p === undefined) return once({ status: 404, body: apiError('P0600', 'Not found') });
    const summary = refundSummary(p);
    if (body.refund_amount_available !== undefined && body.refund_amount_available !== summary.amount_available) {
      return once({ status: 412, body: apiError('P0604', 'Refund amount available mismatch'), paymentId });
    }
    if (p.status !== 'success' || body.amount > summary.amount_available) {
      return once({ status: 412, body: apiError('P0603', 'The payment is not available for refund'), paymentId });
    }
    const r: SimRefund = { id: id(), amount: body.amount, status: 'submitted', createdAt: this.o.now() };
    p.refunds.push(r);
    this.later(() => {
      r.status = p.faults.refundError ? 'error' : 'success';
      if (r.status === 'success') this.emit(p, 'refunded');
    }, this.o.refundDelayMs);
    return { answer: { status: 202, body: refundJson(p, r, this.o.base()), paymentId }, replay: () => ({ status: 202, body: refundJson(p, r, this.o.base()), paymentId }) };
  }

  refunds(paymentId: string, refundId?: string): Answer {
    const p = this.payments.get(paymentId);
    if (p === undefined) return { status: 404, body: apiError('P0700', 'Not found') };
    if (refundId !== undefined) {
      const r = p.refunds.find((x) => x.id === refundId);
      return r === undefined ? { status: 404, body: apiError('P0700', 'Not found') } : { status: 200, body: refundJson(p, r, this.o.base()), paymentId };
    }
    return { status: 200, body: { payment_id: p.id, _embedded: { refunds: p.refunds.map((r) => refundJson(p, r, this.o.base())) } }, paymentId };
  }

  /** Every charge and every successful refund, oldest first: the provider's side of reconciliation. */
  statement(): Answer {
    const entries: { type: string; id: string; payment_id: string; reference: string; amount: number; created_date: string; at: number }[] = [];
    for (const p of this.payments.values()) {
      for (const c of p.charges) entries.push({ type: 'charge', id: c.id, payment_id: p.id, reference: p.reference, amount: c.amount, created_date: new Date(c.at).toISOString(), at: c.at });
      for (const r of p.refunds) {
        if (r.status === 'success') entries.push({ type: 'refund', id: r.id, payment_id: p.id, reference: p.reference, amount: r.amount, created_date: new Date(r.createdAt).toISOString(), at: r.createdAt });
      }
    }
    entries.sort((a, b) => a.at - b.at);
    return { status: 200, body: { entries: entries.map(({ at: _at, ...e }) => e) } };
  }

  private finish(p: SimPayment, status: SimStatus, code: string | null, message: string | null): void {
    p.status = status;
    p.code = code;
    p.message = message;
    this.emit(p, status);
  }

  private emit(p: SimPayment, what: SimStatus | 'refunded'): void {
    const type = what === 'refunded' ? 'card_payment_refunded' : EVENT_OF[what];
    if (type === undefined) return;
    const eventId = id();
    const e: WebhookEvent = {
      id: eventId,
      type,
      paymentId: p.id,
      body: JSON.stringify({
        webhook_message_id: eventId,
        created_date: new Date(this.o.now()).toISOString(),
        resource_id: p.id,
        api_version: 1,
        resource_type: 'payment',
        event_type: type,
        resource: paymentJson(p, this.o.base()),
      }),
    };
    const send = (ev: WebhookEvent, delayMs = 0): void => {
      this.webhooks.send(ev, delayMs);
      if (p.faults.webhookTwice) this.webhooks.send(ev, delayMs + 5);
    };
    if (!p.faults.outOfOrder) return send(e);
    const held = [...(this.held.get(p.id) ?? []), e];
    if (what === 'refunded' || FINISHED.includes(p.status)) {
      this.held.delete(p.id);
      // Newest first, a little apart, so the receiver really sees them in the wrong order.
      held.reverse().forEach((ev, i) => send(ev, i * 50));
    } else this.held.set(p.id, held);
  }

  private later(f: () => void, ms: number): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      f();
    }, ms);
    this.timers.add(t);
  }

  /** No timer pending and no webhook on its way (tests wait for this before counting money). */
  idle(): boolean {
    return this.timers.size === 0 && this.webhooks.idle();
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.webhooks.close();
  }
}

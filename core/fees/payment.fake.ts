import type { PaymentOrder, PaymentPort, ProviderCall, ProviderPayment, ProviderRefund, StatementEntry } from './ports.ts';

/** What a fake payment gets wrong (the simulator's faults, without its timers and HTTP). */
export interface FakeFaults {
  confirmLate?: boolean;
  webhookTwice?: boolean;
  outOfOrder?: boolean;
  /** Calls about this payment that answer `timeout` after taking effect. */
  timeouts?: number;
  chargeTwice?: boolean;
  fail?: boolean;
}

interface FakePayment {
  p: ProviderPayment;
  body: string;
  faults: FakeFaults;
  hangs: number;
  late: boolean;
  refunds: ProviderRefund[];
  held: ProviderPayment[];
}

/**
 * An in-memory provider for core tests, typed against the port: idempotency keys, a card page
 * reduced to `submit`, webhooks as a list the test delivers in any order, `tick()` for whatever
 * the simulator does later (late confirmations, refunds settling). Time-free and deterministic.
 */
export class FakePaymentProvider implements PaymentPort {
  readonly payments = new Map<string, FakePayment>();
  readonly faults = new Map<string, FakeFaults>();
  /** Webhooks sent and not yet taken by the test: each a snapshot of the payment at that moment. */
  readonly outbox: { eventId: string; payment: ProviderPayment }[] = [];
  private readonly keys = new Map<string, { body: string; ref: string }>();
  private readonly entries: StatementEntry[] = [];
  private seq = 0;

  private hang<T>(f: FakePayment, v: T): ProviderCall<T> {
    if (f.hangs > 0) {
      f.hangs -= 1;
      return { ok: false, reason: 'timeout' };
    }
    return { ok: true, value: v };
  }

  private emit(f: FakePayment): void {
    const snap = structuredClone(f.p);
    const send = (s: ProviderPayment): void => {
      const eventId = `ev-${++this.seq}`;
      this.outbox.push({ eventId, payment: s });
      if (f.faults.webhookTwice === true) this.outbox.push({ eventId, payment: s });
    };
    if (f.faults.outOfOrder !== true) return send(snap);
    f.held.push(snap);
    if (['succeeded', 'failed', 'cancelled'].includes(snap.state)) for (const s of f.held.splice(0).reverse()) send(s);
  }

  async createPayment(order: PaymentOrder, attempt: number, key: string): Promise<ProviderCall<ProviderPayment>> {
    const body = JSON.stringify([order, attempt]);
    const seen = this.keys.get(key);
    if (seen !== undefined) {
      if (seen.body !== body) return { ok: false, reason: 'refused', code: 'P0191' };
      const f = this.payments.get(seen.ref)!;
      return this.hang(f, structuredClone(f.p));
    }
    const ref = `pay-${++this.seq}`;
    const faults = this.faults.get(order.orderNo) ?? {};
    const p: ProviderPayment = { providerRef: ref, reference: order.orderNo, attempt, amount: order.amount, providerStatus: 'created', state: 'created', nextUrl: `fake://secure/${ref}`, captured: 0, refunded: 0 };
    const f: FakePayment = { p, body, faults, hangs: faults.timeouts ?? 0, late: false, refunds: [], held: [] };
    this.payments.set(ref, f);
    this.keys.set(key, { body, ref });
    return this.hang(f, structuredClone(p));
  }

  async getPayment(ref: string): Promise<ProviderCall<ProviderPayment>> {
    const f = this.payments.get(ref);
    return f === undefined ? { ok: false, reason: 'refused', code: 'P0200' } : this.hang(f, structuredClone(f.p));
  }

  async cancelPayment(ref: string): Promise<ProviderCall<boolean>> {
    const f = this.payments.get(ref);
    if (f === undefined) return { ok: false, reason: 'refused', code: 'P0500' };
    if (f.p.state !== 'created') return { ok: true, value: false };
    this.finish(f, 'cancelled');
    return { ok: true, value: true };
  }

  async refund(ref: string, amount: number, key: string): Promise<ProviderCall<ProviderRefund>> {
    const f = this.payments.get(ref);
    if (f === undefined) return { ok: false, reason: 'refused', code: 'P0600' };
    const seen = this.keys.get(key);
    if (seen !== undefined) return { ok: true, value: structuredClone(f.refunds.find((r) => r.refundId === seen.body)!) };
    if (f.p.state !== 'succeeded' || amount > f.p.captured - f.p.refunded) return { ok: false, reason: 'refused', code: 'P0603' };
    const r: ProviderRefund = { refundId: `rf-${++this.seq}`, amount, state: 'submitted' };
    f.refunds.push(r);
    f.p.refunded += amount;
    this.keys.set(key, { body: r.refundId, ref });
    return { ok: true, value: structuredClone(r) };
  }

  async listRefunds(ref: string): Promise<ProviderCall<ProviderRefund[]>> {
    return { ok: true, value: structuredClone(this.payments.get(ref)?.refunds ?? []) };
  }

  async listStatement(): Promise<ProviderCall<StatementEntry[]>> {
    return { ok: true, value: structuredClone(this.entries) };
  }

  /** The citizen submits a card on the provider's page; a second submit (double click) changes nothing. */
  submit(ref: string, card: 'success' | 'decline'): void {
    const f = this.payments.get(ref);
    if (f === undefined || f.p.state !== 'created') return;
    f.p.state = 'submitted';
    f.p.providerStatus = 'submitted';
    if (f.faults.confirmLate === true) f.late = true;
    else this.authorise(f, card);
  }

  userCancel(ref: string): void {
    const f = this.payments.get(ref);
    if (f !== undefined && f.p.state === 'created') this.finish(f, 'cancelled');
  }

  /** Later: late confirmations go through, submitted refunds succeed. */
  tick(): void {
    for (const f of this.payments.values()) {
      if (f.late) {
        f.late = false;
        this.authorise(f, 'success');
      }
      for (const r of f.refunds) {
        if (r.state !== 'submitted') continue;
        r.state = 'succeeded';
        this.entries.push({ type: 'refund', id: r.refundId, providerRef: f.p.providerRef, reference: f.p.reference, amount: r.amount, at: this.seq });
        this.emit(f);
      }
    }
  }

  private authorise(f: FakePayment, card: 'success' | 'decline'): void {
    if (card === 'decline' || f.faults.fail === true) return this.finish(f, 'failed');
    for (let i = f.faults.chargeTwice === true ? 2 : 1; i > 0; i--) {
      f.p.captured += f.p.amount;
      this.entries.push({ type: 'charge', id: `ch-${++this.seq}`, providerRef: f.p.providerRef, reference: f.p.reference, amount: f.p.amount, at: this.seq });
    }
    this.finish(f, 'succeeded');
  }

  private finish(f: FakePayment, state: 'succeeded' | 'failed' | 'cancelled'): void {
    f.p.state = state;
    f.p.providerStatus = state === 'succeeded' ? 'success' : state;
    f.p.nextUrl = null;
    this.emit(f);
  }
}

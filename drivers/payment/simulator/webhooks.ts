import { signWebhook, SIGNATURE_HEADER } from '../webhook-signature.ts';

export interface WebhookEvent {
  id: string;
  type: string;
  paymentId: string;
  body: string;
}

/** One delivery try, kept so tests (and the demo page) can see what was sent and answered. */
export interface DeliveryRecord {
  eventId: string;
  type: string;
  paymentId: string;
  at: number;
  /** HTTP status, or 0 when the receiver could not be reached. */
  status: number;
}

export interface WebhookSenderOptions {
  url: () => string | null;
  secret: string;
  now: () => number;
  /** First retry after this many ms, doubling each time (Stripe retries for days; tests for moments). */
  retryBaseMs: number;
  maxTries: number;
  timeoutMs: number;
}

/**
 * Delivers signed webhooks like Stripe does: POST the JSON, signed over the raw body with a
 * timestamp; anything but a 2xx is tried again later, with the same event id and a fresh
 * signature. Deliveries run independently, so two events can arrive in either order.
 */
export class WebhookSender {
  readonly log: DeliveryRecord[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly inFlight = new Set<Promise<void>>();
  private closed = false;

  constructor(private readonly o: WebhookSenderOptions) {}

  send(e: WebhookEvent, delayMs = 0): void {
    this.schedule(e, 1, delayMs);
  }

  private schedule(e: WebhookEvent, attempt: number, delayMs: number): void {
    if (this.closed) return;
    const t = setTimeout(() => {
      this.timers.delete(t);
      const p = this.deliver(e, attempt).finally(() => this.inFlight.delete(p));
      this.inFlight.add(p);
    }, delayMs);
    this.timers.add(t);
  }

  private async deliver(e: WebhookEvent, attempt: number): Promise<void> {
    const url = this.o.url();
    if (url === null || this.closed) return;
    let status = 0;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SIGNATURE_HEADER]: signWebhook(this.o.secret, e.body, Math.floor(this.o.now() / 1000)) },
        body: e.body,
        signal: AbortSignal.timeout(this.o.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer();
    } catch {
      status = 0;
    }
    this.log.push({ eventId: e.id, type: e.type, paymentId: e.paymentId, at: this.o.now(), status });
    if ((status < 200 || status > 299) && attempt < this.o.maxTries) this.schedule(e, attempt + 1, this.o.retryBaseMs * 2 ** (attempt - 1));
  }

  /** Nothing scheduled and nothing on the wire. */
  idle(): boolean {
    return this.timers.size === 0 && this.inFlight.size === 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}

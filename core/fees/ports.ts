import type { ProviderAttemptState } from './model.ts';

/** What we ask the provider to charge: amounts in minor units; the order number is the provider's reference. */
export interface PaymentOrder {
  orderNo: string;
  amount: number;
  currency: string;
  /** Shown on the provider's page and the client's statement (no personal data). */
  description: string;
  /** Where the provider sends the citizen back (our page for this order). */
  returnUrl: string;
}

/** The provider's view of one payment, as plain data. */
export interface ProviderPayment {
  providerRef: string;
  /** Our order number, as we sent it. */
  reference: string;
  /** Our attempt number, as we sent it (so a webhook that overtakes the create answer still finds its attempt). */
  attempt: number | null;
  amount: number;
  /** The provider's own status word (GOV.UK Pay: created, started, submitted, success, failed, cancelled, error). */
  providerStatus: string;
  /** The same, mapped to our attempt states. */
  state: ProviderAttemptState;
  /** The provider's page for the citizen; null once the payment is finished. */
  nextUrl: string | null;
  /** All captured (twice the amount after a double charge) and all refunded so far. */
  captured: number;
  refunded: number;
  /** When the capture happened, milliseconds UTC, if the provider says. */
  capturedAt?: number;
}

export interface ProviderRefund {
  refundId: string;
  amount: number;
  state: 'submitted' | 'succeeded' | 'failed';
}

/** One line of the provider's statement: every charge and every refund, for reconciliation. */
export interface StatementEntry {
  type: 'charge' | 'refund';
  id: string;
  providerRef: string;
  reference: string;
  amount: number;
  /** Milliseconds UTC. */
  at: number;
}

/**
 * The answer of one call: `timeout` means no answer arrived in time (the call may have taken
 * effect: repeat it with the same idempotency key), `refused` a 4xx the provider explained,
 * `unavailable` a 5xx or a broken connection.
 */
export type ProviderCall<T> = { ok: true; value: T } | { ok: false; reason: 'timeout' | 'refused' | 'unavailable'; code?: string; message?: string };

/**
 * A payment provider (GOV.UK Pay, or the simulator that speaks its API). Every write carries an
 * idempotency key derived from the order and attempt (`paymentKey`, `refundKey`), so a retry after
 * a timeout is safe. Implementations time out every call themselves.
 */
export interface PaymentPort {
  createPayment(order: PaymentOrder, attempt: number, idempotencyKey: string): Promise<ProviderCall<ProviderPayment>>;
  getPayment(providerRef: string): Promise<ProviderCall<ProviderPayment>>;
  /** Ok(false) when the provider refuses because the payment already finished. */
  cancelPayment(providerRef: string): Promise<ProviderCall<boolean>>;
  refund(providerRef: string, amount: number, idempotencyKey: string): Promise<ProviderCall<ProviderRefund>>;
  listRefunds(providerRef: string): Promise<ProviderCall<ProviderRefund[]>>;
  listStatement(): Promise<ProviderCall<StatementEntry[]>>;
}

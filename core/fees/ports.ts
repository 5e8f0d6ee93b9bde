import type { Order, ProviderAttemptState } from './model.ts';

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

/** An order as stored: the machine's order, whose booking it pays, and its version for optimistic commits. */
export interface StoredOrder {
  order: Order;
  bookingId: string;
  /** 1 for a booking's first order; a change of details that needs a new payment opens the next. */
  seq: number;
  officeId: string;
  serviceId: string;
  /** Bumped by every commit; a commit names the version it read. */
  version: number;
}

/**
 * Where orders live. Async (the store may be remote); writes run in the host's unit of work.
 * Nothing here decides anything: `observe` does, and a commit only lands if nobody else committed
 * the order since it was read (a lost race reloads and observes again).
 */
export interface OrderStore {
  /** False when the order number or the booking's order `seq` already exists (a second window opened it first). */
  create(o: Omit<StoredOrder, 'version'>, at: number): Promise<boolean>;
  load(orderNo: string): Promise<StoredOrder | null>;
  /** The booking's newest order (highest seq). */
  byBooking(bookingId: string): Promise<StoredOrder | null>;
  byProviderRef(providerRef: string): Promise<StoredOrder | null>;
  /** Writes `order` as version `expectedVersion + 1`; false (nothing written) when the stored version moved. */
  commit(orderNo: string, expectedVersion: number, order: Order, at: number): Promise<boolean>;
  /** Orders reconciliation still has to look at: awaiting payment, attempts in flight or timed out, refunds unanswered. Oldest deadline first. */
  listOpen(limit: number): Promise<StoredOrder[]>;
  /** True when this webhook event id was already handled. */
  webhookSeen(eventId: string): Promise<boolean>;
  /** Records a handled webhook event id; false when it was already recorded. */
  recordWebhookEvent(eventId: string, at: number): Promise<boolean>;
}

/** One line of an order's history: a state reached, or a webhook received, with its time (milliseconds UTC). */
export interface FeeHistoryEntry {
  orderNo: string;
  at: number;
  /** What moved: the order, one of its attempts, one refund of an attempt; or a provider webhook about it. */
  what: 'order' | 'attempt' | 'refund' | 'webhook';
  attempt: number | null;
  refund: number | null;
  /** The state reached (for a webhook: the provider's event type). */
  state: string;
  /** The provider's reference or refund id, or the webhook's event id. */
  detail: string | null;
}

/**
 * What staff read about fees: each order's history (written by the order store with every commit,
 * in the same transaction), the webhooks received, and an office's orders for the exports.
 */
export interface FeeLedger {
  /** A webhook that was verified and handled for this order (after the state change it caused is committed). */
  noteWebhook(orderNo: string, eventId: string, eventType: string, at: number): Promise<void>;
  /** The order's history, oldest first. */
  history(orderNo: string): Promise<FeeHistoryEntry[]>;
  /** Every order of a booking, oldest first (a change of details that needs a new payment opens the next). */
  ordersOfBooking(bookingId: string): Promise<StoredOrder[]>;
  /** An office's orders that moved in [from, to) (milliseconds UTC), with their history in that span. */
  activity(officeId: string, from: number, to: number): Promise<{ orders: StoredOrder[]; entries: FeeHistoryEntry[] }>;
}

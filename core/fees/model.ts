/**
 * Fees: one order per fee-paying booking, one attempt per try at the provider. Everything here is
 * plain JSON data (amounts in minor units of the order's currency, times in milliseconds UTC), so
 * an order can be stored, sent to a worker or replayed by a test as it is.
 */

/** awaiting_payment → paid | expired; paid → refunded (caused by the office). */
export type OrderState = 'awaiting_payment' | 'paid' | 'expired' | 'refunded';

/**
 * created → submitted → succeeded | failed | cancelled | timed_out; succeeded → refund_pending →
 * refunded. `timed_out` means "we stopped waiting without an answer": the provider may still
 * report what happened (a capture is a fact), so it sits before the provider's final states.
 */
export type AttemptState = 'created' | 'submitted' | 'timed_out' | 'succeeded' | 'failed' | 'cancelled' | 'refund_pending' | 'refunded';

/** Rank of each state: a state may only move to a higher rank (states only move forward). */
export const ATTEMPT_RANK: Readonly<Record<AttemptState, number>> = {
  created: 0,
  submitted: 1,
  timed_out: 2,
  succeeded: 3,
  failed: 3,
  cancelled: 3,
  refund_pending: 4,
  refunded: 5,
};

export const ORDER_RANK: Readonly<Record<OrderState, number>> = { awaiting_payment: 0, paid: 1, expired: 1, refunded: 2 };

/** Attempt states in which the citizen may still be paying: the pay button stays inert. */
export const IN_FLIGHT: readonly AttemptState[] = ['created', 'submitted'];

export type RefundReason = 'duplicate' | 'late' | 'order_refunded' | 'mismatch';

/** One refund asked of the provider; `requested` until the provider has answered at all. */
export interface Refund {
  no: number;
  amount: number;
  reason: RefundReason;
  state: 'requested' | 'submitted' | 'succeeded' | 'failed';
  providerRefundId: string | null;
}

export interface Attempt {
  /** 1, 2, … within the order; with the order number it makes every idempotency key. */
  no: number;
  state: AttemptState;
  /** The provider's payment id; null until the create call answered (or a lookup found it). */
  providerRef: string | null;
  /** Where the citizen pays (the provider's page); null until known. */
  nextUrl: string | null;
  /** Everything the provider captured for this payment (twice the fee after a double charge). */
  captured: number;
  refunds: Refund[];
}

export interface Order {
  /** Our own order number: on the page, in the messages, on every receipt, in the provider's reference. */
  orderNo: string;
  amount: number;
  currency: string;
  /** Milliseconds UTC after which no payment is accepted (a late capture is refunded). */
  deadline: number;
  state: OrderState;
  /** The attempt whose capture pays the order (null until paid). */
  keptAttempt: number | null;
  attempts: Attempt[];
}

/** Where a provider status came from; whichever arrives first moves the state, the others change nothing. */
export type Source = 'redirect' | 'webhook' | 'reconciliation';

/** A provider's view of one payment, mapped to our attempt states (see the adapter's mapping). */
export type ProviderAttemptState = 'created' | 'submitted' | 'succeeded' | 'failed' | 'cancelled';

export type Observation =
  /** The citizen pressed pay: opens an attempt unless one is in flight (then the page resumes it). */
  | { kind: 'pay'; at: number }
  /** The citizen gave up on the provider's page (Back, a new try): cancel it before another attempt. */
  | { kind: 'abandon'; at: number }
  /** The provider answered the create call. */
  /** nextUrl null: the payment had already finished (a repeated key answers it as it is now). */
  | { kind: 'created'; at: number; attempt: number; providerRef: string; nextUrl: string | null }
  /** The create call got no answer in time: the payment may or may not exist. */
  | { kind: 'create_timed_out'; at: number; attempt: number }
  | {
      kind: 'provider';
      at: number;
      source: Source;
      attempt: number;
      providerRef: string;
      state: ProviderAttemptState;
      captured: number;
      /** When the provider captured (if it says); else `at` decides whether it was in time. */
      capturedAt?: number;
    }
  | { kind: 'refund_result'; at: number; attempt: number; refund: number; state: 'submitted' | 'succeeded' | 'failed'; providerRefundId?: string }
  /** The payment deadline's sweep. */
  | { kind: 'deadline'; at: number }
  /** The client gave the booking up before paying: the order ends as at its deadline (the booking already gave its place back). */
  | { kind: 'withdraw'; at: number }
  /** The office changed or cancelled a paid booking: the fee goes back. */
  | { kind: 'office_refund'; at: number }
  /** The reconciliation job: query what is still open, ask again for refunds nobody answered. */
  | { kind: 'reconcile'; at: number };

export type Action =
  | { kind: 'create_payment'; attempt: number; idempotencyKey: string }
  | { kind: 'cancel_payment'; attempt: number; providerRef: string }
  /** providerRef null: the create call timed out; the same idempotency key finds it again. */
  | { kind: 'query_payment'; attempt: number; providerRef: string | null; idempotencyKey: string }
  | { kind: 'refund'; attempt: number; refund: number; amount: number; reason: RefundReason; providerRef: string; idempotencyKey: string }
  | { kind: 'confirm_booking' }
  | { kind: 'release_slot' }
  /** Tell the client, with every provider reference involved (theirs to show their bank). */
  | { kind: 'notify'; about: RefundReason; references: string[] };

export interface Transition {
  entity: 'order' | 'attempt';
  attempt?: number;
  from: string;
  to: string;
}

export interface Step {
  order: Order;
  transitions: Transition[];
  actions: Action[];
  /** Why a `pay` opened nothing (the page shows the payment in progress, or the order's end). */
  refused?: 'in_flight' | 'not_awaiting' | 'deadline_passed';
}

/** `order:<no>:attempt:<n>`: every call about one attempt carries it, so a retry never charges twice. */
export const paymentKey = (orderNo: string, attempt: number): string => `order:${orderNo}:attempt:${attempt}`;
export const refundKey = (orderNo: string, attempt: number, refund: number): string => `${paymentKey(orderNo, attempt)}:refund:${refund}`;

/** What the client is charged in the end, by our records: captures less refunds the provider made. */
export const netCharge = (order: Order): number =>
  order.attempts.reduce((sum, a) => sum + a.captured - a.refunds.filter((r) => r.state === 'succeeded').reduce((s, r) => s + r.amount, 0), 0);

/** Whether the reconciliation job still has to look at an order: unpaid, a payment unsettled, or a refund unanswered. */
export const isOpen = (order: Order): boolean =>
  order.state === 'awaiting_payment' ||
  order.attempts.some((a) => IN_FLIGHT.includes(a.state) || a.state === 'timed_out' || a.state === 'refund_pending' || a.refunds.some((r) => r.state === 'requested' || r.state === 'submitted'));

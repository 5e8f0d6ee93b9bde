import { missingCase } from '../shared/result.ts';
import {
  ATTEMPT_RANK,
  IN_FLIGHT,
  ORDER_RANK,
  paymentKey,
  refundKey,
  type Action,
  type Attempt,
  type AttemptState,
  type Observation,
  type Order,
  type OrderState,
  type Refund,
  type RefundReason,
  type Step,
  type Transition,
} from './model.ts';

export function newOrder(p: { orderNo: string; amount: number; currency: string; deadline: number }): Order {
  return { ...p, state: 'awaiting_payment', keptAttempt: null, attempts: [] };
}

const REFUND_RANK: Readonly<Record<Refund['state'], number>> = { requested: 0, submitted: 1, succeeded: 2, failed: 2 };

/**
 * The order's state machine: given what was just observed (the citizen, the provider through the
 * redirect, a webhook or the reconciliation job, the deadline sweep, the office), the order's next
 * state, the transitions made and the actions to take. Pure: the caller commits the new order and
 * only then runs the actions, whose answers come back as observations.
 *
 * Invariants kept here rather than by each caller: states only move forward, so a stale or
 * repeated observation changes nothing; an order is paid only by a capture of at least its fee
 * before its deadline; whatever was captured beyond what the order keeps is refunded (a second
 * charge, a payment after the deadline, a paid order the office refunds).
 */
export function observe(order: Order, obs: Observation): Step {
  const d = structuredClone(order);
  const transitions: Transition[] = [];
  const actions: Action[] = [];
  let refused: Step['refused'];

  const setOrder = (to: OrderState): boolean => {
    if (ORDER_RANK[to] <= ORDER_RANK[d.state] || (d.state === 'expired' && to === 'refunded')) return false;
    transitions.push({ entity: 'order', from: d.state, to });
    d.state = to;
    return true;
  };
  const setAttempt = (a: Attempt, to: AttemptState): void => {
    if (ATTEMPT_RANK[to] <= ATTEMPT_RANK[a.state]) return;
    transitions.push({ entity: 'attempt', attempt: a.no, from: a.state, to });
    a.state = to;
  };
  const inFlight = (): Attempt[] => d.attempts.filter((a) => IN_FLIGHT.includes(a.state));
  const cancelOthers = (keep: number | null): void => {
    for (const a of inFlight()) if (a.no !== keep && a.providerRef !== null) actions.push({ kind: 'cancel_payment', attempt: a.no, providerRef: a.providerRef });
  };
  // No payment is taken any more: open pages are closed; what they still capture is refunded as late.
  const expire = (): void => {
    setOrder('expired');
    cancelOthers(null);
    for (const a of inFlight()) setAttempt(a, 'timed_out');
  };
  // The deadline passed with no payment: the slot goes at once.
  const expireIfDue = (at: number): void => {
    if (d.state !== 'awaiting_payment' || at < d.deadline) return;
    actions.push({ kind: 'release_slot' });
    expire();
  };
  const attempt = (no: number): Attempt | undefined => d.attempts.find((a) => a.no === no);

  switch (obs.kind) {
    case 'pay': {
      expireIfDue(obs.at);
      if (d.state !== 'awaiting_payment') refused = order.state === 'awaiting_payment' ? 'deadline_passed' : 'not_awaiting';
      else if (inFlight().length > 0) refused = 'in_flight';
      else {
        const no = d.attempts.length + 1;
        d.attempts.push({ no, state: 'created', providerRef: null, nextUrl: null, captured: 0, refunds: [] });
        transitions.push({ entity: 'attempt', attempt: no, from: 'none', to: 'created' });
        actions.push({ kind: 'create_payment', attempt: no, idempotencyKey: paymentKey(d.orderNo, no) });
      }
      break;
    }
    case 'abandon':
      expireIfDue(obs.at);
      cancelOthers(null);
      break;
    case 'created': {
      const a = attempt(obs.attempt);
      if (a === undefined) break;
      a.providerRef ??= obs.providerRef;
      a.nextUrl ??= obs.nextUrl;
      expireIfDue(obs.at);
      // The answer came after the order ended (paid by another window, or expired): close this page.
      if (d.state !== 'awaiting_payment' && IN_FLIGHT.includes(a.state)) actions.push({ kind: 'cancel_payment', attempt: a.no, providerRef: obs.providerRef });
      break;
    }
    case 'create_timed_out': {
      // Still in flight: the same idempotency key finds the payment if the provider made it.
      const a = attempt(obs.attempt);
      if (a !== undefined && a.providerRef === null && a.state === 'created') actions.push({ kind: 'query_payment', attempt: a.no, providerRef: null, idempotencyKey: paymentKey(d.orderNo, a.no) });
      break;
    }
    case 'provider': {
      const a = attempt(obs.attempt);
      if (a === undefined) break;
      a.providerRef ??= obs.providerRef;
      // A capture is money whatever our records say: it only ever grows.
      if (obs.captured > a.captured) a.captured = obs.captured;
      if (obs.state === 'succeeded') {
        // Paid in time counts even when the news arrives late, unless the slot is already gone.
        expireIfDue(obs.capturedAt ?? obs.at);
        setAttempt(a, 'succeeded');
        if (d.state === 'awaiting_payment' && a.captured >= d.amount && a.state === 'succeeded') {
          setOrder('paid');
          d.keptAttempt = a.no;
          actions.push({ kind: 'confirm_booking' });
          cancelOthers(a.no);
        }
      } else {
        expireIfDue(obs.at);
        setAttempt(a, obs.state);
      }
      break;
    }
    case 'refund_result': {
      const r = attempt(obs.attempt)?.refunds.find((x) => x.no === obs.refund);
      if (r === undefined) break;
      r.providerRefundId ??= obs.providerRefundId ?? null;
      if (REFUND_RANK[obs.state] > REFUND_RANK[r.state]) r.state = obs.state;
      break;
    }
    case 'deadline':
      expireIfDue(obs.at);
      break;
    case 'withdraw':
      expireIfDue(obs.at);
      if (d.state === 'awaiting_payment') expire();
      break;
    case 'office_refund':
      setOrder('refunded');
      break;
    case 'reconcile':
      expireIfDue(obs.at);
      for (const a of d.attempts) {
        const open = IN_FLIGHT.includes(a.state) || a.state === 'timed_out' || a.refunds.some((r) => r.state === 'submitted');
        if (open && (a.providerRef !== null || a.state === 'created')) {
          actions.push({ kind: 'query_payment', attempt: a.no, providerRef: a.providerRef, idempotencyKey: paymentKey(d.orderNo, a.no) });
        }
        // A refund nobody answered is asked again under its own key: the provider makes it once.
        for (const r of a.refunds) if (r.state === 'requested' && a.providerRef !== null) actions.push(refundAction(d, a, r, a.providerRef));
      }
      break;
    default:
      missingCase(obs);
  }

  settleMoney(d, setAttempt, actions);
  return refused === undefined ? { order: d, transitions, actions } : { order: d, transitions, actions, refused };
}

const refundAction = (d: Order, a: Attempt, r: Refund, providerRef: string): Action => ({
  kind: 'refund',
  attempt: a.no,
  refund: r.no,
  amount: r.amount,
  reason: r.reason,
  providerRef,
  idempotencyKey: refundKey(d.orderNo, a.no, r.no),
});

/**
 * Each attempt keeps the fee if it pays the order, else nothing; anything captured beyond that
 * and not already being refunded is refunded now. The paying attempt of a double charge stays
 * succeeded (it pays the order); any other captured attempt goes refund_pending → refunded.
 */
function settleMoney(d: Order, setAttempt: (a: Attempt, to: AttemptState) => void, actions: Action[]): void {
  const kept = d.attempts.find((a) => a.no === d.keptAttempt && d.state === 'paid');
  for (const a of d.attempts) {
    const keeps = a === kept ? d.amount : 0;
    const refunding = a.refunds.filter((r) => r.state !== 'failed').reduce((s, r) => s + r.amount, 0);
    const excess = a.captured - refunding - keeps;
    if (excess > 0 && a.providerRef !== null) {
      const reason = reasonFor(d, a === kept);
      const isFirst = !a.refunds.some((r) => r.reason === reason);
      const r: Refund = { no: a.refunds.length + 1, amount: excess, reason, state: 'requested', providerRefundId: null };
      a.refunds.push(r);
      actions.push(refundAction(d, a, r, a.providerRef));
      if (isFirst && reason !== 'mismatch') {
        const references = [kept?.providerRef, a.providerRef].filter((x): x is string => x !== null && x !== undefined);
        actions.push({ kind: 'notify', about: reason, references: [...new Set(references)] });
      }
    }
    if (a !== kept && a.state === 'succeeded' && a.refunds.length > 0) setAttempt(a, 'refund_pending');
    const refunded = a.refunds.filter((r) => r.state === 'succeeded').reduce((s, r) => s + r.amount, 0);
    if (a.state === 'refund_pending' && refunded >= a.captured) setAttempt(a, 'refunded');
  }
}

function reasonFor(d: Order, isKept: boolean): RefundReason {
  switch (d.state) {
    case 'paid':
      return 'duplicate';
    case 'expired':
      return 'late';
    case 'refunded':
      return 'order_refunded';
    case 'awaiting_payment':
      // Captured less than the fee (never the case with a well-behaved provider): give it back.
      return isKept ? 'duplicate' : 'mismatch';
    default:
      return missingCase(d.state);
  }
}

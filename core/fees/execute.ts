import { missingCase } from '../shared/result.ts';
import type { Action, Observation, Order } from './model.ts';
import type { PaymentPort, ProviderPayment } from './ports.ts';

export interface ExecuteDeps {
  payments: PaymentPort;
  /** Our page the provider sends the citizen back to. */
  returnUrl(orderNo: string, attempt: number): string;
  description: string;
}

/** A provider's answer about one payment as an observation of the given source. */
export const providerObservation = (
  attempt: number,
  p: ProviderPayment,
  source: 'redirect' | 'webhook' | 'reconciliation',
  at: number,
): Observation => ({
  kind: 'provider',
  at,
  source,
  attempt,
  providerRef: p.providerRef,
  state: p.state,
  captured: p.captured,
  ...(p.capturedAt === undefined ? {} : { capturedAt: p.capturedAt }),
});

/**
 * Runs one provider action of `observe` and returns what the provider answered, as observations
 * to feed back. Booking actions (confirm, release, notify) are not the provider's: they return
 * nothing here and are the caller's to run. A call that times out or fails returns nothing; the
 * reconciliation asks again later with the same idempotency key.
 */
export async function runAction(deps: ExecuteDeps, order: Order, action: Action, at: number): Promise<Observation[]> {
  const fetchState = async (attempt: number, providerRef: string): Promise<Observation[]> => {
    const got = await deps.payments.getPayment(providerRef);
    if (!got.ok) return [];
    const out: Observation[] = [providerObservation(attempt, got.value, 'reconciliation', at)];
    const ours = order.attempts.find((a) => a.no === attempt)?.refunds ?? [];
    if (ours.some((r) => r.state === 'submitted' || r.state === 'requested')) {
      const refunds = await deps.payments.listRefunds(providerRef);
      if (refunds.ok) {
        for (const r of ours) {
          const theirs = refunds.value.find((x) => x.refundId === r.providerRefundId);
          if (theirs !== undefined) out.push({ kind: 'refund_result', at, attempt, refund: r.no, state: theirs.state, providerRefundId: theirs.refundId });
        }
      }
    }
    return out;
  };
  /**
   * Opening a payment, or asking again under its key after a timeout (`again`). A second timeout
   * is not fed back: each would ask once more inside the same request, and a provider answering
   * slower than the timeout would hold the citizen's pay press for dozens of timeouts. The
   * attempt stays in flight; the next press or the reconciliation asks again.
   */
  const create = async (attempt: number, key: string, again = false): Promise<Observation[]> => {
    const got = await deps.payments.createPayment(
      { orderNo: order.orderNo, amount: order.amount, currency: order.currency, description: deps.description, returnUrl: deps.returnUrl(order.orderNo, attempt) },
      attempt,
      key,
    );
    if (!got.ok) return got.reason === 'timeout' && !again ? [{ kind: 'create_timed_out', at, attempt }] : [];
    const p = got.value;
    // A repeated key answers the payment as it is now, which may be further on than "created".
    return [{ kind: 'created', at, attempt, providerRef: p.providerRef, nextUrl: p.nextUrl }, providerObservation(attempt, p, 'reconciliation', at)];
  };

  switch (action.kind) {
    case 'create_payment':
      return create(action.attempt, action.idempotencyKey);
    case 'query_payment':
      return action.providerRef === null ? create(action.attempt, action.idempotencyKey, true) : fetchState(action.attempt, action.providerRef);
    case 'cancel_payment': {
      await deps.payments.cancelPayment(action.providerRef);
      // Whether the cancel took or the payment had already finished, the provider's state says.
      return fetchState(action.attempt, action.providerRef);
    }
    case 'refund': {
      const got = await deps.payments.refund(action.providerRef, action.amount, action.idempotencyKey);
      if (!got.ok) return got.reason === 'refused' ? [{ kind: 'refund_result', at, attempt: action.attempt, refund: action.refund, state: 'failed' }] : [];
      return [{ kind: 'refund_result', at, attempt: action.attempt, refund: action.refund, state: got.value.state, providerRefundId: got.value.refundId }];
    }
    case 'confirm_booking':
    case 'release_slot':
    case 'notify':
      return [];
    default:
      return missingCase(action);
  }
}

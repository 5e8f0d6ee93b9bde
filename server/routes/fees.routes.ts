import { holdView } from '../../core/booking/hold.ts';
import { providerObservation } from '../../core/fees/execute.ts';
import { IN_FLIGHT, type Observation, type Order } from '../../core/fees/model.ts';
import { payingUrl, type Processed } from '../../core/fees/orders.ts';
import type { StoredOrder } from '../../core/fees/ports.ts';
import { settle } from '../../core/fees/settle.ts';
import { SecretParams } from '../../contracts/booking.ts';
import { OrderParams, OrderView, ReturnQuery, WebhookAnswer, type OrderViewT } from '../../contracts/fees.ts';
import type { FeesServerDeps, ServerDeps } from '../deps.ts';
import { PUBLIC } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { feeRuntime, serviceFee } from '../fee-runtime.ts';
import { bookingRouteContext } from './booking.context.ts';
import { unwrap, type Api } from './types.ts';

export const orderView = (order: Order, paidAt: number | null = null): OrderViewT => ({
  orderNo: order.orderNo,
  state: order.state,
  amount: order.amount,
  currency: order.currency,
  deadline: order.deadline,
  paying: order.state === 'awaiting_payment' && order.attempts.some((a) => IN_FLIGHT.includes(a.state)),
  nextUrl: order.state === 'awaiting_payment' ? payingUrl(order) : null,
  keptAttempt: order.keptAttempt,
  paidAt,
  attempts: order.attempts.map((a) => ({
    no: a.no,
    state: a.state,
    providerRef: a.providerRef,
    refunded: a.refunds.filter((r) => r.state === 'succeeded').reduce((s, r) => s + r.amount, 0),
  })),
});

/**
 * Paying a booking's fee: pay (one payment however often pressed, in however many windows), the
 * provider's return, and its signed webhooks. Whichever of return, webhook or reconciliation
 * arrives first moves the order; the others change nothing (see core/fees/machine.ts).
 */
export function feesRoutes(api: Api, deps: ServerDeps, fees: FeesServerDeps): void {
  const b = deps.booking;
  const config = deps.config;
  if (b === undefined || config === undefined) return;
  const { core, guessLimit, lookupLimit } = bookingRouteContext(deps, b);
  const rt = feeRuntime({ queue: deps.queue, clock: deps.clock, publicUrl: deps.publicUrl, booking: b, fees, config, ids: deps.ids });
  const orders = rt.orders;

  /** One observation end to end, the booking's part included. */
  const process = async (stored: StoredOrder, obs: Observation): Promise<Processed> => unwrap(await settle(rt, stored, obs));

  /** The order as its payer sees it, with the time of the payment kept (the receipt's date). */
  const viewOf = async (order: Order): Promise<OrderViewT> => {
    if (order.keptAttempt === null) return orderView(order);
    const kept = (await fees.ledger.history(order.orderNo)).find((h) => h.what === 'attempt' && h.attempt === order.keptAttempt && h.state === 'succeeded');
    return orderView(order, kept?.at ?? null);
  };

  const loadOrder = async (orderNo: string): Promise<StoredOrder> => {
    const s = await orders.load(orderNo);
    if (s === null) throw new ApiError('FEE_ORDER_NOT_FOUND');
    return s;
  };

  /** The provider's word on the attempt the payer comes back from; without an answer, what we know (webhook and reconciliation still come). */
  const settleReturn = async (stored: StoredOrder, attempt: number): Promise<Order> => {
    const a = stored.order.attempts.find((x) => x.no === attempt);
    if (a?.providerRef == null) return stored.order;
    const got = await fees.payments.getPayment(a.providerRef);
    if (!got.ok) return stored.order;
    return (await process(stored, providerObservation(a.no, got.value, 'redirect', deps.clock.now()))).order.order;
  };

  api.post(
    '/booking/holds/:key/pay',
    {
      config: guessLimit,
      schema: {
        tags: ['booking'],
        summary: 'Pays the booking’s fee: opens a payment at the provider, or answers the one already in progress (a double click or a second window makes no second charge)',
        params: SecretParams,
        response: { 200: OrderView },
      },
    },
    async (req) => {
      const bk = await deps.queue.read(async (store) => unwrap(await holdView(core(store), req.params.key)));
      // The order was opened when the contact was confirmed; a second window finds the same one.
      const opened = await orders.byBooking(bk.id);
      if (opened === null) {
        const fee = await deps.queue.read((store) => serviceFee(config, store, bk.serviceId));
        throw new ApiError(fee === null ? 'FEE_NOT_REQUIRED' : 'FEE_NOT_PAYABLE');
      }
      const r = await process(opened, { kind: 'pay', at: deps.clock.now() });
      if (r.refused === 'deadline_passed' || r.order.order.state === 'expired') throw new ApiError('FEE_DEADLINE_PASSED');
      // Paid already (another window), expired or refunded: the order's true state, nothing opened.
      const view = await viewOf(r.order.order);
      if (view.state === 'awaiting_payment' && view.nextUrl === null && !view.paying) throw new ApiError('FEE_PROVIDER_UNAVAILABLE');
      return view;
    },
  );

  api.get(
    '/booking/fees/:orderNo',
    { config: lookupLimit, schema: { tags: ['booking'], summary: 'A fee order’s state by its number: amount, deadline, payments and refunds, nothing personal (public)', params: OrderParams, response: { 200: OrderView } } },
    async (req) => await viewOf((await loadOrder(req.params.orderNo)).order),
  );

  api.get(
    '/booking/fees/:orderNo/return',
    {
      config: lookupLimit,
      schema: {
        tags: ['booking'],
        summary: 'Where the provider sends the payer back: asks the provider how the payment stands, then answers the order’s true state (Back and reload are safe) (public)',
        params: OrderParams,
        querystring: ReturnQuery,
        response: { 200: OrderView },
      },
    },
    async (req, reply) => {
      const stored = await loadOrder(req.params.orderNo);
      const order = await settleReturn(stored, req.query.attempt);
      // A browser coming back from the provider's page lands on the portal's page of the order (which asks here again).
      if (req.headers.accept?.includes('text/html') === true) {
        const q = new URLSearchParams({ office: stored.officeId, order: order.orderNo, attempt: String(req.query.attempt) });
        return reply.redirect(`/portal/?${q.toString()}`, 303);
      }
      return await viewOf(order);
    },
  );

  // The webhook is verified on the bytes the provider signed: this scope keeps JSON bodies raw.
  void api.register(async (scope) => {
    // Checked as strictly as every other JSON body (malformed, prototype poisoning), then kept as the bytes that were signed.
    const strict = scope.getDefaultJsonParser('error', 'error');
    scope.removeContentTypeParser('application/json');
    scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
      const raw = typeof body === 'string' ? body : body.toString('utf8');
      void strict(req, raw, (err: Error | null) => (err === null ? done(null, raw) : done(err, undefined)));
    });
    scope.post(
      '/payments/webhook',
      { config: PUBLIC, schema: { tags: ['payments'], summary: 'The payment provider’s signed notifications (Pay-Signature); answered 2xx once the change is committed (public)', response: { 200: WebhookAnswer } } },
      async (req) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        const header = req.headers[fees.signatureHeader];
        const event = fees.readWebhook(raw, typeof header === 'string' ? header : undefined, deps.clock.now());
        if (event === null) throw new ApiError('FEE_WEBHOOK_INVALID');
        if (await orders.webhookSeen(event.eventId)) return { received: true };
        const p = event.payment;
        const stored = (await orders.byProviderRef(p.providerRef)) ?? (await orders.load(p.reference));
        // A payment we never asked for: nothing of ours to move; answered so the provider stops retrying.
        const attempt = stored?.order.attempts.find((a) => a.providerRef === p.providerRef)?.no ?? p.attempt;
        if (stored !== null && attempt !== null) await process(stored, providerObservation(attempt, p, 'webhook', deps.clock.now()));
        // The event id and the order's history line in one unit of work (one durable commit, not two).
        const at = deps.clock.now();
        await deps.queue.run(async () => {
          if (stored !== null) await fees.ledger.noteWebhook(stored.order.orderNo, event.eventId, event.eventType ?? p.providerStatus, at);
          await fees.orders.recordWebhookEvent(event.eventId, at);
        });
        return { received: true };
      },
    );
  });
}

import { z } from 'zod';

/** Our own order number (shown on the page, in the messages, on every receipt). */
export const OrderParams = z.object({ orderNo: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/) });
export const ReturnQuery = z.object({ attempt: z.coerce.number().int().min(1).max(1000) });

/** A fee order as its payer sees it: nothing personal, only the order's own facts. */
export const OrderView = z.object({
  orderNo: z.string(),
  state: z.enum(['awaiting_payment', 'paid', 'expired', 'refunded']),
  amount: z.number().int(),
  currency: z.string(),
  /** Milliseconds UTC: after this no payment is accepted (one arriving later is refunded). */
  deadline: z.number().int(),
  /** A payment is in progress: the pay button stays inert and this page continues it. */
  paying: z.boolean(),
  /** Where to pay now (the provider's page of the payment in progress); null when none. */
  nextUrl: z.string().nullable(),
  /** The attempt whose payment the order keeps (its reference goes on the receipt); null until paid. */
  keptAttempt: z.number().int().nullable(),
  /** When that payment was taken (ms UTC), where the host keeps the order's history; else null. */
  paidAt: z.number().int().nullable(),
  /** Each try with the provider's reference (for the client's bank), and its refunds. */
  attempts: z.array(
    z.object({
      no: z.number().int(),
      state: z.string(),
      providerRef: z.string().nullable(),
      refunded: z.number().int(),
    }),
  ),
});

export const WebhookAnswer = z.object({ received: z.boolean() });
export type OrderViewT = z.infer<typeof OrderView>;

const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A period of office days for the fee exports; either end left out means today (office time). */
export const FeeRangeQuery = z.strictObject({ from: Day.optional(), to: Day.optional() });

/** Staff look an order up by its number or by the booking's number (exactly one of them). */
export const FeeOrdersQuery = z.strictObject({
  order: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
  booking: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/).optional(),
});

/** An order as staff see it: every attempt with the provider's references, every refund, and its history with times (ms UTC). */
export const FeeOrderHistory = z.object({
  orderNo: z.string(),
  bookingNumber: z.string().nullable(),
  serviceId: z.string(),
  state: z.enum(['awaiting_payment', 'paid', 'expired', 'refunded']),
  amount: z.number().int(),
  currency: z.string(),
  deadline: z.number().int(),
  attempts: z.array(
    z.object({
      no: z.number().int(),
      state: z.string(),
      providerRef: z.string().nullable(),
      captured: z.number().int(),
      refunds: z.array(z.object({ no: z.number().int(), amount: z.number().int(), reason: z.string(), state: z.string(), providerRefundId: z.string().nullable() })),
    }),
  ),
  history: z.array(
    z.object({
      at: z.number().int(),
      what: z.enum(['order', 'attempt', 'refund', 'webhook']),
      attempt: z.number().int().nullable(),
      refund: z.number().int().nullable(),
      state: z.string(),
      detail: z.string().nullable(),
    }),
  ),
});
export const FeeOrdersResponse = z.object({ orders: z.array(FeeOrderHistory) });

/**
 * The office's orders still waiting on the payment provider (oldest deadline first): a payment
 * opened and not finished, or one the provider has not answered at all (`providerRef` null: it
 * was down or slow when the citizen pressed Pay). Times in ms UTC; nothing personal.
 */
export const FeeWaitingResponse = z.object({
  orders: z.array(
    z.object({
      orderNo: z.string(),
      bookingNumber: z.string().nullable(),
      serviceId: z.string(),
      amount: z.number().int(),
      currency: z.string(),
      deadline: z.number().int(),
      attempt: z.number().int(),
      attemptState: z.string(),
      providerRef: z.string().nullable(),
    }),
  ),
});
export type FeeWaitingT = z.infer<typeof FeeWaitingResponse>['orders'][number];
export type FeeOrderHistoryT = z.infer<typeof FeeOrderHistory>;

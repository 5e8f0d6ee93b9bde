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

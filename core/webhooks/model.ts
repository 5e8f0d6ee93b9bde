/**
 * Outgoing webhooks: an office subscribes an endpoint to chosen events; each matching event of the
 * office's log is delivered to it, signed, in log order, retried for a day. Times are UTC epoch
 * milliseconds unless a name says otherwise.
 */

/** Events another system may subscribe to. */
export const TICKET_WEBHOOK_TYPES = ['ticket.issued', 'ticket.called', 'ticket.served', 'ticket.no_show'] as const;
export const BOOKING_WEBHOOK_TYPES = ['booking.confirmed', 'booking.cancelled'] as const;
/** A booking's fee: its order paid, an attempt failed (a declined card), a refund gone through. */
export const PAYMENT_WEBHOOK_TYPES = ['payment.succeeded', 'payment.failed', 'payment.refunded'] as const;
export const WEBHOOK_EVENT_TYPES = [...TICKET_WEBHOOK_TYPES, ...BOOKING_WEBHOOK_TYPES, ...PAYMENT_WEBHOOK_TYPES] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/**
 * Fields left out of every payload unless an admin names them for a subscription: they link a
 * delivery to a person or a member of staff (a ticket's id opens its public status page, a booking
 * number its status, a clerk id names the clerk, an order number is on the client's receipts and
 * messages and opens the order's payment page).
 */
export const WEBHOOK_EXTRA_FIELDS = ['ticketId', 'categoryId', 'clerkId', 'bookingNumber', 'orderNo'] as const;
export type WebhookExtraField = (typeof WEBHOOK_EXTRA_FIELDS)[number];

export type SubscriptionState = 'active' | 'paused';
/** Why a subscription is paused: an admin paused it, or a delivery was given up after a day. */
export type PauseReason = 'by_admin' | 'delivery_failed';

export interface WebhookSubscription {
  id: string;
  officeId: string;
  url: string;
  eventTypes: WebhookEventType[];
  extraFields: WebhookExtraField[];
  /** An admin allowed private, link-local, loopback and unique-local targets for this one. */
  allowPrivate: boolean;
  state: SubscriptionState;
  pausedReason: PauseReason | null;
  /** The last event id of the office's log this subscription is done with (delivered, given up or not subscribed). */
  cursor: number;
  /** The signing secret, sealed with the host's key (never shown again after creation or rotation). */
  sealedSecret: string;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
}

export type DeliveryState = 'pending' | 'delivered' | 'failed';

/**
 * One event for one subscription. Its body is fixed when it is created, so every retry sends the
 * same bytes (only the signature's time changes).
 */
export interface WebhookDelivery {
  id: string;
  subscriptionId: string;
  officeId: string;
  eventId: number;
  eventType: WebhookEventType;
  body: string;
  state: DeliveryState;
  attempts: number;
  createdAt: number;
  nextAttemptAt: number;
  lastAttemptAt: number | null;
  /** HTTP status of the last answer; null when none came (refused, timed out, address refused). */
  lastStatus: number | null;
  lastError: string | null;
  doneAt: number | null;
}

export interface DeliveryAttempt {
  deliveryId: string;
  at: number;
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** What the back office lists: a delivery without its body, with its attempts. */
export type DeliveryView = Omit<WebhookDelivery, 'body'> & { attemptLog: DeliveryAttempt[] };

/** What one HTTP attempt came to: the answer's status (null when none came), an error text, how long it took. */
export interface SendResult {
  status: number | null;
  error: string | null;
  durationMs: number;
}

/** A 2xx answer is a delivery; anything else (3xx included: redirects are not followed) is retried. */
export const isDelivered = (r: SendResult): boolean => r.status !== null && r.status >= 200 && r.status < 300;

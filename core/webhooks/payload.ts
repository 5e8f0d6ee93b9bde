import type { LoggedEvent } from '../shared/events.ts';
import { missingCase } from '../shared/result.ts';
import type { WebhookEventType, WebhookExtraField } from './model.ts';

/**
 * What another system receives for an event. Personal data stays home: tickets go out by number,
 * service and counter with their times, bookings by id, service and time, payments by booking id,
 * service and amount — the fields of
 * `WEBHOOK_EXTRA_FIELDS` only when an admin named them for the subscription.
 */
export interface WebhookBody {
  /** The event's id in the office's log: the same on every retry, for the receiver's dedupe. */
  id: string;
  type: WebhookEventType;
  officeId: string;
  /** ISO 8601, UTC. */
  occurredAt: string;
  data: Record<string, string | number | boolean | null>;
}

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The webhook type of a logged event; null for events no subscriber can take. */
export function webhookTypeOf(e: LoggedEvent): WebhookEventType | null {
  switch (e.type) {
    case 'ticket:issued':
      return 'ticket.issued';
    case 'ticket:called':
      return 'ticket.called';
    case 'ticket:changed':
      if (e.payload.ticket.state === 'done') return 'ticket.served';
      if (e.payload.ticket.state === 'no_show') return 'ticket.no_show';
      return null;
    case 'booking:changed':
      return e.payload.state === 'confirmed' ? 'booking.confirmed' : 'booking.cancelled';
    case 'payment:changed':
      return e.payload.state === 'succeeded' ? 'payment.succeeded' : e.payload.state === 'failed' ? 'payment.failed' : 'payment.refunded';
    case 'queue:changed':
    case 'counter:changed':
    case 'service:closed':
    case 'printer:changed':
    case 'ticket:called-out-of-order':
    case 'ticket:reprinted':
    case 'outbox:resent':
    case 'booking:settings-changed':
    case 'ticket:rated':
    case 'alerts:changed':
    case 'config:changed':
      return null;
    default:
      return missingCase(e);
  }
}

/** The body sent for an event of a type the subscription takes (null when it is none of them). */
export function webhookBody(e: LoggedEvent, extra: readonly WebhookExtraField[]): WebhookBody | null {
  const type = webhookTypeOf(e);
  if (type === null) return null;
  const wants = new Set(extra);
  const data: WebhookBody['data'] = {};
  const put = (field: WebhookExtraField, value: string | null | undefined): void => {
    if (wants.has(field)) data[field] = value ?? null;
  };
  if (e.type === 'ticket:issued' || e.type === 'ticket:called' || e.type === 'ticket:changed') {
    const t = e.payload.ticket;
    data['ticketNumber'] = t.number;
    data['serviceId'] = t.serviceId;
    data['counterId'] = e.type === 'ticket:called' ? e.payload.counterId : t.counterId;
    if (e.type === 'ticket:called') {
      data['counterNumber'] = e.payload.counterNumber;
      data['recall'] = e.payload.recall;
    }
    data['arrivedAt'] = iso(t.arrivedAt);
    data['bookedAt'] = iso(t.bookedAt);
    put('ticketId', t.id);
    put('categoryId', t.categoryId);
    if (e.type === 'ticket:called') put('clerkId', e.payload.userId);
  } else if (e.type === 'booking:changed') {
    data['bookingId'] = e.payload.bookingId;
    data['serviceId'] = e.payload.serviceId;
    data['startAt'] = iso(e.payload.startAt);
    put('bookingNumber', e.payload.number);
  } else if (e.type === 'payment:changed') {
    const p = e.payload;
    data['bookingId'] = p.bookingId;
    data['serviceId'] = p.serviceId;
    data['amount'] = p.amount;
    data['currency'] = p.currency;
    data['attempt'] = p.attempt;
    if (p.state === 'refunded') {
      data['refund'] = p.refund;
      data['reason'] = p.reason;
    }
    put('orderNo', p.orderNo);
  }
  return { id: String(e.id), type, officeId: e.officeId, occurredAt: new Date(e.at).toISOString(), data };
}

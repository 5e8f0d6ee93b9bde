import { describe, expect, it } from 'vitest';
import type { LoggedEvent, TicketView } from '../shared/events.ts';
import { webhookBody } from './payload.ts';

const ticket: TicketView = { id: 'tSecretLink', number: 'A017', serviceId: 's1', state: 'called', counterId: 'c3', categoryId: 'cat-pregnant', arrivedAt: Date.UTC(2026, 10, 23, 8, 0), bookedAt: null, recallCount: 0 };
const called: LoggedEvent = { id: 41, at: Date.UTC(2026, 10, 23, 8, 5), type: 'ticket:called', officeId: 'o1', payload: { ticket, counterId: 'c3', counterNumber: '3', recall: false, userId: 'u-jana' } };

describe('webhook payloads', () => {
  it('carry the number, service, counter and times only', () => {
    expect(webhookBody(called, [])).toEqual({
      id: '41',
      type: 'ticket.called',
      officeId: 'o1',
      occurredAt: '2026-11-23T08:05:00.000Z',
      data: { ticketNumber: 'A017', serviceId: 's1', counterId: 'c3', counterNumber: '3', recall: false, arrivedAt: '2026-11-23T08:00:00.000Z', bookedAt: null },
    });
  });

  it('add a named field only when the admin asked for it', () => {
    const body = webhookBody(called, ['ticketId', 'clerkId']);
    expect(body?.data).toMatchObject({ ticketId: 'tSecretLink', clerkId: 'u-jana' });
    expect(body?.data).not.toHaveProperty('categoryId');
  });

  it('map served and no-show from a ticket’s end, bookings by id, and nothing else', () => {
    const ended = (state: 'done' | 'no_show' | 'waiting'): LoggedEvent => ({ id: 42, at: 0, type: 'ticket:changed', officeId: 'o1', payload: { ticket: { ...ticket, state }, previous: 'serving' } });
    expect(webhookBody(ended('done'), [])?.type).toBe('ticket.served');
    expect(webhookBody(ended('no_show'), [])?.type).toBe('ticket.no_show');
    expect(webhookBody(ended('waiting'), [])).toBeNull();
    const booking: LoggedEvent = { id: 43, at: 0, type: 'booking:changed', officeId: 'o1', payload: { bookingId: 'b1', number: 'K7M2Q9X4TP', serviceId: 's2', startAt: Date.UTC(2026, 10, 24, 9), state: 'cancelled' } };
    expect(webhookBody(booking, [])).toMatchObject({ type: 'booking.cancelled', data: { bookingId: 'b1', serviceId: 's2', startAt: '2026-11-24T09:00:00.000Z' } });
    expect(webhookBody(booking, [])?.data).not.toHaveProperty('bookingNumber');
    expect(webhookBody({ id: 44, at: 0, type: 'service:closed', officeId: 'o1', payload: { serviceId: 's1', day: '2026-11-23' } }, [])).toBeNull();
  });

  it('map payments to succeeded, failed and refunded, by booking id and amount; the order number only when asked', () => {
    const payment = (state: 'succeeded' | 'failed' | 'refunded'): LoggedEvent => ({
      id: 45,
      at: 0,
      type: 'payment:changed',
      officeId: 'o1',
      payload: { orderNo: 'FEE_1', bookingId: 'b1', serviceId: 's2', amount: 2500, currency: 'CZK', state, attempt: 2, refund: state === 'refunded' ? 1 : null, reason: state === 'refunded' ? 'order_refunded' : null },
    });
    expect(webhookBody(payment('succeeded'), [])).toMatchObject({ type: 'payment.succeeded', data: { bookingId: 'b1', serviceId: 's2', amount: 2500, currency: 'CZK', attempt: 2 } });
    expect(webhookBody(payment('succeeded'), [])?.data).not.toHaveProperty('orderNo');
    expect(webhookBody(payment('failed'), ['orderNo'])).toMatchObject({ type: 'payment.failed', data: { orderNo: 'FEE_1' } });
    expect(webhookBody(payment('refunded'), [])).toMatchObject({ type: 'payment.refunded', data: { refund: 1, reason: 'order_refunded' } });
  });
});

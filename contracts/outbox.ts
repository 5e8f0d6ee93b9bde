import { z } from 'zod';
import { BookingOfficeParams, OutboxResponse } from './booking.ts';

/** Staff send a waiting message of the outbox at once. */
export const OutboxMessageParams = BookingOfficeParams.extend({ messageId: z.string().min(1).max(80).regex(/^[A-Za-z0-9_.-]+$/) });

export const OutboxMessage = OutboxResponse.shape.messages.element;

export const OutboxResendResponse = z.object({ message: OutboxMessage });

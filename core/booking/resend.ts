import type { OutboxView } from './model.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/** A message of the outbox as staff see it, and whether its sealed content is still kept. */
export interface ResendCandidate {
  message: OutboxView;
  /** The content is erased once sent, and purged after the retention period. */
  hasContent: boolean;
}

/**
 * Whether staff may send a message again at once. Only a message still waiting can: its next
 * retry (after a failed attempt, minutes away) is brought forward to now. A sent message's
 * content is no longer kept, and one being sent is on its way already.
 */
export function checkResend(c: ResendCandidate | null): Result<OutboxView> {
  if (c === null) return fail('OUTBOX_MESSAGE_NOT_FOUND');
  switch (c.message.state) {
    case 'pending':
      return c.hasContent ? ok(c.message) : fail('OUTBOX_NOT_RESENDABLE');
    case 'sent':
      return fail('OUTBOX_ALREADY_SENT');
    case 'sending':
    case 'failed':
      return fail('OUTBOX_NOT_RESENDABLE');
    default: {
      const never: never = c.message.state;
      return never;
    }
  }
}

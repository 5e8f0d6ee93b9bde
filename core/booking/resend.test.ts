import { describe, expect, it } from 'vitest';
import type { OutboxView } from './model.ts';
import { checkResend } from './resend.ts';

const message = (state: OutboxView['state']): OutboxView => ({
  id: 'm1',
  bookingId: 'b1',
  channel: 'email',
  kind: 'confirmed',
  state,
  attempts: 2,
  nextAttemptAt: 10_000,
  lastError: 'connection refused',
  createdAt: 0,
  sentAt: null,
});

describe('sending an outbox message again', () => {
  it('brings forward a message still waiting for its next attempt', () => {
    expect(checkResend({ message: message('pending'), hasContent: true })).toEqual({ ok: true, value: message('pending') });
  });

  it('refuses what cannot go out again, each with its reason', () => {
    expect(checkResend(null)).toEqual({ ok: false, error: { code: 'OUTBOX_MESSAGE_NOT_FOUND' } });
    expect(checkResend({ message: message('sent'), hasContent: false })).toEqual({ ok: false, error: { code: 'OUTBOX_ALREADY_SENT' } });
    expect(checkResend({ message: message('sending'), hasContent: true })).toEqual({ ok: false, error: { code: 'OUTBOX_NOT_RESENDABLE' } });
    expect(checkResend({ message: message('failed'), hasContent: false })).toEqual({ ok: false, error: { code: 'OUTBOX_NOT_RESENDABLE' } });
    expect(checkResend({ message: message('pending'), hasContent: false })).toEqual({ ok: false, error: { code: 'OUTBOX_NOT_RESENDABLE' } });
  });
});

import { checkResend } from '../../core/booking/resend.ts';
import { OutboxMessageParams, OutboxResendResponse } from '../../contracts/outbox.ts';
import { BookingOfficeParams, OutboxResponse } from '../../contracts/booking.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { unwrap, type Api } from './types.ts';

/**
 * The office's outbox for its supervisors and admins: each message's state (never its content),
 * and sending a waiting one at once — recorded in the event log as `outbox:resent`, who and which.
 */
export function outboxRoutes(api: Api, deps: ServerDeps): void {
  const b = deps.booking;
  if (b === undefined) return;

  api.get(
    '/booking/offices/:officeId/outbox',
    { schema: { tags: ['booking'], summary: 'State of the latest messages (staff: supervisor or admin of the office); never their content', params: BookingOfficeParams, response: { 200: OutboxResponse } } },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      return { messages: await b.outbox.list(req.params.officeId, 200) };
    },
  );

  api.post(
    '/booking/offices/:officeId/outbox/:messageId/resend',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Sends a waiting message at once instead of at its next retry; a sent one is refused (its content is not kept). Audited as outbox:resent (supervisor or admin)',
        params: OutboxMessageParams,
        response: { 200: OutboxResendResponse },
      },
    },
    async (req) => {
      const user = requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      const { officeId, messageId } = req.params;
      const now = deps.clock.now();
      const message = unwrap(
        await deps.queue.run(async (store) => {
          const r = checkResend(await b.outbox.candidate(officeId, messageId));
          if (!r.ok) return r;
          await b.outbox.sendNow(r.value.id, now);
          await store.appendEvent({ type: 'outbox:resent', officeId, payload: { messageId: r.value.id, kind: r.value.kind, channel: r.value.channel, userId: user.id } }, now);
          return r;
        }),
      );
      b.onQueued?.();
      return { message: { ...message, nextAttemptAt: now } };
    },
  );
}

import { ticketView } from '../../core/events.ts';
import { issueAtCounter } from '../../core/reception.ts';
import { CounterParams, IssuedTicketResponse } from '../../contracts/api.ts';
import { ReceptionIssueBody } from '../../contracts/screens.ts';
import type { ServerDeps } from '../app.ts';
import { requireUser } from '../auth.ts';
import { unwrap, type Api } from './types.ts';

/** Reception at a counter: a ticket issued by the clerk for a client the kiosk cannot serve. */
export function receptionRoutes(api: Api, deps: ServerDeps): void {
  api.post(
    '/counters/:counterId/tickets',
    {
      schema: {
        tags: ['counter'],
        summary: 'Issues a walk-in ticket from the counter (shown on screen to be written down)',
        params: CounterParams,
        body: ReceptionIssueBody,
        response: { 201: IssuedTicketResponse },
      },
    },
    async (req, reply) => {
      const user = requireUser(req.identity);
      const issued = unwrap(
        await deps.queue.run((store) =>
          issueAtCounter(
            { store, clock: deps.clock, ids: deps.ids },
            { userId: user.id, officeId: user.officeId, counterId: req.params.counterId },
            { serviceId: req.body.serviceId, categoryId: req.body.categoryId },
          ),
        ),
      );
      void reply.status(201);
      return { ticket: ticketView(issued.ticket), ahead: issued.ahead, estimatedWaitMin: issued.estimatedWaitMin };
    },
  );
}

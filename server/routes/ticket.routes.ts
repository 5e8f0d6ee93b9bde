import { z } from 'zod';
import { issueTicket, type IssuedTicket } from '../../core/issue-ticket.ts';
import { fail } from '../../core/result.ts';
import { ticketView } from '../../core/events.ts';
import { IssuedTicketResponse, IssueTicketBody } from '../../contracts/api.ts';
import type { ServerDeps } from '../app.ts';
import { requireDevice } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { unwrap, type Api } from './types.ts';

export function ticketRoutes(api: Api, deps: ServerDeps): void {
  api.post(
    '/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Issues a walk-in ticket (kiosk device). Answered only once the ticket is durable.',
        body: IssueTicketBody,
        response: { 201: IssuedTicketResponse },
      },
    },
    async (req, reply) => {
      const kiosk = requireDevice(req.identity, 'kiosk');
      const issued = unwrap(
        await deps.queue.run((store) => {
          const service = store.getService(req.body.serviceId);
          // A kiosk issues only for its own office; say "not found" rather than reveal others.
          if (service === null || service.officeId !== kiosk.officeId) return fail<IssuedTicket>('SERVICE_NOT_FOUND');
          return issueTicket({ store, clock: deps.clock, ids: deps.ids }, { serviceId: req.body.serviceId, categoryId: req.body.categoryId });
        }),
      );
      void reply.status(201);
      return { ticket: ticketView(issued.ticket), ahead: issued.ahead, estimatedWaitMin: issued.estimatedWaitMin };
    },
  );

  api.get(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Live status of one ticket (public: the id is the unguessable secret printed in the QR code)',
        params: z.object({ id: z.string().min(1).max(64) }),
      },
    },
    async (req) =>
      deps.queue.read((store) => {
        const t = store.getTicket(req.params.id);
        if (t === null) throw new ApiError('TICKET_NOT_FOUND');
        const counter = t.counterId === null ? null : store.getCounter(t.counterId);
        const ahead =
          t.state === 'waiting'
            ? store.waitingTickets(t.officeId).filter((w) => w.serviceId === t.serviceId && w.arrivedAt < t.arrivedAt).length
            : 0;
        return { ticket: ticketView(t), ahead, counterNumber: counter?.number ?? null };
      }),
  );
}

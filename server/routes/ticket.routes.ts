import { z } from 'zod';
import { issueTicket, type IssuedTicket } from '../../core/issue-ticket.ts';
import { fail } from '../../core/result.ts';
import { ticketView } from '../../core/events.ts';
import { IdParams, IssuedTicketResponse, IssueTicketBody } from '../../contracts/api.ts';
import { ReprintBody, TicketStatusResponse } from '../../contracts/kiosk.ts';
import type { ServerDeps } from '../app.ts';
import { requireDevice, requireUser } from '../auth.ts';
import { issueAndPrint, reprint } from '../issue-and-print.ts';
import type { PrintAgents } from '../print-agents.ts';
import { ApiError } from '../errors.ts';
import { unwrap, type Api } from './types.ts';

export function ticketRoutes(api: Api, deps: ServerDeps & { printAgents: PrintAgents }): void {
  api.post(
    '/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Issues a walk-in ticket (kiosk device). Answered only once the ticket is durable; a kiosk with a print agent answers once the ticket is printed and in the queue (PRINT_FAILED: printed nothing valid, the ticket is void).',
        body: IssueTicketBody,
        response: { 201: IssuedTicketResponse },
      },
    },
    async (req, reply) => {
      const kiosk = requireDevice(req.identity, 'kiosk');
      const input = { serviceId: req.body.serviceId, categoryId: req.body.categoryId };
      const issued = unwrap(
        kiosk.printer === 'agent'
          ? // The ticket is printed in the client's language (the kiosk page sends its own).
            await issueAndPrint(deps, kiosk, input, req.lang, req.t)
          : await deps.queue.run((store) => {
              const service = store.getService(req.body.serviceId);
              // A kiosk issues only for its own office; say "not found" rather than reveal others.
              if (service === null || service.officeId !== kiosk.officeId) return fail<IssuedTicket>('SERVICE_NOT_FOUND');
              return issueTicket({ store, clock: deps.clock, ids: deps.ids }, input);
            }),
      );
      void reply.status(201);
      return { ticket: ticketView(issued.ticket), ahead: issued.ahead, estimatedWaitMin: issued.estimatedWaitMin };
    },
  );

  api.post(
    '/tickets/:id/reprint',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Prints a ticket again on a kiosk printer (staff; a jam, a torn ticket). Audited as ticket:reprinted.',
        params: IdParams,
        body: ReprintBody,
      },
    },
    async (req) => {
      const user = requireUser(req.identity, 'clerk');
      const kiosk = deps.access.listDevices(user.officeId).find((d) => d.id === req.body.deviceId && d.revokedAt === null);
      if (kiosk === undefined) throw new ApiError('DEVICE_NOT_FOUND');
      if (kiosk.kind !== 'kiosk') throw new ApiError('FORBIDDEN');
      if (kiosk.printer !== 'agent') throw new ApiError('PRINTER_OUT_OF_ORDER');
      const ticket = deps.queue.read((s) => s.getTicket(req.params.id));
      if (ticket === null || ticket.officeId !== user.officeId) throw new ApiError('TICKET_NOT_FOUND');
      const done = unwrap(await reprint(deps, { ticketId: ticket.id, kiosk, userId: user.id }, req.lang, req.t));
      return { ticket: ticketView(done) };
    },
  );

  api.get(
    '/tickets/:id',
    {
      schema: {
        tags: ['tickets'],
        summary: 'Live status of one ticket (public: the id is the unguessable secret printed in the QR code)',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: TicketStatusResponse },
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

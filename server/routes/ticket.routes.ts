import { z } from 'zod';
import { aheadInLine } from '../../core/queue/call-policy.ts';
import { issueTicket, type IssuedTicket } from '../../core/queue/issue-ticket.ts';
import { waitForPlace } from '../../core/queue/estimate.ts';
import { formatHhMm, localTime } from '../../core/shared/office-time.ts';
import { fail } from '../../core/shared/result.ts';
import { ticketView } from '../../core/shared/events.ts';
import { ratingOpen } from '../../core/queue/rating.ts';
import { IdParams, IssuedTicketResponse, IssueTicketBody } from '../../contracts/api.ts';
import { ReprintBody, TicketStatusResponse } from '../../contracts/kiosk.ts';
import type { ServerDeps } from '../deps.ts';
import { PUBLIC, requireDevice, requireUser } from '../auth.ts';
import { issueAndPrint, kioskToPrintOn, reprint } from '../issue-and-print.ts';
import type { PrintAgents } from '../print-agents.ts';
import { ApiError } from '../errors.ts';
import { pickName } from './office.routes.ts';
import { unwrap, type Api } from './types.ts';

export function ticketRoutes(api: Api, deps: ServerDeps & { printAgents: PrintAgents }): void {
  api.post(
    '/tickets',
    {
      schema: {
        tags: ['tickets'],
        summary:
          'Issues a walk-in ticket (kiosk device). Answered only once the ticket is durable; a kiosk with a print agent reads its printer before the number is taken (PRINTER_OUT_OF_PAPER, PRINTER_COVER_OPEN, PRINTER_OUT_OF_ORDER: no ticket) and answers once the ticket is printed and in the queue (PRINT_VOIDED_IN_HAND: paper may have come out but the ticket is void; PRINT_FAILED: no acknowledgement, the ticket is void).',
        body: IssueTicketBody,
        response: { 201: IssuedTicketResponse },
      },
    },
    async (req, reply) => {
      const kiosk = requireDevice(req.identity, 'kiosk');
      const input = { serviceId: req.body.serviceId, categoryId: req.body.categoryId, language: req.lang, origin: { channel: 'walk_in', deviceId: kiosk.id } as const };
      const issued = unwrap(
        kiosk.printer === 'agent'
          ? // The ticket is printed in the client's language (the kiosk page sends its own).
            await issueAndPrint(deps, kiosk, input, req.lang, req.t)
          : await deps.queue.run(async (store) => {
              const service = await store.getService(req.body.serviceId);
              // A kiosk issues only for its own office; say "not found" rather than reveal others.
              if (service === null || service.officeId !== kiosk.officeId) return fail<IssuedTicket>('SERVICE_NOT_FOUND');
              return await issueTicket({ store, clock: deps.clock, ids: deps.ids }, input);
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
        summary:
          'Prints a ticket again on a kiosk printer (staff; a jam, a torn ticket). Audited as ticket:reprinted. ' +
          'deviceId: one of the office’s kiosks with a printer (KIOSK_WITHOUT_PRINTER otherwise; GET /offices/:officeId/printers lists them).',
        params: IdParams,
        body: ReprintBody,
      },
    },
    async (req) => {
      const user = requireUser(req.identity, 'clerk');
      const kiosk = unwrap(await kioskToPrintOn(deps.access, user.officeId, req.body.deviceId));
      const ticket = await deps.queue.read(async (s) => await s.getTicket(req.params.id));
      if (ticket === null || ticket.officeId !== user.officeId) throw new ApiError('TICKET_NOT_FOUND');
      const done = unwrap(await reprint(deps, { ticketId: ticket.id, kiosk, userId: user.id }, req.lang, req.t));
      return { ticket: ticketView(done) };
    },
  );

  api.get(
    '/tickets/:id',
    {
      config: PUBLIC,
      schema: {
        tags: ['tickets'],
        summary: 'Live status of one ticket (public: the id is the unguessable secret printed in the QR code)',
        params: z.object({ id: z.string().min(1).max(64) }),
        response: { 200: TicketStatusResponse },
      },
    },
    async (req) => {
      const status = await deps.queue.read(async (store) => {
        const t = await store.getTicket(req.params.id);
        if (t === null) throw new ApiError('TICKET_NOT_FOUND');
        const counter = t.counterId === null ? null : await store.getCounter(t.counterId);
        const office = await store.getOffice(t.officeId);
        const service = await store.getService(t.serviceId);
        if (office === null || service === null) throw new ApiError('TICKET_NOT_FOUND');
        const now = deps.clock.now();
        // Booked arrivals whose time has come go first, early ones after the walk-ins: the policy's order.
        const ahead = t.state === 'waiting' ? aheadInLine(await store.waitingTickets(t.officeId), t, { now, maxWaitMs: office.settings.maxWaitMin * 60_000 }) : 0;
        const bookedTime = t.bookedAt === null ? null : formatHhMm(localTime(office.timeZone, t.bookedAt).minute);
        // Nothing personal: the office, the service and the queue, as the hall display shows them.
        return {
          ticket: ticketView(t),
          ahead,
          counterNumber: counter?.number ?? null,
          bookedTime,
          service: { name: pickName(service.names, req.lang, office), names: service.names },
          officeName: office.name,
          officeId: office.id,
          // A booked arrival waits for its time, not for the queue: its page says the time instead.
          estimatedWaitMin: t.state === 'waiting' && t.bookedAt === null ? await waitForPlace(store, office, t.serviceId, ahead) : null,
          ratingOpen: deps.ratings !== undefined && ratingOpen(t, office, now),
        };
      });
      const { ratingOpen: open, ...rest } = status;
      const given = open || status.ticket.state === 'done' ? ((await deps.ratings?.ofTicket(status.ticket.id)) ?? null) : null;
      return { ...rest, rating: { open, given } };
    },
  );
}

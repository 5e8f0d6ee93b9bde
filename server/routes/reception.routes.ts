import { ticketView } from '../../core/shared/events.ts';
import { issueAtCounter, receptionCounter } from '../../core/queue/reception.ts';
import { CounterParams, IssuedTicketResponse, OfficeParams } from '../../contracts/api.ts';
import { KioskPrintersResponse, ReceptionIssueBody } from '../../contracts/screens.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { allocateAndPrint, kioskToPrintOn, printingKiosks } from '../issue-and-print.ts';
import type { PrintAgents } from '../print-agents.ts';
import { unwrap, type Api } from './types.ts';

/**
 * Reception at a counter: a ticket issued by the clerk for a client the kiosk cannot serve, shown
 * on screen or printed on a kiosk's printer of the clerk's choosing; and the office's kiosk
 * printers with their state (where to print, and the warnings a counter page starts with).
 */
export function receptionRoutes(api: Api, deps: ServerDeps & { printAgents: PrintAgents }): void {
  api.post(
    '/counters/:counterId/tickets',
    {
      schema: {
        tags: ['counter'],
        summary:
          'Issues a walk-in ticket from the counter: shown on screen to be written down, or with deviceId printed on that kiosk’s printer ' +
          '(one of the office’s printing kiosks, else DEVICE_NOT_FOUND / KIOSK_WITHOUT_PRINTER; refused before a number is used while it cannot print; ' +
          'answered once printed and in the queue, PRINT_VOIDED_IN_HAND / PRINT_FAILED: the ticket is void).',
        params: CounterParams,
        body: ReceptionIssueBody,
        response: { 201: IssuedTicketResponse },
      },
    },
    async (req, reply) => {
      const user = requireUser(req.identity);
      const actor = { userId: user.id, officeId: user.officeId, counterId: req.params.counterId };
      const input = { serviceId: req.body.serviceId, categoryId: req.body.categoryId };
      const { deviceId } = req.body;
      let issued;
      if (deviceId === undefined) {
        issued = unwrap(await deps.queue.run(async (store) => await issueAtCounter({ store, clock: deps.clock, ids: deps.ids }, actor, input)));
      } else {
        // Who may issue here first, then where it prints; each is checked again when the number is taken.
        unwrap(await deps.queue.read(async (store) => await receptionCounter(store, actor)));
        const kiosk = unwrap(await kioskToPrintOn(deps.access, user.officeId, deviceId));
        const lang = req.body.language ?? await deps.queue.read(async (store) => (await store.getOffice(user.officeId))?.languages[0]) ?? req.lang;
        issued = unwrap(await allocateAndPrint(deps, kiosk, async (q) => await issueAtCounter(q, actor, { ...input, language: lang }, 'printing'), lang, req.t, 'reception'));
      }
      void reply.status(201);
      return { ticket: ticketView(issued.ticket), ahead: issued.ahead, estimatedWaitMin: issued.estimatedWaitMin };
    },
  );

  api.get(
    '/offices/:officeId/printers',
    {
      schema: {
        tags: ['office'],
        summary:
          'The office’s kiosks with a printer and what each printer last reported (staff): where a reception ticket or a reprint can print, ' +
          'and the state later printer:changed events update; voidedInHand: tickets voided after their paper came out, since the host started',
        params: OfficeParams,
        response: { 200: KioskPrintersResponse },
      },
    },
    async (req) => {
      requireUser(req.identity);
      requireOffice(req.identity, req.params.officeId);
      return { printers: (await printingKiosks(deps.access, req.params.officeId)).map((d) => deps.printAgents.view(d)) };
    },
  );
}

import { officeLoad } from '../../core/queue/estimate.ts';
import { ticketView } from '../../core/shared/events.ts';
import { localTime } from '../../core/shared/office-time.ts';
import { closeServiceForDay } from '../../core/queue/service-closure.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { FloorSnapshot, OfficeServiceParams, ServiceClosedResponse } from '../../contracts/screens.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { pickName } from './office.routes.ts';
import { unwrap, type Api } from './types.ts';
import { counterView } from '../views.ts';

/** The supervisor's floor view: every counter, who sits there, the lines, and closing a service for the day. */
export function floorRoutes(api: Api, deps: ServerDeps): void {
  api.get(
    '/offices/:officeId/floor',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Counters with state, current ticket and clerk; waiting and longest wait per service; kiosk printers',
        params: OfficeParams,
        response: { 200: FloorSnapshot },
      },
    },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      const kiosks = (await deps.access.listDevices(req.params.officeId))
        .filter((d) => d.kind === 'kiosk' && d.revokedAt === null)
        .map((d) => ({ id: d.id, name: d.name, printer: d.printer === 'agent' ? (deps.printAgents?.printer(d.id).state ?? null) : null }));
      return deps.queue.read(async (store) => {
        const office = await store.getOffice(req.params.officeId);
        if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
        const day = localTime(office.timeZone, deps.clock.now()).date;
        const closed = new Set(await store.closedServices(office.id, day));
        const load = new Map((await officeLoad(store, office)).map((l) => [l.serviceId, l]));
        return {
          officeId: office.id,
          lastEventId: await deps.events.lastEventId(office.id),
          day,
          counters: await Promise.all(
            (await store.listCounters(office.id)).map(async (counter) => {
              const t = await store.currentTicket(counter.id);
              const user = counter.userId === null ? null : await deps.access.userById(counter.userId);
              return {
                counter: counterView(counter),
                ticket: t === null ? null : ticketView(t),
                clerk: user === null ? null : { id: user.id, displayName: user.displayName },
              };
            }),
          ),
          services: (await store.listServices(office.id)).map((s) => ({
            id: s.id,
            prefix: s.prefix,
            name: pickName(s.names, req.lang, office),
            waiting: load.get(s.id)?.waiting ?? 0,
            oldestArrivedAt: load.get(s.id)?.oldestArrivedAt ?? null,
            estimatedWaitMin: load.get(s.id)?.estimatedWaitMin ?? null,
            closedForDay: closed.has(s.id),
          })),
          kiosks,
        };
      });
    },
  );

  api.post(
    '/offices/:officeId/services/:serviceId/close-for-day',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Closes a service for the rest of the office day: no new tickets, waiting clients are still served',
        params: OfficeServiceParams,
        response: { 200: ServiceClosedResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      return unwrap(
        await deps.queue.run(async (store) =>
          await closeServiceForDay({ store, clock: deps.clock, ids: deps.ids }, { officeId: req.params.officeId, serviceId: req.params.serviceId }),
        ),
      );
    },
  );
}

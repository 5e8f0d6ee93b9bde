import { walkInCapacity } from '../../core/queue/capacity.ts';
import { officeLoad } from '../../core/queue/estimate.ts';
import { ticketView } from '../../core/shared/events.ts';
import type { Language, Localized, Office } from '../../core/shared/model.ts';
import { isOfficeOpen, localTime } from '../../core/shared/office-time.ts';
import { OfficeParams, QueueSnapshot, ServicesResponse } from '../../contracts/api.ts';
import type { ServerDeps } from '../deps.ts';
import { PUBLIC, requireOffice } from '../auth.ts';
import { ApiError } from '../errors.ts';
import type { Api } from './types.ts';
import { counterView } from '../views.ts';

/** The text in the caller's language, else the office's default, else any. */
export function pickName(names: Localized, lang: Language, office: Office): string {
  return names[lang] ?? names[office.languages[0] ?? 'en'] ?? Object.values(names)[0] ?? '';
}

export function officeRoutes(api: Api, deps: ServerDeps): void {
  api.get('/offices', { config: PUBLIC, schema: { tags: ['office'], summary: 'Offices this host runs' } }, async () => ({
    offices: (await deps.queue.read((s) => s.listOffices())).map((o) => ({ id: o.id, name: o.name, timeZone: o.timeZone, languages: o.languages })),
  }));

  api.get(
    '/offices/:officeId/services',
    {
      config: PUBLIC,
      schema: {
        tags: ['office'],
        summary: 'Services with live waiting counts, estimated wait and walk-in tickets left today (public)',
        params: OfficeParams,
        response: { 200: ServicesResponse },
      },
    },
    async (req) =>
      deps.queue.read(async (store) => {
        const office = await store.getOffice(req.params.officeId);
        if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
        const now = deps.clock.now();
        const day = localTime(office.timeZone, now).date;
        const closed = new Set(await store.closedServices(office.id, day));
        const load = new Map((await officeLoad(store, office)).map((l) => [l.serviceId, l]));
        return {
          officeId: office.id,
          lastEventId: await deps.events.lastEventId(office.id),
          departments: (await store.listDepartments(office.id)).map((d) => ({ id: d.id, name: pickName(d.names, req.lang, office) })),
          services: await Promise.all((await store.listServices(office.id)).map(async (s) => {
            const l = load.get(s.id);
            return {
              id: s.id,
              departmentId: s.departmentId,
              prefix: s.prefix,
              name: pickName(s.names, req.lang, office),
              names: s.names,
              waiting: l?.waiting ?? 0,
              estimatedWaitMin: l?.estimatedWaitMin ?? null,
              oldestArrivedAt: l?.oldestArrivedAt ?? null,
              walkInRemaining: Math.max(0, (await walkInCapacity(store, office, s, day)) - (await store.countIssued(s.id, day))),
              isOpen: isOfficeOpen(office, now, s) && !closed.has(s.id),
            };
          })),
        };
      }),
  );

  api.get(
    '/offices/:officeId/queue',
    {
      schema: {
        tags: ['office'],
        summary: 'Queue snapshot: waiting tickets and every counter with its current ticket (staff and devices of the office)',
        params: OfficeParams,
        response: { 200: QueueSnapshot },
      },
    },
    async (req) => {
      requireOffice(req.identity, req.params.officeId);
      return deps.queue.read(async (store) => {
        const office = await store.getOffice(req.params.officeId);
        if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
        return {
          officeId: office.id,
          lastEventId: await deps.events.lastEventId(office.id),
          waiting: (await store.waitingTickets(office.id)).map(ticketView),
          counters: await Promise.all((await store.listCounters(office.id)).map(async (counter) => {
            const t = await store.currentTicket(counter.id);
            return { counter: counterView(counter), ticket: t === null ? null : ticketView(t) };
          })),
        };
      });
    },
  );
}

import { pickText } from '../../core/booking/availability.ts';
import { acceptOfficeChange, changeBookingsByOffice, peekOfficeChange } from '../../core/booking/office-change.ts';
import { PreviewQuery } from '../../contracts/office-config.ts';
import { changeBookingService } from '../../core/booking/change-service.ts';
import { ChangeServiceBody, ChangeServiceResponse, AcceptChangeBody, AcceptChangeParams, AcceptChangePeekResponse, AcceptChangeResponse, OfficeChangeBody, OfficeChangeParams, OfficeChangeResponse } from '../../contracts/office-change.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { isPreview } from './office-config-edge.ts';
import { bookingRouteContext } from './booking.context.ts';
import { unwrap, type Api } from './types.ts';

/**
 * The office moves or cancels bookings its change affects (admin, or a supervisor: they close days
 * too), in one transaction with the messages to their clients; `?preview=1` says first which time
 * each would get. A client accepts the new time by the link in that message (public).
 */
export function officeChangeRoutes(api: Api, deps: ServerDeps): void {
  const b = deps.booking;
  if (b === undefined) return;
  const { core, write, guessLimit, settleOrderOf, settleOrder } = bookingRouteContext(deps, b);

  api.post(
    '/offices/:officeId/office-change',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Moves the given bookings to the nearest free time of their service, or cancels them; each client gets the office-change message with a calendar update; `?preview=1` answers the same, changing nothing (admin, supervisor)',
        params: OfficeChangeParams,
        querystring: PreviewQuery,
        body: OfficeChangeBody,
        response: { 200: OfficeChangeResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      if (await deps.queue.read(async (store) => await store.getOffice(req.params.officeId)) === null) throw new ApiError('OFFICE_NOT_FOUND');
      const input = { officeId: req.params.officeId, bookingIds: req.body.bookingIds, action: req.body.action };
      if (isPreview(req.query)) return { bookings: await deps.queue.read(async (store) => unwrap(await changeBookingsByOffice(core(store), { ...input, preview: true }))) };
      const bookings = await write(async (d) => await changeBookingsByOffice(d, input));
      // A paid fee moves with its booking (the order stays attached); the office's cancellation
      // refunds it, and a booking ended before it was paid has its order closed.
      for (const o of bookings) if (o.outcome === 'cancelled') await settleOrderOf(o.bookingId, 'office');
      return { bookings };
    },
  );

  api.post(
    '/offices/:officeId/office-change/service',
    {
      schema: {
        tags: ['admin'],
        summary: 'Moves a booking to another service of the office at the client’s request (changed details): a paid fee goes back, and a fee of the new service is paid again under a new order (admin)',
        params: OfficeChangeParams,
        body: ChangeServiceBody,
        response: { 200: ChangeServiceResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'admin');
      requireOffice(req.identity, req.params.officeId);
      const changed = await write(async (d) => await changeBookingService(d, { officeId: req.params.officeId, bookingId: req.body.bookingId, serviceId: req.body.serviceId }));
      // The office changed the details: the previous order's fee goes back (or its payment page closes).
      if (changed.previous !== null) await settleOrder(changed.previous, 'office');
      const bk = changed.booking;
      return { number: bk.number, state: bk.state, serviceId: bk.serviceId, startAt: bk.startAt, orderNo: changed.order?.order.orderNo ?? null, closedOrderNo: changed.previous?.order.orderNo ?? null };
    },
  );

  api.get(
    '/booking/accept-change/:token',
    {
      config: guessLimit,
      schema: { tags: ['booking'], summary: 'The booking an office-change link names, with its new time (consumes nothing: mail scanners may open links)', params: AcceptChangeParams, response: { 200: AcceptChangePeekResponse } },
    },
    async (req) =>
      deps.queue.read(async (store) => {
        const bk = unwrap(await peekOfficeChange(core(store), req.params.token));
        const office = (await store.getOffice(bk.officeId))!;
        const service = (await store.getService(bk.serviceId))!;
        return { number: bk.number, serviceName: pickText(service.names, req.lang, office), officeName: office.name, startAt: bk.startAt, timeZone: office.timeZone, acceptedAt: bk.changeAcceptedAt ?? null };
      }),
  );

  api.post(
    '/booking/accept-change',
    {
      config: guessLimit,
      schema: { tags: ['booking'], summary: 'The client accepts the new time the office gave their booking (the link in the office-change message)', body: AcceptChangeBody, response: { 200: AcceptChangeResponse } },
    },
    async (req) => {
      const accepted = await write(async (d) => await acceptOfficeChange(d, req.body.token));
      return { number: accepted.number, startAt: accepted.startAt, acceptedAt: accepted.changeAcceptedAt ?? deps.clock.now() };
    },
  );
}

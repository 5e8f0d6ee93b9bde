import { formatLocal } from '../../core/booking/availability.ts';
import { banForFictitiousData, bansInForce, liftBan, type BanView } from '../../core/rules/bans.ts';
import { decisionsAbout } from '../../core/rules/decisions.ts';
import type { Office } from '../../core/shared/model.ts';
import { BanBody, BanParams, BanResponse, BansResponse, BanView as BanViewSchema, DecisionsQuery, DecisionsResponse, LiftBody } from '../../contracts/bans.ts';
import { BookingOfficeParams } from '../../contracts/booking.ts';
import type { ServerDeps } from '../deps.ts';
import { requireOffice, requireUser } from '../auth.ts';
import { ApiError } from '../errors.ts';
import { bookingRouteContext } from './booking.context.ts';
import { unwrap, type Api } from './types.ts';

/**
 * Bans and "why was I refused?" (issue 6), for supervisors of the office: the bans in force, a ban
 * for fictitious data (the person's bookings are cancelled), lifting a ban, and what the rules
 * decided about a booking or an attempt.
 */
export function banRoutes(api: Api, deps: ServerDeps): void {
  const b = deps.booking;
  if (b === undefined) return;
  const { settleOrderOf, core: withFees } = bookingRouteContext(deps, b);
  const core = () => ({ bookings: b.store, clock: deps.clock, secrets: b.secrets, keyed: b.keyed, publicUrl: deps.publicUrl, checks: b.checks });
  const supervisor = async (identity: Parameters<typeof requireUser>[0], officeId: string) => {
    const user = requireUser(identity, 'supervisor');
    requireOffice(identity, officeId);
    const office = await deps.queue.read(async (store) => await store.getOffice(officeId));
    if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
    return { user, office };
  };
  const numberOf = async (bookingId: string | null): Promise<string | null> => (bookingId === null ? null : ((await b.store.booking(bookingId))?.number ?? null));
  const view = async (office: Office, v: BanView) => ({
    id: v.id,
    kind: v.kind,
    startsAt: v.startsAt,
    endsAt: v.endsAt,
    until: formatLocal(office, v.endsAt),
    reason: v.reason,
    bookingNumber: await numberOf(v.bookingId),
  });

  api.get(
    '/booking/offices/:officeId/bans',
    { schema: { tags: ['supervisor'], summary: 'Bans in force: set by staff, and those no-shows cause (supervisor)', params: BookingOfficeParams, response: { 200: BansResponse } } },
    async (req) => {
      const { office } = await supervisor(req.identity, req.params.officeId);
      return { bans: await Promise.all((await bansInForce({ bookings: b.store }, office.id, deps.clock.now())).map((v) => view(office, v))) };
    },
  );

  api.post(
    '/booking/offices/:officeId/bans',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Bars a person for fictitious data, by booking number and/or contact or identity key, with a reason; their bookings are cancelled (supervisor)',
        params: BookingOfficeParams,
        body: BanBody,
        response: { 201: BanResponse },
      },
    },
    async (req, reply) => {
      const { user, office } = await supervisor(req.identity, req.params.officeId);
      const { reason, days, ...target } = req.body;
      const r = unwrap(await deps.queue.run(async (store) => await banForFictitiousData(withFees(store), { officeId: office.id, target, reason, days, by: user.id })));
      b.onQueued?.();
      // A ban is the office's decision: a paid fee of a cancelled booking goes back, an unpaid order is closed.
      for (const x of r.cancelled) await settleOrderOf(x.id, 'office');
      void reply.status(201);
      const ban: BanView = { id: r.ban.id, kind: 'fictitious', startsAt: r.ban.startsAt, endsAt: r.ban.endsAt, reason: r.ban.reason, bookingId: null };
      return { ban: await view(office, ban), cancelled: r.cancelled.map((x) => x.number) };
    },
  );

  api.post(
    '/booking/offices/:officeId/bans/:banId/lift',
    { schema: { tags: ['supervisor'], summary: 'Lifts a ban with a reason (supervisor)', params: BanParams, body: LiftBody, response: { 200: BanViewSchema } } },
    async (req) => {
      const { user, office } = await supervisor(req.identity, req.params.officeId);
      const lifted = unwrap(await deps.queue.run(async (store) => await liftBan({ store, ...core() }, { officeId: office.id, banId: req.params.banId, reason: req.body.reason, by: user.id })));
      return await view(office, lifted);
    },
  );

  api.get(
    '/booking/offices/:officeId/decisions',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'What the rules decided about a booking (its number) or an attempt (the reference the client was given): "why was I refused?" (supervisor)',
        params: BookingOfficeParams,
        querystring: DecisionsQuery,
        response: { 200: DecisionsResponse },
      },
    },
    async (req) => {
      const { office } = await supervisor(req.identity, req.params.officeId);
      const found = await decisionsAbout({ bookings: b.store }, office.id, req.query.ref);
      return {
        bookingNumber: found.bookingNumber,
        decisions: await Promise.all(found.decisions.map(async (d) => ({
          id: d.id,
          at: d.at,
          serviceId: d.serviceId,
          rule: d.rule,
          outcome: d.outcome,
          bookingNumber: await numberOf(d.bookingId),
          applicationId: d.applicationId,
          detail: d.detail,
        }))),
      };
    },
  );
}

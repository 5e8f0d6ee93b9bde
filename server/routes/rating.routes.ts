import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { zonedInstant } from '../../core/booking/release.ts';
import { rateVisit, ratingSummary, type RatingStore } from '../../core/queue/rating.ts';
import { OfficeParams } from '../../contracts/api.ts';
import { RateVisitBody, RateVisitResponse, RatingsQuery, RatingsResponse } from '../../contracts/ratings.ts';
import { PUBLIC, requireOffice, requireUser } from '../auth.ts';
import type { ServerDeps } from '../deps.ts';
import { ApiError } from '../errors.ts';
import { clientKey } from './booking.context.ts';
import { unwrap, type Api } from './types.ts';

const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/** A client rates a visit on the ticket's page; supervisors read the ratings per service and counter. */
export function ratingRoutes(api: Api, deps: ServerDeps, ratings: RatingStore): void {
  api.post(
    '/tickets/:id/rating',
    {
      // Public like the ticket's page: the id is the unguessable secret of the paper ticket.
      config: {
        ...PUBLIC,
        rateLimit: { max: deps.booking?.limits?.guessPerMin ?? 30, timeWindow: 60_000, keyGenerator: (req: FastifyRequest) => clientKey(req, deps.booking?.trustProxy === true) },
      },
      schema: {
        tags: ['ratings'],
        summary: 'Rates a finished visit 1–5 (once per ticket; a second rating within a day replaces the first)',
        params: z.object({ id: z.string().min(1).max(64) }),
        body: RateVisitBody,
        response: { 200: RateVisitResponse },
      },
    },
    async (req) => unwrap(await deps.queue.run(async (store) => await rateVisit({ store, ratings, now: deps.clock.now() }, { ticketId: req.params.id, rating: req.body.rating }))),
  );

  api.get(
    '/offices/:officeId/ratings',
    {
      schema: {
        tags: ['supervisor'],
        summary: 'Ratings given between two office-local days (both included): totals, per service and per counter',
        params: OfficeParams,
        querystring: RatingsQuery,
        response: { 200: RatingsResponse },
      },
    },
    async (req) => {
      requireUser(req.identity, 'supervisor');
      requireOffice(req.identity, req.params.officeId);
      const office = await deps.queue.read(async (s) => await s.getOffice(req.params.officeId));
      if (office === null) throw new ApiError('OFFICE_NOT_FOUND');
      const { from, to } = req.query;
      const rows = await ratings.summary(office.id, zonedInstant(office.timeZone, from, 0), zonedInstant(office.timeZone, nextDay(to), 0));
      return { officeId: office.id, from, to, ...ratingSummary(rows) };
    },
  );
}

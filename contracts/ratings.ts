import { z } from 'zod';
import { RATING_MAX, RATING_MIN } from '../core/queue/rating.ts';

export const RateVisitBody = z.strictObject({ rating: z.number().int().min(RATING_MIN).max(RATING_MAX) });
export const RateVisitResponse = z.object({ rating: z.number().int() });

export const RatingsQuery = z.object({
  /** Office-local days `YYYY-MM-DD`, both included. */
  from: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  to: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
});

const Summary = z.object({ count: z.number().int(), mean: z.number().nullable(), distribution: z.array(z.number().int()).length(5) });

/** Ratings of a period: the totals, per service and per counter (mean to 0.01). */
export const RatingsSummary = z.object({
  total: Summary,
  services: z.array(Summary.extend({ serviceId: z.string() })),
  counters: z.array(Summary.extend({ counterId: z.string() })),
});

export const RatingsResponse = RatingsSummary.extend({
  officeId: z.string(),
  from: z.string(),
  to: z.string(),
});

import type { RatingSummaryRow } from '../core/queue/rating.ts';

/** What the rating stores of both dialects share: the summary statement's row and how it becomes the port's row. */

export interface SummaryRow {
  serviceId: string;
  counterId: string | null;
  count: number;
  sum: number;
  r1: number;
  r2: number;
  r3: number;
  r4: number;
  r5: number;
}

export const summaryOf = (r: SummaryRow): RatingSummaryRow => ({
  serviceId: r.serviceId,
  counterId: r.counterId,
  count: r.count,
  sum: r.sum,
  distribution: [r.r1, r.r2, r.r3, r.r4, r.r5] as const,
});

import { RatingsSummary } from './ratings.ts';
import { z } from 'zod';
import { CHANNELS, GROUP_BY } from '../core/stats/model.ts';

/**
 * Wire contract of the statistics page and its exports. Days are office-local `YYYY-MM-DD`
 * (inclusive); durations are minutes rounded to 0.1; counts are whole numbers. Group keys are ids
 * (service, counter, clerk), days/weeks/months, `HH` hours or channels; `labels` names them.
 */

const Id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/);
const Day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const StatsQuery = z.strictObject({
  from: Day,
  to: Day,
  groupBy: z.enum(GROUP_BY).default('day'),
  service: Id.optional(),
  counter: Id.optional(),
  clerk: Id.optional(),
  channel: z.enum(CHANNELS).optional(),
});
export type StatsQueryT = z.infer<typeof StatsQuery>;

/** The per-ticket export: the report's period and filters (no grouping: one row per ticket). */
export const StatsTicketsQuery = StatsQuery.omit({ groupBy: true });
export type StatsTicketsQueryT = z.infer<typeof StatsTicketsQuery>;

export const StatsDayParams = z.object({ officeId: Id, day: Day });

const Dist = z.object({ count: z.number(), mean: z.number().nullable(), median: z.number().nullable(), p90: z.number().nullable(), max: z.number().nullable() });

export const Figures = z.object({
  issued: z.number(),
  served: z.number(),
  noShow: z.number(),
  voided: z.number(),
  transferred: z.number(),
  open: z.number(),
  wait: Dist,
  service: Dist,
});

export const StatsReportResponse = z.object({
  officeId: z.string(),
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(GROUP_BY),
  filter: z.object({ serviceId: z.string().optional(), counterId: z.string().optional(), clerkId: z.string().optional(), channel: z.enum(CHANNELS).optional() }),
  totals: Figures,
  groups: z.array(z.object({ key: z.string(), label: z.string(), figures: Figures })),
  waitingByHour: z.array(z.object({ hour: z.number(), mean: z.number(), max: z.number() })),
  bookings: z.array(
    z.object({
      serviceId: z.string(),
      offered: z.number(),
      booked: z.number(),
      checkedIn: z.number(),
      lapsed: z.number(),
      cancelled: z.number(),
      noShow: z.number(),
      drawAllocated: z.number(),
      drawNotAllocated: z.number(),
    }),
  ),
  punctuality: z.object({ early: z.number(), onTime: z.number(), late: z.number(), meanMin: z.number().nullable() }),
  messages: z.array(z.object({ channel: z.string(), sent: z.number(), failed: z.number(), retried: z.number() })),
  kiosks: z.array(z.object({ kioskId: z.string(), printFailures: z.number(), voided: z.number() })),
  counters: z.array(
    z.object({ counterId: z.string(), openMin: z.number(), pausedMin: z.number(), servingMin: z.number(), utilisationPct: z.number().nullable() }),
  ),
  clerkIds: z.array(z.string()),
  /** Names of what the keys and rows refer to, in the caller's language; and the filter choices. */
  labels: z.object({
    services: z.record(z.string(), z.string()),
    counters: z.record(z.string(), z.string()),
    clerks: z.record(z.string(), z.string()),
    kiosks: z.record(z.string(), z.string()),
  }),
  /** True when the caller is a clerk: the figures are of their own calls only, office-wide sections are left out. */
  /** Clients' ratings given in the period (services and counters of the filter); null in a clerk's view, with a clerk or channel filter, or where the office has no ratings. */
  ratings: RatingsSummary.nullable(),
  ownOnly: z.boolean(),
});
export type StatsReportResponseT = z.infer<typeof StatsReportResponse>;

export const StatsDayClosed = z.object({ day: z.string(), tickets: z.number() });

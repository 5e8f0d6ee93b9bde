import type { QueueStore } from './ports.ts';
import type { Office, Ticket } from '../shared/model.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * A client's one-tap rating of a visit (1 = very poor … 5 = very good), given on the ticket's
 * status page once the visit is done. A number and nothing else: no free text, so nothing personal
 * can be written into it. Statistics read it per service and counter.
 */

export const RATING_MIN = 1;
export const RATING_MAX = 5;
/** A visit can be rated (or its rating changed) for a day after it ended. */
export const RATING_WINDOW_MS = 24 * 60 * 60_000;

export interface Rating {
  ticketId: string;
  officeId: string;
  serviceId: string;
  /** The counter that served the visit. */
  counterId: string | null;
  rating: number;
  at: number;
}

export interface RatingSummaryRow {
  serviceId: string;
  counterId: string | null;
  count: number;
  sum: number;
  /** How many gave 1, 2, 3, 4, 5. */
  distribution: readonly [number, number, number, number, number];
}

export interface RatingStore {
  ofTicket(ticketId: string): Promise<number | null>;
  /** One rating per ticket: a second replaces the first. */
  save(rating: Rating): Promise<void>;
  /** Ratings given in `[from, to)` (epoch ms), per service and counter. */
  summary(officeId: string, from: number, to: number): Promise<RatingSummaryRow[]>;
}

/** Whether the office asks for ratings and this visit may be rated now. */
export const ratingOpen = (ticket: Ticket, office: Office, now: number): boolean =>
  office.settings.ratings !== false && ticket.state === 'done' && ticket.doneAt !== null && now - ticket.doneAt <= RATING_WINDOW_MS;

export async function rateVisit(
  deps: { store: QueueStore; ratings: RatingStore; now: number },
  input: { ticketId: string; rating: number },
): Promise<Result<{ rating: number }>> {
  const ticket = await deps.store.getTicket(input.ticketId);
  if (ticket === null) return fail('TICKET_NOT_FOUND');
  const office = await deps.store.getOffice(ticket.officeId);
  if (office === null) return fail('TICKET_NOT_FOUND');
  if (!ratingOpen(ticket, office, deps.now)) return fail('RATING_NOT_OPEN');
  await deps.ratings.save({
    ticketId: ticket.id,
    officeId: ticket.officeId,
    serviceId: ticket.serviceId,
    counterId: ticket.counterId,
    rating: input.rating,
    at: deps.now,
  });
  await deps.store.appendEvent(
    { type: 'ticket:rated', officeId: ticket.officeId, payload: { ticketId: ticket.id, serviceId: ticket.serviceId, counterId: ticket.counterId, rating: input.rating } },
    deps.now,
  );
  return ok({ rating: input.rating });
}

/** In memory, for core tests. */
export class MemoryRatingStore implements RatingStore {
  readonly rows = new Map<string, Rating>();
  ofTicket(ticketId: string): Promise<number | null> {
    return Promise.resolve(this.rows.get(ticketId)?.rating ?? null);
  }
  save(rating: Rating): Promise<void> {
    this.rows.set(rating.ticketId, { ...rating });
    return Promise.resolve();
  }
  summary(officeId: string, from: number, to: number): Promise<RatingSummaryRow[]> {
    const groups = new Map<string, RatingSummaryRow & { distribution: [number, number, number, number, number] }>();
    for (const r of this.rows.values()) {
      if (r.officeId !== officeId || r.at < from || r.at >= to) continue;
      const key = `${r.serviceId}\u0000${r.counterId ?? ''}`;
      const g = groups.get(key) ?? { serviceId: r.serviceId, counterId: r.counterId, count: 0, sum: 0, distribution: [0, 0, 0, 0, 0] };
      g.count++;
      g.sum += r.rating;
      g.distribution[r.rating - 1]!++;
      groups.set(key, g);
    }
    return Promise.resolve([...groups.values()].sort((a, b) => a.serviceId.localeCompare(b.serviceId) || (a.counterId ?? '').localeCompare(b.counterId ?? '')));
  }
}

/** Totals of some rows: how many, the mean, and how many gave each mark. */
export function ratingTotals(rows: readonly RatingSummaryRow[]) {
  const distribution = [0, 0, 0, 0, 0];
  let count = 0;
  let sum = 0;
  for (const r of rows) {
    count += r.count;
    sum += r.sum;
    r.distribution.forEach((n, i) => (distribution[i]! += n));
  }
  return { count, mean: count === 0 ? null : Math.round((sum / count) * 100) / 100, distribution };
}

export function ratingsBy<K extends 'serviceId' | 'counterId'>(rows: readonly RatingSummaryRow[], key: K) {
  const groups = new Map<string, RatingSummaryRow[]>();
  for (const r of rows) {
    const k = r[key];
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), r]);
  }
  return [...groups].map(([id, rs]) => ({ [key]: id, ...ratingTotals(rs) }) as { [P in K]: string } & ReturnType<typeof ratingTotals>);
}

/** What the ratings route and the statistics show: the totals, per service and per counter. */
export const ratingSummary = (rows: readonly RatingSummaryRow[]) => ({ total: ratingTotals(rows), services: ratingsBy(rows, 'serviceId'), counters: ratingsBy(rows, 'counterId') });

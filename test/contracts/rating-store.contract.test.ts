import { expect, it } from 'vitest';
import { MemoryRatingStore, ratingSummary, type Rating, type RatingStore } from '../../core/queue/rating.ts';
import { PgRatingStore } from '../../store/postgres/ratings.store.ts';
import { SqliteRatingStore } from '../../store/ratings.store.ts';
import { eachStore, type Fixtures } from './stores.ts';

/** Visit ratings: one per visit, the statistics count them per service and counter over a period. */

interface Subject {
  store: RatingStore;
  /** Makes the rated visits exist (the adapters' tables name the ticket). */
  visits(ids: string[]): Promise<void>;
}

const noFixtures = { visits: async () => undefined };
const visits = (f: Fixtures) => async (ids: string[]) => {
  for (const id of ids) await f.doneTicket(id, T0);
};

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const HOUR = 3600_000;
const rating = (ticketId: string, value: number, over: Partial<Rating> = {}): Rating => ({
  ticketId, officeId: 'o1', serviceId: 'o1-s1', counterId: 'o1-c1', rating: value, at: T0 + HOUR, ...over,
});

eachStore<Subject>(
  {
    store: (o) => ({ store: o.dialect === 'sqlite' ? new SqliteRatingStore(o.db) : new PgRatingStore(o.db), visits: visits(o.fixtures) }),
    memory: () => ({ store: new MemoryRatingStore(), ...noFixtures }),
  },
  (s) => {
    it('a visit has no rating until the client gives one, and a second tap replaces the first', async () => {
      await s().visits(['t1']);
      expect(await s().store.ofTicket('t1')).toBeNull();
      await s().store.save(rating('t1', 2));
      expect(await s().store.ofTicket('t1')).toBe(2);
      await s().store.save(rating('t1', 5, { at: T0 + 2 * HOUR }));
      expect(await s().store.ofTicket('t1')).toBe(5);
      const rows = await s().store.summary('o1', T0, T0 + 24 * HOUR);
      expect(rows).toEqual([{ serviceId: 'o1-s1', counterId: 'o1-c1', count: 1, sum: 5, distribution: [0, 0, 0, 0, 1] }]);
    });

    it("the period's ratings per service and counter: the marks counted, the ones outside the period and other offices' left out", async () => {
      await s().visits(['t1', 't2', 't3', 't4', 't5', 't6']);
      await s().store.save(rating('t1', 5));
      await s().store.save(rating('t2', 3));
      await s().store.save(rating('t3', 4, { counterId: 'o1-c2' }));
      await s().store.save(rating('t4', 1, { serviceId: 'o1-s2', counterId: null }));
      await s().store.save(rating('t5', 1, { at: T0 + 30 * HOUR }));
      await s().store.save(rating('t6', 1, { officeId: 'o2' }));
      const rows = await s().store.summary('o1', T0, T0 + 24 * HOUR);
      expect(rows).toEqual([
        { serviceId: 'o1-s1', counterId: 'o1-c1', count: 2, sum: 8, distribution: [0, 0, 1, 0, 1] },
        { serviceId: 'o1-s1', counterId: 'o1-c2', count: 1, sum: 4, distribution: [0, 0, 0, 1, 0] },
        { serviceId: 'o1-s2', counterId: null, count: 1, sum: 1, distribution: [1, 0, 0, 0, 0] },
      ]);
      expect(ratingSummary(rows).total).toEqual({ count: 4, mean: 3.25, distribution: [1, 0, 1, 1, 1] });
      // [from, to): a rating given exactly at the end belongs to the next period.
      expect(await s().store.summary('o1', T0, T0 + HOUR)).toEqual([]);
    });
  },
);

import { expect, it } from 'vitest';
import type { OutcomeRecord, RulesStore, ServiceRules } from '../../core/rules/service-rules.ts';
import { PgRulesStore } from '../../store/postgres/rules.store.ts';
import { SqliteRulesStore } from '../../store/rules.store.ts';
import { eachStore, type Fixtures } from './stores.ts';

/** A service's rules as the admin saved them, and the outcomes clerks recorded, found again by the person's identity. */

interface Subject {
  store: RulesStore;
  fixtures: Fixtures;
}

const T0 = Date.UTC(2026, 10, 24, 9, 0, 0);
const RULES: ServiceRules = {
  serviceId: 'o1-s2',
  roster: true,
  outcomes: [{ id: 'issued', names: { en: 'Passport issued' } }],
  eligibility: [{ requires: { service: 'o1-s1', outcome: 'approved' }, minDays: 30 }],
};
const outcome = (ticketId: string, over: Partial<OutcomeRecord> = {}): OutcomeRecord => ({
  ticketId, officeId: 'o1', serviceId: 'o1-s1', identityKeyId: 'k1', identityHash: 'h-anna', outcome: 'approved', day: '2026-11-24', at: T0, userId: 'u1', ...over,
});

eachStore<Subject>({ store: (o) => ({ store: o.dialect === 'sqlite' ? new SqliteRulesStore(o.db) : new PgRulesStore(o.db), fixtures: o.fixtures }) }, (s) => {
  it('a service has no rules until the admin saves some; saving again replaces them', async () => {
    expect(await s().store.serviceRules('o1-s2')).toBeNull();
    await s().store.putServiceRules(RULES);
    expect(await s().store.serviceRules('o1-s2')).toEqual(RULES);
    await s().store.putServiceRules({ ...RULES, roster: false, eligibility: [] });
    expect(await s().store.serviceRules('o1-s2')).toEqual({ ...RULES, roster: false, eligibility: [] });
    expect(await s().store.serviceRules('o1-s1')).toBeNull();
  });

  it('a visit has one outcome: a second recording of the same ticket is refused and changes nothing', async () => {
    await s().fixtures.doneTicket('t1', T0);
    expect(await s().store.recordOutcome(outcome('t1'))).toBe(true);
    expect(await s().store.recordOutcome(outcome('t1', { outcome: 'refused', at: T0 + 1 }))).toBe(false);
    expect(await s().store.outcomesOf(['h-anna'])).toEqual([outcome('t1')]);
  });

  it("a person's outcomes are found under any of their hashes (a key rotated since), oldest day first, nobody else's", async () => {
    for (const id of ['t1', 't2', 't3']) await s().fixtures.doneTicket(id, T0);
    await s().store.recordOutcome(outcome('t1', { day: '2026-11-24' }));
    await s().store.recordOutcome(outcome('t2', { day: '2026-10-01', identityKeyId: 'k0', identityHash: 'h-anna-old', serviceId: 'o1-s2', outcome: 'issued' }));
    await s().store.recordOutcome(outcome('t3', { identityHash: 'h-boris' }));
    const found = await s().store.outcomesOf(['h-anna', 'h-anna-old']);
    expect(found.map((o) => [o.ticketId, o.day, o.identityKeyId])).toEqual([
      ['t2', '2026-10-01', 'k0'],
      ['t1', '2026-11-24', 'k1'],
    ]);
    expect(await s().store.outcomesOf([])).toEqual([]);
  });
});

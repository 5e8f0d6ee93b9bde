import { pickText } from '../booking/availability.ts';
import type { HoldCheck } from '../booking/deps.ts';
import { addDays } from '../booking/release.ts';
import { fail, ok } from '../shared/result.ts';
import type { EligibilityRule, OutcomeRecord, RulesStore } from './service-rules.ts';

/**
 * Eligibility intervals over the client's history of outcomes (Qujing: a retake only 10 days
 * after a failed exam; subject 2 only 20 days after passing subject 1). Pure: the history comes
 * in, the first allowed day goes out.
 */

export type Eligibility =
  | { kind: 'eligible' }
  /** The booked day is before `from`, the first day every rule allows. */
  | { kind: 'too-soon'; from: string }
  /** A `requires` rule has no outcome to count from. */
  | { kind: 'missing'; service: string; outcome: string };

const latestDay = (history: readonly OutcomeRecord[], serviceId: string, outcome: string): string | null =>
  history.reduce<string | null>((best, o) => (o.serviceId === serviceId && o.outcome === outcome && (best === null || o.day > best) ? o.day : best), null);

/** Whether `day` may be booked for `serviceId`, given the rules and the person's outcomes. */
export function eligibility(serviceId: string, rules: readonly EligibilityRule[], history: readonly OutcomeRecord[], day: string): Eligibility {
  let from: string | null = null;
  for (const rule of rules) {
    let since: string | null;
    if ('requires' in rule) {
      since = latestDay(history, rule.requires.service, rule.requires.outcome);
      if (since === null) return { kind: 'missing', service: rule.requires.service, outcome: rule.requires.outcome };
    } else {
      since = latestDay(history, rule.service ?? serviceId, rule.after);
      if (since === null) continue;
    }
    const allowed = addDays(since, rule.minDays);
    if (from === null || allowed > from) from = allowed;
  }
  return from !== null && day < from ? { kind: 'too-soon', from } : { kind: 'eligible' };
}

/**
 * The hold check: a service with eligibility rules needs the identity key (the history is kept
 * under its hash); a day before the first allowed one is refused with that day.
 */
export function eligibilityCheck(rules: Pick<RulesStore, 'serviceRules' | 'outcomesOf'>): HoldCheck {
  return async (ctx, deps) => {
    const own = await rules.serviceRules(ctx.service.id);
    if (own === null || own.eligibility.length === 0) return ok(undefined);
    if (ctx.identity.length === 0) return fail('ELIGIBILITY_IDENTITY_REQUIRED');
    const e = eligibility(ctx.service.id, own.eligibility, await rules.outcomesOf(ctx.identity.map((h) => h.hash)), ctx.day);
    switch (e.kind) {
      case 'eligible':
        return ok(undefined);
      case 'too-soon':
        return fail('ELIGIBILITY_TOO_SOON', { date: e.from });
      case 'missing': {
        const service = await deps.store.getService(e.service);
        const def = (await rules.serviceRules(e.service))?.outcomes.find((o) => o.id === e.outcome);
        return fail('ELIGIBILITY_PREREQUISITE', {
          service: service === null ? e.service : pickText(service.names, ctx.language, ctx.office),
          outcome: def === undefined ? e.outcome : pickText(def.names, ctx.language, ctx.office),
        });
      }
    }
  };
}

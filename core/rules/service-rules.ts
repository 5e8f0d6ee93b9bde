import type { Localized } from '../shared/model.ts';
import type { QueueStore } from '../queue/ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * Per-service rules about people (issue 6, part B): a roster the client must be on, the outcomes
 * a clerk records when finishing a ticket, and eligibility intervals over those outcomes. Stored
 * per service (`service_rules`); a service without a row has none of them.
 */

/** One result a clerk can record when finishing a ticket of the service ("passed", "failed"). */
export interface OutcomeDef {
  id: string;
  names: Localized;
}

/**
 * An interval over the client's history, in days between the day of a recorded outcome and the
 * booked day. `after`: once an outcome (of this service, or of `service`) was recorded, the next
 * booking waits `minDays` (Qujing: a retake ≥ 10 days after a fail). `requires`: the outcome must
 * exist first, then the booking waits `minDays` (subject 2 ≥ 20 days after passing subject 1).
 */
export type EligibilityRule =
  | { after: string; service?: string | undefined; minDays: number }
  | { requires: { service: string; outcome: string }; minDays: number };

export interface ServiceRules {
  serviceId: string;
  /** Only clients on the service's imported roster (document number + name + phone) may book. */
  roster: boolean;
  outcomes: readonly OutcomeDef[];
  eligibility: readonly EligibilityRule[];
}

export const NO_RULES = (serviceId: string): ServiceRules => ({ serviceId, roster: false, outcomes: [], eligibility: [] });

/** An outcome as recorded: keyed by the identity hash of the ticket's booking, one per ticket. */
export interface OutcomeRecord {
  ticketId: string;
  officeId: string;
  serviceId: string;
  identityKeyId: string;
  identityHash: string;
  outcome: string;
  /** Office-local day of the ticket (what the intervals count from). */
  day: string;
  at: number;
  userId: string;
}

/** Service rules and the outcome history they read. */
export interface RulesStore {
  serviceRules(serviceId: string): Promise<ServiceRules | null>;
  /** Replaces a service's rules (admin). */
  putServiceRules(rules: ServiceRules): Promise<void>;
  /** False when the ticket already has an outcome (one per ticket). */
  recordOutcome(o: OutcomeRecord): Promise<boolean>;
  /** Every outcome recorded for an identity (under any of its hashes: one per key still known), oldest day first. */
  outcomesOf(identityHashes: readonly string[]): Promise<OutcomeRecord[]>;
}

/**
 * An admin's rules for a service, checked against the office: every service a rule names is the
 * office's, and every outcome it names is one its service defines (where that service has rules).
 */
export async function validateServiceRules(
  deps: { store: Pick<QueueStore, 'getService'>; rules: Pick<RulesStore, 'serviceRules'> },
  officeId: string,
  rules: ServiceRules,
): Promise<Result<ServiceRules>> {
  const inOffice = async (id: string): Promise<boolean> => (await deps.store.getService(id))?.officeId === officeId;
  if (!await inOffice(rules.serviceId)) return fail('SERVICE_NOT_FOUND');
  for (const rule of rules.eligibility) {
    const [service, outcome] = 'requires' in rule ? [rule.requires.service, rule.requires.outcome] : [rule.service ?? rules.serviceId, rule.after];
    if (!await inOffice(service)) return fail('SERVICE_NOT_FOUND');
    const defined = service === rules.serviceId ? rules.outcomes : (await deps.rules.serviceRules(service))?.outcomes;
    if (defined !== undefined && !defined.some((o) => o.id === outcome)) return fail('OUTCOME_UNKNOWN', { outcome });
  }
  return ok(rules);
}

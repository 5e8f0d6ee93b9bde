import type { BookingStore } from '../booking/ports.ts';
import { finishService, type CounterActor, type CounterState } from '../queue/counter-actions.ts';
import type { QueueDeps } from '../queue/issue-ticket.ts';
import type { Ticket } from '../shared/model.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import type { OutcomeRecord, RulesStore } from './service-rules.ts';

/**
 * A clerk records how a ticket ended ("passed", "failed") when finishing a service that defines
 * outcomes. The result is kept under the identity hash of the ticket's booking — the history the
 * eligibility rules read — never under a name.
 */

export interface OutcomeDeps {
  bookings: Pick<BookingStore, 'bookingByTicket'>;
  rules: Pick<RulesStore, 'serviceRules' | 'recordOutcome'>;
}

/** Runs in the unit of work that finished `ticket`: a refusal rolls the finish back too. */
export async function recordOutcome(deps: OutcomeDeps, ticket: Ticket, outcome: string, userId: string, now: number): Promise<Result<OutcomeRecord>> {
  if (ticket.state !== 'done') return fail('TICKET_STATE_INVALID');
  const defined = (await deps.rules.serviceRules(ticket.serviceId))?.outcomes ?? [];
  if (!defined.some((o) => o.id === outcome)) return fail('OUTCOME_UNKNOWN', { outcome: outcome.slice(0, 40) });
  const booking = await deps.bookings.bookingByTicket(ticket.id);
  if (booking === null || booking.identityHash === null || booking.identityKeyId === null) return fail('OUTCOME_NO_IDENTITY');
  const record: OutcomeRecord = {
    ticketId: ticket.id,
    officeId: ticket.officeId,
    serviceId: ticket.serviceId,
    identityKeyId: booking.identityKeyId,
    identityHash: booking.identityHash,
    outcome,
    day: ticket.day,
    at: now,
    userId,
  };
  if (!await deps.rules.recordOutcome(record)) return fail('TICKET_STATE_INVALID');
  return ok(record);
}

/**
 * The clerk's "done", with the outcome when one is given: the ticket ends and its outcome is kept
 * in one unit of work, or neither happens. `outcomes` is null where online booking (and with it
 * the history) is not set up: then no outcome is known.
 */
export async function finishWithOutcome(deps: QueueDeps & { outcomes: OutcomeDeps | null }, actor: CounterActor, outcome: string | undefined): Promise<Result<CounterState>> {
  const done = await finishService(deps, actor);
  if (!done.ok || outcome === undefined) return done;
  if (deps.outcomes === null || done.value.ended === undefined) return fail('OUTCOME_UNKNOWN', { outcome: outcome.slice(0, 40) });
  const recorded = await recordOutcome(deps.outcomes, done.value.ended, outcome, actor.userId, deps.clock.now());
  return recorded.ok ? done : recorded;
}

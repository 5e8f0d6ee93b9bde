import { issueTicket, type IssuedTicket, type IssueTicketInput, type QueueDeps } from './issue-ticket.ts';
import type { CounterActor } from './counter-actions.ts';
import { fail, type Result } from './result.ts';

/**
 * Reception at a counter: when the kiosk cannot serve someone (printer down, a client who cannot
 * use it) the clerk signed in at a counter issues the ticket for them. Same numbering, capacity
 * and closure rules as the kiosk; only a service of the counter's own office.
 */
export function issueAtCounter(deps: QueueDeps, actor: CounterActor, input: IssueTicketInput): Result<IssuedTicket> {
  const counter = deps.store.getCounter(actor.counterId);
  if (counter === null) return fail('COUNTER_NOT_FOUND');
  if (counter.userId !== actor.userId || counter.status === 'closed') return fail('COUNTER_NOT_ASSIGNED');
  const service = deps.store.getService(input.serviceId);
  if (service === null || service.officeId !== counter.officeId) return fail('SERVICE_NOT_FOUND');
  return issueTicket(deps, input);
}

import { issueTicket, type IssuedTicket, type IssueTicketInput, type QueueDeps } from './issue-ticket.ts';
import type { CounterActor } from './counter-actions.ts';
import type { Counter } from '../shared/model.ts';
import type { QueueStore } from './ports.ts';
import { allocateForPrint } from './print-ticket.ts';
import { fail, ok, type Result } from '../shared/result.ts';

/**
 * Reception at a counter: when the kiosk cannot serve someone (printer down, a client who cannot
 * use it) the clerk signed in at a counter issues the ticket for them. Same numbering, capacity
 * and closure rules as the kiosk; only a service of the counter's own office.
 */
export async function issueAtCounter(
  deps: QueueDeps,
  actor: CounterActor,
  input: IssueTicketInput,
  /** `printing`: to be printed on a kiosk's printer (issue-and-print's first step), not yet in the queue. */
  state: 'waiting' | 'printing' = 'waiting',
): Promise<Result<IssuedTicket>> {
  const counter = await receptionCounter(deps.store, actor);
  if (!counter.ok) return counter;
  const service = await deps.store.getService(input.serviceId);
  if (service === null || service.officeId !== counter.value.officeId) return fail('SERVICE_NOT_FOUND');
  return state === 'waiting' ? await issueTicket(deps, { ...input, origin: { channel: 'reception', counterId: counter.value.id } }) : await allocateForPrint(deps, input);
}

/** The counter a reception ticket is issued from: the clerk must be signed in there. */
export async function receptionCounter(store: Pick<QueueStore, 'getCounter'>, actor: CounterActor): Promise<Result<Counter>> {
  const counter = await store.getCounter(actor.counterId);
  if (counter === null) return fail('COUNTER_NOT_FOUND');
  if (counter.userId !== actor.userId || counter.status === 'closed') return fail('COUNTER_NOT_ASSIGNED');
  return ok(counter);
}

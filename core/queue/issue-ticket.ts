import { serviceWait } from './estimate.ts';
import { walkInCapacity } from './capacity.ts';
import type { TicketOrigin } from '../shared/events.ts';
import type { Ticket } from '../shared/model.ts';
import { isOfficeOpen, localTime } from '../shared/office-time.ts';
import type { Clock, Ids, QueueStore } from './ports.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { announceIssued, newTicket } from './ticket-state.ts';

export interface QueueDeps {
  store: QueueStore;
  clock: Clock;
  ids: Ids;
}

export interface IssueTicketInput {
  serviceId: string;
  /** A priority category of the office (elderly, disabled…), or null. */
  categoryId?: string | null | undefined;
  /** The client's language, printed on the ticket and used again for a reprint. */
  language?: string | null | undefined;
  /** How the ticket came (kiosk, reception), recorded in its `ticket:issued` event for statistics. */
  origin?: TicketOrigin | undefined;
}

export interface IssuedTicket {
  ticket: Ticket;
  /** People waiting for the same service ahead of this ticket. */
  ahead: number;
  estimatedWaitMin: number | null;
}

/**
 * A walk-in ticket for a kiosk without a printer (`printer: 'none'`): numbered per (office,
 * prefix, office-local day), refused when the office is closed or the service's walk-in capacity
 * for the day is used up, and in the queue at once (both stamps are set). Kiosks with a print
 * agent go through `allocateForPrint` (print-ticket.ts) instead.
 */
export async function issueTicket(deps: QueueDeps, input: IssueTicketInput): Promise<Result<IssuedTicket>> {
  const allocated = await allocateTicket(deps, input, 'waiting');
  if (!allocated.ok) return allocated;
  await announceIssued(deps.store, allocated.value.ticket, allocated.value.ticket.issuedAt, input.origin);
  return allocated;
}

/**
 * The checks and the numbering shared by both ways of issuing: a ticket inserted as `waiting`
 * (no printer) or as `printing` (number used, not yet in the queue). Appends no event.
 */
export async function allocateTicket(deps: QueueDeps, input: IssueTicketInput, state: 'waiting' | 'printing'): Promise<Result<IssuedTicket>> {
  const { store } = deps;
  const service = await store.getService(input.serviceId);
  if (service === null) return fail('SERVICE_NOT_FOUND');
  const office = await store.getOffice(service.officeId);
  if (office === null) return fail('OFFICE_NOT_FOUND');
  const categoryId = input.categoryId ?? null;
  const category = office.settings.priorityCategories.find((c) => c.id === categoryId);
  if (categoryId !== null && category === undefined) return fail('PRIORITY_CATEGORY_UNKNOWN');
  const now = deps.clock.now();
  if (!isOfficeOpen(office, now, service)) return fail('OFFICE_CLOSED');
  const day = localTime(office.timeZone, now).date;
  if ((await store.closedServices(office.id, day)).includes(service.id)) return fail('SERVICE_CLOSED');
  if ((await store.countIssued(service.id, day)) >= (await walkInCapacity(store, office, service, day))) return fail('CAPACITY_EXHAUSTED');

  const before = await serviceWait(store, office, service.id);
  const seq = await store.nextNumber(office.id, service.prefix, day);
  const ticket = newTicket({
    id: deps.ids.ticketId(),
    officeId: office.id,
    serviceId: service.id,
    prefix: service.prefix,
    seq,
    day,
    state,
    categoryId,
    priorityWeight: category?.weight ?? 0,
    bookedAt: null,
    now,
    language: input.language,
  });
  await store.insertTicket(ticket);
  return ok({ ticket, ahead: before.waiting, estimatedWaitMin: before.estimatedWaitMin });
}

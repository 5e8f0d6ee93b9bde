import { ticketView, type TicketOrigin } from '../shared/events.ts';
import { allocateTicket, type IssuedTicket, type IssueTicketInput, type QueueDeps } from './issue-ticket.ts';
import type { Ticket, TicketState } from '../shared/model.ts';
import { fail, ok, type Result } from '../shared/result.ts';
import { announceIssued } from './ticket-state.ts';

/**
 * Issue-and-print, the pure steps. The orchestration (send the job to the kiosk's print agent,
 * wait for its acknowledgement) lives at the edge; each step here runs in its own unit of work:
 *
 *   1. `allocateForPrint` — the number is used, the ticket is `printing`, no event for the
 *      public yet (it is in no queue, no display shows it);
 *   2. the agent prints and acknowledges (or fails, or says nothing in time);
 *   3. `confirmPrinted` — printing → waiting, `ticket:issued` + `queue:changed`: only now does
 *      the ticket join the queue; or `voidPrint` — printing → void, kept and audited
 *      (`ticket:changed` with the reason), and capacity is given back (store trigger); or, when
 *      not one byte reached the printer, `withdrawUnprinted` — the number is given back.
 *
 * A number is never a ghost: no queue entry exists for paper nobody holds.
 */

/** Step 1: the ticket with its number, as `printing`. */
export async function allocateForPrint(deps: QueueDeps, input: IssueTicketInput): Promise<Result<IssuedTicket>> {
  return allocateTicket(deps, input, 'printing');
}

/** Step 3, success: the printed ticket joins the queue. TICKET_STATE_INVALID if it is no longer printing. */
export async function confirmPrinted(deps: QueueDeps, ticketId: string, origin?: TicketOrigin): Promise<Result<Ticket>> {
  const now = deps.clock.now();
  const ticket = await deps.store.transition(ticketId, 'printing', 'waiting', { waitingAt: now });
  if (ticket === null) return fail(await deps.store.getTicket(ticketId) === null ? 'TICKET_NOT_FOUND' : 'TICKET_STATE_INVALID');
  await announceIssued(deps.store, ticket, now, origin);
  return ok(ticket);
}

/** Step 3, failure: the ticket is void, with why. TICKET_STATE_INVALID if it is no longer printing. */
export async function voidPrint(deps: QueueDeps, ticketId: string, reason: string, deviceId?: string): Promise<Result<Ticket>> {
  const now = deps.clock.now();
  const ticket = await deps.store.transition(ticketId, 'printing', 'void', { voidAt: now });
  if (ticket === null) return fail(await deps.store.getTicket(ticketId) === null ? 'TICKET_NOT_FOUND' : 'TICKET_STATE_INVALID');
  const previous: TicketState = 'printing';
  await deps.store.appendEvent(
    { type: 'ticket:changed', officeId: ticket.officeId, payload: { ticket: ticketView(ticket), previous, reason: reason.slice(0, 200), ...(deviceId === undefined ? {} : { deviceId }) } },
    now,
  );
  return ok(ticket);
}

/**
 * Step 3, nothing printed: not one byte of the job reached the printer (its status read just
 * before printing failed), so no paper exists and the number is given back — the next ticket of
 * its prefix gets it, and no trace is kept of a ticket nobody saw. When a later number was taken
 * meanwhile (another kiosk, same prefix) it is voided like any failed print instead.
 */
export async function withdrawUnprinted(deps: QueueDeps, ticketId: string, reason: string, deviceId?: string): Promise<Result<Ticket>> {
  const withdrawn = await deps.store.withdrawPrinting(ticketId);
  return withdrawn === null ? await voidPrint(deps, ticketId, reason, deviceId) : ok(withdrawn);
}

/**
 * A ticket still `printing` `staleAfterMs` after its print started (`issuedAt`, stamped when it
 * became `printing`) was in flight on a host that stopped or died: the host that printed it gives
 * up after the print acknowledgement time, so nobody will settle it now, and it is void (whether
 * paper came out is unknown — staff can reprint a ticket a client shows them). A younger one may be
 * in the hands of another live host, and is left alone.
 */
export async function voidStalePrints(deps: QueueDeps, officeId: string, staleAfterMs: number): Promise<Result<Ticket[]>> {
  const startedBefore = deps.clock.now() - staleAfterMs;
  const voided: Ticket[] = [];
  for (const t of await deps.store.printingTickets(officeId)) {
    if (t.issuedAt > startedBefore) continue;
    const r = await voidPrint(deps, t.id, 'print not acknowledged: its host stopped');
    if (r.ok) voided.push(r.value);
  }
  return ok(voided);
}

/** States in which a client holds a ticket that is still good: a reprint makes sense only then. */
const REPRINTABLE: readonly TicketState[] = ['waiting', 'called', 'serving', 'parked'];

/**
 * Staff reprint a ticket (paper jam, torn ticket): audited, nothing else changes — same number,
 * same place. Called after the agent printed it again.
 */
export async function recordReprint(deps: QueueDeps, input: { ticketId: string; deviceId: string; userId: string }): Promise<Result<Ticket>> {
  const ticket = await deps.store.getTicket(input.ticketId);
  if (ticket === null) return fail('TICKET_NOT_FOUND');
  if (!REPRINTABLE.includes(ticket.state)) return fail('TICKET_STATE_INVALID');
  await deps.store.appendEvent(
    { type: 'ticket:reprinted', officeId: ticket.officeId, payload: { ticket: ticketView(ticket), deviceId: input.deviceId, userId: input.userId } },
    deps.clock.now(),
  );
  return ok(ticket);
}

/** Whether a ticket may be printed again, checked before the job is sent. */
export function checkReprintable(ticket: Ticket | null): Result<Ticket> {
  if (ticket === null) return fail('TICKET_NOT_FOUND');
  return REPRINTABLE.includes(ticket.state) ? ok(ticket) : fail('TICKET_STATE_INVALID');
}

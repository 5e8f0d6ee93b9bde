import type { Ticket, TicketState } from '../shared/model.ts';
import type { QueueStore } from './ports.ts';
import { ticketView, type TicketOrigin } from '../shared/events.ts';

/**
 * The ticket state machine: the only transitions there are. `printing` passes straight to
 * `waiting` until the print agent acknowledges (kiosk issue); `void` is a print that failed.
 * called → waiting is a transfer (same number, original arrival); serving → waiting is a
 * transfer after service began (e.g. sent on to the cashier); parked → waiting is resume.
 */
export const TRANSITIONS: Readonly<Record<TicketState, readonly TicketState[]>> = {
  printing: ['waiting', 'void'],
  waiting: ['called'],
  called: ['serving', 'waiting', 'no_show', 'done'],
  serving: ['done', 'parked', 'waiting'],
  parked: ['waiting'],
  done: [],
  no_show: [],
  void: [],
};

export const canTransition = (from: TicketState, to: TicketState): boolean => TRANSITIONS[from].includes(to);

/** Which timestamp column records entry into a state. */
export const STAMP_OF: Readonly<Record<TicketState, keyof Ticket>> = {
  printing: 'issuedAt',
  waiting: 'waitingAt',
  called: 'calledAt',
  serving: 'servingAt',
  parked: 'parkedAt',
  done: 'doneAt',
  no_show: 'noShowAt',
  void: 'voidAt',
};

/** States in which a ticket occupies a counter. */
export const AT_COUNTER: readonly TicketState[] = ['called', 'serving'];

/** Ticket number as printed: prefix + at least three digits, four after 999 (never wraps). */
export function formatNumber(prefix: string, seq: number): string {
  return prefix + String(seq).padStart(3, '0');
}

/** A ticket as it is first stored: numbered, joining the queue now (or printing first). */
export function newTicket(f: {
  id: string;
  officeId: string;
  serviceId: string;
  prefix: string;
  seq: number;
  day: string;
  state: 'waiting' | 'printing';
  categoryId: string | null;
  priorityWeight: number;
  bookedAt: number | null;
  now: number;
  language?: string | null | undefined;
}): Ticket {
  return {
    id: f.id,
    officeId: f.officeId,
    serviceId: f.serviceId,
    prefix: f.prefix,
    seq: f.seq,
    day: f.day,
    number: formatNumber(f.prefix, f.seq),
    state: f.state,
    categoryId: f.categoryId,
    priorityWeight: f.priorityWeight,
    bookedAt: f.bookedAt,
    arrivedAt: f.now,
    counterId: null,
    recallCount: 0,
    issuedAt: f.now,
    waitingAt: f.state === 'waiting' ? f.now : null,
    calledAt: null,
    servingAt: null,
    parkedAt: null,
    doneAt: null,
    noShowAt: null,
    voidAt: null,
    language: f.language ?? null,
  };
}

/** The ticket is in the queue: tell the screens (its counts follow once per commit group). */
export async function announceIssued(store: QueueStore, ticket: Ticket, now: number, origin?: TicketOrigin): Promise<void> {
  const payload = origin === undefined ? { ticket: ticketView(ticket) } : { ticket: ticketView(ticket), origin };
  await store.appendEvent({ type: 'ticket:issued', officeId: ticket.officeId, payload }, now);
  await store.markQueueChanged(ticket.officeId, now);
}

import type { Ticket, TicketState } from './model.ts';

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

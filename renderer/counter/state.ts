import type { AlertViewT } from '../../contracts/alerts.ts';
import { z } from 'zod';
import type { QueueSnapshot, ServicesResponse } from '../../contracts/api.ts';
import { TicketView } from '../../contracts/api.ts';
import type { BookingCandidateT, CounterCheckInResponse } from '../../contracts/check-in.ts';
import type { KioskPrinterT } from '../../contracts/screens.ts';
import type { MeT } from '../shared/login.ts';
import { Actions } from '../shared/ui.ts';

/**
 * The counter terminal's state. The host is the truth: everything here is re-read from it on load
 * and after every reconnect, so a reload (or a crashed browser) loses nothing.
 */

export type Ticket = z.infer<typeof TicketView>;
export type Service = z.infer<typeof ServicesResponse>['services'][number];
export type CounterEntry = z.infer<typeof QueueSnapshot>['counters'][number];
export type CheckedIn = z.infer<typeof CounterCheckInResponse>;
export type DialogKind = 'transfer' | 'reception' | 'check-in' | 'print-where' | 'reprint';

export interface Load {
  waiting: number;
  oldestArrivedAt: number | null;
}

export interface Printer {
  name: string;
  state: string;
  isOutOfOrder: boolean;
  isPaperNearEnd: boolean;
}

export interface Kiosk {
  deviceId: string;
  name: string;
  isPaperNearEnd: boolean;
}

export const state = {
  me: null as MeT | null,
  services: [] as Service[],
  loads: new Map<string, Load>(),
  counters: [] as CounterEntry[],
  counterId: null as string | null,
  ticket: null as Ticket | null,
  parked: [] as Ticket[],
  message: '',
  messageKind: 'info' as 'info' | 'error',
  dialog: null as DialogKind | null,
  /** Reception: the service chosen, while the clerk picks where its ticket goes (screen or a kiosk's printer). */
  receptionServiceId: null as string | null,
  isHelpOpen: false,
  /** The office's time zone: booked times are shown in office time, whatever the PC's zone. */
  timeZone: null as string | null,
  /** The office's alerts: on load, then as the host raises or clears them (alerts:changed). */
  alerts: [] as AlertViewT[],
  /** Waiting tickets of the office, kept live from events (booked vs walk-in beside the loads). */
  waiting: [] as Ticket[],
  /** The check-in dialog: what was found and what was checked in (typed text lives in its fields, which the patching keeps). */
  checkIn: { found: null as BookingCandidateT[] | null, done: null as CheckedIn | null, error: '' },
  /** Per service, the outcomes a clerk records when finishing (exam results); empty for most services. */
  outcomes: new Map<string, { id: string; name: string }[]>(),
  /** The office's kiosk printers: their state on load, then as reported (printer:changed). */
  printers: new Map<string, Printer>(),
};

/** The page's re-render, set once the page is mounted. */
export const page = { update: (): void => undefined };

/** Requests out: a button whose request is out is inert, and its key does nothing. */
export const running = new Actions(() => page.update());

export const mine = (): CounterEntry | undefined => state.counters.find((c) => c.counter.id === state.counterId);
export const serviceName = (id: string): string => state.services.find((s) => s.id === id)?.name ?? id;
export const minutesSince = (at: number): number => Math.max(0, Math.floor((Date.now() - at) / 60_000));

export function say(message: string, kind: 'info' | 'error' = 'info'): void {
  state.message = message;
  state.messageKind = kind;
  page.update();
}

export function showError(e: unknown): void {
  say(e instanceof Error ? e.message : String(e), 'error');
}

export function printerEntry(p: KioskPrinterT): Printer {
  return { name: p.deviceName, state: p.state, isOutOfOrder: p.isOutOfOrder, isPaperNearEnd: p.isPaperNearEnd };
}

/** Kiosks whose printer can print now: where a reception ticket or a reprint may go. */
export const usablePrinters = (): Kiosk[] =>
  [...state.printers].filter(([, p]) => !p.isOutOfOrder).map(([deviceId, p]) => ({ deviceId, name: p.name, isPaperNearEnd: p.isPaperNearEnd }));

/** The waiting list follows each ticket: in while it waits, out once called, ended or parked. */
export function trackWaiting(ticket: Ticket): void {
  state.waiting = state.waiting.filter((w) => w.id !== ticket.id);
  if (ticket.state === 'waiting') state.waiting.push(ticket);
}

// Parked tickets are this counter PC's memory (the host keeps them parked, not whose they are).
const parkedKey = (): string => `fronta.counter.parked.${state.counterId ?? ''}`;

export function saveParked(): void {
  localStorage.setItem(parkedKey(), JSON.stringify(state.parked));
}

export function savedParked(): Ticket[] {
  try {
    return z.array(TicketView).parse(JSON.parse(localStorage.getItem(parkedKey()) ?? '[]'));
  } catch {
    return [];
  }
}

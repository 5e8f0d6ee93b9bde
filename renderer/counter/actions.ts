import { z } from 'zod';
import { CounterStateResponse, IssuedTicketResponse, TicketView } from '../../contracts/api.ts';
import { BookingSearchResponse, CounterCheckInResponse } from '../../contracts/check-in.ts';
import { api } from '../shared/api.ts';
import { t } from '../shared/i18n.ts';
import { logout } from '../shared/login.ts';
import { loadOffice } from './sync.ts';
import { mine, page, running, saveParked, say, serviceName, showError, state, trackWaiting, usablePrinters, type DialogKind, type Kiosk, type Ticket } from './state.ts';

/**
 * What the clerk does. Every request runs under a name in `running`: the counter's own actions
 * share one ('counter'), so a second key press while one is out does nothing.
 */

/** A counter action (call next, recall, start…); `after` runs once the host accepted it. */
export function act(path: string, body?: unknown, after?: () => void): void {
  const counterId = state.counterId;
  if (counterId === null) return;
  running.run(
    'counter',
    async () => {
      const r = await api('POST', `/counters/${counterId}/${path}`, CounterStateResponse, body);
      const entry = mine();
      if (entry !== undefined) {
        entry.counter = r.counter;
        entry.ticket = r.ticket;
      }
      state.ticket = r.ticket !== null && (r.ticket.state === 'called' || r.ticket.state === 'serving') ? r.ticket : null;
      say('');
      after?.();
    },
    showError,
  );
}

export function openCounter(counterId: string): void {
  state.counterId = counterId;
  running.run(
    'counter',
    async () => {
      try {
        await api('POST', `/counters/${counterId}/open`, CounterStateResponse);
        say('');
      } finally {
        // Taken by someone else meanwhile: back to the picker, with the host's word for it.
        await loadOffice();
      }
    },
    showError,
  );
}

/** Leaves the counter (only without a client at it): back to the picker. */
export function leaveCounter(): void {
  act('close', undefined, () => (state.counterId = null));
}

export function signOut(): void {
  const done = (): void => void logout().then(() => location.reload());
  if (state.counterId !== null && state.ticket === null) act('close', undefined, done);
  else done();
}

export function park(): void {
  const ticket = state.ticket;
  if (ticket === null) return;
  act('park', undefined, () => {
    state.parked = [...state.parked.filter((p) => p.id !== ticket.id), { ...ticket, state: 'parked' }];
    saveParked();
  });
}

export function resume(ticketId: string): void {
  act(`tickets/${ticketId}/resume`, undefined, () => {
    state.parked = state.parked.filter((p) => p.id !== ticketId);
    saveParked();
  });
}

export function openDialog(which: DialogKind): void {
  state.dialog = which;
  if (which === 'check-in') state.checkIn = { found: null, done: null, error: '' };
  if (which === 'call-chosen') state.callChosenError = '';
  page.update();
}

export function closeDialog(): void {
  state.dialog = null;
  state.receptionServiceId = null;
  page.update();
}

/** Reception: a service chosen; where a kiosk can print, the clerk says where the ticket goes. */
function chooseReceptionService(serviceId: string): void {
  if (usablePrinters().length === 0) {
    issueFor(serviceId);
    return;
  }
  state.receptionServiceId = serviceId;
  openDialog('print-where');
}

/** Issues the ticket: shown on screen to be written down, or printed on the chosen kiosk's printer. */
function issueFor(serviceId: string, kiosk?: Kiosk): void {
  closeDialog();
  running.run(
    'issue',
    async () => {
      const r = await api('POST', `/counters/${state.counterId ?? ''}/tickets`, IssuedTicketResponse, kiosk === undefined ? { serviceId } : { serviceId, deviceId: kiosk.deviceId });
      const facts = { number: r.ticket.number, service: serviceName(serviceId), ahead: r.ahead };
      say(kiosk === undefined ? t('counter.issued', facts) : t('counter.issuedPrinted', { ...facts, kiosk: kiosk.name }));
    },
    showError,
  );
}

/** The current client's ticket again (a jam, a torn ticket), on a kiosk's printer; with several, the clerk picks one. */
export function reprintCurrent(): void {
  const usable = usablePrinters();
  if (usable.length === 1) reprintOn(usable[0]!);
  else openDialog('reprint');
}

function reprintOn(kiosk: Kiosk): void {
  const tk = state.ticket;
  closeDialog();
  if (tk === null) return;
  running.run(
    'reprint',
    async () => {
      const r = await api('POST', `/tickets/${tk.id}/reprint`, z.object({ ticket: TicketView }), { deviceId: kiosk.deviceId });
      say(t('counter.reprinted', { number: r.ticket.number, kiosk: kiosk.name }));
    },
    showError,
  );
}

const checkInError = (e: unknown): void => {
  state.checkIn.error = e instanceof Error ? e.message : String(e);
  page.update();
};

/** A booked client checks in by hand: by booking number, or a booking found by name and time. */
export function checkInBooking(number: string, form?: HTMLFormElement): void {
  if (state.counterId === null || number.trim() === '') return;
  const counterId = state.counterId;
  running.run(
    'check-in',
    async () => {
      const r = await api('POST', `/counters/${counterId}/check-in`, CounterCheckInResponse, { number: number.trim() });
      state.checkIn = { found: null, done: r, error: '' };
      form?.reset();
      trackWaiting(r.ticket);
      say(t('counter.checkedIn', { number: r.ticket.number, name: r.name }));
    },
    checkInError,
  );
}

export function findBookings(name: string, time: string): void {
  if (state.counterId === null || name.trim() === '') return;
  const q = new URLSearchParams({ name: name.trim() });
  if (time !== '') q.set('time', time);
  const counterId = state.counterId;
  running.run(
    'find',
    async () => {
      const r = await api('GET', `/counters/${counterId}/bookings?${q.toString()}`, BookingSearchResponse);
      state.checkIn = { found: r.bookings, done: null, error: '' };
    },
    checkInError,
  );
}

/** Waiting tickets of the services the counter serves now, oldest first: what may be called out of turn. */
export function callableTickets(): Ticket[] {
  const c = mine()?.counter;
  const served = new Set(c === undefined ? [] : (c.sessionServiceIds ?? c.serviceIds));
  return state.waiting.filter((w) => served.has(w.serviceId)).sort((a, b) => a.arrivedAt - b.arrivedAt || (a.id < b.id ? -1 : 1));
}

/** Calls the chosen ticket out of turn with the clerk's reason; refusals stay in the dialog, beside the fields. */
export function callChosen(ticketId: string, reason: string): void {
  const counterId = state.counterId;
  if (counterId === null) return;
  running.run(
    'counter',
    async () => {
      const r = await api('POST', `/counters/${counterId}/call-chosen`, CounterStateResponse, { ticketId, reason: reason.trim() });
      const entry = mine();
      if (entry !== undefined) {
        entry.counter = r.counter;
        entry.ticket = r.ticket;
      }
      state.ticket = r.ticket;
      closeDialog();
      say(t('counter.calledOutOfTurn', { number: r.ticket?.number ?? '' }));
    },
    (e: unknown) => {
      state.callChosenError = e instanceof Error ? e.message : String(e);
      page.update();
    },
  );
}

export interface CounterAction {
  key: string;
  label: string;
  run: () => void;
  isEnabled: boolean;
  isPrimary?: boolean;
  /** Only opens a dialog on this page: allowed while a request is out. */
  isLocal?: boolean;
}

/** The counter's actions, each with its one key (printed on its button and in the help). */
export function counterActions(): CounterAction[] {
  const c = mine()?.counter;
  const tk = state.ticket;
  const paused = c?.status === 'paused';
  return [
    { key: 'n', label: t('counter.callNext'), run: () => act('call-next'), isEnabled: !paused, isPrimary: true },
    { key: 'o', label: t('counter.callChosen'), run: () => openDialog('call-chosen'), isEnabled: !paused && callableTickets().length > 0, isLocal: true },
    { key: 'r', label: t('counter.recall'), run: () => act('recall'), isEnabled: tk?.state === 'called' },
    { key: 's', label: t('counter.start'), run: () => act('start'), isEnabled: tk?.state === 'called' },
    { key: 'd', label: t('counter.done'), run: () => act('finish'), isEnabled: tk !== null },
    { key: 'x', label: t('counter.noShow'), run: () => act('no-show'), isEnabled: tk?.state === 'called' },
    { key: 't', label: t('counter.transfer'), run: () => openDialog('transfer'), isEnabled: tk !== null },
    { key: 'p', label: t('counter.park'), run: park, isEnabled: tk?.state === 'serving' },
    { key: 'b', label: t('counter.resume'), run: () => resume(state.parked[0]!.id), isEnabled: state.parked.length > 0 },
    { key: 'z', label: paused ? t('counter.unpause') : t('counter.pause'), run: () => act(paused ? 'unpause' : 'pause'), isEnabled: c !== undefined },
    { key: 'k', label: t('counter.reprint'), run: reprintCurrent, isEnabled: tk !== null && usablePrinters().length > 0 },
    { key: 'i', label: t('counter.issueFor'), run: () => openDialog('reception'), isEnabled: true, isLocal: true },
    { key: 'c', label: t('counter.checkInTitle'), run: () => openDialog('check-in'), isEnabled: true, isLocal: true },
  ];
}

/** Whether an action can run now: enabled, and (unless it only opens a dialog) nothing of the counter's is out. */
export const canRun = (a: CounterAction): boolean => a.isEnabled && (a.isLocal === true || !running.isBusy('counter'));

const kioskLabel = (k: Kiosk): string => (k.isPaperNearEnd ? `${k.name} (${t('counter.paperLow')})` : k.name);

/** The numbered choices of the open dialog (keys 1–9 pick them). */
export function dialogChoices(): { label: string; run: () => void }[] {
  switch (state.dialog) {
    case 'transfer': {
      const tk = state.ticket;
      return state.services
        .filter((s) => tk !== null && s.id !== tk.serviceId)
        .map((s) => ({ label: `${s.prefix} · ${s.name}`, run: () => (closeDialog(), act('transfer', { serviceId: s.id })) }));
    }
    case 'reception':
      return state.services.filter((s) => s.isOpen).map((s) => ({ label: `${s.prefix} · ${s.name}`, run: () => chooseReceptionService(s.id) }));
    case 'print-where': {
      const serviceId = state.receptionServiceId ?? '';
      return [
        { label: t('counter.onScreen'), run: () => issueFor(serviceId) },
        ...usablePrinters().map((k) => ({ label: t('counter.printOn', { kiosk: kioskLabel(k) }), run: () => issueFor(serviceId, k) })),
      ];
    }
    case 'reprint':
      return usablePrinters().map((k) => ({ label: t('counter.printOn', { kiosk: kioskLabel(k) }), run: () => reprintOn(k) }));
    case 'call-chosen':
      return [];
    case 'check-in':
      return (state.checkIn.found ?? []).map((b) => ({ label: `${t('counter.checkIn')}: ${b.name} · ${b.time}`, run: () => checkInBooking(b.number) }));
    case null:
      return [];
    default: {
      const never: never = state.dialog;
      return never;
    }
  }
}

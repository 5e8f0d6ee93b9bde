// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { z } from 'zod';
import { CounterStateResponse, IssuedTicketResponse, QueueSnapshot, ServicesResponse, TicketView } from '../../contracts/api.ts';
import { KioskPrintersResponse, type KioskPrinterT, type LoggedEvent } from '../../contracts/screens.ts';
import { BookingSearchResponse, CounterCheckInResponse, type BookingCandidateT } from '../../contracts/check-in.ts';
import { OfficeOutcomesResponse } from '../../contracts/rules.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { replaceKeepingFocus } from '../shared/focus.ts';
import { currentLang, initI18n, t } from '../shared/i18n.ts';
import { el, languagePickerElement as languagePicker } from '../shared/legacy-dom.ts';
import { loginForm, logout, whoAmI, type MeT } from '../shared/login.ts';
import { connectRealtime, type FrontaSocket } from '../shared/realtime.ts';
import { onDomainEvents } from '../../contracts/socket.ts';
import '../shared/base.css';
import './counter.css';

type Ticket = z.infer<typeof TicketView>;
type Service = z.infer<typeof ServicesResponse>['services'][number];
type CounterEntry = z.infer<typeof QueueSnapshot>['counters'][number];
type CheckedIn = z.infer<typeof CounterCheckInResponse>;

const OfficesResponse = z.object({ offices: z.array(z.object({ id: z.string(), timeZone: z.string() })) });
/** Waiting tickets listed beside the loads: enough to see who is booked, not a wall of numbers. */
const WAITING_SHOWN = 12;

/**
 * The counter terminal. The host is the truth: everything shown is re-read from it on load and
 * after every reconnect, so a reload (or a crashed browser) loses nothing. Every action has a
 * one-key shortcut printed on its button; keys are ignored while typing in a field.
 */

interface Load {
  waiting: number;
  oldestArrivedAt: number | null;
}

const state = {
  me: null as MeT | null,
  services: [] as Service[],
  loads: new Map<string, Load>(),
  counters: [] as CounterEntry[],
  counterId: null as string | null,
  ticket: null as Ticket | null,
  parked: [] as Ticket[],
  lastEventId: 0,
  message: '' as string,
  messageKind: 'info' as 'info' | 'error',
  dialog: null as null | 'transfer' | 'reception' | 'check-in' | 'print-where' | 'reprint',
  /** Reception: the service chosen, while the clerk picks where its ticket goes (screen or a kiosk's printer). */
  receptionServiceId: null as string | null,
  /** The shortcut help (?) is open: kept across re-renders. */
  isHelpOpen: false,
  /** The office's time zone: booked times are shown in office time, whatever the PC's zone. */
  timeZone: null as string | null,
  /** Waiting tickets of the office, kept live from events (booked vs walk-in beside the loads). */
  waiting: [] as Ticket[],
  /** The check-in dialog: what was typed (a render must not lose it), what was found, what was checked in. */
  checkIn: { number: '', name: '', time: '', found: null as BookingCandidateT[] | null, done: null as CheckedIn | null, error: '' },
  /** Per service, the outcomes a clerk records when finishing (exam results); empty for most services. */
  outcomes: new Map<string, { id: string; name: string }[]>(),
  busy: false,
  /** The office's kiosk printers: their state on load, then as reported (printer:changed); warnings and where to print. */
  printers: new Map<string, { name: string; state: string; isOutOfOrder: boolean; isPaperNearEnd: boolean }>(),
};

const app = document.getElementById('app')!;
const offline = document.getElementById('offline')!;
let socket: FrontaSocket | null = null;

const mine = (): CounterEntry | undefined => state.counters.find((c) => c.counter.id === state.counterId);
const serviceName = (id: string): string => state.services.find((s) => s.id === id)?.name ?? id;
const minutesSince = (at: number): number => Math.max(0, Math.floor((Date.now() - at) / 60_000));
const parkedKey = (): string => `fronta.counter.parked.${state.counterId ?? ''}`;

function saveParked(): void {
  localStorage.setItem(parkedKey(), JSON.stringify(state.parked));
}

function say(message: string, kind: 'info' | 'error' = 'info'): void {
  state.message = message;
  state.messageKind = kind;
}

// ---------------------------------------------------------------- data from the host

async function loadOffice(): Promise<void> {
  const me = state.me!;
  const [services, queue, offices, printers] = await Promise.all([
    api('GET', `/offices/${me.officeId}/services`, ServicesResponse),
    api('GET', `/offices/${me.officeId}/queue`, QueueSnapshot),
    state.timeZone === null ? api('GET', '/offices', OfficesResponse) : null,
    api('GET', `/offices/${me.officeId}/printers`, KioskPrintersResponse),
  ]);
  // The printers as they are now, not only after their next change.
  state.printers = new Map(printers.printers.map((p) => [p.deviceId, printerEntry(p)]));
  state.timeZone ??= offices?.offices.find((o) => o.id === me.officeId)?.timeZone ?? null;
  state.waiting = queue.waiting;
  state.services = services.services;
  state.loads = new Map(services.services.map((s) => [s.id, { waiting: s.waiting, oldestArrivedAt: s.oldestArrivedAt }]));
  state.counters = queue.counters;
  // Absent where online booking (and with it the clients' history) is not set up.
  const outcomes = await api('GET', `/offices/${me.officeId}/outcomes`, OfficeOutcomesResponse).catch(() => null);
  state.outcomes = new Map((outcomes?.services ?? []).map((s) => [s.serviceId, s.outcomes]));
  state.lastEventId = Math.max(state.lastEventId, queue.lastEventId);
  // Signed in at a counter already (reload, second tab): carry on there.
  const at = queue.counters.find((c) => c.counter.userId === me.id);
  if (at !== undefined) state.counterId = at.counter.id;
  else if (state.counterId !== null && mine()?.counter.userId !== me.id) state.counterId = null;
  state.ticket = mine()?.ticket ?? null;
  await loadParked();
}

async function loadParked(): Promise<void> {
  if (state.counterId === null) {
    state.parked = [];
    return;
  }
  let saved: Ticket[] = [];
  try {
    saved = z.array(TicketView).parse(JSON.parse(localStorage.getItem(parkedKey()) ?? '[]'));
  } catch {
    saved = [];
  }
  const Status = z.object({ ticket: TicketView });
  const checked = await Promise.all(
    saved.map((p) => api('GET', `/tickets/${p.id}`, Status).then((r) => r.ticket, () => null)),
  );
  state.parked = checked.filter((x): x is Ticket => x !== null && x.state === 'parked');
  saveParked();
}

function applyEvent(e: LoggedEvent): void {
  if (e.id <= state.lastEventId) return;
  state.lastEventId = e.id;
  switch (e.type) {
    case 'queue:changed':
      for (const s of e.payload.services) state.loads.set(s.serviceId, { waiting: s.waiting, oldestArrivedAt: s.oldestArrivedAt });
      break;
    case 'counter:changed': {
      const entry = state.counters.find((c) => c.counter.id === e.payload.counterId);
      if (entry !== undefined) {
        entry.counter = { ...entry.counter, status: e.payload.status, userId: e.payload.userId };
        entry.ticket = e.payload.ticket;
      }
      if (e.payload.counterId === state.counterId) {
        state.ticket = e.payload.ticket;
        if (e.payload.userId !== state.me?.id) state.counterId = null; // signed out elsewhere
      }
      break;
    }
    case 'ticket:changed':
      trackWaiting(e.payload.ticket);
      if (e.payload.ticket.state !== 'parked' && state.parked.some((p) => p.id === e.payload.ticket.id)) {
        state.parked = state.parked.filter((p) => p.id !== e.payload.ticket.id);
        saveParked();
      }
      break;
    case 'service:closed': {
      const s = state.services.find((x) => x.id === e.payload.serviceId);
      if (s !== undefined) s.isOpen = false;
      break;
    }
    case 'printer:changed':
      state.printers.set(e.payload.deviceId, printerEntry(e.payload));
      break;
    case 'ticket:issued':
    case 'ticket:called':
      trackWaiting(e.payload.ticket);
      break;
    case 'ticket:reprinted':
    case 'booking:settings-changed':
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  render();
}

function printerEntry(p: KioskPrinterT): { name: string; state: string; isOutOfOrder: boolean; isPaperNearEnd: boolean } {
  return { name: p.deviceName, state: p.state, isOutOfOrder: p.isOutOfOrder, isPaperNearEnd: p.isPaperNearEnd };
}

/** Kiosks whose printer can print now: where a reception ticket or a reprint may go. */
const usablePrinters = (): { deviceId: string; name: string; isPaperNearEnd: boolean }[] =>
  [...state.printers].filter(([, p]) => !p.isOutOfOrder).map(([deviceId, p]) => ({ deviceId, name: p.name, isPaperNearEnd: p.isPaperNearEnd }));

/** The waiting list follows each ticket: in while it waits, out once called, ended or parked. */
function trackWaiting(ticket: Ticket): void {
  state.waiting = state.waiting.filter((w) => w.id !== ticket.id);
  if (ticket.state === 'waiting') state.waiting.push(ticket);
}

function connect(): void {
  socket?.disconnect();
  const s = connectRealtime(() => state.lastEventId);
  socket = s;
  let firstSync = true;
  onDomainEvents(s, applyEvent);
  s.on('disconnect', () => {
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
  });
  s.on('connect_error', () => {
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
  });
  s.on('sync:done', () => {
    offline.hidden = true;
    // After an outage, re-read the truth (the replay already caught the events up).
    if (!firstSync) void loadOffice().then(render, showError);
    firstSync = false;
  });
}

// ---------------------------------------------------------------- actions

async function act(path: string, body?: unknown): Promise<void> {
  if (state.counterId === null || state.busy) return;
  state.busy = true;
  try {
    const r = await api('POST', `/counters/${state.counterId}/${path}`, CounterStateResponse, body);
    const entry = mine();
    if (entry !== undefined) {
      entry.counter = r.counter;
      entry.ticket = r.ticket;
    }
    state.ticket = r.ticket !== null && (r.ticket.state === 'called' || r.ticket.state === 'serving') ? r.ticket : null;
    say('');
    return;
  } catch (e) {
    showError(e);
  } finally {
    state.busy = false;
    render();
  }
}

function showError(e: unknown): void {
  say(e instanceof Error ? e.message : String(e), 'error');
  render();
}

async function openCounter(counterId: string): Promise<void> {
  state.counterId = counterId;
  await act('open');
  await loadOffice().then(render, showError);
}

async function park(): Promise<void> {
  const ticket = state.ticket;
  if (ticket === null) return;
  await act('park');
  if (state.messageKind !== 'error') {
    state.parked = [...state.parked.filter((p) => p.id !== ticket.id), { ...ticket, state: 'parked' }];
    saveParked();
    render();
  }
}

async function resume(ticketId: string): Promise<void> {
  await act(`tickets/${ticketId}/resume`);
  if (state.messageKind !== 'error') {
    state.parked = state.parked.filter((p) => p.id !== ticketId);
    saveParked();
    render();
  }
}

/** Reception: a service chosen; where a kiosk can print, the clerk says where the ticket goes. */
function chooseReceptionService(serviceId: string): void {
  if (usablePrinters().length === 0) {
    void issueFor(serviceId);
    return;
  }
  state.receptionServiceId = serviceId;
  openDialog('print-where');
}

/** Issues the ticket: shown on screen to be written down, or printed on the chosen kiosk's printer. */
async function issueFor(serviceId: string, kiosk?: { deviceId: string; name: string }): Promise<void> {
  state.dialog = null;
  state.receptionServiceId = null;
  state.busy = true;
  render();
  try {
    const r = await api('POST', `/counters/${state.counterId ?? ''}/tickets`, IssuedTicketResponse, kiosk === undefined ? { serviceId } : { serviceId, deviceId: kiosk.deviceId });
    const facts = { number: r.ticket.number, service: serviceName(serviceId), ahead: r.ahead };
    say(kiosk === undefined ? t('counter.issued', facts) : t('counter.issuedPrinted', { ...facts, kiosk: kiosk.name }));
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), 'error');
  } finally {
    state.busy = false;
  }
  render();
}

/** The current client's ticket again (a jam, a torn ticket), on a kiosk's printer; with several, the clerk picks one. */
function reprintCurrent(): void {
  const usable = usablePrinters();
  if (usable.length === 1) void reprintOn(usable[0]!);
  else openDialog('reprint');
}

async function reprintOn(kiosk: { deviceId: string; name: string }): Promise<void> {
  const tk = state.ticket;
  state.dialog = null;
  if (tk === null || state.busy) {
    render();
    return;
  }
  state.busy = true;
  render();
  try {
    const r = await api('POST', `/tickets/${tk.id}/reprint`, z.object({ ticket: TicketView }), { deviceId: kiosk.deviceId });
    say(t('counter.reprinted', { number: r.ticket.number, kiosk: kiosk.name }));
  } catch (e) {
    say(e instanceof Error ? e.message : String(e), 'error');
  } finally {
    state.busy = false;
  }
  render();
}

/** A booked client checks in by hand: by booking number, or a booking found by name and time. */
async function checkInBooking(number: string): Promise<void> {
  if (state.counterId === null || state.busy || number.trim() === '') return;
  state.busy = true;
  try {
    const r = await api('POST', `/counters/${state.counterId}/check-in`, CounterCheckInResponse, { number: number.trim() });
    state.checkIn = { ...state.checkIn, number: '', found: null, done: r, error: '' };
    trackWaiting(r.ticket);
    say(t('counter.checkedIn', { number: r.ticket.number, name: r.name }));
  } catch (e) {
    state.checkIn.error = e instanceof Error ? e.message : String(e);
  } finally {
    state.busy = false;
    render();
  }
}

async function findBookings(): Promise<void> {
  const { name, time } = state.checkIn;
  if (state.counterId === null || name.trim() === '') return;
  const q = new URLSearchParams({ name: name.trim() });
  if (time !== '') q.set('time', time);
  try {
    const r = await api('GET', `/counters/${state.counterId}/bookings?${q.toString()}`, BookingSearchResponse);
    state.checkIn = { ...state.checkIn, found: r.bookings, done: null, error: '' };
  } catch (e) {
    state.checkIn.error = e instanceof Error ? e.message : String(e);
  }
  render();
}

function openCheckIn(): void {
  state.checkIn = { number: '', name: '', time: '', found: null, done: null, error: '' };
  state.dialog = 'check-in';
  render();
  document.getElementById('booking-number')?.focus();
}

interface Action {
  key: string;
  label: string;
  run: () => void;
  enabled: () => boolean;
  primary?: boolean;
  /** Only opens a dialog on this page: allowed while a request is out (a key pressed then was lost). */
  local?: boolean;
}

function actions(): Action[] {
  const c = mine()?.counter;
  const tk = state.ticket;
  const paused = c?.status === 'paused';
  return [
    { key: 'n', label: t('counter.callNext'), run: () => void act('call-next'), enabled: () => !paused, primary: true },
    { key: 'r', label: t('counter.recall'), run: () => void act('recall'), enabled: () => tk?.state === 'called' },
    { key: 's', label: t('counter.start'), run: () => void act('start'), enabled: () => tk?.state === 'called' },
    { key: 'd', label: t('counter.done'), run: () => void act('finish'), enabled: () => tk !== null },
    { key: 'x', label: t('counter.noShow'), run: () => void act('no-show'), enabled: () => tk?.state === 'called' },
    { key: 't', label: t('counter.transfer'), run: () => openDialog('transfer'), enabled: () => tk !== null },
    { key: 'p', label: t('counter.park'), run: () => void park(), enabled: () => tk?.state === 'serving' },
    { key: 'b', label: t('counter.resume'), run: () => void resume(state.parked[0]!.id), enabled: () => state.parked.length > 0 },
    {
      key: 'z',
      label: paused ? t('counter.unpause') : t('counter.pause'),
      run: () => void act(paused ? 'unpause' : 'pause'),
      enabled: () => c !== undefined,
    },
    { key: 'k', label: t('counter.reprint'), run: reprintCurrent, enabled: () => tk !== null && usablePrinters().length > 0 },
    { key: 'i', label: t('counter.issueFor'), run: () => openDialog('reception'), enabled: () => true, local: true },
    { key: 'c', label: t('counter.checkInTitle'), run: openCheckIn, enabled: () => true, local: true },
  ];
}

function openDialog(which: 'transfer' | 'reception' | 'print-where' | 'reprint'): void {
  state.dialog = which;
  render();
  app.querySelector<HTMLButtonElement>('dialog button')?.focus();
}

function dialogChoices(): { label: string; run: () => void }[] {
  if (state.dialog === 'transfer') {
    const tk = state.ticket;
    return state.services
      .filter((s) => tk !== null && s.id !== tk.serviceId)
      .map((s) => ({ label: `${s.prefix} · ${s.name}`, run: () => ((state.dialog = null), void act('transfer', { serviceId: s.id })) }));
  }
  if (state.dialog === 'reception') {
    return state.services.filter((s) => s.isOpen).map((s) => ({ label: `${s.prefix} · ${s.name}`, run: () => chooseReceptionService(s.id) }));
  }
  const kioskLabel = (k: { name: string; isPaperNearEnd: boolean }): string => (k.isPaperNearEnd ? `${k.name} (${t('counter.paperLow')})` : k.name);
  if (state.dialog === 'print-where') {
    const serviceId = state.receptionServiceId ?? '';
    return [
      { label: t('counter.onScreen'), run: () => void issueFor(serviceId) },
      ...usablePrinters().map((k) => ({ label: t('counter.printOn', { kiosk: kioskLabel(k) }), run: () => void issueFor(serviceId, k) })),
    ];
  }
  if (state.dialog === 'reprint') {
    return usablePrinters().map((k) => ({ label: t('counter.printOn', { kiosk: kioskLabel(k) }), run: () => void reprintOn(k) }));
  }
  if (state.dialog === 'check-in') {
    return (state.checkIn.found ?? []).map((b) => ({ label: `${t('counter.checkIn')}: ${b.name} · ${b.time}`, run: () => void checkInBooking(b.number) }));
  }
  return [];
}

// ---------------------------------------------------------------- keyboard

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.altKey || e.metaKey) return;
  const target = e.target as HTMLElement | null;
  const typing = target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
  if (typing && !(state.dialog !== null && e.key === 'Escape')) return;
  const key = e.key.toLowerCase();
  if (state.dialog !== null) {
    if (key === 'escape') {
      state.dialog = null;
      render();
      e.preventDefault();
    } else if (/^[1-9]$/.test(key)) {
      dialogChoices()[Number(key) - 1]?.run();
      e.preventDefault();
    }
    return;
  }
  if (state.me === null) return;
  if (key === '?') {
    state.isHelpOpen = !state.isHelpOpen;
    render();
    e.preventDefault();
    return;
  }
  if (state.counterId === null) {
    if (/^[1-9]$/.test(key)) {
      const entry = state.counters[Number(key) - 1];
      if (entry !== undefined && (entry.counter.userId === null || entry.counter.userId === state.me.id)) void openCounter(entry.counter.id);
      e.preventDefault();
    }
    return;
  }
  const a = actions().find((x) => x.key === key);
  if (a !== undefined && a.enabled() && (a.local === true || !state.busy)) {
    e.preventDefault();
    a.run();
  }
});

// ---------------------------------------------------------------- rendering

function button(label: string, key: string, onClick: () => void, opts: { disabled?: boolean; primary?: boolean; id?: string } = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', class: opts.primary === true ? 'primary' : undefined, 'aria-keyshortcuts': key.toUpperCase(), id: opts.id }, [
    label,
    el('kbd', {}, [key.toUpperCase()]),
  ]) as HTMLButtonElement;
  b.disabled = opts.disabled === true;
  b.addEventListener('click', onClick);
  return b;
}

function header(): HTMLElement {
  const c = mine()?.counter;
  const right = el('div', { class: 'who' }, [
    el('span', {}, [state.me?.displayName ?? '']),
    languagePicker(() => void loadOffice().then(render, showError)),
  ]);
  if (c !== undefined && state.ticket === null) {
    const change = el('button', { type: 'button' }, [t('counter.switchCounter')]);
    change.addEventListener('click', () => void act('close').then(() => ((state.counterId = null), render())));
    right.append(change);
  }
  const out = el('button', { type: 'button' }, [t('ui.signOut')]);
  out.addEventListener('click', () => {
    const done = (): void => void logout().then(() => location.reload());
    if (state.counterId !== null && state.ticket === null) void act('close').then(done);
    else done();
  });
  right.append(out);
  return el('header', { class: 'top' }, [
    el('h1', {}, [c === undefined ? t('counter.title') : t('counter.counterN', { number: c.number })]),
    right,
  ]);
}

function pickerView(): HTMLElement {
  const list = el('div', { class: 'picker' });
  state.counters.forEach((entry, i) => {
    const c = entry.counter;
    const free = c.userId === null || c.userId === state.me?.id;
    const b = button(
      `${t('counter.counterN', { number: c.number })} — ${c.serviceIds.map(serviceName).join(', ')} (${c.userId === null ? t('counter.free') : c.userId === state.me?.id ? t('counter.yours') : t('counter.inUse')})`,
      String(i + 1),
      () => void openCounter(c.id),
      { disabled: !free },
    );
    list.append(b);
  });
  return el('main', { class: 'choose' }, [el('h2', {}, [t('counter.chooseCounter')]), list, message()]);
}

function message(): HTMLElement {
  return el('p', { role: 'status', class: state.messageKind === 'error' ? 'msg error' : 'msg', id: 'message' }, [state.message]);
}

function currentView(): HTMLElement {
  const tk = state.ticket;
  const c = mine()?.counter;
  const box = el('section', { class: 'current card', 'aria-label': t('counter.current') });
  box.append(el('h2', {}, [t('counter.current')]));
  if (c?.status === 'paused') box.append(el('p', { class: 'paused' }, [t('counter.paused')]));
  if (tk === null) {
    box.append(el('p', { class: 'none' }, [t('counter.noClient')]));
  } else {
    box.append(
      el('div', { class: 'number', id: 'current-number' }, [tk.number]),
      el('div', { class: 'service' }, [serviceName(tk.serviceId)]),
      el('div', { class: 'facts' }, [
        el('span', { class: `state ${tk.state}` }, [t(`counter.state.${tk.state}`)]),
        kindTag(tk, 'current-kind'),
        el('span', { 'data-since': String(tk.arrivedAt), 'data-label': 'counter.waited' }, [t('counter.waited', { count: minutesSince(tk.arrivedAt) })]),
        ...(tk.recallCount > 0 ? [el('span', {}, [t('counter.recalls', { count: tk.recallCount })])] : []),
      ]),
    );
  }
  const grid = el('div', { class: 'actions' });
  for (const a of actions()) grid.append(button(a.label, a.key, a.run, { disabled: !a.enabled() || state.busy, primary: a.primary === true, id: `act-${a.key}` }));
  box.append(grid, ...outcomeButtons(tk), message(), shortcutHelp());
  return box;
}

/** Every key of the page in one list (also on each button); ? opens and closes it. */
function shortcutHelp(): HTMLElement {
  const list = el('dl', {});
  for (const a of actions()) list.append(el('dt', {}, [el('kbd', {}, [a.key.toUpperCase()])]), el('dd', {}, [a.label]));
  list.append(el('dt', {}, [el('kbd', {}, ['1–9'])]), el('dd', {}, [t('counter.keyChoice')]));
  list.append(el('dt', {}, [el('kbd', {}, ['Esc'])]), el('dd', {}, [t('ui.cancel')]));
  list.append(el('dt', {}, [el('kbd', {}, ['?'])]), el('dd', {}, [t('counter.keyHelp')]));
  const help = el('details', { class: 'shortcuts', 'data-testid': 'shortcut-help', open: state.isHelpOpen }, [
    el('summary', { 'aria-keyshortcuts': '?' }, [t('counter.shortcuts'), ' ', el('kbd', {}, ['?'])]),
    list,
  ]) as HTMLDetailsElement;
  help.addEventListener('toggle', () => (state.isHelpOpen = help.open));
  return help;
}

/** "Done" with the result, for a service that defines outcomes (passed, failed): one button each. */
function outcomeButtons(tk: Ticket | null): HTMLElement[] {
  const results = tk === null ? [] : (state.outcomes.get(tk.serviceId) ?? []);
  if (results.length === 0) return [];
  const buttons = results.map((o) => {
    const b = el('button', { type: 'button', 'data-outcome': o.id }, [t('counter.doneWith', { outcome: o.name })]) as HTMLButtonElement;
    b.disabled = state.busy;
    b.addEventListener('click', () => void act('finish', { outcome: o.id }));
    return b;
  });
  return [el('div', { class: 'outcomes', role: 'group', 'aria-label': t('counter.outcomes') }, [el('span', {}, [t('counter.outcomes')]), ...buttons])];
}

/** Re-signing in with a subset narrows the counter for this session; the last one cannot be unticked. */
function servingToggle(serviceId: string): HTMLElement | string {
  const c = mine()?.counter;
  if (c === undefined || !c.serviceIds.includes(serviceId)) return '';
  const active = c.sessionServiceIds ?? c.serviceIds;
  const box = el('input', {
    type: 'checkbox',
    id: `serve-${serviceId}`,
    'aria-label': `${t('counter.servingNow')}: ${serviceName(serviceId)}`,
    title: t('counter.servingNowHint'),
  }) as HTMLInputElement;
  box.checked = active.includes(serviceId);
  box.disabled = state.busy || (box.checked && active.length === 1);
  box.addEventListener('change', () => {
    const next = box.checked ? [...active, serviceId] : active.filter((id) => id !== serviceId);
    void act('open', { serviceIds: c.serviceIds.filter((id) => next.includes(id)) });
  });
  return box;
}

function printerWarnings(): HTMLElement | null {
  const lines = [...state.printers.values()]
    .filter((p) => p.isOutOfOrder || p.isPaperNearEnd)
    .map((p) => el('p', {}, [p.isOutOfOrder ? t('counter.printerDown', { name: p.name, state: t(`printerState.${p.state}`) }) : t('counter.printerLow', { name: p.name })]));
  return lines.length === 0 ? null : el('section', { class: 'printer-warnings', role: 'alert' }, lines);
}

function queueView(): HTMLElement {
  const c = mine()?.counter;
  const served = new Set(c === undefined ? [] : (c.sessionServiceIds ?? c.serviceIds));
  const rows = state.services.map((s) => {
    const l = state.loads.get(s.id) ?? { waiting: 0, oldestArrivedAt: null };
    return el('tr', { class: served.has(s.id) ? 'mine' : undefined }, [
      el('td', {}, [servingToggle(s.id)]),
      el('th', { scope: 'row' }, [`${s.prefix} · ${s.name}`, ...(s.isOpen ? [] : [el('small', {}, [' — ' + t('display.closedToday')])])]),
      el('td', { class: 'num' }, [String(l.waiting)]),
      el('td', { class: 'num', ...(l.oldestArrivedAt === null ? {} : { 'data-since': String(l.oldestArrivedAt), 'data-label': 'ui.minutes' }) }, [
        l.oldestArrivedAt === null ? t('ui.none') : t('ui.minutes', { count: minutesSince(l.oldestArrivedAt) }),
      ]),
    ]);
  });
  const table = el('table', { class: 'loads' }, [
    el('thead', {}, [
      el('tr', {}, [el('th', {}, [t('counter.servingNow')]), el('th', {}, [t('counter.queue')]), el('th', {}, [t('counter.waiting')]), el('th', {}, [t('counter.longestWait')])]),
    ]),
    el('tbody', {}, rows),
  ]);
  const parked = el('section', { class: 'parked' }, [el('h2', {}, [t('counter.parkedTickets')])]);
  if (state.parked.length === 0) parked.append(el('p', { class: 'muted' }, [t('counter.noParked')]));
  for (const p of state.parked) {
    const b = el('button', { type: 'button' }, [`${p.number} · ${serviceName(p.serviceId)} — ${t('counter.resume')}`]);
    b.addEventListener('click', () => void resume(p.id));
    parked.append(b);
  }
  return el('aside', { class: 'side card' }, [table, waitingList(served), parked]);
}

/** Office-local HH:MM of an instant (the counter PC may sit in another zone than the office). */
function officeHhMm(at: number): string {
  const opts: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' };
  if (state.timeZone !== null) opts.timeZone = state.timeZone;
  return new Intl.DateTimeFormat(currentLang(), opts).format(at);
}

/** "booked 10:00" or "walk-in": a booked arrival is called at its time ahead of walk-ins. */
function kindTag(tk: Ticket, testId?: string): HTMLElement {
  const booked = tk.bookedAt !== null;
  return el('span', { class: `kind ${booked ? 'booked' : 'walk-in'}`, 'data-testid': testId }, [
    booked ? t('counter.booked', { time: officeHhMm(tk.bookedAt!) }) : t('counter.walkIn'),
  ]);
}

function waitingList(served: ReadonlySet<string>): HTMLElement {
  const mine = state.waiting.filter((w) => served.has(w.serviceId)).sort((a, b) => a.arrivedAt - b.arrivedAt || (a.id < b.id ? -1 : 1));
  const section = el('section', { class: 'waiting', 'data-testid': 'waiting-list' }, [el('h2', {}, [t('counter.waitingList')])]);
  if (mine.length === 0) section.append(el('p', { class: 'muted' }, [t('counter.nobodyWaiting')]));
  const list = el('ol', {});
  for (const w of mine.slice(0, WAITING_SHOWN)) {
    list.append(
      el('li', { 'data-ticket': w.number }, [
        el('span', { class: 'no' }, [w.number]),
        kindTag(w),
        el('span', { class: 'muted', 'data-since': String(w.arrivedAt), 'data-label': 'counter.waited' }, [t('counter.waited', { count: minutesSince(w.arrivedAt) })]),
      ]),
    );
  }
  if (mine.length > 0) section.append(list);
  if (mine.length > WAITING_SHOWN) section.append(el('p', { class: 'muted' }, [t('counter.moreWaiting', { count: mine.length - WAITING_SHOWN })]));
  return section;
}

/** A text field whose value lives in `state.checkIn`, so a re-render (events arrive) keeps what was typed. */
function checkInField(id: string, label: string, field: 'number' | 'name' | 'time', type = 'text'): HTMLElement[] {
  const input = el('input', { id, name: field, type, autocomplete: 'off', spellcheck: 'false' }) as HTMLInputElement;
  input.value = state.checkIn[field];
  input.addEventListener('input', () => (state.checkIn[field] = input.value));
  return [el('label', { for: id }, [label]), input];
}

function verifyView(v: { name: string; phoneEnd: string | null; identityLabel: string | null }): HTMLElement {
  return el('ul', { class: 'verify', 'aria-label': t('counter.verify') }, [
    el('li', {}, [t('counter.verifyName', { name: v.name })]),
    ...(v.phoneEnd === null ? [] : [el('li', {}, [t('counter.verifyPhone', { digits: v.phoneEnd })])]),
    ...(v.identityLabel === null ? [] : [el('li', {}, [t('counter.verifyIdentity', { label: v.identityLabel })])]),
  ]);
}

function checkInDialog(title: string): HTMLElement {
  const c = state.checkIn;
  const byNumber = el('form', { class: 'checkin-form', id: 'checkin-number' }, [
    ...checkInField('booking-number', t('counter.bookingNumber'), 'number'),
    el('button', { type: 'submit', class: 'primary' }, [t('counter.checkIn')]),
  ]);
  byNumber.addEventListener('submit', (e) => {
    e.preventDefault();
    void checkInBooking(c.number);
  });
  const byName = el('form', { class: 'checkin-form', id: 'checkin-search' }, [
    el('h3', {}, [t('counter.findByName')]),
    ...checkInField('booking-name', t('counter.name'), 'name'),
    ...checkInField('booking-time', t('counter.bookedTime'), 'time', 'time'),
    el('button', { type: 'submit' }, [t('counter.find')]),
  ]);
  byName.addEventListener('submit', (e) => {
    e.preventDefault();
    void findBookings();
  });
  const d = el('dialog', { open: true, class: 'card check-in', 'aria-modal': 'true', 'aria-label': title }, [el('h2', {}, [title])]);
  if (c.done !== null) {
    d.append(
      el('section', { class: 'checked-in', role: 'status', 'data-testid': 'checked-in' }, [
        el('p', { class: 'big' }, [t('counter.checkedIn', { number: c.done.ticket.number, name: c.done.name })]),
        el('p', {}, [`${c.done.serviceName} · ${t('counter.booked', { time: c.done.bookedTime })}`]),
        el('h3', {}, [t('counter.verify')]),
        verifyView(c.done),
      ]),
    );
  }
  d.append(byNumber, byName);
  if (c.found !== null) {
    const results = el('ol', { class: 'candidates', 'data-testid': 'candidates' });
    if (c.found.length === 0) d.append(el('p', { class: 'muted' }, [t('counter.noMatch')]));
    c.found.forEach((b, i) => {
      results.append(
        el('li', { 'data-booking': b.number }, [
          el('p', {}, [t('counter.bookingAt', { service: b.serviceName, time: b.time, number: b.number })]),
          verifyView(b),
          button(t('counter.checkIn'), String(i + 1), () => void checkInBooking(b.number), { disabled: state.busy }),
        ]),
      );
    });
    if (c.found.length > 0) d.append(results);
  }
  d.append(el('p', { role: 'alert', class: 'msg error' }, [c.error]));
  d.append(button(t('ui.cancel'), 'Esc', () => ((state.dialog = null), render())));
  return d;
}

function dialogView(): HTMLElement | null {
  if (state.dialog === null) return null;
  if (state.dialog === 'check-in') return checkInDialog(t('counter.checkInTitle'));
  const titles = {
    transfer: () => t('counter.transferTo', { number: state.ticket?.number ?? '' }),
    reception: () => t('counter.issueFor'),
    'print-where': () => t('counter.printWhere', { service: serviceName(state.receptionServiceId ?? '') }),
    reprint: () => t('counter.reprintWhere', { number: state.ticket?.number ?? '' }),
  };
  const title = titles[state.dialog]();
  const d = el('dialog', { open: true, class: 'card', 'aria-modal': 'true', 'aria-label': title }, [el('h2', {}, [title])]);
  dialogChoices().forEach((c, i) => d.append(button(c.label, String(i + 1), c.run)));
  d.append(button(t('ui.cancel'), 'Esc', () => ((state.dialog = null), render())));
  return d;
}

function render(): void {
  if (state.me === null) return;
  const parts: HTMLElement[] = [header()];
  const warnings = printerWarnings();
  if (warnings !== null) parts.push(warnings);
  if (state.counterId === null || mine() === undefined) parts.push(pickerView());
  else parts.push(el('main', { class: 'work' }, [currentView(), queueView()]));
  const dialog = dialogView();
  if (dialog !== null) parts.push(dialog);
  // A field being typed in keeps its focus and caret (events arrive while the clerk types).
  replaceKeepingFocus(app, parts);
  document.title = `${mine() === undefined ? t('counter.title') : t('counter.counterN', { number: mine()!.counter.number })} — Fronta`;
}

// Waiting times tick without re-rendering (keeps focus and the clerk's place).
setInterval(() => {
  for (const node of app.querySelectorAll<HTMLElement>('[data-since]')) {
    node.textContent = t(node.dataset['label'] ?? 'ui.minutes', { count: minutesSince(Number(node.dataset['since'])) });
  }
}, 15_000);

async function boot(): Promise<void> {
  await initI18n();
  let me = await whoAmI();
  if (me === null) me = await loginForm(app, `Fronta — ${t('counter.title')}`);
  state.me = me;
  await loadOffice();
  render();
  connect();
}

boot().catch((e: unknown) => {
  if (e instanceof ApiFailure && e.status === 0) offline.hidden = false;
  showError(e);
});

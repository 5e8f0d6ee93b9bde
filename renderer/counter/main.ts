import { z } from 'zod';
import { CounterStateResponse, IssuedTicketResponse, QueueSnapshot, ServicesResponse, TicketView } from '../../contracts/api.ts';
import type { LoggedEvent } from '../../contracts/screens.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { currentLang, el, languagePicker, t } from '../shared/i18n.ts';
import { loginForm, logout, whoAmI, type MeT } from '../shared/login.ts';
import { connectRealtime, type FrontaSocket } from '../shared/realtime.ts';
import { onDomainEvents } from '../../contracts/socket.ts';
import '../shared/base.css';
import './counter.css';

type Ticket = z.infer<typeof TicketView>;
type Service = z.infer<typeof ServicesResponse>['services'][number];
type CounterEntry = z.infer<typeof QueueSnapshot>['counters'][number];

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
  dialog: null as null | 'transfer' | 'reception',
  busy: false,
  /** Kiosk printers as last reported (printer:changed), to warn the clerk. */
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
  const [services, queue] = await Promise.all([
    api('GET', `/offices/${me.officeId}/services`, ServicesResponse),
    api('GET', `/offices/${me.officeId}/queue`, QueueSnapshot),
  ]);
  state.services = services.services;
  state.loads = new Map(services.services.map((s) => [s.id, { waiting: s.waiting, oldestArrivedAt: s.oldestArrivedAt }]));
  state.counters = queue.counters;
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
      state.printers.set(e.payload.deviceId, {
        name: e.payload.deviceName,
        state: e.payload.state,
        isOutOfOrder: e.payload.isOutOfOrder,
        isPaperNearEnd: e.payload.isPaperNearEnd,
      });
      break;
    case 'ticket:issued':
    case 'ticket:called':
    case 'ticket:reprinted':
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  render();
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

async function issueFor(serviceId: string): Promise<void> {
  state.dialog = null;
  try {
    const r = await api('POST', `/counters/${state.counterId ?? ''}/tickets`, IssuedTicketResponse, { serviceId });
    say(t('counter.issued', { number: r.ticket.number, service: serviceName(serviceId), ahead: r.ahead }));
  } catch (e) {
    showError(e);
  }
  render();
}

interface Action {
  key: string;
  label: string;
  run: () => void;
  enabled: () => boolean;
  primary?: boolean;
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
    { key: 'i', label: t('counter.issueFor'), run: () => openDialog('reception'), enabled: () => true },
  ];
}

function openDialog(which: 'transfer' | 'reception'): void {
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
    return state.services.filter((s) => s.isOpen).map((s) => ({ label: `${s.prefix} · ${s.name}`, run: () => void issueFor(s.id) }));
  }
  return [];
}

// ---------------------------------------------------------------- keyboard

document.addEventListener('keydown', (e) => {
  if (e.ctrlKey || e.altKey || e.metaKey) return;
  const target = e.target as HTMLElement | null;
  const typing = target !== null && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
  if (typing) return;
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
  if (state.counterId === null) {
    if (/^[1-9]$/.test(key)) {
      const entry = state.counters[Number(key) - 1];
      if (entry !== undefined && (entry.counter.userId === null || entry.counter.userId === state.me.id)) void openCounter(entry.counter.id);
      e.preventDefault();
    }
    return;
  }
  const a = actions().find((x) => x.key === key);
  if (a !== undefined && a.enabled() && !state.busy) {
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
        el('span', { 'data-since': String(tk.arrivedAt), 'data-label': 'counter.waited' }, [t('counter.waited', { count: minutesSince(tk.arrivedAt) })]),
        ...(tk.recallCount > 0 ? [el('span', {}, [t('counter.recalls', { count: tk.recallCount })])] : []),
      ]),
    );
  }
  const grid = el('div', { class: 'actions' });
  for (const a of actions()) grid.append(button(a.label, a.key, a.run, { disabled: !a.enabled() || state.busy, primary: a.primary === true, id: `act-${a.key}` }));
  box.append(grid, message());
  return box;
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
    .map((p) => el('p', {}, [p.isOutOfOrder ? t('counter.printerDown', { name: p.name, state: p.state }) : t('counter.printerLow', { name: p.name })]));
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
  return el('aside', { class: 'side card' }, [table, parked]);
}

function dialogView(): HTMLElement | null {
  if (state.dialog === null) return null;
  const title = state.dialog === 'transfer' ? t('counter.transferTo', { number: state.ticket?.number ?? '' }) : t('counter.issueFor');
  const d = el('dialog', { open: true, class: 'card', 'aria-modal': 'true', 'aria-label': title }, [el('h2', {}, [title])]);
  dialogChoices().forEach((c, i) => d.append(button(c.label, String(i + 1), c.run)));
  d.append(button(t('ui.cancel'), 'Esc', () => ((state.dialog = null), render())));
  return d;
}

function render(): void {
  if (state.me === null) return;
  const focusedId = document.activeElement?.id;
  const parts: HTMLElement[] = [header()];
  const warnings = printerWarnings();
  if (warnings !== null) parts.push(warnings);
  if (state.counterId === null || mine() === undefined) parts.push(pickerView());
  else parts.push(el('main', { class: 'work' }, [currentView(), queueView()]));
  const dialog = dialogView();
  if (dialog !== null) parts.push(dialog);
  app.replaceChildren(...parts);
  document.title = `${mine() === undefined ? t('counter.title') : t('counter.counterN', { number: mine()!.counter.number })} — Fronta`;
  if (focusedId) document.getElementById(focusedId)?.focus();
}

// Waiting times tick without re-rendering (keeps focus and the clerk's place).
setInterval(() => {
  for (const node of app.querySelectorAll<HTMLElement>('[data-since]')) {
    node.textContent = t(node.dataset['label'] ?? 'ui.minutes', { count: minutesSince(Number(node.dataset['since'])) });
  }
}, 15_000);

async function boot(): Promise<void> {
  document.documentElement.lang = currentLang();
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

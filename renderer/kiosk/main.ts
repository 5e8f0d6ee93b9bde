// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import type { z } from 'zod';
import { IssuedTicketResponse, ServicesResponse } from '../../contracts/api.ts';
import { CheckInResponse } from '../../contracts/check-in.ts';
import { KioskInfoResponse, type KioskBridge, type KioskInfoResponseT, type KioskVoiceStep, type LoggedEvent, type PrinterInfoT } from '../../contracts/kiosk.ts';
import { PairResponse } from '../../contracts/screens.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { currentLang, el, isLang, LANG_NAMES, setLang, t, type Lang } from '../shared/i18n.ts';
import { connectRealtime, type FrontaSocket } from '../shared/realtime.ts';
import { onDomainEvents } from '../../contracts/socket.ts';
import '../shared/base.css';
import './kiosk.css';

/**
 * The lobby kiosk. Everything shown is re-read from the host on load and after every reconnect
 * (so a host restart heals by itself); between those, socket.io events keep waiting counts,
 * closures and the printer state live. The kiosk is a paired device: its token lives in an
 * HttpOnly cookie, never in the page. After 30 s without a touch it returns to the first screen
 * in the office's default language.
 */

type Service = z.infer<typeof ServicesResponse>['services'][number];
type Screen =
  | { kind: 'home' }
  | { kind: 'priority' }
  | { kind: 'services'; categoryId: string | null }
  | { kind: 'booking'; code: string; message: string; offerWalkIn?: boolean }
  | { kind: 'printing' }
  | { kind: 'issued'; number: string; ahead: number; estimatedWaitMin: number | null; bookedTime?: string }
  | { kind: 'failed'; message: string };

const IDLE_MS = 30_000;
const ISSUED_SHOW_MS = 12_000;
const BOOKING_CODE_LENGTH = 8;

const state = {
  info: null as KioskInfoResponseT | null,
  services: [] as Service[],
  departments: [] as { id: string; name: string }[],
  lastEventId: 0,
  screen: { kind: 'home' } as Screen,
  isAccessible: false,
  isOnline: true,
};

const app = document.getElementById('app')!;
const offline = document.getElementById('offline')!;
let socket: FrontaSocket | null = null;
let idleTimer: number | undefined;
let screenTimer: number | undefined;
let reloadTimer: number | undefined;

const bridge = (window as unknown as { frontaKiosk?: KioskBridge }).frontaKiosk;
const defaultLang = (): Lang => {
  const first = state.info?.office.languages[0];
  return isLang(first) ? first : 'en';
};
const officeLangs = (): Lang[] => (state.info?.office.languages ?? ['cs', 'ro', 'zh-CN', 'en']).filter(isLang);
const printer = (): PrinterInfoT | null => state.info?.printer ?? null;
const isOutOfOrder = (): boolean => printer()?.isOutOfOrder === true;
const serviceName = (s: Service): string => s.names[currentLang()] ?? s.name;

// ---------------------------------------------------------------- host data

async function loadAll(): Promise<void> {
  state.info = await api('GET', '/kiosk', KioskInfoResponse);
  const services = await api('GET', `/offices/${encodeURIComponent(state.info.office.id)}/services`, ServicesResponse);
  state.services = services.services;
  state.departments = services.departments;
  state.lastEventId = Math.max(state.lastEventId, services.lastEventId);
}

/** Several events in a burst (a busy morning) collapse into one refetch. */
function reloadSoon(): void {
  window.clearTimeout(reloadTimer);
  reloadTimer = window.setTimeout(() => {
    loadAll().then(render, () => undefined);
  }, 300);
}

function applyEvent(e: LoggedEvent): void {
  if (e.id <= state.lastEventId) return;
  state.lastEventId = e.id;
  switch (e.type) {
    case 'queue:changed':
      for (const l of e.payload.services) {
        const s = state.services.find((x) => x.id === l.serviceId);
        if (s !== undefined) {
          s.waiting = l.waiting;
          s.estimatedWaitMin = l.estimatedWaitMin;
        }
      }
      break;
    case 'service:closed': {
      const s = state.services.find((x) => x.id === e.payload.serviceId);
      if (s !== undefined) s.isOpen = false;
      break;
    }
    case 'printer:changed':
      if (state.info !== null && e.payload.deviceId === state.info.device.id && state.info.printer !== null) {
        const wasOut = state.info.printer.isOutOfOrder;
        state.info.printer = { state: e.payload.state, isPaperNearEnd: e.payload.isPaperNearEnd, isOutOfOrder: e.payload.isOutOfOrder };
        if (!wasOut && e.payload.isOutOfOrder) speak('outOfOrder');
      }
      break;
    case 'ticket:issued':
    case 'ticket:changed':
      // Walk-in tickets left today changed (a void gives one back).
      reloadSoon();
      break;
    case 'ticket:called':
    case 'counter:changed':
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

function connect(): void {
  socket?.disconnect();
  const s = connectRealtime(() => state.lastEventId);
  socket = s;
  onDomainEvents(s, applyEvent, ['queue:changed', 'service:closed', 'printer:changed', 'ticket:issued', 'ticket:changed']);
  s.on('connect', () => {
    // After a host restart the truth (printer, capacity) is re-read, not patched.
    state.isOnline = true;
    offline.hidden = true;
    loadAll().then(render, () => undefined);
  });
  s.on('disconnect', () => {
    state.isOnline = false;
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
  });
  s.on('connect_error', (err) => {
    if (err.message === 'AUTH_TOKEN_INVALID') {
      s.disconnect();
      renderPairing();
    }
  });
}

// ---------------------------------------------------------------- speech (accessibility mode)

let audio: HTMLAudioElement | null = null;

function speak(step: KioskVoiceStep, number?: string): void {
  if (!state.isAccessible) return;
  const q = new URLSearchParams({ lang: currentLang(), step });
  if (number !== undefined) q.set('number', number);
  audio?.pause();
  audio = new Audio(`/api/v1/kiosk/voice?${q.toString()}`);
  audio.play().catch(() => undefined);
}

// ---------------------------------------------------------------- actions

function go(screen: Screen): void {
  window.clearTimeout(screenTimer);
  state.screen = screen;
  render();
}

/** A booked client checks in with the code from the keypad (or a scanner typing like a keyboard). */
async function checkIn(code: string, walkIn: boolean): Promise<void> {
  go({ kind: 'printing' });
  try {
    const r = await api('POST', '/kiosk/check-in', CheckInResponse, { code, walkIn });
    go({
      kind: 'issued',
      number: r.ticket.number,
      ahead: r.ahead,
      estimatedWaitMin: r.estimatedWaitMin,
      ...(r.walkIn ? {} : { bookedTime: r.bookedTime }),
    });
    speak('issued', r.ticket.number);
    screenTimer = window.setTimeout(() => go({ kind: 'home' }), ISSUED_SHOW_MS);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof ApiFailure && err.code.startsWith('PRINT')) {
      go({ kind: 'failed', message });
      speak('failed');
      screenTimer = window.setTimeout(() => go({ kind: 'home' }), ISSUED_SHOW_MS);
      return;
    }
    // Too early, lapsed, unknown, used, locked: said on the keypad screen in the client's language.
    const late = err instanceof ApiFailure && err.code === 'BOOKING_LATE_WALK_IN';
    go({ kind: 'booking', code: late ? code : '', message, offerWalkIn: late });
  }
}

/** A USB scanner (or a keyboard) types the code: digits, Backspace, Enter. */
function onBookingKey(e: KeyboardEvent): void {
  const s = state.screen;
  if (s.kind !== 'booking') return;
  if (/^[0-9]$/.test(e.key)) go({ kind: 'booking', code: (s.code + e.key).slice(0, BOOKING_CODE_LENGTH), message: '' });
  else if (e.key === 'Backspace') go({ kind: 'booking', code: s.code.slice(0, -1), message: '' });
  else if (e.key === 'Enter' && s.code.length === BOOKING_CODE_LENGTH) void checkIn(s.code, false);
  else return;
  e.preventDefault();
}

async function issue(serviceId: string, categoryId: string | null): Promise<void> {
  go({ kind: 'printing' });
  try {
    const r = await api('POST', '/tickets', IssuedTicketResponse, { serviceId, categoryId });
    go({ kind: 'issued', number: r.ticket.number, ahead: r.ahead, estimatedWaitMin: r.estimatedWaitMin });
    speak('issued', r.ticket.number);
    screenTimer = window.setTimeout(() => go({ kind: 'home' }), ISSUED_SHOW_MS);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    go({ kind: 'failed', message });
    if (err instanceof ApiFailure && err.code.startsWith('PRINT')) speak('failed');
    screenTimer = window.setTimeout(() => go({ kind: 'home' }), ISSUED_SHOW_MS);
    await loadAll().catch(() => undefined);
    render();
  }
}

function resetToStart(): void {
  state.isAccessible = false;
  if (currentLang() !== defaultLang()) setLang(defaultLang());
  go({ kind: 'home' });
  reloadSoon();
}

function touched(): void {
  window.clearTimeout(idleTimer);
  idleTimer = window.setTimeout(() => {
    if (state.screen.kind !== 'home' || currentLang() !== defaultLang() || state.isAccessible) resetToStart();
  }, IDLE_MS);
}

// ---------------------------------------------------------------- rendering

function button(label: (Node | string)[], onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function header(): HTMLElement {
  const langs = officeLangs().map((l) =>
    button([LANG_NAMES[l]], () => {
      setLang(l);
      void loadAll().then(render, render);
      render();
    }, { class: 'lang-button', lang: l, 'aria-pressed': String(l === currentLang()) }),
  );
  return el('header', { class: 'kiosk-head' }, [
    el('h1', {}, [state.info?.office.name ?? 'Fronta']),
    el('nav', { class: 'langs', 'aria-label': t('ui.language') }, langs),
  ]);
}

function waitText(s: Service): string {
  const waiting = t('kiosk.waiting', { count: s.waiting });
  const wait = s.estimatedWaitMin === null ? t('kiosk.waitUnknown') : t('kiosk.wait', { count: s.estimatedWaitMin });
  return `${waiting} · ${wait}`;
}

function serviceTiles(categoryId: string | null): HTMLElement {
  const officeClosed = state.services.length > 0 && state.services.every((s) => !s.isOpen);
  if (officeClosed) return el('p', { class: 'notice big', role: 'status' }, [t('kiosk.officeClosed')]);
  const groups = state.departments.map((d) => {
    const tiles = state.services
      .filter((s) => s.departmentId === d.id)
      .map((s) => {
        if (!s.isOpen || s.walkInRemaining <= 0) {
          // Not a tile: nothing to press, and the reason in the client's language.
          return el('div', { class: 'tile unavailable', 'data-service': s.id, role: 'note' }, [
            el('span', { class: 'name' }, [serviceName(s)]),
            el('span', { class: 'why' }, [!s.isOpen ? t('kiosk.closedToday') : t('kiosk.capacityReached')]),
          ]);
        }
        return button(
          [el('span', { class: 'prefix', 'aria-hidden': 'true' }, [s.prefix]), el('span', { class: 'name' }, [serviceName(s)]), el('span', { class: 'load' }, [waitText(s)])],
          () => void issue(s.id, categoryId),
          { class: 'tile', 'data-service': s.id },
        );
      });
    return el('section', { class: 'department' }, [el('h2', {}, [d.name]), el('div', { class: 'tiles' }, tiles)]);
  });
  return el('div', { class: 'departments' }, groups);
}

function homeScreen(): HTMLElement[] {
  const categories = state.info?.office.priorityCategories ?? [];
  const extras = el('div', { class: 'extras' }, [
    button([t('kiosk.haveBooking')], () => {
      go({ kind: 'booking', code: '', message: '' });
      speak('booking');
    }, { class: 'secondary', 'data-action': 'booking' }),
    ...(categories.length > 0
      ? [button([t('kiosk.priority')], () => {
          go({ kind: 'priority' });
          speak('priority');
        }, { class: 'secondary', 'data-action': 'priority' })]
      : []),
    button([state.isAccessible ? t('kiosk.accessibilityOn') : t('kiosk.accessibility')], () => {
      state.isAccessible = !state.isAccessible;
      render();
      speak('welcome');
    }, { class: 'secondary', 'data-action': 'accessibility', 'aria-pressed': String(state.isAccessible) }),
  ]);
  return [el('p', { class: 'prompt' }, [t('kiosk.chooseService')]), serviceTiles(null), extras];
}

function priorityScreen(): HTMLElement[] {
  const categories = state.info?.office.priorityCategories ?? [];
  return [
    el('p', { class: 'prompt' }, [t('kiosk.priorityTitle')]),
    el(
      'div',
      { class: 'tiles' },
      categories.map((c) =>
        button([c.names[currentLang()] ?? c.names[defaultLang()] ?? c.id], () => go({ kind: 'services', categoryId: c.id }), { class: 'tile category', 'data-category': c.id }),
      ),
    ),
    el('p', { class: 'hint' }, [t('kiosk.priorityHint')]),
    el('div', { class: 'extras' }, [
      button([t('kiosk.priorityNone')], () => go({ kind: 'home' }), { class: 'secondary' }),
      button([t('kiosk.back')], () => go({ kind: 'home' }), { class: 'secondary' }),
    ]),
  ];
}

function servicesScreen(categoryId: string | null): HTMLElement[] {
  const c = state.info?.office.priorityCategories.find((x) => x.id === categoryId);
  return [
    el('p', { class: 'prompt' }, [`${t('kiosk.priority')}: ${c?.names[currentLang()] ?? c?.id ?? ''} — ${t('kiosk.chooseService')}`]),
    serviceTiles(categoryId),
    el('div', { class: 'extras' }, [button([t('kiosk.back')], () => go({ kind: 'home' }), { class: 'secondary' })]),
  ];
}

function bookingScreen(code: string, message: string, offerWalkIn: boolean): HTMLElement[] {
  const set = (next: string): void => go({ kind: 'booking', code: next.slice(0, BOOKING_CODE_LENGTH), message: '' });
  // The code as it stands now, not as it stood when these keys were drawn: a re-render between
  // two quick taps must not lose a digit.
  const now = (): string => (state.screen.kind === 'booking' ? state.screen.code : code);
  const keys = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((d) => button([d], () => set(now() + d), { class: 'key', 'data-key': d }));
  return [
    el('p', { class: 'prompt' }, [t('kiosk.bookingTitle')]),
    el('output', { class: 'code', 'aria-live': 'polite', 'data-testid': 'booking-code' }, [code === '' ? '\u00a0' : code]),
    el('div', { class: 'keypad', role: 'group', 'aria-label': t('kiosk.bookingTitle') }, [
      ...keys,
      button([t('kiosk.delete')], () => set(now().slice(0, -1)), { class: 'key wide', 'data-key': 'delete' }),
      button(['0'], () => set(now() + '0'), { class: 'key', 'data-key': '0' }),
      button([t('kiosk.confirm')], () => void checkIn(now(), false), { class: 'key wide primary', 'data-key': 'confirm', disabled: code.length !== BOOKING_CODE_LENGTH }),
    ]),
    el('p', { class: 'notice', role: 'status', 'data-testid': 'booking-message' }, [message]),
    el('div', { class: 'extras' }, [
      ...(offerWalkIn ? [button([t('kiosk.takeWalkIn')], () => void checkIn(code, true), { class: 'primary', 'data-action': 'walk-in' })] : []),
      button([t('kiosk.back')], () => go({ kind: 'home' }), { class: 'secondary' }),
    ]),
  ];
}

function issuedScreen(s: Extract<Screen, { kind: 'issued' }>): HTMLElement[] {
  return [
    el('div', { class: 'issued', role: 'status', 'aria-live': 'assertive' }, [
      el('p', { class: 'label' }, [t('kiosk.yourNumber')]),
      el('p', { class: 'number', 'data-testid': 'ticket-number' }, [s.number]),
      el('p', { class: 'take' }, [t('kiosk.takeTicket')]),
      el('p', { class: 'load' }, [
        s.bookedTime !== undefined
          ? t('kiosk.bookedAt', { time: s.bookedTime })
          : t('kiosk.ahead', { count: s.ahead }) + ' · ' + (s.estimatedWaitMin === null ? t('kiosk.waitUnknown') : t('kiosk.wait', { count: s.estimatedWaitMin })),
      ]),
    ]),
    el('div', { class: 'extras' }, [button([t('kiosk.done')], () => go({ kind: 'home' }), { class: 'primary' })]),
  ];
}

function outOfOrderScreen(): HTMLElement[] {
  return [
    el('div', { class: 'out-of-order', role: 'alert', 'data-testid': 'out-of-order' }, [
      el('p', { class: 'big' }, [t('kiosk.outOfOrderTitle')]),
      el('p', {}, [t('kiosk.outOfOrderText')]),
    ]),
  ];
}

function render(): void {
  if (state.info === null) return;
  document.documentElement.lang = currentLang();
  document.body.classList.toggle('accessible', state.isAccessible);
  const s = state.screen;
  let body: HTMLElement[];
  if (isOutOfOrder() && s.kind !== 'issued' && s.kind !== 'failed') {
    body = outOfOrderScreen();
  } else {
    switch (s.kind) {
      case 'home':
        body = homeScreen();
        break;
      case 'priority':
        body = priorityScreen();
        break;
      case 'services':
        body = servicesScreen(s.categoryId);
        break;
      case 'booking':
        body = bookingScreen(s.code, s.message, s.offerWalkIn === true);
        break;
      case 'printing':
        body = [el('p', { class: 'notice big', role: 'status' }, [t('kiosk.printing')])];
        break;
      case 'issued':
        body = issuedScreen(s);
        break;
      case 'failed':
        body = [
          el('p', { class: 'notice big error', role: 'alert', 'data-testid': 'kiosk-error' }, [s.message]),
          el('div', { class: 'extras' }, [button([t('kiosk.back')], () => go({ kind: 'home' }), { class: 'primary' })]),
        ];
        break;
      default: {
        const never: never = s;
        return never;
      }
    }
  }
  app.replaceChildren(header(), el('main', { class: `kiosk screen-${isOutOfOrder() ? 'out-of-order' : s.kind}` }, body));
}

// ---------------------------------------------------------------- pairing

function renderPairing(message = ''): void {
  const input = el('input', { id: 'token', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' }) as HTMLInputElement;
  const status = el('p', { role: 'alert', class: 'error' }, [message]);
  const form = el('form', { class: 'login card pairing' }, [
    el('h1', {}, [t('kiosk.pairTitle')]),
    el('p', {}, [t('kiosk.pairIntro')]),
    el('label', { for: 'token' }, [t('kiosk.token')]),
    input,
    el('button', { type: 'submit', class: 'primary' }, [t('kiosk.pair')]),
    status,
  ]) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void pair(input.value.trim()).catch((err: unknown) => {
      status.textContent = err instanceof Error ? err.message : String(err);
    });
  });
  app.replaceChildren(form);
  input.focus();
}

async function pair(token: string): Promise<void> {
  const r = await api('POST', '/devices/pair', PairResponse, undefined, { authorization: `Bearer ${token}` });
  if (r.device.kind !== 'kiosk') {
    await fetch('/api/v1/devices/unpair', { method: 'POST' });
    throw new Error(t('kiosk.notKiosk'));
  }
  await start();
}

async function start(): Promise<void> {
  await loadAll();
  setLang(defaultLang());
  render();
  connect();
}

async function boot(): Promise<void> {
  for (const type of ['pointerdown', 'keydown'] as const) document.addEventListener(type, touched, { capture: true, passive: true });
  document.addEventListener('keydown', onBookingKey);
  touched();
  try {
    await start();
  } catch (err) {
    if (err instanceof ApiFailure && (err.status === 401 || err.status === 403)) {
      const handed = bridge === undefined ? null : await bridge.pairingToken().catch(() => null);
      if (handed !== null && handed !== '') {
        await pair(handed).catch((e: unknown) => renderPairing(e instanceof Error ? e.message : String(e)));
        return;
      }
      renderPairing();
      return;
    }
    // The host is not there (yet): try again, as after a power cut the kiosk may boot first.
    offline.textContent = err instanceof Error ? err.message : String(err);
    offline.hidden = false;
    window.setTimeout(() => void boot(), 3000);
  }
}

void boot();

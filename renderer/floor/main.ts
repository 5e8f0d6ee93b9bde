// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import type { z } from 'zod';
import { BookingSettingsResponse } from '../../contracts/booking-settings.ts';
import { FloorSnapshot, ServiceClosedResponse, type FloorSnapshotT, type LoggedEvent } from '../../contracts/screens.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { replaceKeepingFocus } from '../shared/focus.ts';
import { currentLang, initI18n, t } from '../shared/i18n.ts';
import { el, languagePickerElement as languagePicker } from '../shared/legacy-dom.ts';
import { loginForm, logout, whoAmI, type MeT } from '../shared/login.ts';
import { connectRealtime } from '../shared/realtime.ts';
import { onDomainEvents } from '../../contracts/socket.ts';
import '../shared/base.css';
import './floor.css';

/**
 * The supervisor's floor view: every counter with its state, clerk and current ticket; the lines
 * with their waiting count and longest wait; kiosk printers; closing a service for the day; the
 * crisis switch of online booking (stop it with a message to the public, resume it).
 * The host is the truth: any event makes the page re-read the floor (at most a few times a second).
 */

const app = document.getElementById('app')!;
const offline = document.getElementById('offline')!;
let me: MeT | null = null;
let floor: FloorSnapshotT | null = null;
let lastEventId = 0;
let message = '';
/** The office's online-booking switches; null where the host offers no online booking. */
let booking: z.infer<typeof BookingSettingsResponse> | null = null;
/** What the supervisor is typing for the public: kept across the re-renders events cause. */
let draft: string | null = null;

const minutesSince = (at: number): number => Math.max(0, Math.floor((Date.now() - at) / 60_000));

async function load(): Promise<void> {
  floor = await api('GET', `/offices/${me!.officeId}/floor`, FloorSnapshot);
  lastEventId = Math.max(lastEventId, floor.lastEventId);
  booking = await api('GET', `/booking/offices/${me!.officeId}/settings`, BookingSettingsResponse).catch((e: unknown) => {
    // No online booking on this host: the route does not exist.
    if (e instanceof ApiFailure && e.status === 404) return null;
    throw e;
  });
  render();
}

async function setCrisis(on: boolean): Promise<void> {
  const text = (draft ?? '').trim();
  if (on && text === '') {
    message = t('floor.booking.messageNeeded');
    render();
    return;
  }
  if (on && !confirm(t('floor.booking.confirmStop'))) return;
  try {
    booking = await api('POST', `/booking/offices/${me!.officeId}/crisis`, BookingSettingsResponse, on ? { on, message: { [currentLang()]: text } } : { on });
    draft = null;
    message = '';
    render();
  } catch (e) {
    fail(e);
  }
}

/** The crisis switch: what the public sees now, and the one button that changes it. */
function bookingCard(): HTMLElement | null {
  if (booking === null) return null;
  const b = booking;
  const shown = b.suspendedMessage[currentLang()] ?? Object.values(b.suspendedMessage).find((v) => v !== undefined) ?? '';
  const last = b.history[0];
  const children: (HTMLElement | string)[] = [
    el('h2', {}, [t('floor.booking.title')]),
    el('p', { class: b.suspended ? 'state stopped' : 'state open', 'data-testid': 'booking-state' }, [t(b.suspended ? 'floor.booking.stopped' : 'floor.booking.open')]),
  ];
  if (b.suspended) {
    children.push(el('blockquote', {}, [shown]));
    const resume = el('button', { type: 'button', 'data-testid': 'booking-resume' }, [t('floor.booking.resume')]);
    resume.addEventListener('click', () => void setCrisis(false));
    children.push(resume);
  } else {
    const area = el('textarea', { id: 'crisis-message', rows: '3', maxlength: '500' }) as HTMLTextAreaElement;
    area.value = draft ?? shown;
    area.addEventListener('input', () => (draft = area.value));
    if (draft === null) draft = area.value;
    const stop = el('button', { type: 'button', class: 'danger', 'data-testid': 'booking-stop' }, [t('floor.booking.stop')]);
    stop.addEventListener('click', () => void setCrisis(true));
    children.push(el('label', { for: 'crisis-message' }, [t('floor.booking.message')]), area, stop);
  }
  if (last !== undefined) {
    const who = last.username ?? last.userId;
    children.push(el('p', { class: 'last' }, [t('floor.booking.lastChange', { who, at: new Date(last.at).toLocaleString(currentLang()) })]));
  }
  return el('section', { class: 'card booking' }, children);
}

let reloadTimer: ReturnType<typeof setTimeout> | null = null;
function reloadSoon(): void {
  if (reloadTimer !== null) return;
  reloadTimer = setTimeout(() => {
    reloadTimer = null;
    load().catch(fail);
  }, 250);
}

function fail(e: unknown): void {
  message = e instanceof Error ? e.message : String(e);
  render();
}

async function closeForDay(serviceId: string, name: string): Promise<void> {
  if (!confirm(t('floor.confirmClose', { service: name }))) return;
  try {
    await api('POST', `/offices/${me!.officeId}/services/${serviceId}/close-for-day`, ServiceClosedResponse);
    message = '';
    await load();
  } catch (e) {
    fail(e);
  }
}

function render(): void {
  if (me === null) return;
  const out = el('button', { type: 'button' }, [t('ui.signOut')]);
  out.addEventListener('click', () => void logout().then(() => location.reload()));
  const head = el('header', { class: 'top' }, [
    el('h1', {}, [t('floor.title')]),
    el('div', { class: 'who' }, [el('span', {}, [me.displayName]), languagePicker(() => void load().catch(fail)), out]),
  ]);
  if (floor === null) {
    app.replaceChildren(head, el('p', { role: 'alert', class: 'error' }, [message]));
    return;
  }
  const names = new Map(floor.services.map((s) => [s.id, s]));
  const counters = el('section', { class: 'card' }, [el('h2', {}, [t('floor.counters')])]);
  const grid = el('div', { class: 'counters' });
  for (const c of floor.counters) {
    const tk = c.ticket;
    grid.append(
      el('article', { class: `counter ${c.counter.status}`, 'data-counter': c.counter.id }, [
        el('div', { class: 'n' }, [t('counter.counterN', { number: c.counter.number })]),
        el('div', { class: 'status' }, [t(`floor.status.${c.counter.status}`)]),
        el('div', { class: 'clerk' }, [c.clerk?.displayName ?? t('ui.none')]),
        el('div', { class: 'ticket' }, [tk === null ? t('ui.none') : `${tk.number} · ${t(`counter.state.${tk.state}`)}`]),
        el('div', { class: 'svc' }, [c.counter.serviceIds.map((id) => names.get(id)?.prefix ?? id).join(' ')]),
      ]),
    );
  }
  counters.append(grid);

  const rows = floor.services.map((s) => {
    const btn = el('button', { type: 'button' }, [t('floor.closeForDay')]) as HTMLButtonElement;
    btn.addEventListener('click', () => void closeForDay(s.id, s.name));
    return el('tr', { class: s.closedForDay ? 'closed' : undefined, 'data-service': s.id }, [
      el('th', { scope: 'row' }, [`${s.prefix} · ${s.name}`]),
      el('td', { class: 'num waiting' }, [String(s.waiting)]),
      el('td', { class: 'num' }, [s.oldestArrivedAt === null ? t('ui.none') : t('ui.minutes', { count: minutesSince(s.oldestArrivedAt) })]),
      el('td', { class: 'num' }, [s.estimatedWaitMin === null ? t('ui.none') : t('ui.minutes', { count: s.estimatedWaitMin })]),
      el('td', {}, [s.closedForDay ? el('strong', {}, [t('floor.closedToday')]) : btn]),
    ]);
  });
  const services = el('section', { class: 'card' }, [
    el('h2', {}, [t('floor.services')]),
    el('table', {}, [
      el('thead', {}, [
        el('tr', {}, [
          el('th', {}, [t('floor.services')]),
          el('th', {}, [t('floor.waiting')]),
          el('th', {}, [t('floor.longestWait')]),
          el('th', {}, [t('floor.estimatedWait')]),
          el('th', {}, ['']),
        ]),
      ]),
      el('tbody', {}, rows),
    ]),
  ]);
  const printers = el('section', { class: 'card' }, [
    el('h2', {}, [t('floor.printers')]),
    el('ul', {}, floor.kiosks.map((k) => el('li', {}, [`${k.name}: ${k.printer === null ? t('floor.noReport') : t(`printerState.${k.printer}`)}`]))),
  ]);
  const card = bookingCard();
  // A re-render must not take the caret from a supervisor typing the public message.
  replaceKeepingFocus(app, [
    head,
    el('main', { class: 'floor' }, [counters, services, ...(card === null ? [] : [card]), printers, el('p', { role: 'alert', class: 'error' }, [message])]),
  ]);
}

async function boot(): Promise<void> {
  await initI18n();
  me = (await whoAmI()) ?? (await loginForm(app, `Fronta — ${t('floor.title')}`));
  if (me.role === 'clerk') {
    app.replaceChildren(el('p', { role: 'alert', class: 'error' }, [t('floor.notSupervisor')]));
    return;
  }
  await load();
  const socket = connectRealtime(() => lastEventId);
  const on = (e: LoggedEvent): void => {
    lastEventId = Math.max(lastEventId, e.id);
    reloadSoon();
  };
  onDomainEvents(socket, on);
  socket.on('disconnect', () => {
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
  });
  socket.on('sync:done', () => {
    offline.hidden = true;
    reloadSoon();
  });
  setInterval(render, 30_000);
}

boot().catch(fail);

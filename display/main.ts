// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../contracts/jitless.ts';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import { QueueSnapshot, ServicesResponse } from '../contracts/api.ts';
import { PairResponse, type LoggedEvent } from '../contracts/screens.ts';
import { DISPLAY_EVENT_TYPES, onDomainEvents, type ClientToServer, type ServerToClient, type SocketAuth } from '../contracts/socket.ts';
import cs from '../locales/cs.json';
import en from '../locales/en.json';
import ro from '../locales/ro.json';
import zhCN from '../locales/zh-CN.json';
import { Announcer, type Announcement } from './announcer.ts';
import './display.css';

/**
 * The hall display: the newest call large, the eight before it below, waiting counts, a clock.
 * It never misses a call: it keeps the id of the last event it applied (also across reloads)
 * and every (re)connection asks the host for everything after it. Calls younger than 60 s are
 * announced, one by one, in order; older ones caught up after an outage are only listed.
 */

const CATALOGUES: Record<string, unknown> = { cs, en, ro, 'zh-CN': zhCN };
const LANGS = ['cs', 'ro', 'zh-CN', 'en'];
const ANNOUNCE_MAX_AGE_MS = 60_000;
const HISTORY = 9; // the newest + the last 8
const params = new URLSearchParams(location.search);

let uiLang = 'en';
function t(key: string, vars: Record<string, string | number> = {}): string {
  const find = (lang: string): string | undefined => {
    let node: unknown = CATALOGUES[lang];
    for (const part of key.split('.')) node = (node as Record<string, unknown> | undefined)?.[part];
    return typeof node === 'string' ? node : undefined;
  };
  const text = find(uiLang) ?? find('en') ?? key;
  return text.replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(vars[k] ?? ''));
}

interface Call {
  eventId: number;
  number: string;
  counter: string;
  recall: boolean;
  at: number;
}

interface Saved {
  officeId: string;
  lastEventId: number;
  calls: Call[];
}

const STORAGE_KEY = 'fronta.display';
const app = document.getElementById('app')!;
const offline = document.getElementById('offline')!;
const soundBanner = document.getElementById('sound')!;
const announcedLog = document.getElementById('announced')!;

const state = {
  officeId: '',
  officeName: '',
  lastEventId: 0,
  calls: [] as Call[],
  services: [] as z.infer<typeof ServicesResponse>['services'],
  closed: new Set<string>(),
  /** Host clock minus ours, from the Date header: "younger than 60 s" is judged on the host's clock. */
  skewMs: 0,
  announcing: null as number | null,
};

const Me = z.object({ device: z.object({ id: z.string(), kind: z.string(), name: z.string(), officeId: z.string() }) });
const Offices = z.object({ offices: z.array(z.object({ id: z.string(), name: z.string(), languages: z.array(z.string()) })) });

async function getJson<S extends z.ZodType>(path: string, schema: S, init: RequestInit = {}): Promise<{ status: number; body: z.infer<S> | null; date: string | null }> {
  const res = await fetch(`/api/v1${path}`, { credentials: 'same-origin', ...init, headers: { 'accept-language': uiLang, ...(init.headers ?? {}) } });
  const json: unknown = await res.json().catch(() => null);
  const parsed = res.ok ? schema.safeParse(json) : null;
  return { status: res.status, body: parsed?.success === true ? parsed.data : null, date: res.headers.get('date') };
}

function save(): void {
  const saved: Saved = { officeId: state.officeId, lastEventId: state.lastEventId, calls: state.calls };
  localStorage.setItem(STORAGE_KEY, JSON.stringify(saved));
}

function restore(officeId: string): Saved | null {
  try {
    const s = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Saved | null;
    return s !== null && s.officeId === officeId && Number.isSafeInteger(s.lastEventId) && Array.isArray(s.calls) ? s : null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------- pairing

function showPairing(message = ''): void {
  const input = document.createElement('input');
  input.id = 'token';
  input.autocomplete = 'off';
  input.spellcheck = false;
  const status = document.createElement('p');
  status.className = 'error';
  status.setAttribute('role', 'alert');
  status.textContent = message;
  const form = document.createElement('form');
  form.className = 'pair';
  const h = document.createElement('h1');
  h.textContent = t('display.pairTitle');
  const intro = document.createElement('p');
  intro.textContent = t('display.pairIntro');
  const label = document.createElement('label');
  label.htmlFor = 'token';
  label.textContent = t('display.token');
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = t('display.pair');
  form.append(h, intro, label, input, button, status);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    // The tap that pairs is also the user gesture that unlocks audio on browsers without the autoplay flag.
    void new AudioContext().resume();
    void getJson('/devices/pair', PairResponse, { method: 'POST', headers: { authorization: `Bearer ${input.value.trim()}` } }).then(
      (r) => {
        if (r.body === null || r.body.device.kind !== 'display') status.textContent = t('errors.AUTH_TOKEN_INVALID');
        else location.reload();
      },
      () => (status.textContent = t('ui.connectionLost')),
    );
  });
  app.replaceChildren(form);
  input.focus();
}

// ---------------------------------------------------------------- rendering

function el(tag: string, cls: string, text = ''): HTMLElement {
  const n = document.createElement(tag);
  if (cls !== '') n.className = cls;
  if (text !== '') n.textContent = text;
  return n;
}

function render(): void {
  const [now, ...rest] = state.calls;
  const root = el('div', 'screen');

  const head = el('header', 'head');
  head.append(el('div', 'office', state.officeName), el('time', 'clock'));
  root.append(head);

  const big = el('section', 'now');
  if (now === undefined) big.append(el('p', 'empty', t('display.noCalls')));
  else {
    big.classList.toggle('flash', state.announcing === now.eventId);
    const labels = el('div', 'labels');
    labels.append(el('span', '', t('display.ticket')), el('span', '', t('display.counter')));
    const row = el('div', 'call');
    row.append(el('span', 'number', now.number), el('span', 'arrow', '→'), el('span', 'counter', now.counter));
    row.id = 'now-call';
    if (now.number.length + now.counter.length > 6) row.classList.add('long');
    big.append(labels, row);
    if (now.recall) big.append(el('div', 'recall', '↻ ' + t('display.recall')));
  }
  root.append(big);

  const history = el('section', 'history');
  history.append(el('h2', '', t('display.lastCalls')));
  const list = el('ol', '');
  list.id = 'last-calls';
  for (const c of rest.slice(0, HISTORY - 1)) {
    const li = el('li', c.recall ? 'recall' : '');
    if (state.announcing === c.eventId) li.classList.add('flash');
    li.append(el('span', 'number', c.number), el('span', 'arrow', '→'), el('span', 'counter', c.counter));
    if (c.recall) li.append(el('span', 'tag', '↻'));
    li.title = c.recall ? t('display.recall') : '';
    list.append(li);
  }
  history.append(list);
  root.append(history);

  const waiting = el('section', 'waiting');
  waiting.append(el('h2', '', t('display.waiting')));
  const ul = el('ul', '');
  for (const s of state.services) {
    const li = el('li', state.closed.has(s.id) ? 'closed' : '');
    li.append(el('span', 'prefix', s.prefix), el('span', 'name', s.name), el('span', 'count', state.closed.has(s.id) ? t('display.closedToday') : String(s.waiting)));
    ul.append(li);
  }
  waiting.append(ul);
  root.append(waiting);

  app.replaceChildren(root);
  tick();
}

function tick(): void {
  const clock = app.querySelector('.clock');
  if (clock === null) return;
  const d = new Date(Date.now() + state.skewMs);
  clock.textContent = d.toLocaleTimeString(uiLang, { hour: '2-digit', minute: '2-digit' });
}
setInterval(tick, 5_000);

// ---------------------------------------------------------------- events

let announcer: Announcer | null = null;

function applyEvent(e: LoggedEvent): void {
  if (e.id <= state.lastEventId) return; // already applied (a replay overlapping what we had)
  state.lastEventId = e.id;
  switch (e.type) {
    case 'ticket:called': {
      const call: Call = { eventId: e.id, number: e.payload.ticket.number, counter: e.payload.counterNumber, recall: e.payload.recall, at: e.at };
      state.calls = [call, ...state.calls].slice(0, HISTORY);
      if (Date.now() + state.skewMs - e.at < ANNOUNCE_MAX_AGE_MS) announcer?.enqueue(call satisfies Announcement);
      break;
    }
    case 'queue:changed':
      for (const l of e.payload.services) {
        const s = state.services.find((x) => x.id === l.serviceId);
        if (s !== undefined) s.waiting = l.waiting;
      }
      break;
    case 'service:closed':
      state.closed.add(e.payload.serviceId);
      break;
    case 'ticket:issued':
    case 'ticket:changed':
    case 'counter:changed':
    case 'printer:changed':
    case 'ticket:reprinted':
    case 'booking:settings-changed':
      break;
    default: {
      const never: never = e;
      return never;
    }
  }
  save();
  render();
}

function connect(): void {
  const socket: Socket<ServerToClient, ClientToServer> = io({
    path: '/socket.io',
    withCredentials: true,
    reconnectionDelay: 500,
    reconnectionDelayMax: 3000,
    // A function: each reconnect sends the id of the last event applied, so the host replays the gap.
    auth: (cb: (auth: SocketAuth) => void) => cb({ lastEventId: state.lastEventId }),
  });
  onDomainEvents(socket, applyEvent, DISPLAY_EVENT_TYPES);
  const lost = (): void => {
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
  };
  socket.on('disconnect', lost);
  socket.on('connect_error', (err) => {
    lost();
    if (err.message === 'AUTH_TOKEN_INVALID') {
      socket.disconnect();
      showPairing(t('errors.AUTH_TOKEN_INVALID'));
    }
  });
  socket.on('sync:done', () => {
    offline.hidden = true;
  });
}

// ---------------------------------------------------------------- start

async function start(officeId: string): Promise<void> {
  const offices = await getJson('/offices', Offices);
  const office = offices.body?.offices.find((o) => o.id === officeId);
  const officeLangs = office?.languages.filter((l) => LANGS.includes(l)) ?? ['en'];
  const q = params.get('lang');
  uiLang = q !== null && LANGS.includes(q) ? q : (officeLangs[0] ?? 'en');
  document.documentElement.lang = uiLang;
  document.documentElement.classList.toggle('cjk', uiLang === 'zh-CN');
  state.officeId = officeId;
  state.officeName = office?.name ?? '';

  const voices = (params.get('voice') ?? '').split(',').filter((l) => LANGS.includes(l));
  const rate = Math.min(16, Math.max(0.5, Number(params.get('rate') ?? '1') || 1));
  announcer = new Announcer({
    languages: voices.length > 0 ? voices : officeLangs,
    rate,
    onStart: (a) => {
      state.announcing = a.eventId;
      render();
    },
    onDone: (a, how) => {
      if (state.announcing === a.eventId) state.announcing = null;
      const li = document.createElement('li');
      li.dataset['eventId'] = String(a.eventId);
      li.dataset['how'] = how;
      li.textContent = `${a.number} → ${a.counter}`;
      announcedLog.append(li);
      while (announcedLog.childElementCount > 100) announcedLog.firstElementChild?.remove();
      render();
    },
  });
  const unlock = (): void => {
    void announcer?.unlock().then(() => (soundBanner.hidden = announcer?.canPlay === true));
  };
  document.addEventListener('pointerdown', unlock);
  document.addEventListener('keydown', unlock);
  await announcer.unlock().catch(() => undefined);
  // Autoplay policy: without the flag (or a tap) the context stays suspended; say so on screen.
  setTimeout(() => {
    soundBanner.textContent = t('display.soundOff');
    soundBanner.hidden = announcer?.canPlay === true;
  }, 500);

  const services = await getJson(`/offices/${officeId}/services`, ServicesResponse);
  state.services = services.body?.services ?? [];
  for (const s of state.services) if (!s.isOpen) state.closed.add(s.id);

  const saved = restore(officeId);
  if (saved !== null) {
    state.lastEventId = saved.lastEventId;
    state.calls = saved.calls.slice(0, HISTORY);
  } else {
    // A new display starts from now; the tickets being called at this moment fill its list.
    const snap = await getJson(`/offices/${officeId}/queue`, QueueSnapshot);
    state.lastEventId = snap.body?.lastEventId ?? 0;
    state.calls = (snap.body?.counters ?? [])
      .filter((c) => c.ticket?.state === 'called')
      .map((c) => ({ eventId: 0, number: c.ticket!.number, counter: c.counter.number, recall: false, at: 0 }));
    save();
  }
  render();
  connect();
}

async function boot(): Promise<void> {
  uiLang = LANGS.includes(params.get('lang') ?? '') ? params.get('lang')! : (navigator.language.startsWith('cs') ? 'cs' : 'en');
  const me = await getJson('/auth/me', Me).catch(() => null);
  if (me === null) {
    offline.textContent = t('ui.connectionLost');
    offline.hidden = false;
    setTimeout(() => void boot(), 3000);
    return;
  }
  if (me.date !== null) state.skewMs = Date.parse(me.date) - Date.now();
  if (me.body === null || me.body.device.kind !== 'display') {
    showPairing();
    return;
  }
  offline.hidden = true;
  await start(me.body.device.officeId);
}

void boot();

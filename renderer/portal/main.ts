// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { renderSVG } from 'uqr';
import { z } from 'zod';
import {
  BookingServicesResponse,
  ConfirmPeekResponse,
  DaysResponse,
  HoldResponse,
  OwnBooking,
  SlotsResponse,
  StatusResponse,
  type OwnBookingT,
} from '../../contracts/booking.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { currentLang, el, languagePicker, t } from '../shared/i18n.ts';
import '../shared/base.css';
import './portal.css';

/**
 * The public booking portal, phone first. One page, several views chosen by the address:
 * `?confirm=<token>` (the e-mail link: shows what it confirms; only the button's POST consumes
 * the token), `?cancel=<token>` (the cancel link; POST), `?number=<n>` or `?view=lookup` (status
 * by booking number), `?view=privacy`, and otherwise the booking flow
 * service → day → time → contact → hold (countdown, extendable once) → confirmed.
 * The hold key lives in sessionStorage only, so a reload during the hold resumes it.
 */

type Services = z.infer<typeof BookingServicesResponse>;
type Service = Services['services'][number];
type Day = z.infer<typeof DaysResponse>['days'][number];
type Slot = z.infer<typeof SlotsResponse>['slots'][number];
type Status = z.infer<typeof StatusResponse>;
type Peek = z.infer<typeof ConfirmPeekResponse>;
type Field = 'name' | 'email' | 'phone' | 'identityKey' | 'code' | 'number';
interface Problem {
  field: Field | null;
  message: string;
}

type Screen =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'services' }
  | { kind: 'days'; service: Service; days: Day[] }
  | { kind: 'times'; service: Service; day: string; slots: Slot[] }
  | { kind: 'details'; service: Service; day: string; slot: Slot; problems: Problem[] }
  | { kind: 'hold'; holdKey: string; booking: OwnBookingT; problems: Problem[]; notice: string }
  | { kind: 'expired' }
  /** A rule cancelled the booking at confirmation (cancel-all of an identity key): the host's explanation. */
  | { kind: 'ruleCancelled'; message: string }
  | { kind: 'confirm'; token: string; peek: Peek; problems: Problem[] }
  | { kind: 'confirmed'; booking: OwnBookingT }
  | { kind: 'cancel'; token: string; result: Status | null; problems: Problem[] }
  | { kind: 'lookup'; number: string; result: Status | null; problems: Problem[] }
  | { kind: 'privacy' };

const HOLD_KEY = 'fronta.portal.hold';
const WARN_BEFORE_MS = 2 * 60_000;
const SLOTS_REFRESH_MS = 15_000;
const HOLD_POLL_MS = 10_000;

const params = new URLSearchParams(location.search);
const officeId = params.get('office') ?? localStorage.getItem('fronta.portal.office') ?? 'demo';
localStorage.setItem('fronta.portal.office', officeId);

const app = document.getElementById('app')!;
let services: Services | null = null;
let screen: Screen = { kind: 'loading' };
let ticker: number | undefined;
let poller: number | undefined;
let warned = false;
/** What the client typed: survives re-renders (language switch, errors). */
const draft = { name: '', email: '', phone: '', identityKey: '', channel: 'email' as 'email' | 'sms', code: '' };

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

// ---------------------------------------------------------------- formatting

function dayLabel(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Intl.DateTimeFormat(currentLang(), { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' }).format(Date.UTC(y, m - 1, d));
}

function left(ms: number): string {
  const s = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const linkTo = (query: Record<string, string>): string => '?' + new URLSearchParams({ office: officeId, ...query }).toString();

// ---------------------------------------------------------------- navigation

function go(next: Screen, focus = true): void {
  window.clearInterval(ticker);
  window.clearInterval(poller);
  screen = next;
  render(focus);
  if (next.kind === 'hold') startHoldTimers(next);
  if (next.kind === 'times') startSlotRefresh(next);
}

async function loadServices(): Promise<Services> {
  services = await api('GET', `/booking/offices/${encodeURIComponent(officeId)}/services`, BookingServicesResponse);
  return services;
}

async function chooseService(service: Service): Promise<void> {
  try {
    const r = await api('GET', `/booking/services/${encodeURIComponent(service.id)}/days`, DaysResponse);
    go({ kind: 'days', service, days: r.days });
  } catch (err) {
    go({ kind: 'failed', message: messageOf(err) });
  }
}

async function fetchSlots(service: Service, day: string): Promise<Slot[]> {
  const r = await api('GET', `/booking/services/${encodeURIComponent(service.id)}/days/${day}/slots`, SlotsResponse);
  return r.slots.filter((s) => s.free > 0 && s.startAt > Date.now());
}

async function chooseDay(service: Service, day: string): Promise<void> {
  try {
    go({ kind: 'times', service, day, slots: await fetchSlots(service, day) });
  } catch (err) {
    go({ kind: 'failed', message: messageOf(err) });
  }
}

/** Free times are re-read while the client looks at them; focus stays on the same time if it is still free. */
function startSlotRefresh(s: Extract<Screen, { kind: 'times' }>): void {
  ticker = window.setInterval(() => {
    fetchSlots(s.service, s.day).then(
      (slots) => {
        const cur = screen;
        if (cur.kind !== 'times' || cur.day !== s.day || cur.service.id !== s.service.id) return;
        if (JSON.stringify(slots) === JSON.stringify(cur.slots)) return;
        const focused = (document.activeElement as HTMLElement | null)?.dataset['slot'];
        cur.slots = slots;
        render(false);
        if (focused !== undefined) app.querySelector<HTMLElement>(`[data-slot="${CSS.escape(focused)}"]`)?.focus();
      },
      () => undefined,
    );
  }, SLOTS_REFRESH_MS);
}

// ---------------------------------------------------------------- the hold

function validateDetails(service: Service): Problem[] {
  const p: Problem[] = [];
  if (draft.name.trim() === '') p.push({ field: 'name', message: t('portal.err.name') });
  const email = draft.email.trim();
  const phone = draft.phone.trim();
  if (email !== '' && !/^[^\s@]+@[^\s@]+\.[^\s@]{2,}$/.test(email)) p.push({ field: 'email', message: t('portal.err.emailInvalid') });
  if (phone !== '' && !/^(\+|00)[1-9][\d\s().-]{7,20}$/.test(phone)) p.push({ field: 'phone', message: t('portal.err.phoneInvalid') });
  if (draft.channel === 'email' && email === '') p.push({ field: 'email', message: t('portal.err.emailRequired') });
  if (draft.channel === 'sms' && phone === '') p.push({ field: 'phone', message: t('portal.err.phoneRequired') });
  if (!service.policy.confirmBy.includes(draft.channel)) p.push({ field: null, message: t('errors.CONFIRM_CHANNEL_UNAVAILABLE') });
  const key = service.policy.identityKey;
  if (key?.required === true && draft.identityKey.trim() === '') p.push({ field: 'identityKey', message: t('portal.err.identityKey', { label: key.label }) });
  // A roster service matches document number, name and the phone on file.
  if (service.roster && key?.required !== true && draft.identityKey.trim() === '') p.push({ field: 'identityKey', message: t('portal.err.documentNumber') });
  if (service.roster && phone === '') p.push({ field: 'phone', message: t('portal.err.rosterPhone') });
  return p;
}

function problemOf(err: unknown): Problem {
  if (err instanceof ApiFailure) {
    if (err.code === 'CONTACT_INVALID') return { field: /phone/i.test(err.message) ? 'phone' : 'email', message: err.message };
    if (err.code === 'CODE_WRONG' || err.code === 'CODE_EXPIRED' || err.code === 'CODE_LOCKED') return { field: 'code', message: err.message };
    if (err.code === 'BOOKING_NOT_FOUND' || err.code === 'VALIDATION_FAILED') return { field: null, message: err.message };
    if (err.code === 'IDENTITY_KEY_REQUIRED' || err.code === 'IDENTITY_KEY_HAS_BOOKING') return { field: 'identityKey', message: err.message };
    const rosterField: Partial<Record<string, Field>> = {
      ROSTER_DOCUMENT_REQUIRED: 'identityKey',
      ROSTER_NOT_LISTED: 'identityKey',
      ELIGIBILITY_IDENTITY_REQUIRED: 'identityKey',
      ROSTER_NAME_MISMATCH: 'name',
      ROSTER_PHONE_MISMATCH: 'phone',
    };
    const field = rosterField[err.code];
    if (field !== undefined) return { field, message: err.message };
  }
  return { field: null, message: messageOf(err) };
}

async function requestHold(s: Extract<Screen, { kind: 'details' }>): Promise<void> {
  const problems = validateDetails(s.service);
  if (problems.length > 0) return go({ ...s, problems });
  try {
    const r = await api('POST', '/booking/holds', HoldResponse, {
      slotId: s.slot.id,
      name: draft.name.trim(),
      email: draft.email.trim() === '' ? null : draft.email.trim(),
      phone: draft.phone.trim() === '' ? null : draft.phone.trim(),
      channel: draft.channel,
      identityKey: draft.identityKey.trim() === '' ? null : draft.identityKey.trim(),
    });
    sessionStorage.setItem(HOLD_KEY, r.holdKey);
    warned = false;
    draft.code = '';
    go({ kind: 'hold', holdKey: r.holdKey, booking: r.booking, problems: [], notice: '' });
  } catch (err) {
    if (err instanceof ApiFailure && (err.code === 'SLOT_TAKEN' || err.code === 'DAY_SOLD_OUT')) {
      const slots = await fetchSlots(s.service, s.day).catch(() => []);
      go({ kind: 'times', service: s.service, day: s.day, slots });
      announce(err.message);
      return;
    }
    go({ ...s, problems: [problemOf(err)] });
  }
}

function afterHold(s: Extract<Screen, { kind: 'hold' }>, booking: OwnBookingT, extra: Partial<Extract<Screen, { kind: 'hold' }>> = {}): void {
  if (booking.state === 'confirmed' || booking.state === 'checked_in' || booking.state === 'done') {
    sessionStorage.removeItem(HOLD_KEY);
    return go({ kind: 'confirmed', booking });
  }
  if (booking.state !== 'held') {
    sessionStorage.removeItem(HOLD_KEY);
    return go({ kind: 'expired' });
  }
  go({ ...s, booking, problems: [], notice: '', ...extra });
}

async function holdAction(s: Extract<Screen, { kind: 'hold' }>, action: 'extend' | 'release' | 'code' | 'resend'): Promise<void> {
  const path = `/booking/holds/${s.holdKey}/${action}`;
  try {
    if (action === 'resend') {
      await api('POST', path, z.unknown());
      return go({ ...s, problems: [], notice: t('portal.hold.resent') });
    }
    const body = action === 'code' ? { code: draft.code.trim() } : undefined;
    if (action === 'code' && !/^\d{6}$/.test(draft.code.trim())) return go({ ...s, problems: [{ field: 'code', message: t('portal.err.code') }] });
    const b = await api('POST', path, OwnBooking, body);
    if (action === 'release') {
      sessionStorage.removeItem(HOLD_KEY);
      return go({ kind: 'services' });
    }
    if (action === 'extend') warned = false;
    afterHold(s, b, action === 'extend' ? { notice: t('portal.hold.extended') } : {});
  } catch (err) {
    if (err instanceof ApiFailure && (err.code === 'HOLD_EXPIRED' || err.code === 'HOLD_NOT_FOUND')) {
      sessionStorage.removeItem(HOLD_KEY);
      return go({ kind: 'expired' });
    }
    if (err instanceof ApiFailure && err.code === 'IDENTITY_BOOKINGS_CANCELLED') {
      sessionStorage.removeItem(HOLD_KEY);
      return go({ kind: 'ruleCancelled', message: err.message });
    }
    if (err instanceof ApiFailure && err.code === 'HOLD_NOT_HELD') {
      const b = await api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).catch(() => null);
      if (b !== null) return afterHold(s, b);
    }
    go({ ...s, problems: [problemOf(err)], notice: '' });
  }
}

/** The countdown ticks in place (no re-render: typing is never disturbed); the host is asked whether the link was used elsewhere. */
function startHoldTimers(s: Extract<Screen, { kind: 'hold' }>): void {
  const tick = (): void => {
    const expiresAt = s.booking.holdExpiresAt ?? 0;
    const ms = expiresAt - Date.now();
    const out = document.getElementById('countdown');
    if (out !== null) out.textContent = left(ms);
    if (ms <= 0) {
      sessionStorage.removeItem(HOLD_KEY);
      go({ kind: 'expired' });
      return;
    }
    if (ms <= WARN_BEFORE_MS && !warned) {
      warned = true;
      const w = document.getElementById('hold-warning');
      if (w !== null) {
        w.hidden = false;
        w.textContent = s.booking.canExtend ? t('portal.hold.warnExtend', { minutes: 2 }) : t('portal.hold.warn', { minutes: 2 });
      }
    }
  };
  tick();
  ticker = window.setInterval(tick, 1000);
  poller = window.setInterval(() => {
    api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).then(
      (b) => {
        if (screen === s && b.state !== 'held') afterHold(s, b);
      },
      () => undefined,
    );
  }, HOLD_POLL_MS);
}

// ---------------------------------------------------------------- rendering helpers

function button(label: (Node | string)[], onClick: () => void, attrs: Record<string, string | boolean | undefined> = {}): HTMLElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

function heading(text: string): HTMLElement {
  return el('h1', { tabindex: '-1', id: 'title' }, [text]);
}

/** The error summary: a list of links to the fields, announced and focused. */
function errorSummary(problems: Problem[]): HTMLElement | null {
  if (problems.length === 0) return null;
  const items = problems.map((p) => el('li', {}, [p.field === null ? p.message : el('a', { href: `#${p.field}` }, [p.message])]));
  const box = el('div', { class: 'error-summary', role: 'alert', tabindex: '-1', id: 'error-summary', 'aria-labelledby': 'error-summary-title' }, [
    el('h2', { id: 'error-summary-title' }, [t('portal.err.title')]),
    el('ul', {}, items),
  ]);
  box.addEventListener('click', (e) => {
    const a = (e.target as HTMLElement).closest('a');
    if (a === null) return;
    e.preventDefault();
    document.getElementById(a.getAttribute('href')!.slice(1))?.focus();
  });
  return box;
}

function input(
  field: Field,
  label: string,
  attrs: Record<string, string | boolean | undefined>,
  problems: Problem[],
  value: string,
  onInput: (v: string) => void,
  hint?: string,
): HTMLElement {
  const problem = problems.find((p) => p.field === field);
  const described = [hint === undefined ? null : `${field}-hint`, problem === undefined ? null : `${field}-error`].filter((x) => x !== null).join(' ');
  const box = el('input', { id: field, name: field, ...attrs, 'aria-invalid': problem === undefined ? undefined : 'true', 'aria-describedby': described === '' ? undefined : described }) as HTMLInputElement;
  box.value = value;
  box.addEventListener('input', () => onInput(box.value));
  return el('div', { class: 'field' }, [
    el('label', { for: field }, [label]),
    ...(hint === undefined ? [] : [el('p', { class: 'hint', id: `${field}-hint` }, [hint])]),
    ...(problem === undefined ? [] : [el('p', { class: 'field-error', id: `${field}-error` }, [problem.message])]),
    box,
  ]);
}

function summary(rows: [string, string][]): HTMLElement {
  return el('dl', { class: 'summary' }, rows.flatMap(([k, v]) => [el('dt', {}, [k]), el('dd', {}, [v])]));
}

const stateLabel = (state: string): string => t(`portal.state.${state}`);

function live(): HTMLElement {
  return document.getElementById('live') ?? el('p', { id: 'live', class: 'sr-only', role: 'status' });
}

function announce(text: string): void {
  const l = document.getElementById('live');
  if (l !== null) l.textContent = text;
}

// ---------------------------------------------------------------- views

function servicesView(): HTMLElement[] {
  const s = services;
  if (s === null) return [heading(t('portal.title'))];
  if (s.suspended) return [heading(t('portal.title')), el('p', { class: 'warn', role: 'alert' }, [t('portal.suspended'), ' ', s.suspendedMessage])];
  const list = s.services.map((x) =>
    el('li', {}, [button([el('span', { class: 'title' }, [x.name]), el('span', { class: 'sub' }, [x.department])], () => void chooseService(x), { class: 'choice', 'data-service': x.id })]),
  );
  return [
    heading(t('portal.chooseService')),
    el('p', { class: 'lead' }, [t('portal.intro', { office: s.officeName })]),
    s.services.length === 0 ? el('p', {}, [t('portal.noServices')]) : el('ul', { class: 'choices' }, list),
  ];
}

function backButton(label: string, to: () => void): HTMLElement {
  return el('div', { class: 'actions' }, [button([label], to, { class: 'back' })]);
}

function daysView(s: Extract<Screen, { kind: 'days' }>): HTMLElement[] {
  const open = s.days.filter((d) => d.status === 'open' && d.free > 0);
  const next = s.days.find((d) => d.status === 'not-yet' && d.opensAt !== null);
  const list = open.map((d) =>
    el('li', {}, [
      button([el('span', { class: 'title' }, [dayLabel(d.day)]), el('span', { class: 'sub' }, [t('portal.freePlaces', { count: d.free })])], () => void chooseDay(s.service, d.day), {
        class: 'choice',
        'data-day': d.day,
      }),
    ]),
  );
  return [
    heading(t('portal.chooseDay')),
    el('p', { class: 'lead' }, [s.service.name]),
    open.length === 0 ? el('p', { role: 'status' }, [t('portal.noDays')]) : el('ul', { class: 'choices' }, list),
    ...(next?.opensAt != null ? [el('p', { class: 'notice' }, [t('portal.opensAt', { day: dayLabel(next.day), time: new Date(next.opensAt).toLocaleString(currentLang()) })])] : []),
    backButton(t('portal.back'), () => go({ kind: 'services' })),
  ];
}

function timesView(s: Extract<Screen, { kind: 'times' }>): HTMLElement[] {
  const list = s.slots.map((x) =>
    el('li', {}, [
      button([el('span', { class: 'title' }, [x.time]), el('span', { class: 'sub' }, [t('portal.freePlaces', { count: x.free })])], () => go({ kind: 'details', service: s.service, day: s.day, slot: x, problems: [] }), {
        class: 'choice',
        'data-slot': x.id,
      }),
    ]),
  );
  return [
    heading(t('portal.chooseTime')),
    el('p', { class: 'lead' }, [`${s.service.name} · ${dayLabel(s.day)}`]),
    el('p', { class: 'hint' }, [t('portal.liveHint')]),
    s.slots.length === 0 ? el('p', { role: 'status' }, [t('portal.noTimes')]) : el('ul', { class: 'choices grid' }, list),
    backButton(t('portal.back'), () => void chooseService(s.service)),
  ];
}

function detailsView(s: Extract<Screen, { kind: 'details' }>): HTMLElement[] {
  const by = s.service.policy.confirmBy;
  if (!by.includes(draft.channel)) draft.channel = by[0] ?? 'email';
  const radios = by.map((c) => {
    const r = el('input', { type: 'radio', name: 'channel', id: `channel-${c}`, value: c, checked: draft.channel === c }) as HTMLInputElement;
    r.addEventListener('change', () => {
      if (r.checked) draft.channel = c;
    });
    return el('div', { class: 'radio' }, [r, el('label', { for: `channel-${c}` }, [t(`portal.channel.${c}`)])]);
  });
  const form = el('form', { class: 'details card', novalidate: true }, [
    input('name', t('portal.field.name'), { autocomplete: 'name', required: true, maxlength: '120' }, s.problems, draft.name, (v) => (draft.name = v), t('portal.field.nameHint')),
    ...identityKeyField(s.service, s.problems),
    input('email', t('portal.field.email'), { type: 'email', autocomplete: 'email', maxlength: '254', inputmode: 'email' }, s.problems, draft.email, (v) => (draft.email = v)),
    input('phone', t('portal.field.phone'), { type: 'tel', autocomplete: 'tel', maxlength: '32' }, s.problems, draft.phone, (v) => (draft.phone = v), t('portal.field.phoneHint')),
    el('fieldset', {}, [el('legend', {}, [t('portal.field.confirmBy')]), ...radios]),
    el('p', { class: 'hint' }, [t('portal.privacyShort'), ' ', el('a', { href: linkTo({ view: 'privacy' }) }, [t('portal.privacyLink')])]),
    el('div', { class: 'actions' }, [el('button', { type: 'submit', class: 'primary' }, [t('portal.hold.submit')])]),
  ]) as HTMLFormElement;
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void requestHold(s);
  });
  const summaryBox = errorSummary(s.problems);
  return [
    heading(t('portal.yourDetails')),
    ...(summaryBox === null ? [] : [summaryBox]),
    el('section', { class: 'card', 'aria-labelledby': 'chosen' }, [
      el('h2', { id: 'chosen' }, [t('portal.chosen')]),
      summary([
        [t('portal.service'), s.service.name],
        [t('portal.when'), `${dayLabel(s.day)} ${s.slot.time}`],
      ]),
    ]),
    form,
    backButton(t('portal.otherTime'), () => void chooseDay(s.service, s.day)),
  ];
}

/** The service's identity key (chassis serial, passport holder), when it asks for one, under its own label. */
function identityKeyField(service: Service, problems: Problem[]): HTMLElement[] {
  const key = service.policy.identityKey;
  // A roster service asks for the document number on its roster (sent as the identity key).
  if (key === null && !service.roster) return [];
  const label = service.roster ? t('portal.field.documentNumber') : key === null || key.label === '' ? t('portal.field.identityKey') : key.label;
  return [
    input(
      'identityKey',
      label,
      { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', required: service.roster || key?.required === true, maxlength: '64' },
      problems,
      draft.identityKey,
      (v) => (draft.identityKey = v),
      service.roster ? t('portal.field.documentNumberHint') : t('portal.field.identityKeyHint', { label }),
    ),
  ];
}

function holdView(s: Extract<Screen, { kind: 'hold' }>): HTMLElement[] {
  const b = s.booking;
  const expires = b.holdExpiresAt === null ? '' : new Date(b.holdExpiresAt).toLocaleTimeString(currentLang(), { hour: '2-digit', minute: '2-digit' });
  const confirmPart: HTMLElement[] = [];
  if (b.channel === 'email') {
    confirmPart.push(el('p', { class: 'notice' }, [t('portal.hold.emailSent')]));
  } else {
    const form = el('form', { class: 'details', novalidate: true }, [
      input(
        'code',
        t('portal.hold.codeLabel'),
        { autocomplete: 'one-time-code', inputmode: 'numeric', pattern: '[0-9]*', maxlength: '6', class: 'otp', required: true },
        s.problems,
        draft.code,
        (v) => (draft.code = v),
        t('portal.hold.smsSent'),
      ),
      el('div', { class: 'actions' }, [
        el('button', { type: 'submit', class: 'primary' }, [t('portal.hold.confirmCode')]),
        button([t('portal.hold.resend')], () => void holdAction(s, 'resend'), {}),
      ]),
    ]);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void holdAction(s, 'code');
    });
    confirmPart.push(form);
  }
  const summaryBox = errorSummary(s.problems.filter((p) => p.field === null || b.channel === 'sms'));
  return [
    heading(t('portal.hold.title')),
    ...(summaryBox === null ? [] : [summaryBox]),
    el('section', { class: 'card', 'aria-labelledby': 'held-title' }, [
      el('h2', { id: 'held-title' }, [t('portal.hold.heldFor')]),
      summary([
        [t('portal.service'), b.serviceName],
        [t('portal.office'), b.officeName],
        [t('portal.when'), `${dayLabel(b.day)} ${b.time}`],
      ]),
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'timer-title' }, [
      el('h2', { id: 'timer-title' }, [t('portal.hold.timeLeft', { time: expires })]),
      // Read out on demand, not every second: the live region below carries the warning.
      el('p', { class: 'countdown', id: 'countdown', 'aria-hidden': 'true' }, [b.holdExpiresAt === null ? '' : left(b.holdExpiresAt - Date.now())]),
      el('p', { class: 'warn', id: 'hold-warning', role: 'alert', hidden: !warned }, [
        warned ? (b.canExtend ? t('portal.hold.warnExtend', { minutes: 2 }) : t('portal.hold.warn', { minutes: 2 })) : '',
      ]),
      ...(s.notice === '' ? [] : [el('p', { class: 'notice', role: 'status' }, [s.notice])]),
      el('div', { class: 'actions' }, [
        ...(b.canExtend ? [button([t('portal.hold.extend')], () => void holdAction(s, 'extend'), { 'data-action': 'extend' })] : []),
        button([t('portal.hold.release')], () => void holdAction(s, 'release'), { 'data-action': 'release' }),
      ]),
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'confirm-title' }, [el('h2', { id: 'confirm-title' }, [t('portal.hold.howToConfirm')]), ...confirmPart]),
  ];
}

function qr(text: string, label: string): HTMLElement {
  const doc = new DOMParser().parseFromString(renderSVG(text, { border: 2 }), 'image/svg+xml');
  const svg = doc.documentElement;
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  return el('div', { class: 'qr', role: 'img', 'aria-label': label }, [document.importNode(svg, true)]);
}

function confirmedView(b: OwnBookingT): HTMLElement[] {
  const number = b.number ?? '';
  const code = b.kioskCode ?? '';
  return [
    heading(t('portal.confirmed.title')),
    el('p', { class: 'lead', role: 'status' }, [t('portal.confirmed.lead')]),
    el('section', { class: 'card', 'aria-labelledby': 'code-title' }, [
      el('h2', { id: 'code-title' }, [t('portal.confirmed.kioskCode')]),
      el('p', { class: 'big-code', 'data-testid': 'kiosk-code' }, [code.replace(/(\d{4})(\d{4})/, '$1 $2')]),
      el('p', { class: 'hint' }, [t('portal.confirmed.kioskHint')]),
      qr(code, t('portal.confirmed.qrLabel', { code })),
    ]),
    el('section', { class: 'card', 'aria-labelledby': 'booking-title' }, [
      el('h2', { id: 'booking-title' }, [t('portal.confirmed.details')]),
      summary([
        [t('portal.number'), number],
        [t('portal.service'), b.serviceName],
        [t('portal.office'), b.officeName],
        [t('portal.when'), `${dayLabel(b.day)} ${b.time}`],
      ]),
    ]),
    el('span', { hidden: true, 'data-testid': 'booking-number' }, [number]),
    el('div', { class: 'actions' }, [
      el('a', { class: 'button', href: `/api/v1/booking/bookings/${encodeURIComponent(number)}/ics`, download: `booking-${number}.ics`, 'data-action': 'ics' }, [t('portal.confirmed.ics')]),
      el('a', { class: 'button', href: linkTo({ number }) }, [t('portal.confirmed.status')]),
    ]),
    el('p', { class: 'hint' }, [t('portal.confirmed.cancelHint')]),
  ];
}

function confirmView(s: Extract<Screen, { kind: 'confirm' }>): HTMLElement[] {
  const summaryBox = errorSummary(s.problems);
  if (s.peek.state !== 'valid') {
    return [heading(t('portal.confirm.title')), el('p', { class: 'warn', role: 'alert' }, [t(`portal.confirm.${s.peek.state}`)]), el('p', {}, [el('a', { href: linkTo({}) }, [t('portal.bookAgain')])])];
  }
  return [
    heading(t('portal.confirm.title')),
    ...(summaryBox === null ? [] : [summaryBox]),
    el('p', { class: 'lead' }, [t('portal.confirm.lead')]),
    el('section', { class: 'card' }, [
      summary([
        [t('portal.service'), s.peek.serviceName ?? ''],
        [t('portal.when'), s.peek.time ?? ''],
      ]),
    ]),
    el('div', { class: 'actions' }, [
      button([t('portal.confirm.button')], () => {
        api('POST', '/booking/confirm', OwnBooking, { token: s.token }).then(
          (b) => {
            history.replaceState(null, '', linkTo({}));
            go({ kind: 'confirmed', booking: b });
          },
          (err: unknown) =>
            err instanceof ApiFailure && err.code === 'IDENTITY_BOOKINGS_CANCELLED'
              ? go({ kind: 'ruleCancelled', message: err.message })
              : go({ ...s, problems: [problemOf(err)] }),
        );
      }, { class: 'primary', 'data-action': 'confirm' }),
    ]),
  ];
}

function cancelView(s: Extract<Screen, { kind: 'cancel' }>): HTMLElement[] {
  if (s.result !== null) {
    return [heading(t('portal.cancel.doneTitle')), el('p', { role: 'status', class: 'lead' }, [t('portal.cancel.done')]), statusCard(s.result), el('p', {}, [el('a', { href: linkTo({}) }, [t('portal.bookAgain')])])];
  }
  const summaryBox = errorSummary(s.problems);
  return [
    heading(t('portal.cancel.title')),
    ...(summaryBox === null ? [] : [summaryBox]),
    el('p', { class: 'lead' }, [t('portal.cancel.lead')]),
    el('div', { class: 'actions' }, [
      button([t('portal.cancel.button')], () => {
        api('POST', '/booking/cancel', StatusResponse, { token: s.token }).then(
          (r) => go({ ...s, result: r, problems: [] }),
          (err: unknown) => go({ ...s, problems: [problemOf(err)] }),
        );
      }, { class: 'primary', 'data-action': 'cancel' }),
      el('a', { class: 'button', href: linkTo({}) }, [t('portal.cancel.keep')]),
    ]),
  ];
}

function statusCard(r: Status): HTMLElement {
  return el('section', { class: 'card', 'aria-labelledby': 'status-title', 'data-testid': 'status' }, [
    el('h2', { id: 'status-title' }, [t('portal.lookup.booking', { number: r.number })]),
    el('p', {}, [el('span', { class: `state ${r.state}`, 'data-testid': 'state', 'data-state': r.state }, [stateLabel(r.state)])]),
    summary([
      [t('portal.service'), r.serviceName],
      [t('portal.office'), r.officeName],
      [t('portal.when'), `${dayLabel(r.day)} ${r.time}`],
    ]),
  ]);
}

async function lookup(number: string): Promise<void> {
  const n = number.trim();
  if (n === '') return go({ kind: 'lookup', number, result: null, problems: [{ field: 'number', message: t('portal.err.number') }] });
  try {
    const r = await api('GET', `/booking/bookings/${encodeURIComponent(n)}`, StatusResponse);
    go({ kind: 'lookup', number: n, result: r, problems: [] });
  } catch (err) {
    go({ kind: 'lookup', number: n, result: null, problems: [{ field: 'number', message: messageOf(err) }] });
  }
}

function lookupView(s: Extract<Screen, { kind: 'lookup' }>): HTMLElement[] {
  let value = s.number;
  const form = el('form', { class: 'details card', novalidate: true }, [
    input('number', t('portal.lookup.label'), { autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', maxlength: '20', required: true }, s.problems, value, (v) => (value = v), t('portal.lookup.hint')),
    el('div', { class: 'actions' }, [el('button', { type: 'submit', class: 'primary' }, [t('portal.lookup.submit')])]),
  ]);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void lookup(value);
  });
  const summaryBox = errorSummary(s.problems);
  return [heading(t('portal.lookup.title')), ...(summaryBox === null ? [] : [summaryBox]), form, ...(s.result === null ? [] : [statusCard(s.result)])];
}

function privacyView(): HTMLElement[] {
  return [
    heading(t('portal.privacy.title')),
    el('section', { class: 'card privacy' }, [
      el('h2', {}, [t('portal.privacy.whatTitle')]),
      el('p', {}, [t('portal.privacy.what')]),
      el('h2', {}, [t('portal.privacy.whyTitle')]),
      el('p', {}, [t('portal.privacy.why')]),
      el('h2', {}, [t('portal.privacy.howLongTitle')]),
      el('p', {}, [t('portal.privacy.howLong', { days: services?.retentionDays ?? 30 })]),
      el('h2', {}, [t('portal.privacy.rightsTitle')]),
      el('p', {}, [t('portal.privacy.rights')]),
    ]),
  ];
}

function header(): HTMLElement {
  const view = screen.kind === 'lookup' ? 'lookup' : screen.kind === 'privacy' ? 'privacy' : 'book';
  const link = (key: string, query: Record<string, string>, me: string): HTMLElement =>
    el('li', {}, [el('a', { href: linkTo(query), 'aria-current': view === me ? 'page' : undefined }, [t(key)])]);
  return el('header', { class: 'portal-head' }, [
    el('p', { class: 'brand' }, [services?.officeName ?? 'Fronta', ' · ', t('portal.brand')]),
    el('nav', { 'aria-label': t('portal.nav') }, [
      el('ul', {}, [link('portal.navBook', {}, 'book'), link('portal.navLookup', { view: 'lookup' }, 'lookup'), link('portal.navPrivacy', { view: 'privacy' }, 'privacy')]),
    ]),
    languagePicker(() => void onLanguage()),
  ]);
}

/** Names of services come from the host in the chosen language: re-read, then re-render in place. */
async function onLanguage(): Promise<void> {
  await loadServices().catch(() => null);
  const s = screen;
  if ('service' in s) {
    const fresh = services?.services.find((x) => x.id === s.service.id);
    if (fresh !== undefined) s.service = fresh;
  }
  if (s.kind === 'hold') {
    const b = await api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).catch(() => null);
    if (b !== null) s.booking = b;
  }
  render(false);
  if (s.kind === 'hold') {
    window.clearInterval(ticker);
    window.clearInterval(poller);
    startHoldTimers(s);
  }
  app.querySelector<HTMLElement>('.lang select')?.focus();
}

function render(focus: boolean): void {
  document.documentElement.lang = currentLang();
  document.title = `${t('portal.brand')} — ${services?.officeName ?? 'Fronta'}`;
  const s = screen;
  let body: HTMLElement[];
  switch (s.kind) {
    case 'loading':
      body = [heading(t('portal.title')), el('p', { role: 'status' }, [t('portal.loading')])];
      break;
    case 'failed':
      body = [heading(t('portal.title')), el('p', { class: 'warn', role: 'alert' }, [s.message]), el('p', {}, [el('a', { href: linkTo({}) }, [t('portal.bookAgain')])])];
      break;
    case 'services':
      body = servicesView();
      break;
    case 'days':
      body = daysView(s);
      break;
    case 'times':
      body = timesView(s);
      break;
    case 'details':
      body = detailsView(s);
      break;
    case 'hold':
      body = holdView(s);
      break;
    case 'expired':
      body = [heading(t('portal.expired.title')), el('p', { role: 'alert', class: 'warn' }, [t('errors.HOLD_EXPIRED')]), backButton(t('portal.bookAgain'), () => go({ kind: 'services' }))];
      break;
    case 'ruleCancelled':
      body = [heading(t('portal.ruleCancelled.title')), el('p', { role: 'alert', class: 'warn' }, [s.message]), backButton(t('portal.bookAgain'), () => go({ kind: 'services' }))];
      break;
    case 'confirm':
      body = confirmView(s);
      break;
    case 'confirmed':
      body = confirmedView(s.booking);
      break;
    case 'cancel':
      body = cancelView(s);
      break;
    case 'lookup':
      body = lookupView(s);
      break;
    case 'privacy':
      body = privacyView();
      break;
    default: {
      const never: never = s;
      return never;
    }
  }
  const liveRegion = live();
  app.replaceChildren(
    header(),
    el('main', { class: `portal view-${s.kind}`, 'data-view': s.kind }, body),
    el('footer', { class: 'portal-foot' }, [el('a', { href: linkTo({ view: 'privacy' }) }, [t('portal.privacyLink')])]),
    liveRegion,
  );
  if (!focus) return;
  const target = document.getElementById('error-summary') ?? document.getElementById('title');
  target?.focus();
}

// ---------------------------------------------------------------- start

async function boot(): Promise<void> {
  render(false);
  const confirmToken = params.get('confirm');
  const cancelToken = params.get('cancel');
  const number = params.get('number');
  const view = params.get('view');
  await loadServices().catch(() => null);
  try {
    if (confirmToken !== null) {
      const peek = await api('GET', `/booking/confirm/${encodeURIComponent(confirmToken)}`, ConfirmPeekResponse).catch((err: unknown) => {
        if (err instanceof ApiFailure && err.status >= 400 && err.status < 500) return { state: 'unknown' as const, serviceName: null, time: null };
        throw err;
      });
      return go({ kind: 'confirm', token: confirmToken, peek, problems: [] }, false);
    }
    if (cancelToken !== null) return go({ kind: 'cancel', token: cancelToken, result: null, problems: [] }, false);
    if (number !== null) return await lookup(number);
    if (view === 'lookup') return go({ kind: 'lookup', number: '', result: null, problems: [] }, false);
    if (view === 'privacy') return go({ kind: 'privacy' }, false);
    const holdKey = sessionStorage.getItem(HOLD_KEY);
    if (holdKey !== null) {
      const b = await api('GET', `/booking/holds/${holdKey}`, OwnBooking).catch(() => null);
      if (b?.state === 'held') return go({ kind: 'hold', holdKey, booking: b, problems: [], notice: '' }, false);
      sessionStorage.removeItem(HOLD_KEY);
    }
    if (services === null) await loadServices();
    go({ kind: 'services' }, false);
  } catch (err) {
    go({ kind: 'failed', message: messageOf(err) }, false);
  }
}

void boot();

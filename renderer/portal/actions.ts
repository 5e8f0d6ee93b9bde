import { z } from 'zod';
import { BookingServicesResponse, ConfirmPeekResponse, DaysResponse, HoldResponse, OwnBooking, SlotsResponse, StatusResponse, type OwnBookingT } from '../../contracts/booking.ts';
import { OrderView } from '../../contracts/fees.ts';
import { PublicOfficeResponse } from '../../contracts/office-public.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { currentLang, t } from '../shared/i18n.ts';
import { HOLD_KEY, portalQuery, type Peek, type Portal, type Screen, type ScreenOf, type Service, type Services, type Slot } from './state.ts';
import { startTimers } from './timers.ts';
import { problemOf, validateDetails } from './validate.ts';

/**
 * What the citizen's buttons do. Every request runs under `actions.run(name, …)`: while it is out
 * its button is inert and a second tap does nothing, so a double tap never holds twice nor
 * confirms twice.
 */

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
const enc = encodeURIComponent;

/** Shows another screen: its timers start, the focus moves to its heading (or its error summary). */
export function go(p: Portal, next: Screen, isFocusMoved = true): void {
  p.state.screen = next;
  p.state.announcement = '';
  startTimers(p, next, { go, afterHold, fetchSlots });
  p.update();
  if (!isFocusMoved) return;
  // Runs after the render `update()` queued: the kit's error summary has taken the focus by then.
  queueMicrotask(() => {
    if (document.querySelector('.error-summary') === null) document.getElementById('title')?.focus();
  });
}

/** Stays on the screen with new problems (the error summary takes the focus). */
function stay<S extends Screen>(p: Portal, s: S, change: Partial<S>): void {
  if (p.state.screen !== s) return;
  Object.assign(s, change);
  p.update();
}

const failed = (p: Portal) => (err: unknown) => go(p, { kind: 'failed', message: messageOf(err) });

/** The order's page, as the host has it. */
async function toOrder(p: Portal, orderNo: string): Promise<void> {
  await showOrder(p, orderNo, null).catch(failed(p));
}

/** The order's page in the address bar: a reload or Back returns here and asks the host again. */
function remember(p: Portal, orderNo: string, attempt: number | null): void {
  const q = portalQuery(p.state.officeId, { order: orderNo });
  if (attempt !== null) q.set('attempt', String(attempt));
  history.replaceState(null, '', `?${q.toString()}`);
}

/**
 * Shows an order. Coming back from the provider (`attempt`), the host first asks the provider how
 * that payment stands; either way the answer is the order as it is now.
 */
export async function showOrder(p: Portal, orderNo: string, attempt: number | null, isFocusMoved = true): Promise<void> {
  const order = attempt === null ? await api('GET', `/booking/fees/${enc(orderNo)}`, OrderView) : await api('GET', `/booking/fees/${enc(orderNo)}/return?attempt=${attempt}`, OrderView);
  const holdKey = sessionStorage.getItem(HOLD_KEY);
  const booking = holdKey === null ? null : await api('GET', `/booking/holds/${holdKey}`, OwnBooking).catch(() => null);
  remember(p, orderNo, attempt);
  go(p, { kind: 'pay', orderNo, order, holdKey, booking, timeZone: booking?.timeZone ?? p.state.services?.timeZone ?? null, problems: [] }, isFocusMoved);
}

/** The office's bookable services, and beside them what the footer and the privacy page show of the office (kept as it was when that fails). */
export async function loadServices(p: Portal): Promise<Services> {
  // Read side by side; the office's part arrives (and redraws) even when the services fail.
  const office = api('GET', `/offices/${enc(p.state.officeId)}/public`, PublicOfficeResponse).then(
    (o) => {
      p.state.office = o;
      p.update();
    },
    () => undefined,
  );
  const s = await api('GET', `/booking/offices/${enc(p.state.officeId)}/services`, BookingServicesResponse);
  p.state.services = s;
  await office;
  return s;
}

export function chooseService(p: Portal, service: Service): void {
  p.actions.run(
    `service:${service.id}`,
    async () => {
      const r = await api('GET', `/booking/services/${enc(service.id)}/days`, DaysResponse);
      go(p, { kind: 'days', service, days: r.days });
    },
    failed(p),
  );
}

export async function fetchSlots(service: Service, day: string): Promise<Slot[]> {
  const r = await api('GET', `/booking/services/${enc(service.id)}/days/${day}/slots`, SlotsResponse);
  return r.slots.filter((s) => s.free > 0 && s.startAt > Date.now());
}

export function chooseDay(p: Portal, service: Service, day: string, notice = ''): void {
  p.actions.run(
    `day:${day}`,
    async () => go(p, { kind: 'times', service, day, slots: await fetchSlots(service, day), part: null, notice }),
    failed(p),
  );
}

export function chooseTime(p: Portal, s: ScreenOf<'times'>, slot: Slot): void {
  go(p, { kind: 'details', service: s.service, day: s.day, slot, problems: [] });
}

const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());

/** "Book this time": one hold, however often it is tapped while the first request is out. */
export function requestHold(p: Portal, s: ScreenOf<'details'>): void {
  const c = p.state.contact;
  const problems = validateDetails(s.service, c);
  if (problems.length > 0) return stay(p, s, { problems });
  p.actions.run(
    'hold',
    async () => {
      const r = await api('POST', '/booking/holds', HoldResponse, {
        slotId: s.slot.id,
        name: c.name.trim(),
        email: orNull(c.email),
        phone: orNull(c.phone),
        channel: c.channel,
        identityKey: orNull(c.identityKey),
      });
      sessionStorage.setItem(HOLD_KEY, r.holdKey);
      c.code = '';
      go(p, { kind: 'hold', holdKey: r.holdKey, booking: r.booking, problems: [], notice: '' });
    },
    (err) => {
      // Taken meanwhile, or the hours changed under the page: back to the times of that day, saying why.
      if (err instanceof ApiFailure && ['SLOT_TAKEN', 'DAY_SOLD_OUT', 'SLOT_OUTSIDE_HOURS'].includes(err.code)) return chooseDay(p, s.service, s.day, err.message);
      stay(p, s, { problems: [problemOf(err, 'hold-submit')] });
    },
  );
}

const isStanding = (b: OwnBookingT): boolean => b.state === 'confirmed' || b.state === 'checked_in' || b.state === 'done';

/** The hold's booking as the host answered it: confirmed elsewhere, gone, or still held. */
export function afterHold(p: Portal, s: ScreenOf<'hold'>, booking: OwnBookingT, notice = ''): void {
  // A fee-paying booking's contact confirmed: its order's page (the hold key stays, for Pay).
  if (booking.state === 'awaiting_payment' && booking.order != null) return void toOrder(p, booking.order.orderNo);
  if (isStanding(booking)) {
    sessionStorage.removeItem(HOLD_KEY);
    return go(p, { kind: 'confirmed', booking });
  }
  if (booking.state !== 'held') {
    sessionStorage.removeItem(HOLD_KEY);
    return go(p, { kind: 'expired' });
  }
  stay(p, s, { booking, problems: [], notice });
}

type HoldAction = 'extend' | 'release' | 'code' | 'resend';

export function holdAction(p: Portal, s: ScreenOf<'hold'>, action: HoldAction): void {
  const code = p.state.contact.code.trim();
  if (action === 'code' && !/^\d{6}$/.test(code)) return stay(p, s, { problems: [{ fieldId: 'code', message: t('portal.err.code') }], notice: '' });
  const path = `/booking/holds/${s.holdKey}/${action}`;
  p.actions.run(
    action,
    async () => {
      if (action === 'resend') {
        await api('POST', path, z.unknown());
        return stay(p, s, { problems: [], notice: t('portal.hold.resent') });
      }
      const b = await api('POST', path, OwnBooking, action === 'code' ? { code } : undefined);
      if (action === 'release') {
        sessionStorage.removeItem(HOLD_KEY);
        return go(p, { kind: 'services' });
      }
      afterHold(p, s, b, action === 'extend' ? t('portal.hold.extended') : '');
    },
    (err) => void holdRefused(p, s, err, action),
  );
}

async function holdRefused(p: Portal, s: ScreenOf<'hold'>, err: unknown, action: HoldAction): Promise<void> {
  if (err instanceof ApiFailure && (err.code === 'HOLD_EXPIRED' || err.code === 'HOLD_NOT_FOUND')) {
    sessionStorage.removeItem(HOLD_KEY);
    return go(p, { kind: 'expired' });
  }
  if (err instanceof ApiFailure && err.code === 'IDENTITY_BOOKINGS_CANCELLED') {
    sessionStorage.removeItem(HOLD_KEY);
    return go(p, { kind: 'ruleCancelled', message: err.message });
  }
  if (err instanceof ApiFailure && err.code === 'HOLD_NOT_HELD') {
    const b = await api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).catch(() => null);
    if (b !== null) return afterHold(p, s, b);
  }
  stay(p, s, { problems: [problemOf(err, action === 'code' ? 'code' : `hold-${action}`)], notice: '' });
}

export async function peekLink(token: string): Promise<Peek> {
  return api('GET', `/booking/confirm/${enc(token)}`, ConfirmPeekResponse).catch((err: unknown) => {
    if (err instanceof ApiFailure && err.status >= 400 && err.status < 500) return { state: 'unknown' as const, serviceName: null, time: null };
    throw err;
  });
}

/**
 * The e-mail link's Confirm. Should the link have been used meanwhile (another tab, a second
 * device), the host shows the booking it confirmed: the citizen ends on their booking number.
 */
export function confirmLink(p: Portal, s: ScreenOf<'confirm'>): void {
  p.actions.run(
    'confirm',
    async () => {
      const b = await api('POST', '/booking/confirm', OwnBooking, { token: s.token });
      if (b.state === 'awaiting_payment' && b.order != null) return toOrder(p, b.order.orderNo);
      go(p, { kind: 'confirmed', booking: b });
    },
    (err) => {
      if (err instanceof ApiFailure && err.code === 'IDENTITY_BOOKINGS_CANCELLED') return go(p, { kind: 'ruleCancelled', message: err.message });
      if (err instanceof ApiFailure && err.code === 'TOKEN_USED') {
        void peekLink(s.token).then((peek) => (peek.booking == null ? stay(p, s, { peek }) : go(p, { kind: 'confirmed', booking: peek.booking })), failed(p));
        return;
      }
      stay(p, s, { problems: [problemOf(err, 'confirm-button')] });
    },
  );
}

export function cancelLink(p: Portal, s: ScreenOf<'cancel'>): void {
  p.actions.run(
    'cancel',
    async () => stay(p, s, { result: await api('POST', '/booking/cancel', StatusResponse, { token: s.token }), problems: [] }),
    (err) => stay(p, s, { problems: [problemOf(err, 'cancel-button')] }),
  );
}

export function lookup(p: Portal, s: ScreenOf<'lookup'>): void {
  const n = p.state.contact.number.trim();
  if (n === '') return stay(p, s, { result: null, problems: [{ fieldId: 'number', message: t('portal.err.number') }] });
  p.actions.run(
    'lookup',
    async () => stay(p, s, { result: await api('GET', `/booking/bookings/${enc(n)}`, StatusResponse), problems: [] }),
    (err) => stay(p, s, { result: null, problems: [{ fieldId: 'number', message: messageOf(err) }] }),
  );
}

/**
 * Names of services come from the host in the chosen language: re-read them, then redraw. The
 * address takes the new language too: its `?lang=` would otherwise win again on a reload.
 */
export async function onLanguage(p: Portal): Promise<void> {
  const q = new URLSearchParams(location.search);
  q.set('lang', currentLang());
  history.replaceState(null, '', `?${q.toString()}`);
  await loadServices(p).catch(() => null);
  const s = p.state.screen;
  if ('service' in s) {
    const fresh = p.state.services?.services.find((x) => x.id === s.service.id);
    if (fresh !== undefined) s.service = fresh;
  }
  if (s.kind === 'hold') {
    const b = await api('GET', `/booking/holds/${s.holdKey}`, OwnBooking).catch(() => null);
    if (b !== null) s.booking = b;
  }
  if (s.kind === 'confirm' && s.peek.state !== 'unknown') s.peek = await peekLink(s.token).catch(() => s.peek);
  p.update();
}

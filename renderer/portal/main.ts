// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { OwnBooking } from '../../contracts/booking.ts';
import { api } from '../shared/api.ts';
import { initI18n } from '../shared/i18n.ts';
import { Actions } from '../shared/ui.ts';
import { mount } from '../shared/view.ts';
import { go, loadServices, lookup, peekLink, showOrder } from './actions.ts';
import { peekChange, wasOf } from './accept.ts';
import { followOfficeConfig, readLogo } from './config-live.ts';
import { portalView } from './page.ts';
import { HOLD_KEY, newState, OFFICE_KEY, type Portal } from './state.ts';
import '../shared/base.css';
import './portal.css';

/**
 * The public booking portal, phone first. One page, several screens chosen by the address:
 * `?confirm=<token>` (the e-mail link: shows what it confirms, or the booking it confirmed; only
 * the button's POST consumes the token), `?cancel=<token>` (the cancel link; POST),
 * `?accept=<token>&was=<ms>` (the office moved the booking: old and new time, accept or cancel; accept.ts),
 * `?order=<no>[&attempt=<n>]` (a fee's order: pay, in progress, paid with its receipt, or expired; the
 * provider sends the citizen back here), `?number=<n>` or `?view=lookup` (status by booking number), `?view=privacy`, and otherwise the
 * booking flow service → day → time → details → hold (countdown, extendable once) → confirmed.
 * The hold key lives in sessionStorage only, so a reload during the hold resumes it.
 */

const params = new URLSearchParams(location.search);
const officeId = params.get('office') ?? localStorage.getItem(OFFICE_KEY) ?? 'demo';
localStorage.setItem(OFFICE_KEY, officeId);

async function boot(): Promise<void> {
  await initI18n();
  const p: Portal = { state: newState(officeId), update: () => undefined, actions: new Actions(() => p.update()), timers: [] };
  p.update = mount(document.getElementById('app')!, () => portalView(p));
  const confirmToken = params.get('confirm');
  const cancelToken = params.get('cancel');
  const acceptToken = params.get('accept');
  const number = params.get('number');
  const orderNo = params.get('order');
  const view = params.get('view');
  await loadServices(p).catch(() => null);
  void readLogo(p);
  followOfficeConfig(p);
  try {
    if (confirmToken !== null) return go(p, { kind: 'confirm', token: confirmToken, peek: await peekLink(confirmToken), problems: [] }, false);
    if (acceptToken !== null) return go(p, { kind: 'accept', token: acceptToken, was: wasOf(params.get('was')), peek: await peekChange(acceptToken), problems: [] }, false);
    if (orderNo !== null) return await showOrder(p, orderNo, attemptOf(params.get('attempt')), false);
    if (cancelToken !== null) return go(p, { kind: 'cancel', token: cancelToken, result: null, problems: [] }, false);
    if (number !== null || view === 'lookup') {
      p.state.contact.number = number ?? '';
      go(p, { kind: 'lookup', result: null, problems: [] }, false);
      const s = p.state.screen;
      if (number !== null && s.kind === 'lookup') lookup(p, s);
      return;
    }
    if (view === 'privacy') return go(p, { kind: 'privacy' }, false);
    const holdKey = sessionStorage.getItem(HOLD_KEY);
    if (holdKey !== null) {
      const b = await api('GET', `/booking/holds/${holdKey}`, OwnBooking).catch(() => null);
      if (b?.state === 'held') return go(p, { kind: 'hold', holdKey, booking: b, problems: [], notice: '' }, false);
      // Waiting for its fee (the citizen left the order's page): back to it.
      if (b?.state === 'awaiting_payment' && b.order != null) return await showOrder(p, b.order.orderNo, null, false);
      sessionStorage.removeItem(HOLD_KEY);
    }
    if (p.state.services === null) await loadServices(p);
    go(p, { kind: 'services' }, false);
  } catch (err) {
    go(p, { kind: 'failed', message: err instanceof Error ? err.message : String(err) }, false);
  }
}

const attemptOf = (v: string | null): number | null => (v !== null && /^\d{1,4}$/.test(v) ? Number(v) : null);

// Back from the provider's page may restore this page as it was left (Pay still pressed): start again from the address, which names the order.
window.addEventListener('pageshow', (e) => {
  if (e.persisted) location.reload();
});

void boot();

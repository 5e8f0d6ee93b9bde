// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { TicketStatusResponse } from '../../contracts/kiosk.ts';
import { PublicOfficeResponse } from '../../contracts/office-public.ts';
import { RateVisitResponse } from '../../contracts/ratings.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { initI18n, t } from '../shared/i18n.ts';
import { mount } from '../shared/view.ts';
import { ticketView, type TicketPageState } from './view.ts';
import '../shared/base.css';
import './ticket.css';

/**
 * A ticket's public status page, `/t/<id>` (the QR code on the paper): the number, the service
 * and office, how many are ahead and the likely wait, and "it's your turn, counter 3" when
 * called. The id is the secret; the page needs no sign-in. It polls: a phone in a pocket wakes
 * rarely, and a poll every few seconds is all the "live" a person in the hall needs.
 */

const POLL_MS = 4000;
const FINAL = ['done', 'no_show', 'void'];
const offline = document.getElementById('offline')!;
const ticketId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');

async function poll(s: TicketPageState, update: () => void, lastCall: { id: string }): Promise<void> {
  try {
    s.status = await api('GET', `/tickets/${encodeURIComponent(ticketId)}`, TicketStatusResponse);
    s.error = null;
    // The office's address and contact change rarely: read once, beside the first status.
    if (s.office === undefined) s.office = await api('GET', `/offices/${encodeURIComponent(s.status.officeId)}/public`, PublicOfficeResponse).catch(() => null);
    s.readAt = Date.now();
    offline.hidden = true;
    const call = `${s.status.ticket.id}:${s.status.ticket.recallCount}`;
    if (s.status.ticket.state === 'called' && lastCall.id !== call) {
      lastCall.id = call;
      navigator.vibrate?.([300, 150, 300]);
    }
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) {
      s.status = null;
      s.error = t('ticketPage.notFound');
    } else {
      offline.textContent = t('ticketPage.offline');
      offline.hidden = false;
    }
  }
  update();
  if (s.status === null || !FINAL.includes(s.status.ticket.state)) window.setTimeout(() => void poll(s, update, lastCall), POLL_MS);
}

await initI18n();
const state: TicketPageState = { status: null, error: null, readAt: null };
const update = mount(document.getElementById('app')!, () => ticketView(state, update));
state.rate = (rating: number): void => {
  state.rating = true;
  update();
  api('POST', `/tickets/${encodeURIComponent(ticketId)}/rating`, RateVisitResponse, { rating })
    .then((r) => {
      if (state.status !== null) state.status = { ...state.status, rating: { ...state.status.rating, given: r.rating } };
    })
    .catch((e: unknown) => {
      offline.textContent = e instanceof Error ? e.message : String(e);
      offline.hidden = false;
    })
    .finally(() => {
      state.rating = false;
      update();
    });
};
await poll(state, update, { id: '' });

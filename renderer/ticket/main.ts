// First: zod must be jitless before any schema is built (the CSP forbids eval).
import '../../contracts/jitless.ts';
import { TicketStatusResponse, type TicketStatusResponseT } from '../../contracts/kiosk.ts';
import { api, ApiFailure } from '../shared/api.ts';
import { currentLang, el, languagePicker, t } from '../shared/i18n.ts';
import '../shared/base.css';
import './ticket.css';

/**
 * A ticket's public status page, `/t/<id>` (the QR code on the paper): the number, how many are
 * ahead, and "it's your turn, counter 3" when called. The id is the secret; the page needs no
 * sign-in. It polls: a phone in a pocket wakes rarely, and a poll every few seconds is all the
 * "live" a person in the hall needs.
 */

const POLL_MS = 4000;
const app = document.getElementById('app')!;
const offline = document.getElementById('offline')!;
const ticketId = decodeURIComponent(location.pathname.split('/').filter(Boolean).pop() ?? '');
let last: TicketStatusResponseT | null = null;
let error: string | null = null;
let lastCalledId = '';

function statusText(s: TicketStatusResponseT): { text: string; kind: string } {
  const counter = s.counterNumber ?? '?';
  switch (s.ticket.state) {
    case 'printing':
      return { text: t('ticketPage.printing'), kind: 'info' };
    case 'waiting':
      return { text: s.ahead === 0 ? t('ticketPage.nextUp') : t('ticketPage.ahead', { count: s.ahead }), kind: 'info' };
    case 'called':
      return { text: t('ticketPage.yourTurn', { counter }), kind: 'turn' };
    case 'serving':
      return { text: t('ticketPage.serving', { counter }), kind: 'info' };
    case 'parked':
      return { text: t('ticketPage.parked'), kind: 'info' };
    case 'done':
      return { text: t('ticketPage.done'), kind: 'done' };
    case 'no_show':
      return { text: t('ticketPage.noShow'), kind: 'bad' };
    case 'void':
      return { text: t('ticketPage.void'), kind: 'bad' };
    default: {
      const never: never = s.ticket.state;
      return never;
    }
  }
}

function render(): void {
  document.documentElement.lang = currentLang();
  document.title = `${last?.ticket.number ?? ''} — ${t('ticketPage.title')}`;
  const body: HTMLElement[] = [el('header', { class: 'top' }, [el('h1', {}, [t('ticketPage.title')]), languagePicker(render)])];
  if (last === null) {
    body.push(el('p', { class: 'status bad', role: 'alert' }, [error ?? '…']));
  } else {
    const s = statusText(last);
    // A booked arrival waits for its time; once called it reads like anyone's ticket.
    const booked = last.bookedTime !== null && last.ticket.state === 'waiting';
    body.push(
      el('p', { class: 'number', 'data-testid': 'number' }, [last.ticket.number]),
      ...(booked ? [el('p', { class: 'booked', 'data-testid': 'booked' }, [t('ticketPage.booked', { time: last.bookedTime })])] : []),
      el('p', { class: `status ${s.kind}`, role: 'status', 'aria-live': 'assertive', 'data-testid': 'status' }, [s.text]),
      el('p', { class: 'updated' }, [t('ticketPage.updated', { time: new Date().toLocaleTimeString(currentLang()) })]),
    );
  }
  app.replaceChildren(el('main', { class: 'ticket-page' }, body));
}

async function poll(): Promise<void> {
  try {
    last = await api('GET', `/tickets/${encodeURIComponent(ticketId)}`, TicketStatusResponse);
    error = null;
    offline.hidden = true;
    if (last.ticket.state === 'called' && lastCalledId !== `${last.ticket.id}:${last.ticket.recallCount}`) {
      lastCalledId = `${last.ticket.id}:${last.ticket.recallCount}`;
      navigator.vibrate?.([300, 150, 300]);
    }
  } catch (err) {
    if (err instanceof ApiFailure && err.status === 404) {
      last = null;
      error = t('ticketPage.notFound');
    } else {
      offline.textContent = t('ticketPage.offline');
      offline.hidden = false;
    }
  }
  render();
  const final = last !== null && ['done', 'no_show', 'void'].includes(last.ticket.state);
  if (!final) window.setTimeout(() => void poll(), POLL_MS);
}

render();
void poll();

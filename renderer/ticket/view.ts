import { html, nothing, type TemplateResult } from 'lit-html';
import type { TicketStatusResponseT } from '../../contracts/kiosk.ts';
import type { PublicOfficeT } from '../../contracts/office-public.ts';
import { currentLang, languagePicker, t } from '../shared/i18n.ts';
import { officeContact } from '../shared/office-contact.ts';

/** What the ticket page holds: the last answer of the host, or why there is none. */
export interface TicketPageState {
  /** Sends the client's rating of the visit (the page's only action). */
  rate?: (rating: number) => void;
  /** A rating is on its way to the host. */
  rating?: boolean;
  status: TicketStatusResponseT | null;
  /** Set when the host does not know the ticket. */
  error: string | null;
  /** When the status was last read (this phone's clock: "updated at"). */
  readAt: number | null;
  /** The office's name, address and contact, read once; null until then (or when it cannot be read). */
  office?: PublicOfficeT | null;
}

function statusText(s: TicketStatusResponseT): { text: string; kind: string } {
  const counter = s.counterNumber ?? '?';
  switch (s.ticket.state) {
    case 'printing':
      return { text: t('ticketPage.printing'), kind: 'info' };
    case 'waiting':
      return { text: s.ahead === 0 ? t('ticketPage.nextUp') : t('ticketPage.peopleAhead', { count: s.ahead }), kind: 'info' };
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

const MARKS = [1, 2, 3, 4, 5] as const;

/** One tap, five marks, each a button with its word; the chosen one pressed. A number only is sent. */
function rating(s: TicketStatusResponseT, page: TicketPageState): TemplateResult {
  const given = s.rating.given;
  return html`<fieldset class="rating" data-testid="rating">
    <legend>${t('ticketPage.rate.question')}</legend>
    <div class="marks">
      ${MARKS.map(
        (m) => html`<button
          type="button"
          data-mark=${m}
          aria-pressed=${given === m ? 'true' : 'false'}
          ?disabled=${!s.rating.open || page.rating === true}
          @click=${() => page.rate?.(m)}
        >
          <span class="stars" aria-hidden="true">${'★'.repeat(m)}</span> ${t(`ticketPage.rate.mark${m}`)}
        </button>`,
      )}
    </div>
    ${given === null ? nothing : html`<p class="thanks" role="status">${t('ticketPage.rate.thanks')}</p>`}
  </fieldset>`;
}

function ticket(s: TicketStatusResponseT, readAt: number | null, page: TicketPageState): TemplateResult {
  const status = statusText(s);
  const isWaiting = s.ticket.state === 'waiting';
  // A booked arrival waits for its time; once called it reads like anyone's ticket.
  const isBooked = s.bookedTime !== null && isWaiting;
  return html`<p class="number" data-testid="number">${s.ticket.number}</p>
    <dl class="facts">
      <div><dt>${t('ticketPage.service')}</dt><dd data-testid="service">${s.service.names[currentLang()] ?? s.service.name}</dd></div>
      <div><dt>${t('ticketPage.office')}</dt><dd data-testid="office">${page.office?.name ?? s.officeName}</dd></div>
    </dl>
    ${isBooked ? html`<p class="booked" data-testid="booked">${t('ticketPage.booked', { time: s.bookedTime })}</p>` : nothing}
    <p class=${`status ${status.kind}`} role="status" aria-live="assertive" data-testid="status">${status.text}</p>
    ${isWaiting && s.estimatedWaitMin !== null && s.ahead > 0
      ? html`<p class="wait" data-testid="wait">${t('ticketPage.wait', { count: s.estimatedWaitMin })}</p>`
      : nothing}
    ${s.rating.open || s.rating.given !== null ? rating(s, page) : nothing}
    ${readAt === null ? nothing : html`<p class="updated">${t('ticketPage.updated', { time: new Date(readAt).toLocaleTimeString(currentLang()) })}</p>`}
    ${page.office == null ? nothing : html`<footer class="office-foot">${officeContact(page.office)}</footer>`}`;
}

export function ticketView(s: TicketPageState, update: () => void): TemplateResult {
  document.title = `${s.status?.ticket.number ?? ''} — ${t('ticketPage.title')}`;
  return html`<main class="ticket-page">
    <header class="top"><h1>${t('ticketPage.title')}</h1>${languagePicker(update)}</header>
    ${s.status === null ? html`<p class="status bad" role="alert">${s.error ?? '…'}</p>` : ticket(s.status, s.readAt, s)}
  </main>`;
}

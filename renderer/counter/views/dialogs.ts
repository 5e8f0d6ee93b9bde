import { html, nothing, type TemplateResult } from 'lit-html';
import { keyed } from 'lit-html/directives/keyed.js';
import { t } from '../../shared/i18n.ts';
import { button, dialog } from '../../shared/ui.ts';
import { callableTickets, callChosen, checkInBooking, closeDialog, dialogChoices, findBookings } from '../actions.ts';
import { running, serviceName, state } from '../state.ts';

/** The counter's dialogs (modal: the page behind is inert): choices by number, and checking a booked client in. */

function verifyView(v: { name: string; phoneEnd: string | null; identityLabel: string | null }): TemplateResult {
  return html`<ul class="verify" aria-label=${t('counter.verify')}>
    <li>${t('counter.verifyName', { name: v.name })}</li>
    ${v.phoneEnd === null ? nothing : html`<li>${t('counter.verifyPhone', { digits: v.phoneEnd })}</li>`}
    ${v.identityLabel === null ? nothing : html`<li>${t('counter.verifyIdentity', { label: v.identityLabel })}</li>`}
  </ul>`;
}

const cancelButton = (): TemplateResult => button({ label: t('ui.cancel'), key: 'Esc', onClick: closeDialog, className: 'cancel' });

/** A form's text by field name. The fields hold what was typed: the DOM is patched, never rebuilt. */
const formText = (form: HTMLFormElement, name: string): string => {
  const v = new FormData(form).get(name);
  return typeof v === 'string' ? v : '';
};

const input = (id: string, name: string, label: string, type = 'text'): TemplateResult =>
  html`<label for=${id}>${label}</label><input id=${id} name=${name} type=${type} autocomplete="off" spellcheck="false" aria-describedby="checkin-error" />`;

function checkInBody(): TemplateResult {
  const c = state.checkIn;
  return html`${c.done === null
      ? nothing
      : html`<section class="checked-in" role="status" data-testid="checked-in">
          <p class="big">${t('counter.checkedIn', { number: c.done.ticket.number, name: c.done.name })}</p>
          <p>${c.done.serviceName} · ${t('counter.booked', { time: c.done.bookedTime })}</p>
          <h3>${t('counter.verify')}</h3>
          ${verifyView(c.done)}
        </section>`}
    <form
      class="checkin-form"
      id="checkin-number"
      @submit=${(e: Event) => {
        e.preventDefault();
        const form = e.target as HTMLFormElement;
        checkInBooking(formText(form, 'number'), form);
      }}
    >
      ${input('booking-number', 'number', t('counter.bookingNumber'))}
      <button type="submit" class="primary" ?disabled=${running.isBusy('check-in')} aria-busy=${running.isBusy('check-in') ? 'true' : 'false'}>${t('counter.checkIn')}</button>
    </form>
    <form
      class="checkin-form"
      id="checkin-search"
      @submit=${(e: Event) => {
        e.preventDefault();
        const form = e.target as HTMLFormElement;
        findBookings(formText(form, 'name'), formText(form, 'time'));
      }}
    >
      <h3>${t('counter.findByName')}</h3>
      ${input('booking-name', 'name', t('counter.name'))} ${input('booking-time', 'time', t('counter.bookedTime'), 'time')}
      <button type="submit" ?disabled=${running.isBusy('find')} aria-busy=${running.isBusy('find') ? 'true' : 'false'}>${t('counter.find')}</button>
    </form>
    ${c.found === null
      ? nothing
      : c.found.length === 0
        ? html`<p class="muted">${t('counter.noMatch')}</p>`
        : html`<ol class="candidates" data-testid="candidates">
            ${c.found.map(
              (b, i) => html`<li data-booking=${b.number}>
                <p>${t('counter.bookingAt', { service: b.serviceName, time: b.time, number: b.number })}</p>
                ${verifyView(b)} ${button({ label: t('counter.checkIn'), key: String(i + 1), onClick: () => checkInBooking(b.number), isBusy: running.isBusy('check-in') })}
              </li>`,
            )}
          </ol>`}
    <p role="alert" class="msg error" id="checkin-error">${c.error}</p>
    ${cancelButton()}`;
}

/** Which waiting ticket, and why: both required; the reason is recorded with the clerk's name. */
function callChosenBody(): TemplateResult {
  const busy = running.isBusy('counter');
  return html`<form
      class="call-chosen-form"
      id="call-chosen"
      @submit=${(e: Event) => {
        e.preventDefault();
        const form = e.target as HTMLFormElement;
        callChosen(formText(form, 'ticketId'), formText(form, 'reason'));
      }}
    >
      <label for="call-chosen-ticket">${t('counter.callChosenTicket')}</label>
      <select id="call-chosen-ticket" name="ticketId" required aria-describedby="call-chosen-error">
        ${callableTickets().map((w) => html`<option value=${w.id}>${w.number} · ${serviceName(w.serviceId)}</option>`)}
      </select>
      <label for="call-chosen-reason">${t('counter.callChosenReason')}</label>
      <input id="call-chosen-reason" name="reason" type="text" required maxlength="200" autocomplete="off" aria-describedby="call-chosen-error" />
      <button type="submit" class="primary" ?disabled=${busy} aria-busy=${busy ? 'true' : 'false'}>${t('counter.callChosenSubmit')}</button>
    </form>
    <p role="alert" class="msg error" id="call-chosen-error">${state.callChosenError}</p>
    ${cancelButton()}`;
}

function choicesBody(): TemplateResult {
  return html`<div class="choices">
    ${dialogChoices().map((c, i) => button({ label: c.label, key: String(i + 1), onClick: c.run, id: `choice-${i + 1}` }))} ${cancelButton()}
  </div>`;
}

export function dialogView(): unknown {
  if (state.dialog === null) return nothing;
  const isCheckIn = state.dialog === 'check-in';
  const isForm = isCheckIn || state.dialog === 'call-chosen';
  const titles = {
    'check-in': () => t('counter.checkInTitle'),
    transfer: () => t('counter.transferTo', { number: state.ticket?.number ?? '' }),
    reception: () => t('counter.issueFor'),
    'print-where': () => t('counter.printWhere', { service: serviceName(state.receptionServiceId ?? '') }),
    reprint: () => t('counter.reprintWhere', { number: state.ticket?.number ?? '' }),
    'call-chosen': () => t('counter.callChosenTitle'),
  };
  // One element per kind: reception's next step (where to print) is a new dialog, opened and focused afresh.
  return keyed(
    state.dialog,
    dialog({
    id: `dialog-${state.dialog}`,
    className: isForm ? 'check-in' : 'choice',
    title: titles[state.dialog](),
    body: isCheckIn ? checkInBody() : state.dialog === 'call-chosen' ? callChosenBody() : choicesBody(),
    onClose: closeDialog,
    closeLabel: t('ui.close'),
    initialFocus: isCheckIn ? 'booking-number' : state.dialog === 'call-chosen' ? 'call-chosen-ticket' : 'choice-1',
    }),
  );
}

import { html, nothing, type TemplateResult } from 'lit-html';
import { t } from '../../shared/i18n.ts';
import { button, errorSummary, field } from '../../shared/ui.ts';
import { cancelLink, confirmLink, lookup } from '../actions.ts';
import type { Portal, ScreenOf } from '../state.ts';
import { bookingCard } from './hold.ts';
import { heading, linkTo, statusCard, summary, whenText } from './parts.ts';

/** The screens behind the links of the messages (confirm, cancel, status). */

const bookAgain = (p: Portal): TemplateResult => html`<p><a href=${linkTo(p, {})}>${t('portal.bookAgain')}</a></p>`;

export function confirmView(p: Portal, s: ScreenOf<'confirm'>): TemplateResult {
  const peek = s.peek;
  // A used link of a booking that stands shows that booking: a re-opened link still gives the number.
  if (peek.state === 'used' && peek.booking != null) {
    return html`${heading(t('portal.confirmed.title'))}
      <p class="warn" role="status">${t('portal.confirm.usedShown')}</p>
      ${bookingCard(p, peek.booking)}`;
  }
  if (peek.state !== 'valid') return html`${heading(t('portal.confirm.title'))}<p class="warn" role="alert">${t(`portal.confirm.${peek.state}`)}</p>${bookAgain(p)}`;
  return html`${heading(t('portal.confirm.title'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <p class="lead">${t('portal.confirm.lead')}</p>
    <section class="card">
      ${summary([
        [t('portal.service'), peek.serviceName ?? ''],
        [t('portal.when'), whenText(peek.startAt, peek.timeZone, peek.time ?? '')],
      ])}
    </section>
    <div class="actions">
      ${button({ label: t('portal.confirm.button'), onClick: () => confirmLink(p, s), isPrimary: true, isBusy: p.actions.isBusy('confirm'), id: 'confirm-button' })}
    </div>`;
}

export function cancelView(p: Portal, s: ScreenOf<'cancel'>): TemplateResult {
  if (s.result !== null) {
    return html`${heading(t('portal.cancel.doneTitle'))}
      <p role="status" class="lead">${t('portal.cancel.done')}</p>
      ${statusCard(s.result)} ${bookAgain(p)}`;
  }
  return html`${heading(t('portal.cancel.title'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <p class="lead">${t('portal.cancel.lead')}</p>
    <div class="actions">
      ${button({ label: t('portal.cancel.button'), onClick: () => cancelLink(p, s), isPrimary: true, isBusy: p.actions.isBusy('cancel'), id: 'cancel-button' })}
      <a class="button" href=${linkTo(p, {})}>${t('portal.cancel.keep')}</a>
    </div>`;
}

export function lookupView(p: Portal, s: ScreenOf<'lookup'>): TemplateResult {
  const c = p.state.contact;
  return html`${heading(t('portal.lookup.title'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <form
      class="details card"
      novalidate
      @submit=${(e: Event) => {
        e.preventDefault();
        lookup(p, s);
      }}
    >
      ${field({
        id: 'number',
        label: t('portal.lookup.label'),
        value: c.number,
        onInput: (v) => (c.number = v),
        error: s.problems.find((x) => x.fieldId === 'number')?.message,
        hint: t('portal.lookup.hint'),
        autocomplete: 'off',
        isRequired: true,
        maxlength: 20,
      })}
      <div class="actions">${button({ label: t('portal.lookup.submit'), onClick: () => undefined, type: 'submit', isPrimary: true, isBusy: p.actions.isBusy('lookup') })}</div>
    </form>
    ${s.result === null ? nothing : statusCard(s.result)}`;
}

export const notFoundView = (p: Portal, title: string, message: string): TemplateResult => html`${heading(title)}<p class="warn" role="alert">${message}</p>${bookAgain(p)}`;

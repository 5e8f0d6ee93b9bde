import { html, nothing, type TemplateResult } from 'lit-html';
import { t } from '../../shared/i18n.ts';
import { button, errorSummary } from '../../shared/ui.ts';
import { acceptChange } from '../accept.ts';
import type { Portal, ScreenOf } from '../state.ts';
import { heading, linkTo, summary, whenText } from './parts.ts';

/** The office moved the booking: the old time and the new one, then accept it or cancel the booking. */
export function acceptView(p: Portal, s: ScreenOf<'accept'>): TemplateResult {
  const b = s.peek;
  const rows: [string, string][] = [
    [t('portal.service'), b.serviceName],
    [t('portal.accept.number'), b.number],
    ...(s.was === null ? [] : ([[t('portal.accept.was'), whenText(s.was, b.timeZone, '')]] as [string, string][])),
    [t('portal.accept.now'), whenText(b.startAt, b.timeZone, '')],
  ];
  const card = html`<section class="card" data-testid="change">${summary(rows)}</section>`;
  if (b.acceptedAt !== null) {
    return html`${heading(t('portal.accept.doneTitle'))}
      <p role="status" class="lead">${t('portal.accept.done')}</p>
      ${card}
      <p><a href=${linkTo(p, { cancel: s.token })}>${t('portal.cancel.title')}</a></p>`;
  }
  return html`${heading(t('portal.accept.title'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <p class="lead">${t('portal.accept.lead', { office: b.officeName })}</p>
    ${card}
    <div class="actions">
      ${button({ label: t('portal.accept.button'), onClick: () => acceptChange(p, s), isPrimary: true, isBusy: p.actions.isBusy('accept'), id: 'accept-button' })}
      <a class="button" href=${linkTo(p, { cancel: s.token })}>${t('portal.cancel.button')}</a>
    </div>
    ${s.was === null ? nothing : html`<p class="hint">${t('portal.accept.hint')}</p>`}`;
}

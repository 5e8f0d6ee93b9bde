import { html, nothing, type TemplateResult } from 'lit-html';
import { officeContact } from '../../shared/office-contact.ts';
import { t } from '../../shared/i18n.ts';
import type { Portal } from '../state.ts';
import { heading, linkTo } from './parts.ts';

/** What the portal says about the office itself: the footer on every screen, and the privacy notice. */

/** The office's name, address and contact (only what it gave), and the way to the privacy notice. */
export function officeFooter(p: Portal): TemplateResult {
  const office = p.state.office;
  return html`<footer class="portal-foot" data-testid="office-foot">
    ${office === null ? nothing : html`<p class="office-name">${office.name}</p>${officeContact(office)}`}
    <p><a href=${linkTo(p, { view: 'privacy' })}>${t('portal.privacyLink')}</a></p>
  </footer>`;
}

/**
 * The privacy notice: who the controller is (as the office names it), what is kept and why, for
 * how long — the office's own retention and ban periods, as the host applies them — and whom to
 * ask for access or erasure (the office's contact).
 */
export function privacyView(p: Portal): TemplateResult {
  const office = p.state.office;
  const privacy = office?.privacy;
  const controller = office?.dataController ?? null;
  return html`${heading(t('portal.privacy.title'))}
    <section class="card privacy">
      <h2>${t('portal.privacy.controllerTitle')}</h2>
      ${controller === null
        ? html`<p data-testid="privacy-controller" class="warn">${t('portal.privacy.controllerMissing')}</p>`
        : html`<p data-testid="privacy-controller">${t('portal.privacy.controller', { controller })}</p>`}
      <h2>${t('portal.privacy.whatTitle')}</h2>
      <p>${t('portal.privacy.what')}</p>
      <h2>${t('portal.privacy.whyTitle')}</h2>
      <p>${t('portal.privacy.why')}</p>
      <h2>${t('portal.privacy.howLongTitle')}</h2>
      ${privacy === undefined
        ? nothing
        : html`<p data-testid="privacy-retention">${t('portal.privacy.howLong', { days: privacy.retentionDays, statusDays: privacy.statusDays })}</p>
            ${privacy.noShowBanDays > 0 ? html`<p>${t('portal.privacy.howLongNoShow', { days: privacy.noShowBanDays })}</p>` : nothing}
            ${privacy.fictitiousBanDays > 0 ? html`<p>${t('portal.privacy.howLongFictitious', { days: privacy.fictitiousBanDays })}</p>` : nothing}
            ${privacy.keepsOutcomes ? html`<p data-testid="privacy-outcomes">${t('portal.privacy.howLongOutcomes')}</p>` : nothing}`}
      <h2>${t('portal.privacy.rightsTitle')}</h2>
      <p>${t('portal.privacy.rights')}</p>
      ${office === null ? nothing : html`<p class="office-name">${office.name}</p>${officeContact(office, 'privacy-contact')}`}
    </section>`;
}

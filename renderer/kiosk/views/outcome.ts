import { html, nothing, type TemplateResult } from 'lit-html';
import { t } from '../../shared/i18n.ts';
import { go } from '../actions.ts';
import { categoryName, serviceName, type Kiosk, type KioskError, type Screen } from '../state.ts';

/** After a tap: printing, the ticket issued, a refusal, or the whole kiosk out of order. */

export const printingScreen = (): TemplateResult => html`<p class="notice big" role="status">${t('kiosk.printing')}</p>`;

export function issuedScreen(k: Kiosk, s: Extract<Screen, { kind: 'issued' }>): TemplateResult {
  const service = k.state.services.find((x) => x.id === s.serviceId);
  const load =
    s.bookedTime !== null
      ? t('kiosk.bookedAt', { time: s.bookedTime })
      : s.estimatedWaitMin === null
        ? t('kiosk.ahead', { count: s.ahead })
        : `${t('kiosk.ahead', { count: s.ahead })} · ${t('kiosk.wait', { count: s.estimatedWaitMin })}`;
  return html`<div class="issued" role="status" aria-live="assertive">
      <p class="label">${t('kiosk.yourNumber')}</p>
      <p class="number" data-testid="ticket-number">${s.number}</p>
      ${s.categoryId !== null
        ? html`<p class="priority-mark" data-testid="ticket-priority">${t('kiosk.priorityTicket', { category: categoryName(k.state, s.categoryId) })}</p>`
        : nothing}
      ${service !== undefined ? html`<p class="service" data-testid="ticket-service">${serviceName(service)}</p>` : nothing}
      <p class="take">${t('kiosk.takeTicket')}</p>
      <p class="watch">${t('kiosk.watchDisplay')}</p>
      <p class="load">${load}</p>
    </div>
    <div class="extras"><button type="button" class="primary" data-action="done" @click=${() => go(k, { kind: 'home' })}>${t('kiosk.done')}</button></div>`;
}

export function failedScreen(k: Kiosk, error: KioskError): TemplateResult {
  return html`<p class="notice big error" role="alert" data-testid="kiosk-error" data-code=${error.code}>${error.message}</p>
    <div class="extras"><button type="button" class="primary" data-action="back" @click=${() => go(k, { kind: 'home' })}>${t('kiosk.back')}</button></div>`;
}

export const outOfOrderScreen = (): TemplateResult => html`<div class="out-of-order" role="alert" data-testid="out-of-order">
  <p class="big">${t('kiosk.outOfOrderTitle')}</p>
  <p>${t('kiosk.outOfOrderText')}</p>
</div>`;

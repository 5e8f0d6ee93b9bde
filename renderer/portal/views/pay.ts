import { html, nothing, type TemplateResult } from 'lit-html';
import type { OrderViewT } from '../../../contracts/fees.ts';
import { currentLang, formatDateTime, formatMoney, t } from '../../shared/i18n.ts';
import { button, errorSummary } from '../../shared/ui.ts';
import { go } from '../actions.ts';
import { payNow } from '../pay.ts';
import type { Portal, ScreenOf } from '../state.ts';
import { bookingCard } from './hold.ts';
import { backButton, heading, summary } from './parts.ts';

/** Office time when the page knows the office's zone, else the reader's. */
const at = (ms: number, timeZone: string | null): string =>
  timeZone === null ? new Intl.DateTimeFormat(currentLang(), { dateStyle: 'medium', timeStyle: 'short' }).format(ms) : formatDateTime(ms, timeZone);

/** The attempt the citizen last came back from: failed or cancelled means "pay again". */
const lastTry = (o: OrderViewT): OrderViewT['attempts'][number] | undefined => o.attempts.at(-1);

function receipt(s: ScreenOf<'pay'>): TemplateResult {
  const o = s.order;
  const ref = o.attempts.find((a) => a.no === o.keptAttempt)?.providerRef ?? '';
  return html`<section class="card receipt" aria-labelledby="receipt-title" data-testid="receipt">
    <h2 id="receipt-title">${t('portal.pay.receipt')}</h2>
    ${summary([
      [t('portal.pay.orderNo'), o.orderNo],
      [t('portal.pay.amount'), formatMoney(o.amount, o.currency)],
      [t('portal.pay.paidAt'), o.paidAt === null ? '' : at(o.paidAt, s.timeZone)],
      [t('portal.pay.providerRef'), ref],
    ])}
    <p class="hint">${t('portal.pay.keepReceipt')}</p>
  </section>`;
}

function orderCard(s: ScreenOf<'pay'>): TemplateResult {
  const o = s.order;
  return html`<section class="card" aria-labelledby="order-title">
    <h2 id="order-title">${t('portal.pay.order')}</h2>
    ${summary([
      [t('portal.pay.orderNo'), o.orderNo],
      [t('portal.pay.amount'), formatMoney(o.amount, o.currency)],
      [t('portal.pay.deadline'), at(o.deadline, s.timeZone)],
    ])}
  </section>`;
}

/** Waiting for payment: Pay, or the payment in progress (another window, or Back from the provider's page). */
function awaiting(p: Portal, s: ScreenOf<'pay'>): TemplateResult {
  const o = s.order;
  const last = lastTry(o);
  const isRetry = !o.paying && last !== undefined && (last.state === 'failed' || last.state === 'cancelled' || last.state === 'timed_out');
  // A payment opened without the provider's page (it did not answer in time, or could not be
  // reached): pressing again asks under the same key, so it can be offered without a second charge.
  const isWaitingOnProvider = o.paying && o.nextUrl === null;
  const isProviderDown = isWaitingOnProvider || (s.isProviderDown === true && !o.paying);
  return html`${heading(t('portal.pay.title'))}
    ${errorSummary(t('portal.err.title'), s.problems, 'error-summary')}
    <p class="lead">${t('portal.pay.lead', { time: at(o.deadline, s.timeZone) })}</p>
    ${isProviderDown
      ? html`<div class="warn" role="alert" data-testid="provider-down">
          <p><strong>${t('portal.pay.providerDown')}</strong></p>
          <p>${t('portal.pay.providerDownHeld', { time: at(o.deadline, s.timeZone) })}</p>
        </div>`
      : nothing}
    ${isRetry && !isProviderDown ? html`<p class="warn" role="alert" data-testid="pay-failed">${t('portal.pay.failed')}</p>` : nothing}
    ${o.paying && !isWaitingOnProvider
      ? html`<p class="notice" role="status" data-testid="paying">
          ${t('portal.pay.inProgress')} <a href=${o.nextUrl ?? ''}>${t('portal.pay.continue')}</a>
        </p>`
      : nothing}
    ${orderCard(s)}
    ${s.holdKey === null
      ? html`<p class="hint">${t('portal.pay.otherDevice')}</p>`
      : html`<div class="actions">
          ${button({
            label: isProviderDown ? t('portal.pay.tryAgain') : isRetry ? t('portal.pay.payAgain') : t('portal.pay.pay', { amount: formatMoney(o.amount, o.currency) }),
            onClick: () => payNow(p, s),
            isPrimary: true,
            isBusy: p.actions.isBusy('pay'),
            isDisabled: o.paying && !isWaitingOnProvider,
            id: 'pay-button',
          })}
        </div>`}`;
}

export function payView(p: Portal, s: ScreenOf<'pay'>): TemplateResult {
  const o = s.order;
  const again = (): TemplateResult => backButton(t('portal.bookAgain'), () => go(p, { kind: 'services' }), 'book-again');
  switch (o.state) {
    case 'awaiting_payment':
      return awaiting(p, s);
    case 'paid':
      return html`${heading(t('portal.confirmed.title'))}
        <p class="lead" role="status" data-testid="paid">${t('portal.pay.paid')}</p>
        ${receipt(s)} ${s.booking === null ? nothing : bookingCard(p, s.booking)}`;
    case 'expired':
      return html`${heading(t('portal.pay.expiredTitle'))}
        <p class="warn" role="alert" data-testid="order-expired">${t('portal.pay.expired')}</p>
        ${orderCard(s)} ${again()}`;
    case 'refunded':
      return html`${heading(t('portal.pay.refundedTitle'))}
        <p class="notice" role="status" data-testid="order-refunded">${t('portal.pay.refunded')}</p>
        ${orderCard(s)}`;
    default: {
      const never: never = o.state;
      return never;
    }
  }
}

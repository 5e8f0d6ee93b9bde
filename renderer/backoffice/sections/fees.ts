import { html, nothing, type TemplateResult } from 'lit-html';
import { FeeOrdersResponse, FeeWaitingResponse, type FeeOrderHistoryT, type FeeWaitingT } from '../../../contracts/fees.ts';
import { api } from '../../shared/api.ts';
import { formatDateTime, formatMoney, t } from '../../shared/i18n.ts';
import { button, field } from '../../shared/ui.ts';
import { downloadExport } from '../download.ts';
import { FormErrors, onSubmit } from '../form.ts';
import type { Ctx, Section } from '../section.ts';

/**
 * Fees (supervisors and admins): the orders waiting on the payment provider (a provider down or
 * slow shows here first), an order's whole story found by its number or the booking's —
 * each payment attempt with the provider's reference, every refund, every webhook received and
 * every state with its time (office time) — and the exports of a period: daily totals, refunds,
 * and our orders beside the provider's statement (CSV).
 */

const dayIn = (timeZone: string, at: number): string => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);

function create(ctx: Ctx) {
  const q = { order: '', booking: '', from: '', to: '' };
  let found: FeeOrderHistoryT[] | null = null;
  let waiting: FeeWaitingT[] | null = null;
  const errors = new FormErrors('fees-order');
  const when = (at: number): string => formatDateTime(at, ctx.timeZone(), { dateStyle: 'short', timeStyle: 'medium' });

  const find = (): void => {
    const order = q.order.trim();
    const booking = q.booking.trim();
    if (!errors.check([(order === '') === (booking === '') ? { fieldId: 'fees-order', message: t('backoffice.fees.oneOf') } : null])) return ctx.update();
    ctx.actions.run(
      'fees:find',
      async () => {
        const query = order !== '' ? `order=${encodeURIComponent(order)}` : `booking=${encodeURIComponent(booking)}`;
        found = (await api('GET', `/offices/${ctx.officeId()}/fees/orders?${query}`, FeeOrdersResponse)).orders;
        errors.clear();
        ctx.update();
      },
      (e) => {
        found = null;
        errors.fromFailure(e, { order: 'fees-order', booking: 'fees-booking' });
        ctx.update();
      },
    );
  };

  const loadWaiting = (): void =>
    ctx.actions.run(
      'fees:waiting',
      async () => {
        waiting = (await api('GET', `/offices/${ctx.officeId()}/fees/waiting`, FeeWaitingResponse)).orders;
        ctx.update();
      },
      (e) => ctx.problem(e),
    );

  const waitingCard = (): TemplateResult => html`<section class="card" aria-labelledby="fees-waiting-title" data-testid="fees-waiting">
    <h2 id="fees-waiting-title">${t('backoffice.fees.waiting')}</h2>
    <p class="hint">${t('backoffice.fees.waitingHint')}</p>
    ${waiting === null || waiting.length === 0
      ? html`<p>${waiting === null ? '' : t('backoffice.fees.waitingNone')}</p>`
      : html`<div class="table-wrap" role="region" aria-labelledby="fees-waiting-title" tabindex="0"><table class="grid">
          <thead><tr>
            <th scope="col">${t('backoffice.fees.orderNo')}</th><th scope="col">${t('backoffice.fees.booking')}</th><th scope="col" class="num">${t('backoffice.fees.amount')}</th>
            <th scope="col">${t('backoffice.fees.deadline')}</th><th scope="col">${t('backoffice.fees.state')}</th><th scope="col">${t('backoffice.fees.providerRef')}</th>
          </tr></thead>
          <tbody>${waiting.map(
            (w) => html`<tr data-waiting=${w.orderNo}>
              <th scope="row">${w.orderNo}</th><td>${w.bookingNumber ?? t('ui.none')}</td><td class="num">${formatMoney(w.amount, w.currency)}</td><td>${when(w.deadline)}</td>
              <td>${w.providerRef === null ? t('backoffice.fees.noAnswer') : t('backoffice.fees.underWay')} (${w.attempt}: ${w.attemptState})</td><td>${w.providerRef ?? t('ui.none')}</td>
            </tr>`,
          )}</tbody>
        </table></div>`}
    <div class="actions">${button({ label: t('backoffice.fees.refresh'), isBusy: ctx.actions.isBusy('fees:waiting'), onClick: loadWaiting, id: 'fees-waiting-refresh' })}</div>
  </section>`;

  const download = (name: string): void =>
    ctx.actions.run(`fees:${name}`, () => downloadExport(`/offices/${ctx.officeId()}/fees/${name}.csv?from=${q.from}&to=${q.to}`), (e) => ctx.problem(e));

  const orderCard = (o: FeeOrderHistoryT): TemplateResult => html`<section class="card" aria-labelledby=${`order-${o.orderNo}`} data-order=${o.orderNo}>
    <h2 id=${`order-${o.orderNo}`}>${t('backoffice.fees.order', { number: o.orderNo })}</h2>
    <dl class="summary">
      <dt>${t('backoffice.fees.booking')}</dt><dd>${o.bookingNumber ?? t('ui.none')}</dd>
      <dt>${t('backoffice.fees.state')}</dt><dd data-testid="order-state">${t(`backoffice.fees.states.${o.state}`)}</dd>
      <dt>${t('backoffice.fees.amount')}</dt><dd>${formatMoney(o.amount, o.currency)}</dd>
      <dt>${t('backoffice.fees.deadline')}</dt><dd>${when(o.deadline)}</dd>
    </dl>
    <div class="table-wrap" role="region" aria-labelledby=${`attempts-${o.orderNo}`} tabindex="0"><table class="grid">
      <caption id=${`attempts-${o.orderNo}`}>${t('backoffice.fees.attempts')}</caption>
      <thead><tr>
        <th scope="col">#</th><th scope="col">${t('backoffice.fees.state')}</th><th scope="col">${t('backoffice.fees.providerRef')}</th>
        <th scope="col" class="num">${t('backoffice.fees.captured')}</th><th scope="col">${t('backoffice.fees.refunds')}</th>
      </tr></thead>
      <tbody>${o.attempts.map(
        (a) => html`<tr>
          <th scope="row">${a.no}</th><td>${a.state}</td><td>${a.providerRef ?? t('ui.none')}</td><td class="num">${formatMoney(a.captured, o.currency)}</td>
          <td>${a.refunds.length === 0 ? t('ui.none') : a.refunds.map((r) => html`<div>${formatMoney(r.amount, o.currency)} · ${t(`fees.reason.${r.reason}`)} · ${t(`fees.refundState.${r.state}`)}${r.providerRefundId === null ? '' : ` · ${r.providerRefundId}`}</div>`)}</td>
        </tr>`,
      )}</tbody>
    </table></div>
    <div class="table-wrap" role="region" aria-labelledby=${`history-${o.orderNo}`} tabindex="0"><table class="grid" data-testid="fee-history">
      <caption id=${`history-${o.orderNo}`}>${t('backoffice.fees.history')}</caption>
      <thead><tr><th scope="col">${t('backoffice.fees.at')}</th><th scope="col">${t('backoffice.fees.what')}</th><th scope="col">${t('backoffice.fees.state')}</th><th scope="col">${t('backoffice.fees.detail')}</th></tr></thead>
      <tbody>${o.history.map(
        (h) => html`<tr>
          <td>${when(h.at)}</td>
          <td>${t(`backoffice.fees.whats.${h.what}`)}${h.attempt === null ? '' : ` ${h.attempt}`}${h.refund === null ? '' : `.${h.refund}`}</td>
          <td>${h.what === 'order' ? t(`backoffice.fees.states.${h.state}`) : h.state}</td>
          <td>${h.detail ?? ''}</td>
        </tr>`,
      )}</tbody>
    </table></div>
  </section>`;

  return {
    async load() {
      if (q.from === '') q.from = q.to = dayIn(ctx.timeZone(), Date.now());
      found = null;
      ctx.update();
      loadWaiting();
    },
    view: () => html`${waitingCard()}<form class="card" @submit=${onSubmit(find)} novalidate aria-labelledby="fees-find-title">
        <h2 id="fees-find-title">${t('backoffice.fees.find')}</h2>
        <p class="hint">${t('backoffice.fees.findHint')}</p>
        ${errors.summary()}
        <div class="cols">
          ${field({ id: 'fees-order', label: t('backoffice.fees.orderNo'), value: q.order, error: errors.of('fees-order'), onInput: (v) => (q.order = v) })}
          ${field({ id: 'fees-booking', label: t('backoffice.fees.bookingNo'), value: q.booking, error: errors.of('fees-booking'), onInput: (v) => (q.booking = v) })}
        </div>
        <div class="actions">${button({ label: t('backoffice.fees.show'), type: 'submit', isPrimary: true, isBusy: ctx.actions.isBusy('fees:find'), onClick: () => undefined })}</div>
      </form>
      ${found === null ? nothing : found.map(orderCard)}
      <section class="card" aria-labelledby="fees-exports-title">
        <h2 id="fees-exports-title">${t('backoffice.fees.exports')}</h2>
        <p class="hint">${t('backoffice.fees.exportsHint')}</p>
        <div class="cols">
          ${field({ id: 'fees-from', label: t('stats.from'), type: 'date', value: q.from, onInput: (v) => (q.from = v) })}
          ${field({ id: 'fees-to', label: t('stats.to'), type: 'date', value: q.to, onInput: (v) => (q.to = v) })}
        </div>
        <div class="actions">
          ${(['daily', 'refunds', 'reconciliation'] as const).map((name) =>
            button({ label: t(`backoffice.fees.export.${name}`), isBusy: ctx.actions.isBusy(`fees:${name}`), onClick: () => download(name), id: `fees-export-${name}` }),
          )}
        </div>
      </section>`,
  };
}

export const feesSection: Section = { id: 'fees', titleKey: 'backoffice.fees.title', role: 'supervisor', create };

import { html, type TemplateResult } from 'lit-html';
import type { AlertViewT } from '../../contracts/alerts.ts';
import { formatDateTime, t } from './i18n.ts';

/** Names the alerts refer to, as the page knows them. */
export interface AlertNames {
  service(id: string): string;
  kiosk(id: string): string;
  timeZone: string | null;
}

/** One alert as a sentence in the reader's language. */
export function alertText(a: AlertViewT, names: AlertNames): string {
  const service = a.serviceId === undefined ? '' : names.service(a.serviceId);
  const kiosk = a.deviceId === undefined ? '' : names.kiosk(a.deviceId);
  switch (a.kind) {
    case 'wait_over_target':
      return t('alerts.wait_over_target', { service, value: a.value, threshold: a.threshold ?? '' });
    case 'queue_unserved':
      return t('alerts.queue_unserved', { service });
    case 'paper_near_end':
      return t('alerts.paper_near_end', { kiosk });
    case 'printer_stopped':
      return t('alerts.printer_stopped', { kiosk, state: t(`printerState.${String(a.value)}`) });
    case 'provider_failing':
      return t('alerts.provider_failing', { channel: t(`alerts.channel.${a.channel === 'sms' ? 'sms' : 'email'}`), value: a.value });
    case 'outbox_backlog':
      return t('alerts.outbox_backlog', { value: a.value });
    case 'webhook_paused':
      return t('alerts.webhook_paused', { value: a.value });
  }
}

/**
 * The alerts panel of the floor view and the counter terminal. A polite live region: a new alert is
 * read out by a screen reader without taking the clerk away from what they do.
 */
export function alertsPanel(alerts: readonly AlertViewT[], names: AlertNames, opts: { showNone: boolean }): TemplateResult {
  if (alerts.length === 0 && !opts.showNone) return html`<div class="alerts" role="status" aria-live="polite"></div>`;
  const since = (at: number): string =>
    t('alerts.since', { time: names.timeZone === null ? new Date(at).toLocaleTimeString() : formatDateTime(at, names.timeZone, { timeStyle: 'short' }) });
  return html`<section class="alerts" role="status" aria-live="polite" aria-labelledby="alerts-title">
    <h2 id="alerts-title">${t('alerts.title')}</h2>
    ${alerts.length === 0
      ? html`<p class="none">${t('alerts.none')}</p>`
      : html`<ul>
          ${alerts.map((a) => html`<li class=${`alert ${a.kind}`} data-alert=${a.kind}><span>${alertText(a, names)}</span> <small>${since(a.since)}</small></li>`)}
        </ul>`}
  </section>`;
}

import { z } from 'zod';
import { ALERT_KINDS } from '../core/alerts/alerts.ts';
import { Alerts } from './office-config.ts';

/** An alert as pages show it: what, about which service/kiosk/channel, since when. Nothing personal. */
export const AlertView = z.object({
  kind: z.enum(ALERT_KINDS),
  serviceId: z.string().optional(),
  deviceId: z.string().optional(),
  channel: z.string().optional(),
  value: z.union([z.number(), z.string()]),
  threshold: z.number().optional(),
  since: z.number(),
});
export type AlertViewT = z.infer<typeof AlertView>;

export const AlertsResponse = z.object({ officeId: z.string(), alerts: z.array(AlertView) });

/** The thresholds: the office configuration's `alerts` section. */
export const AlertSettingsBody = Alerts;
export type AlertSettingsBodyT = z.infer<typeof AlertSettingsBody>;

export const AlertSettingsResponse = AlertSettingsBody.extend({ officeId: z.string() });

/**
 * One alert as a sentence, with the reader's translate function (the pages and the alert e-mail
 * say the same): names of services and kiosks as the caller knows them.
 */
export function alertSentence(
  a: AlertViewT,
  names: { service(id: string): string; kiosk(id: string): string },
  t: (key: string, vars: Record<string, string | number>) => string,
): string {
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
      return t('alerts.printer_stopped', { kiosk, state: t(`printerState.${String(a.value)}`, {}) });
    case 'provider_failing':
      return t('alerts.provider_failing', { channel: t(`alerts.channel.${a.channel === 'sms' ? 'sms' : 'email'}`, {}), value: a.value });
    case 'outbox_backlog':
      return t('alerts.outbox_backlog', { value: a.value });
    case 'webhook_paused':
      return t('alerts.webhook_paused', { value: a.value });
  }
}

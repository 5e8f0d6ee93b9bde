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

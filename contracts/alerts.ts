import { z } from 'zod';
import { ALERT_KINDS } from '../core/alerts/alerts.ts';

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

const minutes = z.number().int().min(1).max(600);

/** The thresholds, as supervisors edit them (every field; the form sends the whole object). */
export const AlertSettingsBody = z.strictObject({
  targetWaitMin: minutes,
  serviceTargets: z.record(z.string().min(1).max(64), minutes),
  outboxBacklog: z.number().int().min(1).max(100_000),
  providerFailures: z.number().int().min(1).max(10_000),
  emailSupervisors: z.boolean(),
});
export type AlertSettingsBodyT = z.infer<typeof AlertSettingsBody>;

export const AlertSettingsResponse = AlertSettingsBody.extend({ officeId: z.string() });

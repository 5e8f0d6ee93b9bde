import { z } from 'zod';

/** The nightly backup as an admin sets it: the machine's local time of day and how many days of backups are kept. */
export const BackupPlanBody = z.strictObject({
  keepDays: z.number().int().min(1).max(3650),
  at: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
});

export const BackupsResponse = z.object({
  keepDays: z.number().int(),
  at: z.string(),
  /** The folder on the host (the admin's to copy off the machine). */
  dir: z.string(),
  backups: z.array(z.object({ name: z.string(), bytes: z.number().int(), at: z.number() })),
});
export type BackupsResponseT = z.infer<typeof BackupsResponse>;

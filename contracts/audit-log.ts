import { z } from 'zod';
import { AUDIT_KINDS } from '../core/audit/audit-log.ts';
import { Day } from './office-config-basics.ts';

/** The office's audit log: every kind of change, newest first; `from`/`to` are office-local days, both included. */
export const AuditLogQuery = z.strictObject({
  kind: z.enum(AUDIT_KINDS).optional(),
  /** A username or user id. */
  who: z.string().trim().min(1).max(64).optional(),
  from: Day.optional(),
  to: Day.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
}).refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { path: ['to'], message: 'to before from' });

export const AuditLogEntry = z.object({
  kind: z.enum(AUDIT_KINDS),
  ref: z.string(),
  at: z.number().int(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  via: z.string(),
  subject: z.string(),
  changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
});
export type AuditLogEntryT = z.infer<typeof AuditLogEntry>;

export const AuditLogResponse = z.object({ entries: z.array(AuditLogEntry) });

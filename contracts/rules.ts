import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';

/**
 * Rules about people per service (issue 6, part B): the admin's roster import (preview, apply),
 * the service's outcomes and eligibility intervals, and the clerk's outcome when finishing.
 */

const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');
const outcomeId = z.string().min(1).max(40).regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, - and _ only');

/** A roster file is bigger than an ordinary request: this route alone takes up to 512 KiB. */
export const ROSTER_BODY_LIMIT = 512 * 1024;
export const RosterBody = z.object({ csv: z.string().min(1).max(500_000) });

const RosterRow = z.object({
  /** Line of the file (null for a row removed: it is not in the file). */
  line: z.number().int().nullable(),
  /** The document number masked (only its hash is stored: null for a removed row). */
  document: z.string().nullable(),
  name: z.string(),
  phone: z.string(),
  fields: z.array(z.enum(['name', 'phone'])).optional(),
});

export const RosterDiffResponse = z.object({
  serviceId: z.string(),
  /** False for a preview: nothing was stored. */
  applied: z.boolean(),
  rows: z.number().int(),
  added: z.array(RosterRow),
  changed: z.array(RosterRow),
  removed: z.array(RosterRow),
  unchanged: z.number().int(),
});

const names = z
  .partialRecord(z.enum(LANGUAGES), z.string().trim().min(1).max(80))
  .refine((n) => Object.keys(n).length > 0, 'at least one language');
const minDays = z.number().int().min(0).max(3650);

export const EligibilityRuleSchema = z.union([
  z.strictObject({ after: outcomeId, service: id.optional(), minDays }),
  z.strictObject({ requires: z.strictObject({ service: id, outcome: outcomeId }), minDays }),
]);

export const ServiceRulesSchema = z.object({
  roster: z.boolean(),
  outcomes: z
    .array(z.object({ id: outcomeId, names }))
    .max(12)
    .refine((o) => new Set(o.map((x) => x.id)).size === o.length, 'outcome ids must differ'),
  eligibility: z.array(EligibilityRuleSchema).max(12),
});

/** Wrapped so the whole set is replaced at once. */
export const ServiceRulesBody = z.object({ rules: ServiceRulesSchema });
export const ServiceRulesResponse = z.object({ serviceId: z.string(), rules: ServiceRulesSchema });

/** Finishing a service, optionally with its outcome. Fastify hands a missing body over as null. */
export const FinishBody = z.object({ outcome: outcomeId.optional() }).nullish();

/** What the counter page needs: each service's outcomes, named in the clerk's language. */
export const OfficeOutcomesResponse = z.object({
  services: z.array(z.object({ serviceId: z.string(), outcomes: z.array(z.object({ id: z.string(), name: z.string() })) })),
});

export type ServiceRulesT = z.infer<typeof ServiceRulesSchema>;
export type RosterDiffT = z.infer<typeof RosterDiffResponse>;

import { z } from 'zod';
import { LANGUAGES } from '../core/shared/model.ts';
import { DEFAULT_SMS_SEGMENTS, DEFAULT_TICKET_COLUMNS, MAX_SMS_SEGMENTS, TEMPLATE_KINDS } from '../core/templates/model.ts';

/**
 * Message and ticket templates of an office (`/offices/:officeId/templates`). Texts use
 * `{{placeholder}}`; the placeholders each kind offers are listed in every answer. What the shape
 * cannot say (balanced braces, known placeholders, SMS segments, line width) is checked by
 * core/templates/preview.ts, which names the field in the error.
 */

const noControl = (s: string): boolean => ![...s].some((c) => c.charCodeAt(0) < 0x20 && c !== '\n' && c !== '\t');
const oneLine = (s: string): boolean => ![...s].some((c) => c.charCodeAt(0) < 0x20);

export const TemplateKind = z.enum(TEMPLATE_KINDS);
export const TemplateLanguage = z.enum(LANGUAGES);

export const MessageTemplate = z.strictObject({
  subject: z.string().trim().min(1).max(200).refine(oneLine, 'one line'),
  text: z.string().trim().min(1).max(4000).refine(noControl, 'no control characters'),
  sms: z.string().trim().min(1).max(1000).refine(oneLine, 'one line'),
  smsSegments: z.number().int().min(1).max(MAX_SMS_SEGMENTS).default(DEFAULT_SMS_SEGMENTS),
});

const ticketLine = z.string().trim().max(200).refine(oneLine, 'one line');
export const TicketTemplate = z.strictObject({
  header: z.array(ticketLine.min(1)).min(1).max(4),
  footer: z.array(ticketLine.min(1)).max(4),
  columns: z.number().int().min(16).max(128).default(DEFAULT_TICKET_COLUMNS),
});

export const AnyTemplate = z.union([MessageTemplate, TicketTemplate]);

export const TemplatesParams = z.object({ officeId: z.string().min(1).max(64) });
/**
 * The path as it comes (loose, so that who may call is settled before what is asked is checked);
 * `TemplateKey` checks it next, with the same error as a schema.
 */
export const TemplateParams = z.object({ officeId: z.string().min(1).max(64), kind: z.string().min(1).max(40), language: z.string().min(1).max(16) });
export const TemplateKey = z.object({ kind: TemplateKind, language: TemplateLanguage });
export const TemplateChangeParams = z.object({ officeId: z.string().min(1).max(64), changeId: z.string().min(1).max(20) });
export const TemplateChangeId = z.object({ changeId: z.coerce.number().int().min(1) });
export const TemplateAuditQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).optional(),
  before: z.coerce.number().int().min(1).optional(),
});
/** `POST …/preview`: the template to try (absent = the one in force). */
export const TemplatePreviewBody = z.strictObject({ template: AnyTemplate.optional() });

export const MessagePreview = z.object({ subject: z.string(), text: z.string(), sms: z.string(), smsEncoding: z.enum(['gsm7', 'ucs2']), smsSegments: z.number().int() });
export const TicketPreview = z.object({ header: z.array(z.string()), footer: z.array(z.string()) });

/** One template as the back office edits it. */
export const TemplateView = z.object({
  kind: TemplateKind,
  language: TemplateLanguage,
  /** `{{name}}`s this template may use. */
  placeholders: z.array(z.string()),
  /** False: the office's own; true: the default (what Fronta sends or prints unless changed). */
  isDefault: z.boolean(),
  template: AnyTemplate,
  default: AnyTemplate,
  preview: z.union([MessagePreview, TicketPreview]),
});
export const TemplatesResponse = z.object({ templates: z.array(TemplateView) });

export const TemplateChangeEntry = z.object({
  id: z.number().int(),
  officeId: z.string(),
  at: z.number(),
  userId: z.string().nullable(),
  username: z.string().nullable(),
  via: z.enum(['api', 'file', 'cli', 'undo']),
  undoOf: z.number().int().nullable(),
  kind: TemplateKind,
  language: TemplateLanguage,
  changes: z.array(z.object({ path: z.string(), from: z.unknown(), to: z.unknown() })),
  before: AnyTemplate.nullable(),
  after: AnyTemplate.nullable(),
});
/** A write's answer: the template now, and the audit record (null when nothing differed). */
export const TemplateSaveResponse = z.object({ template: TemplateView, change: TemplateChangeEntry.nullable() });
export const TemplateAuditResponse = z.object({ changes: z.array(TemplateChangeEntry) });

export type MessageTemplateT = z.infer<typeof MessageTemplate>;
export type TicketTemplateT = z.infer<typeof TicketTemplate>;
export type TemplateViewT = z.infer<typeof TemplateView>;

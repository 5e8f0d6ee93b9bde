import { fail, ok, type Result } from '../shared/result.ts';
import { PLACEHOLDERS, type MessageTemplate, type TemplateKind, type TemplateOf, type TicketTemplate } from './model.ts';
import { parseTemplate, printWidth, renderTemplate, smsSegments } from './syntax.ts';

export interface MessagePreview {
  subject: string;
  text: string;
  sms: string;
  smsEncoding: 'gsm7' | 'ucs2';
  smsSegments: number;
}

export interface TicketPreview {
  header: string[];
  footer: string[];
}

export type PreviewOf<K extends TemplateKind> = K extends 'ticket' ? TicketPreview : MessagePreview;

/** One field's text, checked: braces balanced, every placeholder one the template has. */
function checkField(kind: TemplateKind, field: string, source: string): Result<void> {
  const parsed = parseTemplate(source);
  if (!parsed.ok) {
    return parsed.problem === 'unbalanced'
      ? fail('TEMPLATE_BRACES_UNBALANCED', { field, position: parsed.at + 1 })
      : fail('TEMPLATE_PLACEHOLDER_UNKNOWN', { field, placeholder: parsed.name, available: PLACEHOLDERS[kind].join(', ') });
  }
  for (const part of parsed.parts) {
    if ('name' in part && !PLACEHOLDERS[kind].includes(part.name)) {
      return fail('TEMPLATE_PLACEHOLDER_UNKNOWN', { field, placeholder: part.name, available: PLACEHOLDERS[kind].join(', ') });
    }
  }
  return ok(undefined);
}

function previewMessage(kind: TemplateKind, t: MessageTemplate, sample: Readonly<Record<string, string>>): Result<MessagePreview> {
  for (const field of ['subject', 'text', 'sms'] as const) {
    const checked = checkField(kind, field, t[field]);
    if (!checked.ok) return checked;
  }
  const sms = renderTemplate(t.sms, sample);
  const measured = smsSegments(sms);
  if (measured.segments > t.smsSegments) return fail('TEMPLATE_SMS_TOO_LONG', { field: 'sms', segments: measured.segments, max: t.smsSegments });
  return ok({ subject: renderTemplate(t.subject, sample), text: renderTemplate(t.text, sample), sms, smsEncoding: measured.encoding, smsSegments: measured.segments });
}

function previewTicket(t: TicketTemplate, sample: Readonly<Record<string, string>>): Result<TicketPreview> {
  const out: TicketPreview = { header: [], footer: [] };
  for (const field of ['header', 'footer'] as const) {
    for (const [i, source] of t[field].entries()) {
      const checked = checkField('ticket', field, source);
      if (!checked.ok) return checked;
      const line = renderTemplate(source, sample);
      const width = printWidth(line);
      if (width > t.columns) return fail('TEMPLATE_LINE_TOO_WIDE', { field, line: i + 1, width, columns: t.columns });
      out[field].push(line);
    }
  }
  return ok(out);
}

/**
 * A template rendered with sample data — or why it cannot be saved: a `{{` without `}}`, a
 * placeholder the message does not have, an SMS longer than its segments allowed, a ticket line
 * wider than the printer. The same check runs before every save, so what is saved always renders.
 * `sample` holds a realistic value for every placeholder (links of their real length).
 */
export function previewTemplate<K extends TemplateKind>(kind: K, template: TemplateOf<K>, sample: Readonly<Record<string, string>>): Result<PreviewOf<K>> {
  return (kind === 'ticket' ? previewTicket(template as TicketTemplate, sample) : previewMessage(kind, template as MessageTemplate, sample)) as Result<PreviewOf<K>>;
}

import type { Language, Office } from '../core/shared/model.ts';
import { formatHhMm, localTime } from '../core/shared/office-time.ts';
import {
  DEFAULT_SMS_SEGMENTS,
  DEFAULT_TICKET_COLUMNS,
  MESSAGE_TEMPLATE_KINDS,
  type MessageTemplate,
  type MessageTemplateKind,
  type TemplateKind,
  type TemplateOf,
  type TicketTemplate,
} from '../core/templates/model.ts';
import type { TemplateStore } from '../core/templates/ports.ts';
import { parseTemplate, renderTemplate } from '../core/templates/syntax.ts';
import { addressLine, webLabel } from '../contracts/office-public.ts';
import { CATALOGUES } from './i18n.ts';

/** Where each message template's default lives in the catalogues (`messages.<key>`). */
const CATALOGUE_KEY: Record<MessageTemplateKind, string> = {
  confirmed: 'confirmed',
  reminder: 'reminder',
  cancelled: 'cancelled',
  'no-show': 'noShow',
  'no-show-banned': 'noShowBanned',
  changed: 'changed',
  rating: 'rating',
};

type Texts = Record<string, { subject: string; text: string; sms: string }>;

/**
 * The default of a template: what Fronta sent and printed before offices could change it — the
 * catalogue's message, and on the ticket the office's name on top and the catalogue's footer.
 */
export function defaultTemplate<K extends TemplateKind>(kind: K, language: Language): TemplateOf<K> {
  return (kind === 'ticket' ? defaultTicket(language) : defaultMessage(kind, language)) as TemplateOf<K>;
}

type Catalogue = { messages: Texts; printout: { footer: string } };

function defaultTicket(language: Language): TicketTemplate {
  const catalogue = CATALOGUES[language] as unknown as Catalogue;
  return { header: ['{{office}}'], footer: [catalogue.printout.footer], columns: DEFAULT_TICKET_COLUMNS };
}

function defaultMessage(kind: MessageTemplateKind, language: Language): MessageTemplate {
  const catalogue = CATALOGUES[language] as unknown as Catalogue;
  const texts = catalogue.messages[CATALOGUE_KEY[kind]]!;
  return { subject: texts.subject, text: texts.text, sms: texts.sms, smsSegments: DEFAULT_SMS_SEGMENTS };
}

export const isMessageTemplateKind = (kind: string): kind is MessageTemplateKind => (MESSAGE_TEMPLATE_KINDS as readonly string[]).includes(kind);

/** Date and time of an appointment in the office's zone, in the reader's language (as messages say it). */
export function formatWhen(lang: Language, timeZone: string, at: number): string {
  const key = `${lang}|${timeZone}`;
  let f = whenFormats.get(key);
  if (f === undefined) {
    // Building a formatter loads the locale's and the zone's data (about a millisecond); its use is microseconds.
    f = new Intl.DateTimeFormat(lang, { timeZone, dateStyle: 'full', timeStyle: 'short' });
    whenFormats.set(key, f);
  }
  return f.format(at);
}
/** One formatter per language and zone: a handful of each on a host, so it never needs emptying. */
const whenFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * A realistic value for every placeholder, for the preview and for the checks before a save:
 * the office's own name, links of the length the engine sends (a 43-character token), a long
 * weekday and month in the language. So an SMS that passes here fits when it is sent.
 */
export function sampleValues(office: Office, serviceName: string, language: Language, publicUrl: string, now: number): Record<string, string> {
  const token = 'x'.repeat(43);
  const at = Math.ceil((now + 7 * 86_400_000) / 1_800_000) * 1_800_000;
  const local = localTime(office.timeZone, at);
  return {
    ...officeValues(office),
    service: serviceName,
    time: formatWhen(language, office.timeZone, at),
    previousTime: formatWhen(language, office.timeZone, at - 86_400_000),
    number: 'K7M2Q9XW4B',
    kioskCode: '12345678',
    orderNo: 'FEE000000123',
    lookupUrl: `${publicUrl}/portal/?number=K7M2Q9XW4B`,
    cancelUrl: `${publicUrl}/portal/?cancel=${token}`,
    acceptUrl: `${publicUrl}/portal/?accept=${token}&was=${at - 86_400_000}&lang=${language}`,
    ratingUrl: `${publicUrl}/t/${'x'.repeat(20)}`,
    until: `${local.date} ${formatHhMm(local.minute)}`,
    date: local.date,
  };
}

/** The template of an office in force: its own if it changed it, else the default. */
export async function templateOf<K extends TemplateKind>(store: TemplateStore | undefined, officeId: string, kind: K, language: Language): Promise<TemplateOf<K>> {
  const own = store === undefined ? null : await store.get(officeId, kind, language);
  return own === null ? defaultTemplate(kind, language) : (own as TemplateOf<K>);
}

/** The office's own placeholders (`{{office.address}}`…): what its office section gives, '' where it gave nothing. */
export function officeValues(office: Office): Record<string, string> {
  return {
    office: office.name,
    'office.address': office.address == null ? '' : addressLine(office.address),
    'office.phone': office.contact?.phone ?? '',
    'office.web': office.contact?.web === undefined ? '' : webLabel(office.contact.web),
  };
}

/**
 * The ticket's top and bottom lines for one ticket, from the office's ticket template. A line
 * whose placeholders all have no value (`Tel. {{office.phone}}` of an office that gave no phone)
 * is not printed: neither an empty line nor a label with nothing after it.
 */
export function ticketLines(template: TicketTemplate, values: Readonly<Record<string, string>>): { header: string[]; footer: string[] } {
  const render = (lines: readonly string[]): string[] => lines.filter((l) => !isLeftEmpty(l, values)).map((l) => renderTemplate(l, values));
  return { header: render(template.header), footer: render(template.footer) };
}

function isLeftEmpty(source: string, values: Readonly<Record<string, string>>): boolean {
  const parsed = parseTemplate(source);
  if (!parsed.ok) return false;
  const names = parsed.parts.flatMap((p) => ('name' in p ? [p.name] : []));
  return names.length > 0 ? names.every((n) => (values[n] ?? '').trim() === '') : source.trim() === '';
}

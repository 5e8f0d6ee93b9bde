import type { Language } from '../shared/model.ts';

/**
 * Message and ticket templates an office may change. A message template is the e-mail subject and
 * body and the SMS text of one message kind in one language; the ticket template is the lines
 * printed above (the first one bold, where the office name stands by default) and below each
 * ticket. What an office has not changed is the default: the text sent and printed before
 * templates existed (the catalogues, locales/<lang>.json `messages.*` and `printout.footer`).
 */
export const MESSAGE_TEMPLATE_KINDS = ['confirmed', 'reminder', 'cancelled', 'no-show', 'no-show-banned', 'changed', 'rating'] as const;
export type MessageTemplateKind = (typeof MESSAGE_TEMPLATE_KINDS)[number];
export const TEMPLATE_KINDS = [...MESSAGE_TEMPLATE_KINDS, 'ticket'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface MessageTemplate {
  subject: string;
  text: string;
  sms: string;
  /** SMS segments the office pays for at most (the text is measured with sample data). */
  smsSegments: number;
}

export interface TicketTemplate {
  /** Printed at the top, the first line bold; at least one line. */
  header: string[];
  /** Printed under the QR code; may be empty. */
  footer: string[];
  /** Characters per line of the office's narrowest printer (32 on 58 mm paper, 48 on 80 mm). */
  columns: number;
}

export type Template = MessageTemplate | TicketTemplate;
export type TemplateOf<K extends TemplateKind> = K extends 'ticket' ? TicketTemplate : MessageTemplate;

/**
 * SMS segments allowed by default: what the longest default needs with realistic data (the
 * office-change SMS in Czech or Romanian: a long date and two links in UCS-2 take 5). An office
 * that pays per segment lowers it and shortens its texts.
 */
export const DEFAULT_SMS_SEGMENTS = 5;
export const MAX_SMS_SEGMENTS = 8;
/** The narrowest printer profile (58 mm paper). */
export const DEFAULT_TICKET_COLUMNS = 32;

const BOOKING = ['office', 'service', 'time', 'number'] as const;
const LINKS = ['kioskCode', 'lookupUrl', 'cancelUrl'] as const;

/**
 * The placeholders each template may use (`{{name}}`): the parameters the engine gives that
 * message. A name not listed is refused when the template is saved, so a typo never reaches a client.
 */
export const PLACEHOLDERS: Record<TemplateKind, readonly string[]> = {
  // A fee-paying booking is confirmed once paid: its order number (empty for a free service).
  confirmed: [...BOOKING, ...LINKS, 'orderNo'],
  reminder: [...BOOKING, ...LINKS],
  cancelled: BOOKING,
  'no-show': BOOKING,
  'no-show-banned': [...BOOKING, 'until'],
  changed: [...BOOKING, 'previousTime', ...LINKS, 'acceptUrl'],
  rating: [...BOOKING, 'ratingUrl'],
  // The office's address, phone and web as the office section gives them (empty, and the line left out, when not given).
  ticket: ['office', 'office.address', 'office.phone', 'office.web', 'service', 'date'],
};

/** Which template a message of the outbox is written with (a no-show notice has two: with a ban and without). */
export function templateKindOf(kind: string, params: Record<string, string | number>): MessageTemplateKind | null {
  switch (kind) {
    case 'confirmed':
    case 'reminder':
    case 'cancelled':
    case 'changed':
    case 'rating':
      return kind;
    case 'no-show':
      return params['until'] !== undefined && params['until'] !== '' ? 'no-show-banned' : 'no-show';
    default:
      return null;
  }
}

/** A template changed by an office, as stored. */
export interface StoredTemplate<K extends TemplateKind = TemplateKind> {
  officeId: string;
  kind: K;
  language: Language;
  template: TemplateOf<K>;
}

/** How a change came in (the back office and the API are `api`; undo re-applies an older value). */
export type TemplateChangeVia = 'api' | 'file' | 'cli' | 'undo';

/** One field that changed, by path (`confirmed.cs.subject`), from → to; null = the default. */
export interface TemplateFieldChange {
  path: string;
  from: unknown;
  to: unknown;
}

/**
 * The audit record of one change, in the shape of the office configuration's audit: who, when,
 * how, and before → after (null = the default), so that undo can apply `before`.
 */
export interface TemplateChange {
  id: number;
  officeId: string;
  at: number;
  userId: string | null;
  username: string | null;
  via: TemplateChangeVia;
  undoOf: number | null;
  kind: TemplateKind;
  language: Language;
  changes: TemplateFieldChange[];
  before: Template | null;
  after: Template | null;
}

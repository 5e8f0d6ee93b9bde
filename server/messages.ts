import { renderSVG } from 'uqr';
import type { ConfirmChannel, MessageKind } from '../core/booking/model.ts';
import { LANGUAGES, type Language } from '../core/shared/model.ts';
import { templateKindOf } from '../core/templates/model.ts';
import type { TemplateStore } from '../core/templates/ports.ts';
import { renderTemplate } from '../core/templates/syntax.ts';
import { bookingIcs } from './ics.ts';
import { createI18n } from './i18n.ts';
import { formatWhen, templateOf } from './templates.ts';

export { formatWhen };

export interface MessageToRender {
  to: string;
  language: string;
  params: Record<string, string | number>;
}

export interface Rendered {
  channel: ConfirmChannel;
  to: string;
  subject: string;
  text: string;
  attachments?: { filename: string; content: string; contentType: string }[];
}

const KEY: Record<MessageKind, string> = {
  'confirm-link': 'confirmLink',
  'confirm-code': 'confirmCode',
  confirmed: 'confirmed',
  reminder: 'reminder',
  cancelled: 'cancelled',
  changed: 'changed',
  'draw-result': 'drawResult',
  'no-show': 'noShow',
  alert: 'alert',
  'fee-refunded': 'feeRefunded',
  rating: 'rating',
};

/** An amount in minor units as the reader writes money (the currency knows its decimals: CZK 2, JPY 0). */
function formatMoney(lang: Language, amount: number, currency: string): string {
  try {
    const f = new Intl.NumberFormat(lang, { style: 'currency', currency });
    return f.format(amount / 10 ** (f.resolvedOptions().maximumFractionDigits ?? 2));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** Why a rule cancelled a booking (the `rule` param of a `cancelled` message) → its explanation. */
const BECAUSE: Record<string, string> = { 'identity-cancel-all': 'identity', ban: 'ban', office: 'office' };

export type RenderMessage = (kind: MessageKind, channel: ConfirmChannel, m: MessageToRender, officeId: string) => Promise<Rendered>;

/**
 * Messages rendered at send time in the language the client booked in: with the office's own
 * template where it changed one (`templates`), else the default (locales/<lang>.json
 * `messages.*`). E-mail confirmations carry the `.ics` and the kiosk code's QR (SVG).
 */
export function messageRenderer(templates?: TemplateStore): RenderMessage {
  const i18n = createI18n();
  return async (kind, channel, m, officeId) => {
    const lang: Language = (LANGUAGES as readonly string[]).includes(m.language) ? (m.language as Language) : 'en';
    const t = i18n.getFixedT(lang);
    const p = m.params;
    const when = typeof p['startAt'] === 'number' && p['startAt'] > 0 ? formatWhen(lang, String(p['timeZone'] ?? 'UTC'), p['startAt']) : String(p['day'] ?? '');
    const previous = p['previousStartAt'];
    const money = typeof p['amount'] === 'number' && typeof p['currency'] === 'string' ? { amount: formatMoney(lang, p['amount'], p['currency']) } : {};
    const vars = { ...p, time: when, ...money, ...(typeof previous === 'number' ? { previousTime: formatWhen(lang, String(p['timeZone'] ?? 'UTC'), previous) } : {}) };
    // A no-show notice says until when the client cannot book, where the office bans no-shows.
    const templateKind = templateKindOf(kind, p);
    const template = templateKind === null ? null : await templateOf(templates, officeId, templateKind, lang);
    const text = (field: 'subject' | 'text' | 'sms'): string => (template === null ? t(`messages.${KEY[kind]}.${field}`, vars) : renderTemplate(template[field], vars));
    // Said after the text, whatever the template: why a booking was cancelled or money refunded, and the paid order of a confirmation.
    const because =
      kind === 'cancelled' && typeof p['rule'] === 'string' && BECAUSE[p['rule']] !== undefined
        ? t(`messages.cancelledBecause.${BECAUSE[p['rule']]}`)
        : kind === 'fee-refunded' && typeof p['reason'] === 'string'
          ? t(`messages.feeRefundedBecause.${p['reason']}`)
          : kind === 'confirmed' && typeof p['orderNo'] === 'string' && (template === null || !template.text.includes('{{orderNo}}'))
            ? t('messages.feePaid', vars)
            : undefined;
    const withWhy = (body: string, gap: string): string => (because === undefined ? body : `${body}${gap}${because}`);
    if (channel === 'sms') return { channel, to: m.to, subject: '', text: withWhy(text('sms'), ' ') };
    const out: Rendered = { channel, to: m.to, subject: text('subject'), text: withWhy(text('text'), '\n\n') };
    // A calendar entry with the booking's confirmation, reminder and every office change (same UID,
    // SEQUENCE raised by the change, so calendars replace or remove the event they hold).
    const withIcs = kind === 'confirmed' || kind === 'reminder' || kind === 'changed' || (kind === 'cancelled' && p['rule'] === 'office');
    if (withIcs && typeof p['startAt'] === 'number') {
      out.attachments = [
        {
          filename: 'booking.ics',
          contentType: 'text/calendar; charset=utf-8',
          content: bookingIcs({
            uid: `${String(p['bookingId'] ?? p['number'])}@fronta`,
            startAt: p['startAt'],
            durationMin: Number(p['durationMin'] ?? 15),
            summary: `${String(p['service'])} (${String(p['number'])})`,
            location: String(p['office'] ?? ''),
            description: t('messages.icsDescription', vars),
            url: String(p['lookupUrl'] ?? ''),
            sequence: Number(p['sequence'] ?? 0),
            ...(kind === 'cancelled' ? { cancelled: true } : {}),
          }),
        },
      ];
      if (typeof p['kioskCode'] === 'string') out.attachments.push({ filename: 'kiosk-code.svg', contentType: 'image/svg+xml', content: renderSVG(p['kioskCode']) });
    }
    return out;
  };
}

import { describe, expect, it } from 'vitest';
import { MemoryTemplateStore } from './memory-store.ts';
import type { MessageTemplate, TicketTemplate } from './model.ts';
import { previewTemplate } from './preview.ts';
import { parseTemplate, printWidth, renderTemplate, smsSegments } from './syntax.ts';
import { saveTemplate, undoTemplateChange } from './templates.ts';

const SAMPLE = {
  office: 'Městský úřad Kostelec nad Orlicí',
  service: 'Občanské průkazy',
  time: 'středa 25. listopadu 2026 10:30',
  number: 'K7M2Q9XW4B',
  kioskCode: '12345678',
  lookupUrl: 'https://fronta.example/portal/?number=K7M2Q9XW4B',
  cancelUrl: `https://fronta.example/portal/?cancel=${'x'.repeat(43)}`,
  date: '2026-11-25',
};
const message = (over: Partial<MessageTemplate> = {}): MessageTemplate => ({
  subject: 'Booking {{number}}',
  text: 'Hello, {{ service }} at {{office}}, {{time}}.',
  sms: 'Booking {{number}} {{time}}',
  smsSegments: 1,
  ...over,
});
const ticket = (over: Partial<TicketTemplate> = {}): TicketTemplate => ({ header: ['{{office}}'], footer: ['Děkujeme.'], columns: 48, ...over });

describe('template syntax', () => {
  it('renders placeholders (spaces inside the braces allowed) and keeps single braces as text', () => {
    expect(renderTemplate('{ {{ number }} } {{service}}', SAMPLE)).toBe('{ K7M2Q9XW4B } Občanské průkazy');
  });

  it('takes dotted names (`office.address`), not a dot at either end or two in a row', () => {
    expect(renderTemplate('{{office}}, {{ office.address }}', { office: 'Úřad', 'office.address': 'náměstí 1' })).toBe('Úřad, náměstí 1');
    for (const s of ['{{office.}}', '{{.address}}', '{{office..address}}']) expect(parseTemplate(s), s).toMatchObject({ ok: false, problem: 'name' });
  });

  it('finds braces that do not pair up, wherever they are', () => {
    for (const s of ['{{number', 'number}}', '{{a {{b}}', 'x }} {{y}}']) expect(parseTemplate(s).ok, s).toBe(false);
  });

  it('counts SMS segments as a phone does: GSM 7-bit, or UCS-2 once one character is outside it', () => {
    expect(smsSegments('a'.repeat(160))).toMatchObject({ encoding: 'gsm7', segments: 1 });
    expect(smsSegments('a'.repeat(161))).toMatchObject({ encoding: 'gsm7', segments: 2 });
    expect(smsSegments('€'.repeat(80))).toMatchObject({ encoding: 'gsm7', segments: 1 });
    expect(smsSegments('ř' + 'a'.repeat(69))).toMatchObject({ encoding: 'ucs2', segments: 1 });
    expect(smsSegments('ř' + 'a'.repeat(70))).toMatchObject({ encoding: 'ucs2', segments: 2 });
  });

  it('counts a Chinese character as two printer columns', () => {
    expect(printWidth('曲靖市车管所')).toBe(12);
    expect(printWidth('Kostelec')).toBe(8);
  });
});

describe('a template is refused with the field named', () => {
  it('an unknown placeholder, listing those available', () => {
    const r = previewTemplate('confirmed', message({ text: 'Code {{kioskcode}}' }), SAMPLE);
    expect(r).toEqual({ ok: false, error: { code: 'TEMPLATE_PLACEHOLDER_UNKNOWN', params: expect.objectContaining({ field: 'text', placeholder: 'kioskcode' }) } });
    // A cancellation has no kiosk code to give.
    expect(previewTemplate('cancelled', message({ sms: '{{kioskCode}}' }), SAMPLE)).toMatchObject({ ok: false, error: { params: { field: 'sms', placeholder: 'kioskCode' } } });
  });

  it('unbalanced braces, with the position', () => {
    expect(previewTemplate('reminder', message({ subject: 'Hi {{service' }), SAMPLE)).toEqual({ ok: false, error: { code: 'TEMPLATE_BRACES_UNBALANCED', params: { field: 'subject', position: 4 } } });
  });

  it('an SMS longer than its segments with the sample data (links at their real length)', () => {
    const r = previewTemplate('confirmed', message({ sms: 'Zrušení: {{cancelUrl}}', smsSegments: 1 }), SAMPLE);
    expect(r).toEqual({ ok: false, error: { code: 'TEMPLATE_SMS_TOO_LONG', params: { field: 'sms', segments: 2, max: 1 } } });
    expect(previewTemplate('confirmed', message({ sms: 'Zrušení: {{cancelUrl}}', smsSegments: 2 }), SAMPLE).ok).toBe(true);
  });

  it('a ticket line wider than the printer', () => {
    expect(previewTemplate('ticket', ticket({ columns: 24 }), SAMPLE)).toEqual({ ok: false, error: { code: 'TEMPLATE_LINE_TOO_WIDE', params: { field: 'header', line: 1, width: 32, columns: 24 } } });
    expect(previewTemplate('ticket', ticket({ header: ['{{office}}', '曲靖市公安局交警支队车管所考试中心'], columns: 32 }), SAMPLE)).toEqual({
      ok: false,
      error: { code: 'TEMPLATE_LINE_TOO_WIDE', params: { field: 'header', line: 2, width: 34, columns: 32 } },
    });
    expect(previewTemplate('ticket', ticket({ header: ['{{office}}', 'Pokladna'] }), SAMPLE)).toEqual({ ok: true, value: { header: [SAMPLE.office, 'Pokladna'], footer: ['Děkujeme.'] } });
  });
});

describe('saving a template', () => {
  const input = { officeId: 'o1', language: 'cs' as const, sample: SAMPLE, now: 1000, userId: 'u1', username: 'admin', via: 'api' as const };

  it('records who changed what, before → after; a refused one changes and records nothing; undo puts the old one back', async () => {
    const templates = new MemoryTemplateStore();
    const bad = await saveTemplate({ templates }, { ...input, kind: 'confirmed', template: message({ text: '{{nope}}' }) });
    expect(bad.ok).toBe(false);
    expect(await templates.changes('o1', 10)).toEqual([]);

    const first = await saveTemplate({ templates }, { ...input, kind: 'confirmed', template: message() });
    expect(first).toMatchObject({ ok: true, value: { id: 1, userId: 'u1', username: 'admin', at: 1000, before: null, after: message() } });
    const second = await saveTemplate({ templates }, { ...input, kind: 'confirmed', template: message({ subject: 'Rezervace {{number}}' }), now: 2000 });
    expect(second).toMatchObject({ ok: true, value: { changes: [{ path: 'confirmed.cs.subject', from: 'Booking {{number}}', to: 'Rezervace {{number}}' }] } });
    // The same again: nothing to record.
    expect(await saveTemplate({ templates }, { ...input, kind: 'confirmed', template: message({ subject: 'Rezervace {{number}}' }) })).toEqual({ ok: true, value: null });

    const undone = await undoTemplateChange({ templates }, { ...input, changeId: 2, now: 3000 });
    expect(undone).toMatchObject({ ok: true, value: { via: 'undo', undoOf: 2, after: message() } });
    expect(await templates.get('o1', 'confirmed', 'cs')).toEqual(message());
    expect(await undoTemplateChange({ templates }, { ...input, changeId: 99 })).toEqual({ ok: false, error: { code: 'TEMPLATE_CHANGE_NOT_FOUND' } });
  });
});

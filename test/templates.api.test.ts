import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryLine } from '../drivers/printer/memory-line.ts';
import { PrintAgent } from '../drivers/printer/print-agent.ts';
import { loadProfile } from '../drivers/printer/profile.ts';
import { SerialPrinter } from '../drivers/printer/serial.transport.ts';
import { VirtualPrinter } from '../drivers/printer/virtual-printer.ts';
import { createDevice } from '../server/provisioning.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { bookAndConfirm, firstSlot } from './helpers/rules.ts';

/**
 * An office's own templates through the API: refused with the field named in the caller's
 * language when they would not render, audited when saved, and used by the engine — the
 * confirmation mail (through a real SMTP server on loopback) and the printed ticket.
 */
let h: BookingTestHost;
let agent: PrintAgent | null = null;
afterEach(async () => {
  await agent?.stop();
  agent = null;
  await h.close();
});

const url = (kind: string, lang: string) => `/api/v1/offices/o1/templates/${kind}/${lang}`;
const put = (kind: string, lang: string, payload: unknown, who = 'admin', accept = 'en') =>
  h.app.inject({ method: 'PUT', url: url(kind, lang), headers: { cookie: h.cookie(who), 'accept-language': accept }, payload: payload as object });

const confirmed = {
  subject: 'Objednávka {{number}} platí',
  text: 'Dobrý den,\n{{service}} v {{time}}. Kód pro kiosek: {{kioskCode}}.\nZrušit: {{cancelUrl}}',
  sms: 'Objednávka {{number}}, kód {{kioskCode}}',
  smsSegments: 2,
};

describe.each(BOTH_STORES)('message and ticket templates on %s', (store) => {
  it('lists each template with its placeholders and today’s text as the default; a clerk may not read them', async () => {
    h = await startBookingHost({ store });
    const res = await h.app.inject({ url: '/api/v1/offices/o1/templates', headers: { cookie: h.cookie('admin') } });
    expect(res.statusCode, res.body).toBe(200);
    const list = res.json().templates as { kind: string; language: string; isDefault: boolean; placeholders: string[]; template: Record<string, unknown> }[];
    const en = list.find((t) => t.kind === 'confirmed' && t.language === 'en')!;
    expect(en).toMatchObject({ isDefault: true, placeholders: expect.arrayContaining(['number', 'kioskCode', 'cancelUrl']) });
    expect(en.template['subject']).toBe('Booking confirmed: {{number}}');
    expect(list.find((t) => t.kind === 'ticket' && t.language === 'cs')!.template).toEqual({ header: ['{{office}}'], footer: ['Děkujeme za trpělivost.'], columns: 32 });
    const clerk = await h.app.inject({ url: '/api/v1/offices/o1/templates', headers: { cookie: h.cookie('clerk1') } });
    expect(clerk.json().error.code).toBe('FORBIDDEN');
  });

  it('refuses a template that would not render, in the caller’s language, naming the field; nothing is changed or recorded', async () => {
    h = await startBookingHost({ store });
    const unknown = await put('confirmed', 'cs', { ...confirmed, text: 'Kód {{kodKiosku}}' }, 'admin', 'cs');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toEqual({ code: 'TEMPLATE_PLACEHOLDER_UNKNOWN', field: 'text', message: expect.stringMatching(/„text“.*„kodKiosku“.*kioskCode/) });
    const braces = await put('reminder', 'en', { ...confirmed, subject: 'Reminder {{service' });
    expect(braces.json().error).toEqual({ code: 'TEMPLATE_BRACES_UNBALANCED', field: 'subject', message: expect.stringContaining('"subject"') });
    const sms = await put('confirmed', 'cs', { ...confirmed, sms: 'Objednávka {{number}} potvrzena, {{service}}, {{time}}. Zrušit: {{cancelUrl}}', smsSegments: 1 }, 'admin', 'zh-CN');
    expect(sms.json().error).toEqual({ code: 'TEMPLATE_SMS_TOO_LONG', field: 'sms', message: expect.stringMatching(/短信需要 \d 条，超过允许的 1 条/) });
    const wide = await put('ticket', 'cs', { header: ['{{office}}', 'Městský úřad Kostelec nad Orlicí, pracoviště dopravy'], footer: [], columns: 32 }, 'admin', 'ro');
    expect(wide.json().error).toEqual({ code: 'TEMPLATE_LINE_TOO_WIDE', field: expect.any(String), message: expect.stringMatching(/rândul 2 din „antetul bonului” are 52 caractere.*32/) });
    const shape = await put('ticket', 'cs', { header: [], footer: [] });
    expect(shape.json().error.code).toBe('VALIDATION_FAILED');
    const clerk = await put('confirmed', 'cs', confirmed, 'clerk1');
    expect(clerk.json().error.code).toBe('FORBIDDEN');

    expect(await h.sql('SELECT count(*) AS n FROM message_templates')).toEqual([{ n: 0 }]);
    const audit = await h.app.inject({ url: '/api/v1/offices/o1/templates-audit', headers: { cookie: h.cookie('admin') } });
    expect(audit.json().changes).toEqual([]);
  });

  it('previews with sample data without saving', async () => {
    h = await startBookingHost({ store });
    const res = await h.app.inject({ method: 'POST', url: `${url('confirmed', 'cs')}/preview`, headers: { cookie: h.cookie('admin') }, payload: { template: confirmed } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().preview).toMatchObject({ subject: 'Objednávka K7M2Q9XW4B platí', smsEncoding: 'ucs2', smsSegments: 1 });
    expect(res.json().preview.text).toMatch(/^Dobrý den,\nSlužba 1 v .+\. Kód pro kiosek: 12345678\.\nZrušit: http:\/\/fronta\.test\/portal\/\?cancel=x{43}$/);
    expect(await h.sql('SELECT count(*) AS n FROM message_templates')).toEqual([{ n: 0 }]);
  });

  it('the confirmation mail is written with the office’s template; the change is audited and undone', async () => {
    h = await startBookingHost({ store });
    const saved = await put('confirmed', 'en', confirmed);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().change).toMatchObject({ username: 'admin', via: 'api', before: null, after: confirmed });

    const slot = await firstSlot(h, 'o1-s1', '2026-11-25');
    const number = await bookAndConfirm(h, slot, { name: 'Jana Nováková', email: 'jana@example.org' });
    for (let i = 0; i < 5 && (await h.booking.worker.tick()) > 0; i++) await h.booking.worker.idle();
    const mail = await h.booking.mailSink!.next((m) => m.to.includes('jana@example.org') && m.subject.startsWith('Objednávka'));
    expect(mail.subject).toBe(`Objednávka ${number} platí`);
    expect(mail.text).toMatch(/Kód pro kiosek: \d{8}\./);

    const audit = await h.app.inject({ url: '/api/v1/offices/o1/templates-audit', headers: { cookie: h.cookie('admin') } });
    const [change] = audit.json().changes as { id: number; userId: string }[];
    expect(change).toMatchObject({ kind: 'confirmed', language: 'en', username: 'admin', userId: expect.stringMatching(/^usr_/) });
    const undo = await h.app.inject({ method: 'POST', url: `/api/v1/offices/o1/templates-audit/${change!.id}/undo`, headers: { cookie: h.cookie('admin') } });
    expect(undo.statusCode, undo.body).toBe(200);
    const now = await h.app.inject({ url: url('confirmed', 'en'), headers: { cookie: h.cookie('admin') } });
    expect(now.json()).toMatchObject({ isDefault: true });
  });

  it('the printed ticket carries the office’s header and footer lines', async () => {
    h = await startBookingHost({ store, printTimeoutMs: 1500 });
    const saved = await put('ticket', 'cs', { header: ['{{office}}', 'Pokladna, přízemí'], footer: ['Děkujeme.', 'Úřední hodiny po-pá'], columns: 48 });
    expect(saved.statusCode, saved.body).toBe(200);
    const lines = await printOne();
    expect(lines.slice(0, 3)).toEqual(['Office o1', 'Pokladna, přízemí', 'Služba 1']);
    expect(lines.slice(-2)).toEqual(['Děkujeme.', 'Úřední hodiny po-pá']);
  });

  it('the office’s address, phone and web are placeholders of the ticket; one the office did not give leaves no empty line', async () => {
    h = await startBookingHost({ store, printTimeoutMs: 1500 });
    const listed = (await h.app.inject({ url: '/api/v1/offices/o1/templates', headers: { cookie: h.cookie('admin') } })).json().templates as { kind: string; placeholders: string[] }[];
    expect(listed.find((t) => t.kind === 'ticket')!.placeholders).toEqual(expect.arrayContaining(['office.address', 'office.phone', 'office.web']));
    const fax = await put('ticket', 'cs', { header: ['{{office}}'], footer: ['{{office.fax}}'], columns: 48 }, 'admin', 'cs');
    expect(fax.json().error).toMatchObject({ code: 'TEMPLATE_PLACEHOLDER_UNKNOWN', field: 'footer', message: expect.stringContaining('office.address') });
    // A phone-less office: its web, no phone.
    const address = { lines: ['náměstí 1'], postalCode: '123 45', city: 'Kostelec', country: 'CZ' };
    const profile = await h.app.inject({ method: 'PATCH', url: '/api/v1/offices/o1', headers: { cookie: h.cookie('admin') }, payload: { address, contact: { web: 'https://kostelec.example/', dataController: 'Město Kostelec' } } });
    expect(profile.statusCode, profile.body).toBe(200);
    const template = { header: ['{{office}}', '{{office.address}}'], footer: ['Tel. {{office.phone}}', '{{office.phone}}', '{{office.web}}'], columns: 48 };
    const preview = await h.app.inject({ method: 'POST', url: `${url('ticket', 'cs')}/preview`, headers: { cookie: h.cookie('admin') }, payload: { template } });
    expect(preview.json().preview).toEqual({ header: ['Office o1', 'náměstí 1, 123 45 Kostelec'], footer: ['Tel. ', '', 'kostelec.example'] });
    expect((await put('ticket', 'cs', template)).statusCode).toBe(200);
    const lines = await printOne();
    expect(lines.slice(0, 3)).toEqual(['Office o1', 'náměstí 1, 123 45 Kostelec', 'Služba 1']);
    // Neither the phone's line nor its label with nothing after it.
    expect(lines.slice(-2)).toEqual(['Stav fronty sledujte v mobilu', 'kostelec.example']);
  });
});

/** One ticket issued on a kiosk whose print agent drives a virtual printer: the lines its ESC/POS bytes decode to. */
async function printOne(): Promise<string[]> {
  const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
  let n = 0;
  const { token } = await createDevice(
    h.stores.people,
    { clock: h.clock, ids: { ticketId: () => `p${++n}`, entityId: (p) => `${p}_tpl_${++n}` } },
    { officeId: 'o1', kind: 'kiosk', name: 'Printing kiosk', printer: 'agent' },
  );
  const profile = await loadProfile('epson-tm-t20');
  const line = createMemoryLine();
  const printer = await VirtualPrinter.openSerial({ path: 'memory', profile, openPort: line.openPrinterPort });
  agent = new PrintAgent({ hostUrl: base, token, profile, printer: new SerialPrinter({ path: 'memory', openPort: line.openHostPort, heartbeatMs: 100 }), reportEveryMs: 100 });
  await agent.start();
  for (let i = 0; i < 200; i++) {
    const r = await h.app.inject({ url: '/api/v1/kiosk', headers: { authorization: `Bearer ${token}` } });
    if (r.json().printer?.state === 'ok') break;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${token}`, 'accept-language': 'cs' }, payload: { serviceId: 'o1-s1' } });
  expect(res.statusCode, res.body).toBe(201);
  return printer.jobs[0]!.preview.lines;
}

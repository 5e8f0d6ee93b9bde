import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { officeGateway } from '../host/office-file/gateway.ts';
import { exportOffice } from '../host/office-file/office-file.ts';
import { createWebhooks } from '../host/webhooks.ts';
import { startBookingHost, TEST_KEY, testKeyed, type BookingTestHost } from './helpers/booking.ts';
import { SequentialIds } from './helpers/fakes.ts';
import { bookAndConfirm, firstSlot } from './helpers/rules.ts';

/**
 * The office file is kept in version control and reviewed by people who are not the office's
 * admins: a busy office's export holds its configuration and nothing of its people or secrets.
 */

let h: BookingTestHost;
let text = '';
/** What a leaked export would give away, in clear, as the office's people and systems know it. */
const given: string[] = [];

const call = async (method: 'POST' | 'PUT', url: string, payload: object): Promise<Record<string, any>> => {
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: h.cookie('admin') }, payload });
  expect(res.statusCode, res.body).toBeLessThan(300);
  return res.json();
};

beforeAll(async () => {
  h = await startBookingHost({
    webhooks: (parts) => createWebhooks({ ...parts, ids: new SequentialIds(), keyed: testKeyed(), allowLoopback: false, intervalMs: 60_000, timeoutMs: 500 }).server,
  });
  for (const [username, email] of [
    ['vera', 'vera.kralova@kostelec.example'],
    ['petr', 'petr.dvorak@kostelec.example'],
  ] as const) {
    await call('POST', '/offices/o1/users', { username, role: 'supervisor', email, password: 'Correct-Horse-9' });
    given.push(email);
  }
  const kiosk = await call('POST', '/offices/o1/devices', { kind: 'kiosk', name: 'Kiosk u vchodu', printer: 'agent' });
  given.push(kiosk['token'] as string);
  const hook = await call('POST', '/offices/o1/webhooks', { url: 'https://erp.kostelec.example/fronta', eventTypes: ['booking.confirmed'], extraFields: ['bookingNumber'] });
  given.push(hook['secret'] as string);
  await call('PUT', '/offices/o1/templates/confirmed/cs', {
    subject: 'Objednávka {{number}}',
    text: 'Vaše objednávka {{number}} na {{service}}: {{time}}.',
    sms: 'Objednavka {{number}} {{time}}',
  });
  const slot = await firstSlot(h, 'o1-s1', '2026-11-23');
  const applicant = { name: 'Jana Nováková', email: 'jana.novakova@example.test', phone: '+420601234567' };
  given.push(applicant.name, applicant.email, applicant.phone, await bookAndConfirm(h, slot, applicant));
  given.push(TEST_KEY.toString('hex'), TEST_KEY.toString('base64'), h.cookie('admin').split('=')[1]!);
  text = (await exportOffice(officeGateway(h.db, h.clock), 'o1'))!;
}, 60_000);

afterAll(async () => {
  await h.close();
});

/** Every stored value of a column that holds a secret or a person's data, in the tables that have such columns. */
async function storedSecrets(): Promise<string[]> {
  const personal = /hash|sealed|secret|token|email|phone|kiosk_code|^number$|password|display_name/;
  const out: string[] = [];
  for (const table of ['users', 'sessions', 'devices', 'bookings', 'booking_tokens', 'outbox', 'webhook_subscriptions', 'people_audit']) {
    for (const row of await h.sql(`SELECT * FROM ${table}`)) {
      for (const [column, value] of Object.entries(row)) if (personal.test(column) && typeof value === 'string' && value.length >= 6) out.push(value);
    }
  }
  return out;
}

describe("an office file of a busy office holds none of its people's data nor its secrets", () => {
  it('holds the configuration of what was set up: the webhook without its secret, the office’s own template', () => {
    expect(text).toContain('url: https://erp.kostelec.example/fronta');
    expect(text).toContain('subject: Objednávka {{number}}');
    expect(text).not.toMatch(/whsec_|secret:|sealed|password|token/i);
  });

  it('no password hash, device token, webhook secret, sealing key, session, user e-mail or booking of the office', async () => {
    const stored = await storedSecrets();
    // The fixture did make them: users with e-mails, a device, a webhook, a booking. User and device
    // names are left out (the harness's `display` is a word of the file's notes); a client's name is
    // stored sealed, and looked for in clear.
    expect(stored.length).toBeGreaterThan(15);
    const leaked = [...given, ...stored].filter((v) => text.includes(v));
    expect(leaked).toEqual([]);
  });
});

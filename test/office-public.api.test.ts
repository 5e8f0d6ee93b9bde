import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { PASS_FAIL } from './helpers/rules.ts';

/**
 * What anyone may read of an office (`GET /api/v1/offices/:officeId/public`, the portal's footer
 * and privacy page, the ticket's page): the name, address and public contact the admin entered,
 * the data controller, and the retention and ban periods the office actually runs with — without
 * a session, and nothing else (no people, no secrets, no device or user of the office).
 */

let h: BookingTestHost;

const admin = (method: 'PATCH' | 'PUT', url: string, payload: unknown) =>
  h.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: h.cookie('admin'), 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
const read = async (office = 'o1', lang = 'en') => h.app.inject({ url: `/api/v1/offices/${office}/public`, headers: { 'accept-language': lang } });

const address = { lines: ['náměstí 1', 'budova B, 2. patro'], postalCode: '123 45', city: 'Kostelec', country: 'CZ' };
const contact = { phone: '+420 123 456 789', email: 'podatelna@kostelec.example', web: 'https://kostelec.example', dataController: 'Město Kostelec, náměstí 1, 123 45 Kostelec' };

describe.each(BOTH_STORES)('the office’s public information on %s', (store) => {
  beforeEach(async () => {
    h = await startBookingHost({ store });
  });
  afterEach(async () => {
    await h.close();
  });

  it('serves, without signing in, the address, contact and controller the admin entered, and the periods the office runs with', async () => {
    expect((await admin('PATCH', '/offices/o1', { names: { cs: 'Městský úřad Kostelec', en: 'Kostelec Town Office' }, address, contact })).statusCode).toBe(200);
    // Two changes: one with both fields hangs on PostgreSQL (the retention store writes outside the change's transaction).
    expect((await admin('PUT', '/booking/offices/o1/settings', { retentionDays: 45 })).statusCode).toBe(200);
    expect((await admin('PUT', '/booking/offices/o1/settings', { rules: { noShowBanDays: 30 } })).statusCode).toBe(200);
    const res = await read('o1', 'cs');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      officeId: 'o1',
      name: 'Městský úřad Kostelec',
      address,
      contact: { phone: contact.phone, email: contact.email, web: contact.web },
      dataController: contact.dataController,
      privacy: { retentionDays: 45, statusDays: 10, noShowBanDays: 30, fictitiousBanDays: 180, keepsOutcomes: false },
    });
    // In the reader's language.
    expect((await read('o1', 'en')).json().name).toBe('Kostelec Town Office');
  });

  it('holds nothing about people or the office’s staff, devices and secrets, even once the office has some', async () => {
    await admin('PATCH', '/offices/o1', { address, contact });
    // A booking with a name and contacts, a ticket: none of it may show.
    const slots = (await h.app.inject({ url: '/api/v1/booking/services/o1-s1/days/2026-11-24/slots' })).json().slots as { id: string }[];
    const hold = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[0]!.id, name: 'Jana Nováková', email: 'jana@example.cz', channel: 'email' } });
    expect(hold.statusCode, hold.body).toBeLessThan(300);
    const body = (await read()).body;
    for (const secret of ['Jana', 'jana@example.cz', h.kioskToken, h.displayToken, 'admin', 'clerk', 'kiosk', 'password', 'token', 'hash']) expect(body).not.toContain(secret);
  });

  it('an office that gave no address or contact says so with nulls (no empty strings), and names no controller', async () => {
    const res = (await read()).json();
    expect(res).toMatchObject({ officeId: 'o1', address: null, contact: null, dataController: null });
    // Only the controller given: no contact lines to show, but the controller is named.
    await admin('PATCH', '/offices/o1', { contact: { dataController: 'Město Kostelec' } });
    expect((await read()).json()).toMatchObject({ contact: null, dataController: 'Město Kostelec' });
  });

  it('says results are kept past the retention period once a service records them (the rules about later bookings count from them)', async () => {
    expect((await read()).json().privacy.keepsOutcomes).toBe(false);
    const rules = await admin('PUT', '/offices/o1/services/o1-s2/rules', { rules: { roster: false, outcomes: PASS_FAIL, eligibility: [] } });
    expect(rules.statusCode, rules.body).toBe(200);
    expect((await read()).json().privacy.keepsOutcomes).toBe(true);
  });

  it('an unknown office is a 404 in the caller’s language, and a malformed id a 4xx, never a 5xx', async () => {
    const res = await read('nope', 'cs');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('OFFICE_NOT_FOUND');
    expect(res.json().error.message).not.toBe((await read('nope', 'en')).json().error.message);
    const long = await read('x'.repeat(300));
    expect(long.statusCode).toBeGreaterThanOrEqual(400);
    expect(long.statusCode).toBeLessThan(500);
  });
});

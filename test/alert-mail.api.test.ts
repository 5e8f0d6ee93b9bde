import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';

/**
 * A supervisor who gave an address learns of a new alert by e-mail, once: through the outbox and a
 * real SMTP server on loopback, only when the office turned it on, never to clerks.
 */

let h: BookingTestHost;

const call = async (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, user: string | null, payload?: unknown) => {
  const headers: Record<string, string> = user === null ? { authorization: `Bearer ${h.kioskToken}` } : { cookie: h.cookie(user) };
  const res = await h.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
  return { status: res.statusCode, json: res.json() };
};

async function drain(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const n = await h.booking.worker.tick();
    await h.booking.worker.idle();
    if (n === 0) return;
  }
}

const alertMails = () => h.booking.mailSink!.messages.filter((m) => m.subject.startsWith('Fronta,'));

describe.each(BOTH_STORES)('alert e-mail to supervisors on %s', (store) => {
  beforeAll(async () => {
    h = await startBookingHost({ store, alerts: true });
  });
  afterAll(async () => {
    await h.close();
  });

  it('is sent once per alert to the supervisors and admins who gave an address, when the office asked for it', async () => {
    const users = (await call('GET', '/offices/o1/users', 'admin')).json.users as { id: string; username: string }[];
    const id = (username: string): string => users.find((u) => u.username === username)!.id;
    expect((await call('PATCH', `/offices/o1/users/${id('admin')}`, 'admin', { email: 'boss@example.org' })).status).toBe(200);
    expect((await call('PATCH', `/offices/o1/users/${id('clerk1')}`, 'admin', { email: 'clerk@example.org' })).status).toBe(200);

    // Off (the default): an alert raises no mail.
    const settings = (await call('GET', '/offices/o1/alert-settings', 'admin')).json as Record<string, unknown>;
    expect(settings['emailSupervisors']).toBe(false);
    expect((await call('POST', '/tickets', null, { serviceId: 'o1-s1' })).status).toBe(201);
    await call('PUT', '/offices/o1/alert-settings', 'admin', { ...settings, officeId: undefined });
    expect((await call('GET', '/offices/o1/alerts', 'clerk1')).json.alerts).toMatchObject([{ kind: 'queue_unserved', serviceId: 'o1-s1' }]);
    await drain();
    expect(alertMails()).toEqual([]);

    // On: the next alert raised is mailed, in the office's language, naming the service.
    const on = await call('PUT', '/offices/o1/alert-settings', 'admin', { ...settings, officeId: undefined, emailSupervisors: true });
    expect(on.status).toBe(200);
    expect((await call('POST', '/tickets', null, { serviceId: 'o1-s2' })).status).toBe(201);
    await call('PUT', '/offices/o1/alert-settings', 'admin', { ...settings, officeId: undefined, emailSupervisors: true });
    await drain();
    const mail = await h.booking.mailSink!.next((m) => m.to.includes('boss@example.org') && m.subject.startsWith('Fronta,'));
    const services = (await call('GET', '/offices/o1/config', 'admin')).json.services as { id: string; names: Record<string, string> }[];
    expect(mail.text).toContain(services.find((s) => s.id === 'o1-s2')!.names['cs']);
    expect(mail.subject).toContain('Office o1');
    expect(mail.text.split('\n').filter((l) => l.startsWith('- ')), 'only the alert just raised').toHaveLength(1);

    // The alert lasts: more tickets, more looks, no second mail; the clerk never gets one.
    expect((await call('POST', '/tickets', null, { serviceId: 'o1-s2' })).status).toBe(201);
    await call('PUT', '/offices/o1/alert-settings', 'admin', { ...settings, officeId: undefined, emailSupervisors: true });
    await drain();
    expect(alertMails().map((m) => m.to)).toEqual([['boss@example.org']]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOTH_STORES } from './helpers/harness.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';

/**
 * The audit page's one read: a change of each kind made through the API (configuration, a user, a
 * template, a ban set and lifted, the crisis switch) is in the office's audit log, newest first,
 * with who made it; filters by kind, person and day; bad filters refused; admins only.
 */
describe.each(BOTH_STORES)('the office audit log on %s', (store) => {
  let h: BookingTestHost;
  beforeAll(async () => {
    h = await startBookingHost({ store });
  });
  afterAll(async () => {
    await h.close();
  });

  const call = async (method: 'GET' | 'PUT' | 'PATCH' | 'POST', url: string, user: string, payload?: unknown) => {
    const res = await h.app.inject({ method, url: `/api/v1${url}`, headers: { cookie: h.cookie(user), 'accept-language': 'en' }, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, json: res.json<Record<string, any>>() };
  };
  const log = async (query = '') => (await call('GET', `/offices/o1/audit-log${query}`, 'admin')).json.entries as { kind: string; username: string | null; via: string; subject: string; changes: { path: string; from: unknown; to: unknown }[]; at: number }[];
  const MIN = 60_000;

  it('holds every kind of change, newest first, with who made it and what changed', async () => {
    expect(await log()).toEqual([]);
    const fairness = (await call('GET', '/offices/o1/config', 'admin')).json['fairness'];
    expect((await call('PUT', '/offices/o1/fairness', 'admin', { ...fairness, maxRecalls: 3 })).status).toBe(200);
    h.clock.advance(MIN);
    const users = (await call('GET', '/offices/o1/users', 'admin')).json['users'] as { id: string; username: string }[];
    const clerk = users.find((u) => u.username === 'clerk1')!.id;
    expect((await call('PATCH', `/offices/o1/users/${clerk}`, 'admin', { role: 'supervisor' })).status).toBe(200);
    h.clock.advance(MIN);
    const template = await call('PUT', '/offices/o1/templates/reminder/en', 'admin', { subject: 'See you {{time}}', text: 'Booking {{number}}', sms: 'Booking {{number}}', smsSegments: 2 });
    expect(template.status).toBe(200);
    h.clock.advance(MIN);
    const ban = await call('POST', '/booking/offices/o1/bans', 'clerk1', { email: 'faker@example.org', reason: 'fictitious VIN', days: 30 });
    expect(ban.status).toBe(201);
    h.clock.advance(MIN);
    expect((await call('POST', `/booking/offices/o1/bans/${ban.json['ban'].id}/lift`, 'admin', { reason: 'documents shown' })).status).toBe(200);
    h.clock.advance(MIN);
    const switched = await call('POST', '/booking/offices/o1/crisis', 'admin', { on: true, message: { en: 'Closed for a day.' } });
    expect(switched.status, JSON.stringify(switched.json)).toBe(200);

    const all = await log();
    expect(all.map((e) => e.kind)).toEqual(['booking-settings', 'bans', 'bans', 'templates', 'people', 'config']);
    const [crisis, lifted, set, tpl, person, config] = all;
    expect(crisis).toMatchObject({ username: 'admin', via: 'crisis', changes: [{ path: 'suspended', from: false, to: true }, { path: 'suspendedMessage', from: {}, to: { en: 'Closed for a day.' } }] });
    expect(lifted).toMatchObject({ username: 'admin', changes: [{ path: 'ban.lifted', from: null, to: 'documents shown' }] });
    expect(set).toMatchObject({ username: 'clerk1', changes: [{ path: 'ban.reason', to: 'fictitious VIN' }, { path: 'ban.endsAt', to: set!.at + 30 * 86_400_000 }] });
    expect(tpl).toMatchObject({ username: 'admin', subject: 'reminder en', changes: [{ path: 'reminder.en', from: null, to: expect.objectContaining({ subject: 'See you {{time}}' }) }] });
    expect(person).toMatchObject({ username: 'admin', subject: expect.stringMatching(/^user /), changes: [expect.objectContaining({ from: 'clerk', to: 'supervisor' })] });
    expect(config).toMatchObject({ username: 'admin', subject: 'fairness', changes: [{ path: 'fairness.maxRecalls', to: 3 }] });
    // Nothing personal: the barred person's contact appears nowhere.
    expect(JSON.stringify(all)).not.toContain('faker@example.org');
  });

  it('filters by kind, by person and by office-local day', async () => {
    expect((await log('?kind=bans')).map((e) => e.kind)).toEqual(['bans', 'bans']);
    expect((await log('?who=clerk1')).map((e) => e.kind)).toEqual(['bans']);
    expect((await log('?kind=config&who=admin')).map((e) => e.subject)).toEqual(['fairness']);
    expect(await log('?from=2026-11-24&to=2026-11-30')).toEqual([]);
    expect(await log('?from=2026-11-23&to=2026-11-23')).toHaveLength(6);
    expect(await log('?limit=2')).toHaveLength(2);
  });

  it('refuses a bad filter naming the field, and anyone but an admin of the office', async () => {
    for (const q of ['?kind=payments', '?from=2026-13-01', '?from=2026-11-24&to=2026-11-23', '?limit=0', '?color=red']) {
      const r = await call('GET', `/offices/o1/audit-log${q}`, 'admin');
      expect(r.status, q).toBe(400);
      expect(r.json['error'].code).toBe('VALIDATION_FAILED');
    }
    expect((await call('GET', '/offices/o1/audit-log', 'clerk2')).status).toBe(403);
  });
});

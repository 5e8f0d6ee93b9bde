import { afterEach, describe, expect, it } from 'vitest';
import { insertConfirmedBooking, policy, startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES, PASSWORD } from './helpers/harness.ts';
import { bookAndConfirm, holdAt } from './helpers/rules.ts';

/**
 * The statistics API beyond one day: a week and a month grouped, each filter (service, counter,
 * clerk, channel) and the channel grouping against what the test itself did, the rollup of a past day
 * rebuilt on demand with the same figures, and a draw and a release rush whose results the
 * booking figures show — counted here from what the API answered, not by the code under test.
 */

let h: BookingTestHost;
/** Staff sign in again as the days pass (a session ends); one session per user and day, of one host. */
const sessions = new Map<string, string>();
afterEach(async () => {
  sessions.clear();
  await h.close();
});

const DAY_MS = 86_400_000;
const kiosk = () => ({ authorization: `Bearer ${h.kioskToken}` });
async function cookie(user: string): Promise<string> {
  const key = `${user}@${Math.floor(h.clock.now() / DAY_MS)}`;
  const known = sessions.get(key);
  if (known !== undefined) return known;
  const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user, password: PASSWORD } });
  const set = res.cookies.find((c) => c.name === 'fronta_session')!;
  sessions.set(key, `fronta_session=${set.value}`);
  return `fronta_session=${set.value}`;
}
const act = async (clerk: string, counter: string, action: string) =>
  h.app.inject({ method: 'POST', url: `/api/v1/counters/${counter}/${action}`, headers: { cookie: await cookie(clerk) }, payload: {} });
const stats = async (query: string, user = 'admin') => {
  const res = await h.app.inject({ url: `/api/v1/offices/o1/stats?${query}`, headers: { cookie: await cookie(user) } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
type Group = { key: string; figures: { issued: number; served: number } };
const byKey = (groups: Group[]) => Object.fromEntries(groups.map((g) => [g.key, [g.figures.issued, g.figures.served]]));

/** Issues `n` tickets of a service at the kiosk and serves them all at a counter by a clerk; the tickets served. */
async function serveAt(serviceId: string, n: number, clerk: string, counter: string): Promise<void> {
  for (let i = 0; i < n; i++) expect((await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: kiosk(), payload: { serviceId } })).statusCode).toBe(201);
  await act(clerk, counter, 'open');
  for (let i = 0; i < n; i++) {
    const called = await act(clerk, counter, 'call-next');
    expect(called.statusCode, called.body).toBe(200);
    expect(called.json().ticket, called.body).toMatchObject({ serviceId });
    await act(clerk, counter, 'start');
  }
  await act(clerk, counter, 'call-next'); // ends the last one
  await act(clerk, counter, 'close');
}

describe.each(BOTH_STORES)('statistics over weeks and months, filtered, and rebuilt, on %s', (store) => {
  it('groups by week and month, filters by service, counter and clerk, and a rebuilt day keeps its figures', async () => {
    h = await startBookingHost({ store });
    // Monday 23 November: 3 of service 1 at counter 1 (clerk1), 2 of service 2 at counter 3 (clerk2).
    await serveAt('o1-s1', 3, 'clerk1', 'o1-c1');
    await serveAt('o1-s2', 2, 'clerk2', 'o1-c3');
    // And one booked client, checked in at the kiosk and served at counter 1 (clerk1).
    const booking = await insertConfirmedBooking(h, { key: 1, day: '2026-11-23', startAt: h.clock.now() + 5 * 60_000, number: 'BKSTATS001', kioskCode: '12312312' });
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/kiosk/check-in', headers: kiosk(), payload: { code: booking.kioskCode } })).statusCode).toBe(201);
    await act('clerk1', 'o1-c1', 'open');
    expect((await act('clerk1', 'o1-c1', 'call-next')).json().ticket).toMatchObject({ serviceId: 'o1-s1' });
    await act('clerk1', 'o1-c1', 'start');
    await act('clerk1', 'o1-c1', 'call-next');
    await act('clerk1', 'o1-c1', 'close');
    // A week later, Monday 30 November: 4 of service 1 at counter 2 (clerk2).
    h.clock.advance(7 * DAY_MS);
    await serveAt('o1-s1', 4, 'clerk2', 'o1-c2');
    // And Tuesday 1 December (another month): 1 of service 2 at counter 1 (clerk1).
    h.clock.advance(DAY_MS);
    await serveAt('o1-s2', 1, 'clerk1', 'o1-c1');
    h.clock.advance(DAY_MS); // Wednesday: the earlier days are over

    const range = 'from=2026-11-23&to=2026-12-01';
    const weeks = await stats(`${range}&groupBy=week`);
    expect(weeks.totals).toMatchObject({ issued: 11, served: 11 });
    expect(byKey(weeks.groups)).toEqual({ '2026-W48': [6, 6], '2026-W49': [5, 5] });
    const months = await stats(`${range}&groupBy=month`);
    expect(byKey(months.groups)).toEqual({ '2026-11': [10, 10], '2026-12': [1, 1] });
    const days = await stats(`${range}&groupBy=day`);
    expect(byKey(days.groups)).toEqual({ '2026-11-23': [6, 6], '2026-11-30': [4, 4], '2026-12-01': [1, 1] });

    expect((await stats(`${range}&service=o1-s1`)).totals).toMatchObject({ issued: 8, served: 8 });
    expect((await stats(`${range}&counter=o1-c2`)).totals).toMatchObject({ served: 4 });
    const clerk2 = (await h.stores.people.listUsers('o1')).find((u) => u.username === 'clerk2')!.id;
    expect((await stats(`${range}&clerk=${clerk2}`)).totals).toMatchObject({ served: 6 });
    expect(byKey((await stats(`${range}&groupBy=channel`)).groups)).toEqual({ walk_in: [10, 10], booked: [1, 1] });
    const booked = await stats(`${range}&channel=booked&groupBy=counter`);
    expect(booked.totals).toMatchObject({ issued: 1, served: 1 });
    expect(byKey(booked.groups)).toEqual({ 'o1-c1': [1, 1] });
    expect((await stats(`${range}&channel=walk_in&service=o1-s1`)).totals).toMatchObject({ issued: 7, served: 7 });
    const badChannel = await h.app.inject({ url: `/api/v1/offices/o1/stats?${range}&channel=phone`, headers: { cookie: await cookie('admin') } });
    expect([badChannel.statusCode, badChannel.json().error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(byKey((await stats(`${range}&groupBy=counter&service=o1-s2`)).groups)).toEqual({ 'o1-c1': [1, 1], 'o1-c3': [2, 2] });

    // The rollup of a past day rebuilt from its events: the same figures before and after.
    const before = await stats('from=2026-11-23&to=2026-11-23&groupBy=service');
    const rebuilt = await h.app.inject({ method: 'POST', url: '/api/v1/offices/o1/stats/days/2026-11-23/close', headers: { cookie: await cookie('admin') } });
    expect(rebuilt.statusCode, rebuilt.body).toBe(200);
    expect(rebuilt.json()).toEqual({ day: '2026-11-23', tickets: 6 });
    expect(await stats('from=2026-11-23&to=2026-11-23&groupBy=service')).toEqual(before);
    // Today is not over: it cannot be closed; clerks may not rebuild.
    const today = await h.app.inject({ method: 'POST', url: '/api/v1/offices/o1/stats/days/2026-12-02/close', headers: { cookie: await cookie('admin') } });
    expect(today.statusCode).toBeGreaterThanOrEqual(400);
    expect(today.statusCode).toBeLessThan(500);
    expect((await h.app.inject({ method: 'POST', url: '/api/v1/offices/o1/stats/days/2026-11-23/close', headers: { cookie: await cookie('clerk1') } })).statusCode).toBe(403);
  }, 60_000);

  it('a draw and a release rush: the booking figures give the places allocated and not, and the bookings made', async () => {
    const DRAW_DAY = '2026-11-25';
    h = await startBookingHost({
      store,
      policies: [
        policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: 8 } }),
        policy('o1-s3', { allocation: 'draw', horizonDays: 2, earliestDays: 2, drawWindowMin: 24 * 60, dayCapacity: { kind: 'explicit', clients: 4 } }),
      ],
    });
    // Five apply for the draw's day; the draw runs when its window closes a day later.
    for (let i = 1; i <= 5; i++) {
      const res = await h.app.inject({ method: 'POST', url: '/api/v1/booking/applications', payload: { serviceId: 'o1-s3', day: DRAW_DAY, channel: 'email', name: `Applicant ${i}`, email: `applicant${i}@example.org` } });
      expect(res.statusCode, res.body).toBe(201);
    }

    // The rush: twelve clients at once on the first slot of service 1 on the same day.
    const slots = (await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DRAW_DAY}/slots` })).json().slots as { id: string; free: number }[];
    const first = slots.find((s) => s.free > 0)!;
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => holdAt(h, first.id, { name: `Rusher ${i}`, email: `rusher${i}@example.org` })));
    const held = answers.filter((a) => a.statusCode === 201).length;
    expect(held).toBe(first.free);
    expect(held).toBeLessThan(12);
    expect(answers.filter((a) => a.statusCode !== 201).every((a) => a.statusCode === 409)).toBe(true);
    // Those who held confirm; one more books a later slot the ordinary way.
    for (let i = 0; i < 12; i++) {
      if (answers[i]!.statusCode !== 201) continue;
      for (let k = 0; k < 20 && (await h.booking.worker.tick()) > 0; k++) await h.booking.worker.idle();
      const mail = await h.booking.mailSink!.next((m) => m.to.includes(`rusher${i}@example.org`) && /confirm=/.test(m.text));
      const token = /[?&]confirm=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
      expect((await h.app.inject({ method: 'POST', url: '/api/v1/booking/confirm', payload: { token } })).statusCode).toBe(200);
    }
    const later = slots.find((s) => s.id !== first.id && s.free > 0)!;
    await bookAndConfirm(h, later.id, { name: 'Calm Client', email: 'calm@example.org' });

    h.clock.advance(DAY_MS);
    await h.booking.sweep();
    const count = async (state: string) => (await h.sql<{ n: number }>(`SELECT count(*) AS n FROM applications WHERE state = '${state}'`))[0]!.n;
    const allocated = await count('allocated');
    const notAllocated = await count('not_allocated');
    expect(allocated + notAllocated).toBe(5);
    expect(allocated).toBeGreaterThan(0);
    expect(notAllocated).toBeGreaterThan(0);

    // The figures of a day are read once it has begun: look back from the day after.
    h.clock.advance(2 * DAY_MS);
    const report = await stats(`from=2026-11-23&to=${DRAW_DAY}&groupBy=service`);
    const row = (serviceId: string) => (report.bookings as { serviceId: string }[]).find((b) => b.serviceId === serviceId);
    expect(row('o1-s3')).toMatchObject({ drawAllocated: allocated, drawNotAllocated: notAllocated });
    expect(row('o1-s1')).toMatchObject({ booked: held + 1, cancelled: 0, drawAllocated: 0, drawNotAllocated: 0 });
  }, 60_000);
});

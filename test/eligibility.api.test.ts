import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { MONDAY_0900_PRAGUE } from './helpers/fakes.ts';
import { BOTH_STORES, PASSWORD } from './helpers/harness.ts';
import { bookAndConfirm, firstSlot, holdAt, idPolicy, PASS_FAIL, saveRules } from './helpers/rules.ts';
import { policy } from './helpers/booking.ts';

/**
 * The Qujing scenario (seed 000) end to end on the fake clock: a clerk records exam outcomes when
 * finishing; a retake is refused 9 days after a fail with the first allowed day and accepted on
 * the 10th; subject 2 is refused 19 days after passing subject 1 and accepted on the 20th.
 */

let h: BookingTestHost;

const STUDENT = { name: '张三', identityKey: '530302199001011234' };
const DAY_MS = 86_400_000;
let mails = 0;
const email = () => `student${++mails}@example.org`;

/** Sessions, signed in again after the clock jumps days ahead (a session does not last that long). */
const cookies = new Map<string, string>();
const cookie = (user: string): string => cookies.get(user) ?? h.cookie(user);
async function signInAgain(): Promise<void> {
  for (const username of ['admin', 'clerk1']) {
    const res = await h.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password: PASSWORD } });
    cookies.set(username, `fronta_session=${res.cookies.find((c) => c.name === 'fronta_session')!.value}`);
  }
}

const act = (action: string, payload?: Record<string, unknown>) =>
  h.app.inject({ method: 'POST', url: `/api/v1/counters/o1-c1/${action}`, headers: { cookie: cookie('clerk1') }, ...(payload === undefined ? {} : { payload }) });

/** The student comes, is checked in at the counter by booking number, called, and finished with an outcome. */
async function sitExam(number: string, outcome: string) {
  const checkIn = await act('check-in', { number });
  expect(checkIn.statusCode, checkIn.body).toBe(201);
  const called = await act('call-next');
  expect(called.json().ticket.bookedAt, called.body).not.toBeNull();
  const finished = await act('finish', { outcome });
  expect(finished.statusCode, finished.body).toBe(200);
  expect(finished.json().ticket).toMatchObject({ state: 'done' });
}

describe.each(BOTH_STORES)('outcomes and eligibility intervals (Qujing) on %s', (store) => {
  beforeAll(async () => {
    cookies.clear();
    h = await startBookingHost({
      store,
      policies: [idPolicy('o1-s1'), idPolicy('o1-s2'), policy('o1-s3')],
      configure: async (stores) => {
        const retake = { after: 'failed', minDays: 10 };
        await saveRules(stores, { serviceId: 'o1-s1', outcomes: PASS_FAIL, eligibility: [retake] });
        await saveRules(stores, { serviceId: 'o1-s2', outcomes: PASS_FAIL, eligibility: [retake, { requires: { service: 'o1-s1', outcome: 'passed' }, minDays: 20 }] });
        // A service with a rule but no identity key asked for: the rule cannot look anyone up.
        await saveRules(stores, { serviceId: 'o1-s3', eligibility: [{ after: 'failed', service: 'o1-s1', minDays: 10 }] });
      },
    });
    const open = await act('open');
    expect(open.statusCode, open.body).toBe(200);
  });
  afterAll(async () => {
    await h.close();
  });

  it('a retake 9 days after a fail is refused with the first allowed day; 10 days after is accepted', async () => {
    const today = '2026-11-23';
    const number = await bookAndConfirm(h, await firstSlot(h, 'o1-s1', today), { ...STUDENT, email: email() });
    await sitExam(number, 'failed');
    const rows = await h.sql<{ outcome: string; day: string; identity_hash: string }>('SELECT * FROM outcomes');
    expect(rows).toEqual([expect.objectContaining({ outcome: 'failed', day: today, service_id: 'o1-s1' })]);
    expect(JSON.stringify(rows)).not.toContain(STUDENT.identityKey);

    const nineDays = await holdAt(h, await firstSlot(h, 'o1-s1', '2026-12-02'), { ...STUDENT, email: email() }, 'zh-CN');
    expect(nineDays.statusCode, nineDays.body).toBe(409);
    expect(nineDays.json().error.code).toBe('ELIGIBILITY_TOO_SOON');
    expect(nineDays.json().error.message).toContain('2026-12-03');
    // Another person is not held back by this fail.
    const other = await holdAt(h, await firstSlot(h, 'o1-s1', '2026-12-02'), { name: '李四', identityKey: '53030219900202567X', email: email() });
    expect(other.statusCode, other.body).toBe(201);
    // The ID card number typed with spaces is the same person.
    const spaced = await holdAt(h, await firstSlot(h, 'o1-s1', '2026-12-02'), { ...STUDENT, identityKey: '530302 19900101 1234', email: email() });
    expect(spaced.json().error.code).toBe('ELIGIBILITY_TOO_SOON');

    const tenDays = await bookAndConfirm(h, await firstSlot(h, 'o1-s1', '2026-12-03'), { ...STUDENT, email: email() });
    expect(tenDays).toMatch(/^[0-9A-Z]{10}$/);
  });

  it('subject 2 needs subject 1 passed: 19 days after is refused, 20 days after accepted', async () => {
    const noPass = await holdAt(h, await firstSlot(h, 'o1-s2', '2026-12-02'), { ...STUDENT, email: email() });
    expect(noPass.json().error).toMatchObject({ code: 'ELIGIBILITY_PREREQUISITE' });
    expect(noPass.json().error.message).toContain('“Passed” in Service 1');

    // Exam day of the retake (booked above): the student passes.
    const [retake] = await h.sql<{ number: string; start_at: number }>(`SELECT number, start_at FROM bookings WHERE service_id = 'o1-s1' AND day = '2026-12-03' AND state = 'confirmed'`);
    if (retake === undefined) throw new Error('the retake booked in the first test is not stored');
    h.clock.set(retake.start_at + 60_000);
    expect(h.clock.now()).toBeGreaterThan(MONDAY_0900_PRAGUE + 9 * DAY_MS);
    await signInAgain();
    await sitExam(retake.number, 'passed');

    const nineteen = await holdAt(h, await firstSlot(h, 'o1-s2', '2026-12-22'), { ...STUDENT, email: email() });
    expect(nineteen.statusCode, nineteen.body).toBe(409);
    expect(nineteen.json().error.code).toBe('ELIGIBILITY_TOO_SOON');
    expect(nineteen.json().error.message).toContain('2026-12-23');
    const twenty = await holdAt(h, await firstSlot(h, 'o1-s2', '2026-12-23'), { ...STUDENT, email: email() });
    expect(twenty.statusCode, twenty.body).toBe(201);
  });

  it('a rule without an identity key to look up refuses; outcomes are checked and kept only for booked clients with one', async () => {
    const noKey = await holdAt(h, await firstSlot(h, 'o1-s3', '2026-12-10'), { name: 'Eva', email: email() });
    expect(noKey.json().error.code).toBe('ELIGIBILITY_IDENTITY_REQUIRED');

    const walkIn = await h.app.inject({ method: 'POST', url: '/api/v1/tickets', headers: { authorization: `Bearer ${h.kioskToken}` }, payload: { serviceId: 'o1-s1' } });
    expect(walkIn.statusCode, walkIn.body).toBe(201);
    expect((await act('call-next')).json().ticket.id).toBe(walkIn.json().ticket.id);
    const unknown = await act('finish', { outcome: 'excellent' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe('OUTCOME_UNKNOWN');
    const noIdentity = await act('finish', { outcome: 'passed' });
    expect(noIdentity.statusCode).toBe(409);
    expect(noIdentity.json().error.code).toBe('OUTCOME_NO_IDENTITY');
    // Refused outcomes roll the finish back: the client is still at the counter; plain "done" works.
    expect(await h.sql(`SELECT state FROM tickets WHERE id = '${walkIn.json().ticket.id}'`)).toEqual([{ state: 'called' }]);
    const done = await act('finish');
    expect(done.statusCode, done.body).toBe(200);
    expect(await h.sql('SELECT count(*) AS n FROM outcomes')).toEqual([{ n: 2 }]);
  });

  it('the counter page reads each service’s outcomes; the admin edits rules, checked against the office', async () => {
    const outcomes = await h.app.inject({ url: '/api/v1/offices/o1/outcomes', headers: { cookie: cookie('clerk1'), 'accept-language': 'zh-CN' } });
    expect(outcomes.json().services).toEqual([
      { serviceId: 'o1-s1', outcomes: [{ id: 'passed', name: '合格' }, { id: 'failed', name: '不合格' }] },
      { serviceId: 'o1-s2', outcomes: [{ id: 'passed', name: '合格' }, { id: 'failed', name: '不合格' }] },
    ]);
    const url = '/api/v1/offices/o1/services/o1-s3/rules';
    const put = (rules: unknown) => h.app.inject({ method: 'PUT', url, headers: { cookie: cookie('admin') }, payload: { rules } });
    const rules = { roster: false, outcomes: [{ id: 'ok', names: { en: 'OK' } }], eligibility: [{ requires: { service: 'o1-s1', outcome: 'passed' }, minDays: 30 }] };
    expect((await put(rules)).json()).toEqual({ serviceId: 'o1-s3', rules });
    expect((await h.app.inject({ url, headers: { cookie: cookie('admin') } })).json()).toEqual({ serviceId: 'o1-s3', rules });
    expect((await put({ ...rules, eligibility: [{ requires: { service: 'o2-s1', outcome: 'passed' }, minDays: 30 }] })).json().error.code).toBe('SERVICE_NOT_FOUND');
    expect((await put({ ...rules, eligibility: [{ requires: { service: 'o1-s1', outcome: 'great' }, minDays: 30 }] })).json().error.code).toBe('OUTCOME_UNKNOWN');
    expect((await put({ ...rules, eligibility: [{ after: 'failed', minDays: 10 }] })).json().error.code).toBe('OUTCOME_UNKNOWN');
    expect((await h.app.inject({ method: 'PUT', url, headers: { cookie: cookie('clerk1') }, payload: { rules } })).json().error.code).toBe('FORBIDDEN');
  });
});

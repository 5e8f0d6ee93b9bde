import { afterEach, describe, expect, it } from 'vitest';
import { smtpTransport, startMailSink, type MailSink } from '../drivers/mail/smtp.ts';
import { startBookingHost, type BookingTestHost } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';

/**
 * Staff send a waiting message at once: the mail server was down, the next retry is minutes
 * away, the server is back — "Send now" delivers it without waiting, once, and the event log says
 * who asked. A sent message cannot be sent again (its content is gone); a clerk may not ask.
 */

let h: BookingTestHost;
let sink: MailSink | null = null;
afterEach(async () => {
  await h.close();
  await sink?.close();
  sink = null;
});

const DAY = '2026-11-25';

async function drain(): Promise<void> {
  for (let i = 0; i < 10; i++) {
    const n = await h.booking.worker.tick();
    await h.booking.worker.idle();
    if (n === 0) return;
  }
}

const resend = (id: string, user: string) => h.app.inject({ method: 'POST', url: `/api/v1/booking/offices/o1/outbox/${id}/resend`, headers: { cookie: h.cookie(user), 'accept-language': 'en' } });

describe.each(BOTH_STORES)('sending an outbox message again on %s', (store) => {
  it('delivers a waiting message at once when staff ask, audited, and refuses it once sent', async () => {
    const down = await startMailSink();
    const port = down.port;
    await down.close();
    h = await startBookingHost({ store, parts: { transports: { email: smtpTransport({ url: `smtp://127.0.0.1:${port}`, from: 'fronta@test' }) } } });
    const slots = (await h.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${DAY}/slots` })).json().slots as { id: string }[];
    const held = await h.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[0]!.id, name: 'Jana', email: 'jana@example.org', channel: 'email' } });
    expect(held.statusCode, held.body).toBe(201);
    await drain();
    const list = async () => (await h.app.inject({ url: '/api/v1/booking/offices/o1/outbox', headers: { cookie: h.cookie('admin') } })).json().messages as { id: string; state: string; nextAttemptAt: number; lastError: string | null }[];
    const [waiting] = await list();
    expect(waiting).toMatchObject({ state: 'pending' });
    expect(waiting!.lastError).not.toBeNull();
    expect(waiting!.nextAttemptAt).toBeGreaterThan(h.clock.now());

    sink = await startMailSink({ port });
    expect((await resend(waiting!.id, 'clerk1')).statusCode).toBe(403);
    const asked = await resend(waiting!.id, 'admin');
    expect(asked.statusCode, asked.body).toBe(200);
    expect(asked.json().message).toMatchObject({ id: waiting!.id, nextAttemptAt: h.clock.now() });
    await drain(); // the clock has not moved: only "Send now" made it due
    expect(sink.messages.length).toBe(1);
    expect((await list())[0]).toMatchObject({ id: waiting!.id, state: 'sent' });

    const audit = await h.sql<{ payload: string }>(`SELECT payload FROM events WHERE type = 'outbox:resent'`);
    expect(audit.map((a) => JSON.parse(a.payload))).toEqual([{ messageId: waiting!.id, kind: 'confirm-link', channel: 'email', userId: expect.any(String) }]);

    const again = await resend(waiting!.id, 'admin');
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'OUTBOX_ALREADY_SENT']);
    const unknown = await resend('no-such-message', 'admin');
    expect([unknown.statusCode, unknown.json().error.code]).toEqual([404, 'OUTBOX_MESSAGE_NOT_FOUND']);
    expect(sink.messages.length).toBe(1);
  });
});

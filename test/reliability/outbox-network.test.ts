import { afterEach, describe, expect, it } from 'vitest';
import { smtpTransport, startMailSink, type MailSink } from '../../drivers/mail/smtp.ts';
import { smppTransport, startSmsSink, type SmsSink } from '../../drivers/sms/smpp.ts';
import { policy, startBookingHost, type BookingTestHost } from '../helpers/booking.ts';
import { startFaultProxy, type FaultProxy } from './fault-proxy.ts';
import { FULL_SIZE, report, sleep } from './report.ts';
import { partStores } from './stores.ts';

/**
 * The mail server and the SMS gateway go down, refuse connections, then answer slower than the
 * host waits, then come back. Real SMTP and SMPP servers (the sinks) behind a proxy that plays
 * the faults; the host's own transports and outbox worker. Every message reaches its recipient
 * exactly once in the end, and staff see meanwhile which messages are delayed and why.
 * Full size: 30 s per answer against the worker's 30 s wait; CI size: the same ratio scaled to
 * 1.5 s against 1 s (same code path: the worker gives up while the server is still answering).
 * On SQLite and on PostgreSQL (the outbox is the store's).
 */

const PER_CHANNEL = FULL_SIZE ? 24 : 6;
const SLOW = FULL_SIZE ? { answerMs: 30_000, waitMs: 30_000 } : { answerMs: 1_500, waitMs: 1_000 };
const DAYS = ['2026-11-25', '2026-11-26', '2026-11-27', '2026-11-30', '2026-12-01'];

let h: BookingTestHost | null = null;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await h?.close();
  h = null;
  for (const c of closers.splice(0).reverse()) await c();
});

describe.each(partStores(true))('network faults on %s: SMTP and SMPP down, refusing, slow, back', (store) => {
  it('delivers every message exactly once when the servers are back, and says meanwhile what is delayed', { timeout: FULL_SIZE ? 600_000 : 120_000 }, async () => {
    const mail: MailSink = await startMailSink({ keep: 10_000 });
    const sms: SmsSink = await startSmsSink({ keep: 10_000, systemId: 'fronta', password: 'secret' });
    const mailProxy: FaultProxy = await startFaultProxy(mail.port);
    const smsProxy: FaultProxy = await startFaultProxy(sms.port);
    closers.push(() => mail.close(), () => sms.close(), () => mailProxy.close(), () => smsProxy.close());
    const both = async (mode: 'up' | 'down' | 'refuse' | 'slow', ms = 0): Promise<void> => {
      await mailProxy.set(mode, ms);
      await smsProxy.set(mode, ms);
    };
    h = await startBookingHost({
      store,
      policies: [policy('o1-s1', { dayCapacity: { kind: 'explicit', clients: 200 }, onlineSharePct: 100 })],
      parts: {
        transports: {
          email: smtpTransport({ url: mailProxy.url('smtp'), from: 'fronta@test' }),
          sms: smppTransport({ url: smsProxy.url('smpp'), systemId: 'fronta', password: 'secret', sourceAddr: 'Fronta' }),
        },
        sendTimeoutMs: SLOW.waitMs,
      },
    });
    const host = h;
    let runs = 0;
    let faults = 0;
    const fiveXx: string[] = [];

    // The servers are down when the clients book.
    await both('down');
    faults += 2;
    const slots: string[] = [];
    for (const day of DAYS) {
      const r = await host.app.inject({ url: `/api/v1/booking/services/o1-s1/days/${day}/slots` });
      slots.push(...(r.json().slots as { id: string; free: number }[]).filter((s) => s.free > 0).map((s) => s.id));
    }
    const emails: string[] = [];
    const phones: string[] = [];
    for (let i = 0; i < PER_CHANNEL * 2; i++) {
      const isMail = i % 2 === 0;
      const contact = isMail ? { email: `client${i}@example.org`, channel: 'email' } : { phone: `+420 601 ${String(100_000 + i).slice(0, 3)} ${String(100_000 + i).slice(3)}`, channel: 'sms' };
      const r = await host.app.inject({ method: 'POST', url: '/api/v1/booking/holds', payload: { slotId: slots[i % slots.length], name: `Client ${i}`, ...contact } });
      runs++;
      if (r.statusCode >= 500) fiveXx.push(r.body);
      expect(r.statusCode, r.body).toBe(201);
      if (isMail) emails.push(`client${i}@example.org`);
      else phones.push(`+420601${String(100_000 + i)}`);
    }

    /** A few passes of the worker, the clock moved on so that every retry is due. */
    const rounds = async (n: number): Promise<void> => {
      for (let i = 0; i < n; i++) {
        await host.booking.worker.tick();
        await host.booking.worker.idle();
        host.clock.advance(5 * 60_000);
      }
    };
    const outbox = async () => {
      const r = await host.app.inject({ url: '/api/v1/booking/offices/o1/outbox', headers: { cookie: host.cookie('admin'), 'accept-language': 'en' } });
      runs++;
      if (r.statusCode >= 500) fiveXx.push(r.body);
      return r.json().messages as { id: string; state: string; lastError: string | null; attempts?: number }[];
    };

    await rounds(2);
    const whileDown = await outbox();
    expect(whileDown.length).toBe(PER_CHANNEL * 2);
    expect(whileDown.filter((m) => m.state !== 'pending' || m.lastError === null)).toEqual([]);

    await both('refuse');
    faults += 2;
    await rounds(2);
    await both('slow', SLOW.answerMs);
    faults += 2;
    await rounds(2);
    // Whatever got through in time while slow is fine (counted); late ones must not land twice.
    const sentWhileSlow = (await outbox()).filter((m) => m.state === 'sent').length;

    await both('up');
    for (let i = 0; i < 10 && (await outbox()).some((m) => m.state !== 'sent'); i++) await rounds(1);
    // Sends the worker gave up on must not land late: wait past the last held-back answer.
    await sleep(SLOW.answerMs * 2 + 500);
    await rounds(1);

    const final = await outbox();
    expect(final.filter((m) => m.state !== 'sent')).toEqual([]);
    const count = (list: string[], to: string): number => list.filter((x) => x === to).length;
    const mailTo = mail.messages.flatMap((m) => m.to);
    const smsTo = sms.messages.map((m) => m.to);
    const lost = emails.filter((e) => count(mailTo, e) === 0).length + phones.filter((p) => count(smsTo, p) === 0).length;
    const duplicates = emails.reduce((a, e) => a + Math.max(0, count(mailTo, e) - 1), 0) + phones.reduce((a, p) => a + Math.max(0, count(smsTo, p) - 1), 0);
    const summary = { lost, duplicates, mail: mailTo.length, sms: smsTo.length };
    expect(summary).toEqual({ lost: 0, duplicates: 0, mail: emails.length, sms: phones.length });
    expect(fiveXx).toEqual([]);
    report({
      part: 'network-outbox',
      store,
      runs,
      faults,
      ackedChecked: emails.length + phones.length,
      lost,
      duplicates,
      fiveXx: fiveXx.length,
      extra: { faults_played: 'down,refuse,slow', slow_answer_ms: SLOW.answerMs, worker_wait_ms: SLOW.waitMs, sent_while_slow: sentWhileSlow },
    });
  });
});

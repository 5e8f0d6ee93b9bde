import { afterEach, describe, expect, it } from 'vitest';
import { createWebhooks, type WebhookRuntime } from '../host/webhooks.ts';
import { payOnPage, waitFor } from './fees/helpers.ts';
import { FEE, feeConfig, literal, startFeeHost, type FeeHost } from './fees/host.ts';
import { testKeyed } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { Receiver } from './helpers/webhook-receiver.ts';

/**
 * Outgoing payment webhooks, end to end: citizens pay (or fail to) on the payment simulator's
 * card page, the office cancels a paid booking, and another system's receiver — checking our
 * signature and dropping repeated event ids — hears of each payment once, in the office's order,
 * even when the provider told us twice.
 */

let f: FeeHost | undefined;
let runtime: WebhookRuntime | undefined;
let receiver = new Receiver();

afterEach(async () => {
  await runtime?.stop();
  await receiver.down();
  await f?.close();
  f = undefined;
  runtime = undefined;
});

describe.each(BOTH_STORES)('payment webhooks to another system (%s)', (store) => {
  it('a paid booking, a declined card and an office cancel each reach the receiver once, signed, in order; a duplicate provider webhook adds nothing', async () => {
    receiver = new Receiver();
    await receiver.up();
    f = await startFeeHost(feeConfig(), {
      store,
      webhooks: (parts) => {
        runtime = createWebhooks({ ...parts, ids: { ticketId: () => '', entityId: (p) => `${p}_${Math.random().toString(36).slice(2)}` }, keyed: testKeyed(), allowLoopback: true, intervalMs: 5, timeoutMs: 2000 });
        return runtime.server;
      },
    });
    runtime!.start();
    const eventTypes = ['payment.succeeded', 'payment.failed', 'payment.refunded'];
    const created = await f.admin('POST', '/api/v1/offices/o1/webhooks', { url: `http://127.0.0.1:${receiver.port}/o1`, eventTypes, extraFields: ['orderNo'] });
    expect(created.status, created.body).toBe(201);
    receiver.secrets['/o1'] = (JSON.parse(created.body) as { secret: string }).secret;

    // Paid, with the provider's webhook sent twice (and the redirect reporting it a third time).
    const first = await f.book({ email: 'jana@example.org' });
    const paidNo = first.confirmed.order!.orderNo;
    await f.setFaults(paidNo, 'webhook_twice');
    const paying = await f.pay(first.holdKey);
    const done = await payOnPage(paying.view.nextUrl!);
    expect((await f.returnTo(done.location!)).state).toBe('paid');
    await f.sim.settled();
    await waitFor(() => f!.sim.deliveries.filter((d) => d.status >= 200 && d.status < 300).length >= 2, 10_000);

    // A declined card: the attempt fails, the order still awaits its payment.
    const second = await f.book({ email: 'petr@example.org' });
    const declinedNo = second.confirmed.order!.orderNo;
    const declined = await payOnPage((await f.pay(second.holdKey)).view.nextUrl!, { cardNo: '4000000000000002' });
    expect((await f.returnTo(declined.location!)).attempts[0]?.state).toBe('failed');
    await f.sim.settled();

    // The office cancels the paid booking: the fee goes back.
    const change = await f.admin('POST', '/api/v1/offices/o1/office-change', { bookingIds: [(await f.bookingOf(paidNo)).id], action: 'cancel' });
    expect(change.status, change.body).toBe(200);
    await f.untilRefunded(paidNo);

    const logged = await f.h.sql<{ n: number }>(`SELECT count(*) AS n FROM events WHERE type = 'payment:changed'`);
    expect(Number(logged[0]!.n)).toBe(3);
    await waitFor(() => receiver.taken.length >= 3, 15_000);
    // Whatever else was still on its way has had its chance.
    await new Promise((r) => setTimeout(r, 200));

    expect(receiver.badSignatures).toBe(0);
    expect(receiver.taken.map((t) => [t.type, (t.body['data'] as Record<string, unknown>)['orderNo']])).toEqual([
      ['payment.succeeded', paidNo],
      ['payment.failed', declinedNo],
      ['payment.refunded', paidNo],
    ]);
    const ids = receiver.taken.map((t) => Number(t.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const [succeeded, failed, refunded] = receiver.taken.map((t) => t.body['data'] as Record<string, unknown>);
    const bookingId = (await f.bookingOf(paidNo)).id;
    expect(succeeded).toEqual({ bookingId, serviceId: 'o1-s1', amount: FEE, currency: 'CZK', attempt: 1, orderNo: paidNo });
    expect(failed).toMatchObject({ serviceId: 'o1-s1', amount: FEE, currency: 'CZK', attempt: 1, orderNo: declinedNo });
    expect(refunded).toEqual({ bookingId, serviceId: 'o1-s1', amount: FEE, currency: 'CZK', attempt: 1, refund: 1, reason: 'order_refunded', orderNo: paidNo });
    // Nothing personal: not the client's name, e-mail or booking number.
    const raw = JSON.stringify(receiver.taken.map((t) => t.body));
    for (const personal of ['jana@example.org', 'petr@example.org', 'NOVÁKOVÁ', first.confirmed.number!]) expect(raw).not.toContain(personal);
    // The provider's duplicate was taken once (its event id recorded once), and told nobody twice.
    const handled = await f.h.sql<{ n: number }>(`SELECT count(*) AS n FROM fee_history WHERE order_no = ${literal(paidNo)} AND what = 'order' AND state = 'paid'`);
    expect(Number(handled[0]!.n)).toBe(1);
    expect(receiver.duplicates).toBe(0);
  }, 60_000);
});

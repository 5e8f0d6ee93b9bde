import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { payOnPage, submitCard } from './fees/helpers.ts';
import { FEE, literal, startFeeHost, type FeeHost } from './fees/host.ts';
import { BOTH_STORES } from './helpers/harness.ts';

/**
 * A fee-paying booking through the portal's API against the payment simulator over HTTP: the
 * confirmed contact makes the booking wait for its payment, the payment confirms it (with the
 * order number in the confirmation), and a confirmed booking never exists without a capture. Each
 * test ends with the client's net charge on the provider's statement: one fee, or zero.
 */

let f: FeeHost;
afterEach(async () => {
  await f.close();
});

describe.each(BOTH_STORES)('a fee-paying booking waits for its payment (%s)', (store) => {
  beforeEach(async () => {
    f = await startFeeHost(undefined, { store });
  });

  it('the portal shows the fee before a time is held; a free service shows none', async () => {
    const services = (await (await fetch(`${f.base}/api/v1/booking/offices/o1/services`)).json()) as { services: { id: string; fee: unknown }[] };
    expect(services.services.find((s) => s.id === 'o1-s1')?.fee).toEqual({ amount: FEE, currency: 'CZK', deadlineMin: 30 });
    await f.setFee(null);
    const free = (await (await fetch(`${f.base}/api/v1/booking/offices/o1/services`)).json()) as { services: { id: string; fee: unknown }[] };
    expect(free.services.find((s) => s.id === 'o1-s1')?.fee).toBeNull();
  });

  it('confirming the contact → awaiting_payment with its order; paying → confirmed, and the confirmation names the order', async () => {
    const confirmedAt = f.h.clock.now();
    const { holdKey, slotId, confirmed } = await f.book();
    expect(confirmed).toMatchObject({ state: 'awaiting_payment', number: null, kioskCode: null });
    const order = confirmed.order!;
    expect(order).toMatchObject({ state: 'awaiting_payment', amount: FEE, currency: 'CZK', deadlineAt: confirmedAt + 30 * 60_000 });
    // The place stays held until the deadline, long after the hold's own 15 minutes.
    expect(confirmed.holdExpiresAt).toBe(order.deadlineAt);
    const freeBefore = await f.free(slotId);
    f.h.clock.advance(20 * 60_000);
    await f.h.booking.sweep();
    expect((await f.own(holdKey)).state).toBe('awaiting_payment');
    expect(await f.free(slotId)).toBe(freeBefore);
    f.h.clock.set(Date.now());

    const { view } = await f.pay(holdKey);
    expect(view.orderNo).toBe(order.orderNo);
    const done = await payOnPage(view.nextUrl!);
    expect((await f.returnTo(done.location!)).state).toBe('paid');
    const own = await f.own(holdKey);
    expect(own).toMatchObject({ state: 'confirmed', order: { orderNo: order.orderNo, state: 'paid' } });
    expect(own.kioskCode).toMatch(/^\d{8}$/);
    await f.drain();
    const mail = await f.h.booking.mailSink!.next((m) => m.subject.includes(own.number!));
    expect(mail.text).toContain(order.orderNo);
    expect(await f.netCharge(order.orderNo)).toBe(FEE);
  });

  it('a confirmed booking never exists without a captured payment: a declined card leaves it waiting', async () => {
    const { holdKey, confirmed } = await f.book();
    const { view } = await f.pay(holdKey);
    const declined = await payOnPage(view.nextUrl!, { cardNo: '4000000000000002' });
    expect((await f.returnTo(declined.location!)).attempts[0]?.state).toBe('failed');
    expect((await f.own(holdKey)).state).toBe('awaiting_payment');
    const [confirmedRows] = await f.h.sql<{ n: number }>(`SELECT count(*) AS n FROM bookings b JOIN fee_orders o ON o.booking_id = b.id WHERE b.state = 'confirmed' AND o.state <> 'paid'`);
    expect(confirmedRows?.n).toBe(0);
    expect(await f.netCharge(confirmed.order!.orderNo)).toBe(0);
  });

  it('reload during the redirect: the return URL hit twice (and at once) answers paid both times, one charge, one confirmation', async () => {
    const { holdKey, confirmed } = await f.book();
    const { view } = await f.pay(holdKey);
    const done = await payOnPage(view.nextUrl!);
    const [a, b] = await Promise.all([f.returnTo(done.location!), f.returnTo(done.location!)]);
    expect([a.state, b.state]).toEqual(['paid', 'paid']);
    expect((await f.returnTo(done.location!)).state).toBe('paid');
    // Back to the provider's page of a finished payment sends the citizen back again, nothing charged.
    const back = await fetch(view.nextUrl!, { redirect: 'manual' });
    expect(back.status).toBe(303);
    const own = await f.own(holdKey);
    expect(own.state).toBe('confirmed');
    await f.drain();
    const { id } = await f.bookingOf(confirmed.order!.orderNo);
    const [confirmations] = await f.h.sql<{ n: number }>(`SELECT count(*) AS n FROM outbox WHERE kind = 'confirmed' AND booking_id = ${literal(id)}`);
    expect(confirmations?.n).toBe(1);
    expect(await f.netCharge(confirmed.order!.orderNo)).toBe(FEE);
  });

  it('two windows: both press pay and send the card at once → one payment, one charge; a later press sees the order paid', async () => {
    const { holdKey, confirmed } = await f.book();
    const [w1, w2] = await Promise.all([f.pay(holdKey), f.pay(holdKey)]);
    expect(w2.view.nextUrl).toBe(w1.view.nextUrl);
    expect((await fetch(w1.view.nextUrl!)).status).toBe(200);
    const form = `${f.sim.url}/secure/${w1.view.nextUrl!.split('/').pop()!}`;
    const [r1, r2] = await Promise.all([submitCard(form), submitCard(form)]);
    await f.returnTo((r1.location ?? r2.location)!);
    const later = await f.pay(holdKey);
    expect(later.status).toBe(200);
    expect(later.view).toMatchObject({ state: 'paid', paying: false, nextUrl: null });
    expect(later.view.attempts).toHaveLength(1);
    expect(await f.netCharge(confirmed.order!.orderNo)).toBe(FEE);
  });
});

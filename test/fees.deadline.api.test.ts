import { afterEach, describe, expect, it } from 'vitest';
import { payOnPage } from './fees/helpers.ts';
import { FEE, feeConfig, startFeeHost, type FeeHost } from './fees/host.ts';
import { BOTH_STORES } from './helpers/harness.ts';

/**
 * The payment deadline, the provider's faults and the sweep (with the booking sweeps, on the host's
 * clock), over HTTP against the payment simulator. Each test ends with the client's net charge on
 * the provider's statement: one fee, or zero.
 */

let f: FeeHost;
afterEach(async () => {
  await f.close();
});

/** A booking whose contact was confirmed `minutesAgo` before the provider's time now (its deadline 30 minutes after that). */
async function bookedAgo(minutesAgo: number) {
  f.h.clock.set(Date.now() - minutesAgo * 60_000);
  const booked = await f.book();
  f.h.clock.set(Date.now());
  return { ...booked, orderNo: booked.confirmed.order!.orderNo, deadline: booked.confirmed.order!.deadlineAt };
}

describe.each(BOTH_STORES)('the payment deadline (%s)', (store) => {
  it('passing unpaid expires the order and frees the place at once: the portal offers the time again; paying then is refused', async () => {
    f = await startFeeHost(undefined, { store });
    const { holdKey, slotId, orderNo, deadline } = await bookedAgo(29);
    const whileWaiting = await f.free(slotId);
    await f.h.booking.sweep();
    expect(await f.free(slotId)).toBe(whileWaiting);
    f.h.clock.set(deadline + 1000);
    await f.h.booking.sweep();
    expect(await f.free(slotId)).toBe(whileWaiting + 1);
    expect((await f.own(holdKey)).state).toBe('expired');
    expect((await f.order(orderNo)).state).toBe('expired');
    const late = await f.pay(holdKey);
    expect([late.status, late.code]).toEqual([410, 'FEE_DEADLINE_PASSED']);
    expect(await f.netCharge(orderNo)).toBe(0);
  });

  it('a payment that lands after the deadline is refunded, the client told with the provider’s reference; the place stays free', async () => {
    f = await startFeeHost(undefined, { store });
    const { holdKey, slotId, orderNo, deadline } = await bookedAgo(29.5);
    // The card is sent in time, but the provider confirms it only after the deadline.
    await f.setFaults(orderNo, 'confirm_late:4000');
    const { view } = await f.pay(holdKey);
    const sent = await payOnPage(view.nextUrl!);
    expect(sent.status).toBe(303);
    const before = await f.free(slotId);
    f.h.clock.set(Math.max(deadline + 1000, Date.now()));
    await f.h.booking.sweep();
    expect((await f.order(orderNo)).state).toBe('expired');
    expect(await f.free(slotId)).toBe(before + 1);
    // The late success arrives by webhook; reconciliation asks again until the refund has settled.
    await f.sim.settled();
    for (let i = 0; i < 6 && (await f.order(orderNo)).attempts[0]?.state !== 'refunded'; i++) {
      f.h.clock.advance(10 * 60_000);
      await f.h.booking.sweep();
      await f.sim.settled();
    }
    const o = await f.order(orderNo);
    expect(o.state).toBe('expired');
    expect(o.attempts[0]).toMatchObject({ state: 'refunded', refunded: FEE });
    expect((await f.bookingOf(orderNo)).state).toBe('expired');
    await f.drain();
    const told = await f.h.booking.mailSink!.next((m) => m.subject.includes(orderNo));
    expect(told.text).toContain(o.attempts[0]!.providerRef!);
    expect(await f.netCharge(orderNo)).toBe(0);
  });

  it('a provider that times out, then answers: one payment at the provider (the same key), paid once', async () => {
    f = await startFeeHost(feeConfig(), { timeoutMs: 1500, store });
    const { holdKey, confirmed } = await f.book();
    const orderNo = confirmed.order!.orderNo;
    await f.setFaults(orderNo, 'timeout');
    const first = await f.pay(holdKey);
    expect(first.status).toBe(200);
    expect(first.view.nextUrl).not.toBeNull();
    const done = await payOnPage(first.view.nextUrl!);
    expect((await f.returnTo(done.location!)).state).toBe('paid');
    const payments = (await (await fetch(`${f.sim.url}/v1/payments?reference=${orderNo}`, { headers: { authorization: 'Bearer api_test_fees' } })).json()) as { results: unknown[] };
    expect(payments.results).toHaveLength(1);
    expect((await f.own(holdKey)).state).toBe('confirmed');
    expect(await f.netCharge(orderNo)).toBe(FEE);
  });

  it('webhooks delivered twice and out of order pay the order once; the redirect never needed', async () => {
    f = await startFeeHost(undefined, { store });
    const { holdKey, confirmed } = await f.book();
    const orderNo = confirmed.order!.orderNo;
    await f.setFaults(orderNo, 'webhook_twice,out_of_order');
    const before = f.sim.deliveries.length;
    const { view } = await f.pay(holdKey);
    await payOnPage(view.nextUrl!);
    await f.sim.settled();
    const ds = f.sim.deliveries.slice(before);
    const ids = ds.map((d) => d.eventId);
    expect(ids.length).toBeGreaterThan(new Set(ids).size);
    expect(ds.every((d) => d.status === 200)).toBe(true);
    expect((await f.order(orderNo)).state).toBe('paid');
    expect((await f.own(holdKey)).state).toBe('confirmed');
    expect(await f.netCharge(orderNo)).toBe(FEE);
  });
});

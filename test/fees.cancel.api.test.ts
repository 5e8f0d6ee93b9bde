import { afterEach, describe, expect, it } from 'vitest';
import type { FeeData } from '../core/config/model.ts';
import { payOnPage } from './fees/helpers.ts';
import { FEE, feeConfig, startFeeHost, type FeeHost } from './fees/host.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';

/**
 * Cancelling a fee-paying booking, over HTTP against the payment simulator: the office's
 * cancellation refunds the fee (and tells the client) while its move keeps the paid fee with the
 * booking, the client's own cancellation follows the fee's rule, and a booking given up before
 * paying closes its payment page and frees its place. Each test ends with the client's net charge
 * on the provider's statement: one fee, or zero.
 */

let f: FeeHost;
afterEach(async () => {
  await f.close();
});

/** A booked and paid booking: its holder's key, order number, and the cancel link's token from the confirmation. */
async function paidBooking(store: TestStore, fee: FeeData = feeConfig()) {
  f = await startFeeHost(fee, { store });
  const { holdKey, slotId, orderNo, number } = await f.paid();
  await f.drain();
  const mail = await f.h.booking.mailSink!.next((m) => m.subject.includes(number));
  const cancelToken = /[?&]cancel=([A-Za-z0-9_-]{43})/.exec(mail.text)![1]!;
  return { holdKey, slotId, orderNo, cancelToken };
}

const cancelByClient = async (token: string) =>
  await fetch(`${f.base}/api/v1/booking/cancel`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });

const untilRefunded = (orderNo: string): Promise<void> => f.untilRefunded(orderNo);

describe.each(BOTH_STORES)('cancelling a fee-paying booking (%s)', (store) => {
  it('the office cancels a paid booking: the fee is refunded automatically and the client told with the payment reference', async () => {
    const { holdKey, orderNo } = await paidBooking(store);
    const change = await f.admin('POST', '/api/v1/offices/o1/office-change', { bookingIds: [(await f.bookingOf(orderNo)).id], action: 'cancel' });
    expect(change.status, change.body).toBe(200);
    expect((await f.own(holdKey)).state).toBe('cancelled');
    const o = await f.order(orderNo);
    expect(o.state).toBe('refunded');
    await untilRefunded(orderNo);
    await f.drain();
    const told = await f.h.booking.mailSink!.next((m) => m.subject.includes(orderNo));
    expect(told.text).toContain(o.attempts[0]!.providerRef!);
    expect(await f.netCharge(orderNo)).toBe(0);
  });

  it('the office moves a paid booking: the paid fee moves with it (same order, still paid, nothing refunded); cancelling it afterwards refunds it', async () => {
    const { holdKey, orderNo } = await paidBooking(store);
    const before = await f.bookingOf(orderNo);
    const change = await f.admin('POST', '/api/v1/offices/o1/office-change', { bookingIds: [before.id], action: 'move' });
    expect(change.status, change.body).toBe(200);
    const [moved] = (JSON.parse(change.body) as { bookings: { outcome: string; toStartAt: number }[] }).bookings;
    expect(moved).toMatchObject({ outcome: 'moved' });
    const own = await f.own(holdKey);
    expect(own.state).toBe('confirmed');
    expect(own.startAt).toBe(moved!.toStartAt);
    // The order stays with the moved booking, paid: the client owes nothing more and gets nothing back.
    expect((await f.bookingOf(orderNo)).id).toBe(before.id);
    expect((await f.order(orderNo)).state).toBe('paid');
    expect(await f.netCharge(orderNo)).toBe(FEE);
    // The office cancels it after all: now the fee goes back.
    expect((await f.admin('POST', '/api/v1/offices/o1/office-change', { bookingIds: [before.id], action: 'cancel' })).status).toBe(200);
    expect((await f.order(orderNo)).state).toBe('refunded');
    await untilRefunded(orderNo);
    expect(await f.netCharge(orderNo)).toBe(0);
  });

  it('the client cancels a paid booking under the default rule (no refund): the fee stays paid', async () => {
    const { holdKey, orderNo, cancelToken } = await paidBooking(store);
    expect((await cancelByClient(cancelToken)).status).toBe(200);
    expect((await f.own(holdKey)).state).toBe('cancelled');
    expect((await f.order(orderNo)).state).toBe('paid');
    expect(await f.netCharge(orderNo)).toBe(FEE);
  });

  it('the client cancels a paid booking where the office refunds in full: the fee goes back', async () => {
    const { holdKey, orderNo, cancelToken } = await paidBooking(store, feeConfig({ clientCancel: 'full' }));
    expect((await cancelByClient(cancelToken)).status).toBe(200);
    expect((await f.own(holdKey)).state).toBe('cancelled');
    expect((await f.order(orderNo)).state).toBe('refunded');
    await untilRefunded(orderNo);
    expect(await f.netCharge(orderNo)).toBe(0);
  });

  it('the client gives up a booking awaiting payment: its payment page is cancelled at the provider, the order expires, the place is free', async () => {
    f = await startFeeHost(undefined, { store });
    const { holdKey, slotId, confirmed } = await f.book();
    const orderNo = confirmed.order!.orderNo;
    const { view } = await f.pay(holdKey);
    expect((await fetch(view.nextUrl!)).status).toBe(200);
    const before = await f.free(slotId);
    const released = await fetch(`${f.base}/api/v1/booking/holds/${holdKey}/release`, { method: 'POST' });
    expect(released.status).toBe(200);
    expect(((await released.json()) as { state: string }).state).toBe('cancelled');
    expect(await f.free(slotId)).toBe(before + 1);
    const o = await f.order(orderNo);
    expect(o).toMatchObject({ state: 'expired', paying: false, nextUrl: null });
    expect(o.attempts[0]?.state).toBe('cancelled');
    // The page it left open can no longer take the card.
    const late = await payOnPage(view.nextUrl!);
    expect(late.status).not.toBe(200);
    expect(await f.netCharge(orderNo)).toBe(0);
  });
});

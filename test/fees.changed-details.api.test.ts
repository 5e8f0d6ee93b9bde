import { afterEach, describe, expect, it } from 'vitest';
import { payOnPage } from './fees/helpers.ts';
import { FEE, feeConfig, startFeeHost, type FeeHost } from './fees/host.ts';
import { policy } from './helpers/booking.ts';
import { BOTH_STORES, type TestStore } from './helpers/harness.ts';

/**
 * Changed details after payment (seed 003: "refund, then pay again"): the office moves a paid
 * booking to another of its services at the client's request, and the fee follows the service —
 * the paid order is refunded, and a new order with its own number is paid for the same booking
 * before it counts again. Over HTTP against the payment simulator, on both databases; each ends
 * with the net charge of every order on the provider's statement.
 */

const EXAM = 4000;
let f: FeeHost;
afterEach(async () => {
  await f.close();
});

async function start(store: TestStore, secondFee: number | null): Promise<void> {
  f = await startFeeHost(undefined, { store, policies: [policy('o1-s1'), policy('o1-s2')] });
  if (secondFee !== null) await f.setFee({ ...feeConfig(), amount: secondFee }, 'o1-s2');
}

/** The admin's change of a booking's service. */
const change = (bookingId: string, serviceId: string) => f.admin('POST', '/api/v1/offices/o1/office-change/service', { bookingId, serviceId });

describe.each(BOTH_STORES)('changed details after payment (%s)', (store) => {
  it('to a service with another fee: the paid order is refunded, the booking waits for a new order of the new fee, paying it confirms the booking again', async () => {
    await start(store, EXAM);
    const paid = await f.paid();
    const { id } = await f.bookingOf(paid.orderNo);
    const res = await change(id, 'o1-s2');
    expect(res.status, res.body).toBe(200);
    const body = JSON.parse(res.body) as { state: string; serviceId: string; orderNo: string; closedOrderNo: string };
    expect(body).toMatchObject({ state: 'awaiting_payment', serviceId: 'o1-s2', closedOrderNo: paid.orderNo });
    expect(body.orderNo).not.toBe(paid.orderNo);
    // The citizen's page: waiting for the new order, its amount and deadline; no kiosk code meanwhile.
    const own = await f.own(paid.holdKey);
    expect(own).toMatchObject({ state: 'awaiting_payment', kioskCode: null, order: { orderNo: body.orderNo, state: 'awaiting_payment', amount: EXAM } });
    expect((await f.order(paid.orderNo)).state).toBe('refunded');
    await f.untilRefunded(paid.orderNo);
    expect(await f.netCharge(paid.orderNo)).toBe(0);

    const { view } = await f.pay(paid.holdKey);
    expect(view.orderNo).toBe(body.orderNo);
    const done = await payOnPage(view.nextUrl!);
    expect((await f.returnTo(done.location!)).state).toBe('paid');
    expect(await f.own(paid.holdKey)).toMatchObject({ state: 'confirmed', order: { orderNo: body.orderNo, state: 'paid' } });
    expect((await f.own(paid.holdKey)).kioskCode).toMatch(/^\d{8}$/);
    expect(await f.netCharge(body.orderNo)).toBe(EXAM);
    // Staff see both orders of the booking, the refunded one first.
    const orders = await f.admin('GET', `/api/v1/offices/o1/fees/orders?booking=${paid.number}`);
    expect((JSON.parse(orders.body) as { orders: { orderNo: string; state: string }[] }).orders.map((o) => [o.orderNo, o.state])).toEqual([
      [paid.orderNo, 'refunded'],
      [body.orderNo, 'paid'],
    ]);
  });

  it('to a free service: the fee goes back and the booking stays confirmed', async () => {
    await start(store, null);
    const paid = await f.paid();
    const res = await change((await f.bookingOf(paid.orderNo)).id, 'o1-s2');
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ state: 'confirmed', serviceId: 'o1-s2', orderNo: null, closedOrderNo: paid.orderNo });
    expect((await f.own(paid.holdKey)).state).toBe('confirmed');
    await f.untilRefunded(paid.orderNo);
    expect(await f.refunds(paid.orderNo)).toBe(1);
    expect(await f.netCharge(paid.orderNo)).toBe(0);
  });

  it('refused, changing nothing: the same service, an unknown booking or service, a clerk', async () => {
    await start(store, EXAM);
    const paid = await f.paid();
    const { id } = await f.bookingOf(paid.orderNo);
    const same = await change(id, 'o1-s1');
    expect([same.status, (JSON.parse(same.body) as { error: { code: string } }).error.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await change('nope', 'o1-s2')).status).toBe(404);
    expect((await change(id, 'o2-s9')).status).toBe(404);
    const clerk = await f.h.app.inject({ method: 'POST', url: '/api/v1/offices/o1/office-change/service', headers: { cookie: f.h.cookie('clerk1') }, payload: { bookingId: id, serviceId: 'o1-s2' } });
    expect([401, 403]).toContain(clerk.statusCode);
    expect(await f.own(paid.holdKey)).toMatchObject({ state: 'confirmed', order: { orderNo: paid.orderNo, state: 'paid' } });
    expect(await f.netCharge(paid.orderNo)).toBe(FEE);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import type { IdentityKeyPolicy } from '../core/booking/model.ts';
import { payOnPage } from './fees/helpers.ts';
import { FEE, startFeeHost, type FeeHost } from './fees/host.ts';
import { policy } from './helpers/booking.ts';
import { BOTH_STORES } from './helpers/harness.ts';
import { changeBookingsByOffice } from '../core/booking/office-change.ts';
import { bookingCore } from '../server/fee-runtime.ts';

/**
 * Every way the office (not the client) ends a fee-paying booking, over HTTP against the payment
 * simulator, on both databases: a ban for fictitious data, an identity key's cancel-all rule, and
 * a service removed from the office. A paid fee goes back exactly once, an order still awaiting
 * its payment is closed (its page cancelled at the provider), and each ends with the client's net
 * charge on the provider's statement at zero.
 */

const VIN = 'WVWZZZ1JZXW000001';
const CHASSIS: IdentityKeyPolicy = { required: true, label: { en: 'Chassis serial (VIN)', ro: 'Seria șasiului', cs: 'Číslo karoserie (VIN)', 'zh-CN': '车架号' } };

let f: FeeHost;
afterEach(async () => {
  await f.close();
});

describe.each(BOTH_STORES)('the office ends a fee-paying booking (%s)', (store) => {
  it('a ban for fictitious data: the paid booking’s fee goes back once, the same person’s unpaid booking is closed, both places free', async () => {
    f = await startFeeHost(undefined, { store });
    const paid = await f.paid({ email: 'ion@example.org' });
    const waiting = await f.book({ email: 'ion@example.org' });
    const page = (await f.pay(waiting.holdKey)).view.nextUrl!;
    const freeBefore = await f.free(waiting.slotId);

    const ban = await f.admin('POST', '/api/v1/booking/offices/o1/bans', { number: paid.number, reason: 'no such person' });
    expect(ban.status, ban.body).toBe(201);
    expect((await f.own(paid.holdKey)).state).toBe('cancelled');
    expect((await f.own(waiting.holdKey)).state).toBe('cancelled');
    // Both places come back (the two bookings may share a time).
    expect(await f.free(waiting.slotId)).toBe(freeBefore + (paid.slotId === waiting.slotId ? 2 : 1));
    expect((await f.order(paid.orderNo)).state).toBe('refunded');
    expect((await f.order(waiting.confirmed.order!.orderNo)).state).toBe('expired');
    // The page left open can no longer take the card.
    expect((await payOnPage(page)).status).not.toBe(200);

    // Banned again, and the office's own cancel of the same booking: nothing more goes back.
    expect((await f.admin('POST', '/api/v1/booking/offices/o1/bans', { number: paid.number, reason: 'again' })).status).toBe(201);
    const change = await f.admin('POST', '/api/v1/offices/o1/office-change', { bookingIds: [(await f.bookingOf(paid.orderNo)).id], action: 'cancel' });
    expect(JSON.parse(change.body)).toMatchObject({ bookings: [{ outcome: 'kept' }] });
    await f.untilRefunded(paid.orderNo);
    expect(await f.refunds(paid.orderNo)).toBe(1);
    expect(await f.netCharge(paid.orderNo)).toBe(0);
    expect(await f.netCharge(waiting.confirmed.order!.orderNo)).toBe(0);
  });

  it('cancel-all of an identity key: a second booking of the same chassis serial cancels the paid first one, and its fee goes back once', async () => {
    f = await startFeeHost(undefined, { store, policies: [policy('o1-s1', { identityKey: CHASSIS })], rules: { identityDuplicates: 'cancelAll' } });
    const paid = await f.paid({ email: 'ion@example.org', identityKey: VIN });
    const second = await f.book({ email: 'ana@example.org', identityKey: 'wvw zzz 1jz xw 000001', status: 409 });
    expect((await f.own(second.holdKey)).state).toBe('cancelled');
    expect((await f.own(paid.holdKey)).state).toBe('cancelled');
    expect((await f.order(paid.orderNo)).state).toBe('refunded');
    await f.untilRefunded(paid.orderNo);
    await f.drain();
    const told = await f.h.booking.mailSink!.next((m) => m.to.includes('ion@example.org') && m.subject.includes(paid.orderNo));
    expect(told.text).toContain((await f.order(paid.orderNo)).attempts[0]!.providerRef!);
    expect(await f.refunds(paid.orderNo)).toBe(1);
    expect(await f.netCharge(paid.orderNo)).toBe(0);
  });

  it('a service removed: its paid bookings are reported affected, the office cancels them, and the fee goes back once', async () => {
    f = await startFeeHost(undefined, { store });
    const paid = await f.paid();
    const { id } = await f.bookingOf(paid.orderNo);
    // Counter 2 serves only this service: it is given another first, as the office must.
    expect((await f.admin('PATCH', '/api/v1/offices/o1/counters/o1-c2', { serviceIds: ['o1-s2'] })).status).toBe(200);
    const removed = await f.admin('DELETE', '/api/v1/offices/o1/services/o1-s1');
    expect(removed.status, removed.body).toBe(200);
    expect((JSON.parse(removed.body) as { affectedBookings: { bookingId: string }[] }).affectedBookings.map((b) => b.bookingId)).toContain(id);
    const change = await f.admin('POST', '/api/v1/offices/o1/office-change', { bookingIds: [id], action: 'cancel' });
    expect(JSON.parse(change.body)).toMatchObject({ bookings: [{ outcome: 'cancelled' }] });
    expect((await f.order(paid.orderNo)).state).toBe('refunded');
    await f.untilRefunded(paid.orderNo);
    expect(await f.refunds(paid.orderNo)).toBe(1);
    expect(await f.netCharge(paid.orderNo)).toBe(0);
  });

  it('a crash right after the office’s cancel committed: the refund was recorded in that unit, and reconciliation sends it, once', async () => {
    f = await startFeeHost(undefined, { store });
    const paid = await f.paid();
    const { id } = await f.bookingOf(paid.orderNo);
    // The office's cancel as its route runs it, then nothing more: the host stops before asking the provider.
    const core = bookingCore({ clock: f.h.clock, publicUrl: f.base, booking: f.h.booking.server, fees: { fees: f.fees, config: f.h.stores.config, ids: f.h.ids } });
    const r = await f.h.queue.run(async (store) => await changeBookingsByOffice(core(store), { officeId: 'o1', bookingIds: [id], action: 'cancel' }));
    expect(r.ok && r.value[0]?.outcome).toBe('cancelled');
    expect((await f.order(paid.orderNo)).state).toBe('refunded');
    expect(await f.netCharge(paid.orderNo)).toBe(FEE);
    await f.h.booking.sweep();
    await f.untilRefunded(paid.orderNo);
    expect(await f.refunds(paid.orderNo)).toBe(1);
    expect(await f.netCharge(paid.orderNo)).toBe(0);
  });
});

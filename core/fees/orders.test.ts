import { describe, expect, it } from 'vitest';
import type { FeeData } from '../config/model.ts';
import { fakeOrderStore } from './orders.fake.ts';
import { openOrder, payingUrl, processObservation, type FeeDeps } from './orders.ts';
import { FakePaymentProvider } from './payment.fake.ts';

const FEE: FeeData = { amount: 2500, currency: 'CZK', deadlineMin: 30, refunds: { clientCancel: 'none', officeChange: 'refund' } };
let n = 0;
const ids = { ticketId: () => `t${++n}`, entityId: (p: string) => `${p}_${++n}` };

function world() {
  const provider = new FakePaymentProvider();
  const deps: FeeDeps = { orders: fakeOrderStore(), execute: { payments: provider, returnUrl: (no, a) => `https://office/pay/${no}/${a}`, description: 'Exam fee' } };
  return { provider, deps };
}

describe('fees use case', () => {
  it('opens one order per booking, its deadline counted from the confirmation', async () => {
    const { deps } = world();
    const p = { bookingId: 'b1', officeId: 'o1', serviceId: 's1', fee: FEE, confirmedAt: 1_000 };
    const a = await openOrder({ orders: deps.orders, ids }, p);
    const b = await openOrder({ orders: deps.orders, ids }, p);
    expect(a.ok && b.ok && a.value.order.orderNo === b.value.order.orderNo).toBe(true);
    expect(a.ok && a.value.order).toMatchObject({ amount: 2500, currency: 'CZK', deadline: 1_000 + 30 * 60_000, state: 'awaiting_payment' });
  });

  it('two presses of pay at once make one payment at the provider, and both answer its page', async () => {
    const { deps, provider } = world();
    const o = await openOrder({ orders: deps.orders, ids }, { bookingId: 'b1', officeId: 'o1', serviceId: 's1', fee: FEE, confirmedAt: 0 });
    if (!o.ok) throw new Error('no order');
    const no = o.value.order.orderNo;
    const [x, y] = await Promise.all([processObservation(deps, no, { kind: 'pay', at: 5 }, 5), processObservation(deps, no, { kind: 'pay', at: 5 }, 5)]);
    expect(provider.payments.size).toBe(1);
    const stored = (await deps.orders.load(no))!;
    expect(stored.order.attempts).toHaveLength(1);
    expect(payingUrl(stored.order)).toMatch(/^fake:\/\/secure\//);
    expect([x.ok && x.value.refused, y.ok && y.value.refused].sort()).toEqual([undefined, 'in_flight'].sort());
  });

  it('a provider that keeps timing out is asked twice per press (open, then once again under its key), the attempt left in flight', async () => {
    const { deps, provider } = world();
    const o = await openOrder({ orders: deps.orders, ids }, { bookingId: 'b1', officeId: 'o1', serviceId: 's1', fee: FEE, confirmedAt: 0 });
    if (!o.ok) throw new Error('no order');
    const no = o.value.order.orderNo;
    provider.faults.set(no, { timeouts: 100 });
    let calls = 0;
    const create = provider.createPayment.bind(provider);
    provider.createPayment = async (...args) => (calls++, await create(...args));
    const r = await processObservation(deps, no, { kind: 'pay', at: 5 }, 5);
    expect(calls).toBe(2);
    expect(r.ok && r.value.order.order.attempts.map((a) => a.state)).toEqual(['created']);
    // The next press asks once more under the same key: still one payment at the provider.
    await processObservation(deps, no, { kind: 'pay', at: 6 }, 6);
    expect(calls).toBe(3);
    expect(provider.payments.size).toBe(1);
  });

  it('commits before calling the provider, and hands the booking its part (confirm) once paid', async () => {
    const { deps, provider } = world();
    const o = await openOrder({ orders: deps.orders, ids }, { bookingId: 'b1', officeId: 'o1', serviceId: 's1', fee: FEE, confirmedAt: 0 });
    if (!o.ok) throw new Error('no order');
    const no = o.value.order.orderNo;
    await processObservation(deps, no, { kind: 'pay', at: 5 }, 5);
    const ref = (await deps.orders.load(no))!.order.attempts[0]!.providerRef!;
    provider.submit(ref, 'success');
    const hook = provider.outbox.find((w) => w.payment.state === 'succeeded')!;
    const r = await processObservation(deps, no, { kind: 'provider', at: 9, source: 'webhook', attempt: 1, providerRef: ref, state: 'succeeded', captured: hook.payment.captured }, 9);
    expect(r.ok && r.value.effects.map((e) => e.kind)).toEqual(['confirm_booking']);
    expect(r.ok && r.value.order.order.state).toBe('paid');
    // The same news again (a webhook twice, the redirect after it) changes nothing and asks nothing.
    const again = await processObservation(deps, no, { kind: 'provider', at: 10, source: 'redirect', attempt: 1, providerRef: ref, state: 'succeeded', captured: 2500 }, 10);
    expect(again.ok && again.value.effects).toEqual([]);
    expect(again.ok && again.value.order.version).toBe(r.ok ? r.value.order.version : -1);
  });

  it('an unknown order is refused', async () => {
    const { deps } = world();
    expect(await processObservation(deps, 'nope', { kind: 'reconcile', at: 1 }, 1)).toEqual({ ok: false, error: { code: 'FEE_ORDER_NOT_FOUND' } });
  });
});

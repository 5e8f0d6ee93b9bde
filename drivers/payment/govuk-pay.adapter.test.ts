import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { paymentKey, refundKey } from '../../core/fees/model.ts';
import type { PaymentOrder } from '../../core/fees/ports.ts';
import { payOnPage, startWebhookReceiver, waitFor } from '../../test/fees/helpers.ts';
import { govukPay, mapStatus, parseWebhook } from './govuk-pay.adapter.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from './simulator/server.ts';
import { signWebhook, verifyWebhook } from './webhook-signature.ts';

const KEY = 'api_test_adapter';
const SECRET = 'whsec_adapter';
let sim: PaymentSimulatorHandle;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;
const order = (orderNo: string): PaymentOrder => ({ orderNo, amount: 4200, currency: 'GBP', description: 'Document fee', returnUrl: `https://fronta.example/pay/${orderNo}` });
const setFaults = (reference: string, simulate: string) =>
  fetch(`${sim.url}/simulator/faults/${reference}`, { method: 'PUT', headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' }, body: JSON.stringify({ simulate }) });

beforeEach(async () => {
  hook = await startWebhookReceiver();
  sim = await startPaymentSimulator({ apiKey: KEY, webhookSecret: SECRET, webhookUrl: hook.url, hangMs: 800, refundDelayMs: 10, webhookRetryBaseMs: 20 });
});
afterEach(async () => {
  await sim.close();
  await hook.close();
});

describe('GOV.UK Pay adapter against the simulator', () => {
  it('creates with our order number as reference and our key; the same key again gives the same payment', async () => {
    const pay = govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 2000 });
    const a = await pay.createPayment(order('F-1'), 1, paymentKey('F-1', 1));
    const b = await pay.createPayment(order('F-1'), 1, paymentKey('F-1', 1));
    expect(a).toMatchObject({ ok: true, value: { reference: 'F-1', attempt: 1, amount: 4200, state: 'created', captured: 0 } });
    expect(b.ok && a.ok && b.value.providerRef === a.value.providerRef).toBe(true);
    // The same key with another body (another amount) is refused, never a second payment.
    expect(await pay.createPayment({ ...order('F-1'), amount: 1 }, 1, paymentKey('F-1', 1))).toMatchObject({ ok: false, reason: 'refused', code: 'P0191' });
    expect(await govukPay({ baseUrl: sim.url, apiKey: 'wrong' }).getPayment('x')).toMatchObject({ ok: false, reason: 'refused', code: 'P0920' });
  });

  it('a create that hangs past the timeout reports timeout; the retry with the same key finds the payment at once', async () => {
    const pay = govukPay({ baseUrl: sim.url, apiKey: KEY, timeoutMs: 250 });
    await setFaults('F-2', 'timeout');
    expect(await pay.createPayment(order('F-2'), 1, paymentKey('F-2', 1))).toEqual({ ok: false, reason: 'timeout' });
    const again = await pay.createPayment(order('F-2'), 1, paymentKey('F-2', 1));
    expect(again).toMatchObject({ ok: true, value: { state: 'created' } });
    const st = await fetch(`${sim.url}/v1/payments?reference=F-2`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await st.json()) as { results: unknown[] }).results).toHaveLength(1);
  });

  it('maps provider states to attempt states, cancels, refunds under our key and reads the statement', async () => {
    expect(['created', 'started', 'submitted', 'success', 'failed', 'cancelled', 'error'].map(mapStatus)).toEqual(['created', 'submitted', 'submitted', 'succeeded', 'failed', 'cancelled', 'failed']);
    const pay = govukPay({ baseUrl: sim.url, apiKey: KEY });
    const c = await pay.createPayment(order('F-3'), 1, paymentKey('F-3', 1));
    if (!c.ok) throw new Error('create failed');
    await payOnPage(c.value.nextUrl!);
    const got = await pay.getPayment(c.value.providerRef);
    expect(got).toMatchObject({ ok: true, value: { state: 'succeeded', providerStatus: 'success', captured: 4200, nextUrl: null } });
    expect(got.ok && typeof got.value.capturedAt === 'number').toBe(true);
    expect(await pay.cancelPayment(c.value.providerRef)).toEqual({ ok: true, value: false });
    const r1 = await pay.refund(c.value.providerRef, 4200, refundKey('F-3', 1, 1));
    const r2 = await pay.refund(c.value.providerRef, 4200, refundKey('F-3', 1, 1));
    expect(r1).toMatchObject({ ok: true, value: { amount: 4200, state: 'submitted' } });
    expect(r1.ok && r2.ok && r1.value.refundId === r2.value.refundId).toBe(true);
    await sim.settled();
    expect(await pay.listRefunds(c.value.providerRef)).toMatchObject({ ok: true, value: [{ amount: 4200, state: 'succeeded' }] });
    const statement = await pay.listStatement();
    expect(statement.ok && statement.value.map((e) => [e.type, e.reference, e.amount])).toEqual([['charge', 'F-3', 4200], ['refund', 'F-3', 4200]]);

    const open = await pay.createPayment(order('F-4'), 1, paymentKey('F-4', 1));
    if (!open.ok) throw new Error('create failed');
    expect(await pay.cancelPayment(open.value.providerRef)).toEqual({ ok: true, value: true });
    expect(await pay.getPayment(open.value.providerRef)).toMatchObject({ ok: true, value: { state: 'cancelled' } });
  });

  it('a double charge shows as twice the fee captured', async () => {
    const pay = govukPay({ baseUrl: sim.url, apiKey: KEY });
    await setFaults('F-5', 'charge_twice');
    const c = await pay.createPayment(order('F-5'), 1, paymentKey('F-5', 1));
    if (!c.ok) throw new Error('create failed');
    await payOnPage(c.value.nextUrl!);
    expect(await pay.getPayment(c.value.providerRef)).toMatchObject({ ok: true, value: { captured: 8400 } });
  });

  it('a real webhook verifies and parses; forged, tampered or replayed later, it is refused', async () => {
    const pay = govukPay({ baseUrl: sim.url, apiKey: KEY });
    const c = await pay.createPayment(order('F-6'), 2, paymentKey('F-6', 2));
    if (!c.ok) throw new Error('create failed');
    await payOnPage(c.value.nextUrl!);
    await waitFor(() => hook.received.length >= 2);
    const w = hook.received.find((x) => x.raw.includes('card_payment_succeeded'))!;
    const nowS = Math.floor(Date.now() / 1000);
    expect(verifyWebhook({ secret: SECRET, header: w.signature, rawBody: w.raw, nowSeconds: nowS }).ok).toBe(true);
    expect(parseWebhook(w.raw)).toMatchObject({ eventType: 'card_payment_succeeded', payment: { reference: 'F-6', attempt: 2, state: 'succeeded', captured: 4200 } });
    // A forger without the secret, a changed amount, the same webhook six minutes later.
    expect(verifyWebhook({ secret: SECRET, header: signWebhook('guess', w.raw, nowS), rawBody: w.raw, nowSeconds: nowS })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ secret: SECRET, header: w.signature, rawBody: w.raw.replace('"amount":4200', '"amount":1'), nowSeconds: nowS })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verifyWebhook({ secret: SECRET, header: w.signature, rawBody: w.raw, nowSeconds: nowS + 360 })).toEqual({ ok: false, reason: 'too_old' });
    expect(parseWebhook('not json')).toBeNull();
  });
});

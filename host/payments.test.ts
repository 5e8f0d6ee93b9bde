import { afterEach, describe, expect, it } from 'vitest';
import { paymentKey } from '../core/fees/model.ts';
import { payOnPage } from '../test/fees/helpers.ts';
import { readPaymentConfig } from './config.ts';
import { createPayments, type PaymentsRuntime } from './payments.ts';

let rt: PaymentsRuntime | null = null;
afterEach(async () => {
  await rt?.close();
  rt = null;
});

describe('payment provider of the host', () => {
  it('the demo runs the payment simulator on loopback and pays through it', async () => {
    rt = await createPayments(readPaymentConfig({}), true);
    expect(rt?.simulator?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const c = await rt!.port.createPayment({ orderNo: 'D-1', amount: 500, currency: 'GBP', description: 'Demo fee', returnUrl: 'http://127.0.0.1/back' }, 1, paymentKey('D-1', 1));
    if (!c.ok) throw new Error('create failed');
    expect((await payOnPage(c.value.nextUrl!)).location).toBe('http://127.0.0.1/back');
    expect(await rt!.port.getPayment(c.value.providerRef)).toMatchObject({ ok: true, value: { state: 'succeeded' } });
  });

  it('without a provider and without the demo, no fees online; a configured provider needs its key', async () => {
    expect(await createPayments(readPaymentConfig({}), false)).toBeNull();
    expect(() => readPaymentConfig({ FRONTA_PAY_URL: 'https://publicapi.payments.service.gov.uk' })).toThrow(/FRONTA_PAY_API_KEY/);
    rt = await createPayments(readPaymentConfig({ FRONTA_PAY_URL: 'https://pay.example/', FRONTA_PAY_API_KEY: 'k' }), true);
    expect(rt?.simulator).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payOnPage } from '../fees/helpers.ts';
import { FEE, startFeeHost, type FeeHost } from '../fees/host.ts';
import { startFaultProxy, type FaultProxy, type ProxyMode } from './fault-proxy.ts';
import { FULL_SIZE, report, sleep } from './report.ts';

/**
 * The payment provider down, slow and refusing while citizens pay their bookings' fees. Real parts:
 * the booking host with fees on loopback, the payment simulator (GOV.UK Pay's API, its card page,
 * its signed webhooks) reached by the host through a TCP proxy that plays the fault
 * (fault-proxy.ts), real SMTP for the confirmations. For each booking: pay while the provider is
 * faulty (the answer says the payment service is not answering, and the booking stays waiting
 * for its payment), pay again once it is back, pay on the card page, come back while it is faulty
 * again (the webhook still tells the host). Checked by the provider's own statement: each order
 * charged exactly once, no booking confirmed without its fee captured.
 */

const TIMEOUT_MS = 800;
const MODES: readonly ProxyMode[] = ['down', 'refuse', 'slow'];
const PER_MODE = FULL_SIZE ? 6 : 2;

let proxy: FaultProxy;
let f: FeeHost;

beforeAll(async () => {
  f = await startFeeHost(undefined, {
    timeoutMs: TIMEOUT_MS,
    providerUrl: async (simUrl) => {
      proxy = await startFaultProxy(Number(new URL(simUrl).port));
      return proxy.url('http');
    },
  });
});

afterAll(async () => {
  await proxy.set('up');
  await f.close();
  await proxy.close();
});

describe('device and network faults: the payment provider down, slow or refusing', () => {
  it('charges no order twice, confirms no booking without its payment, and tells the citizen what is delayed', { timeout: 240_000 }, async () => {
    const answers = new Map<string, number>();
    const unexpected: string[] = [];
    const tally = (key: string): void => void answers.set(key, (answers.get(key) ?? 0) + 1);
    const paid: string[] = [];
    let faults = 0;
    let runs = 0;
    let confirmedUnpaid = 0;
    let slowestPay = 0;
    /** How long after the provider came back the order could be paid (ms). */
    const payableAfter: number[] = [];

    for (let i = 0; i < MODES.length * PER_MODE; i++) {
      const mode = MODES[i % MODES.length]!;
      const { holdKey, confirmed } = await f.book();
      const orderNo = confirmed.order!.orderNo;

      // Paying while the provider is faulty: told so in the citizen's words, nothing confirmed.
      await proxy.set(mode, TIMEOUT_MS * 2);
      faults++;
      const pressedAt = performance.now();
      const refused = await f.pay(holdKey);
      const waited = performance.now() - pressedAt;
      slowestPay = Math.max(slowestPay, waited);
      // One call and one ask again under its key, each cut at the timeout: never a press held for longer.
      if (waited > 3 * TIMEOUT_MS) unexpected.push(`${mode}: pay answered after ${Math.round(waited)} ms`);
      runs++;
      tally(`${mode} pay ${refused.status} ${refused.code ?? (refused.view.paying ? 'paying' : refused.view.state)}`);
      if (refused.status >= 500) unexpected.push(`${mode}: ${refused.status} ${JSON.stringify(refused.view)}`);
      else if (refused.status === 409) {
        const message = (refused.view as unknown as { error: { message: string } }).error.message;
        if (refused.code !== 'FEE_PROVIDER_UNAVAILABLE' || !/payment service is not answering/.test(message)) unexpected.push(`${mode}: ${refused.code} ${message}`);
      } else if (refused.status !== 200 || !refused.view.paying) unexpected.push(`${mode}: ${refused.status} ${JSON.stringify(refused.view)}`);
      if ((await f.own(holdKey)).state !== 'awaiting_payment') confirmedUnpaid++;

      // The provider back: the same order, one payment page, paid.
      await proxy.set('up');
      let again = await f.pay(holdKey);
      // An attempt whose opening got no answer is settled by the fee sweep's reconciliation first.
      const backAt = performance.now();
      for (let tries = 0; again.view.nextUrl == null && tries < 100; tries++) {
        await f.h.booking.sweep();
        await sleep(50);
        again = await f.pay(holdKey);
      }
      payableAfter.push(performance.now() - backAt);
      runs++;
      tally(`up pay ${again.status}`);
      expect(again.view.orderNo, JSON.stringify(again.view)).toBe(orderNo);
      const done = await payOnPage(again.view.nextUrl!);

      // Back from the card page while the provider is faulty again: the answer waits on nothing
      // the host cannot know, and the provider's webhook (not through the proxy) confirms it.
      await proxy.set(mode, TIMEOUT_MS * 2);
      faults++;
      const back = await f.returnTo(done.location!);
      runs++;
      tally(`${mode} return ${back.state}`);
      await expect.poll(async () => (await f.own(holdKey)).state, { timeout: 20_000 }).toBe('confirmed');
      await proxy.set('up');
      paid.push(orderNo);
    }

    // Reconciliation and refunds settle; then the provider's statement is the judge.
    await f.h.booking.sweep();
    await f.drain();
    const charges = await Promise.all(paid.map(async (o) => [o, await f.netCharge(o)] as const));
    const lost = charges.filter(([, c]) => c < FEE).length;
    const duplicates = charges.filter(([, c]) => c > FEE).length;
    const stillWaiting = (await Promise.all(paid.map((o) => f.order(o)))).filter((v) => v.state !== 'paid').length;
    expect(unexpected).toEqual([]);
    expect(confirmedUnpaid).toBe(0);
    expect(charges.filter(([, c]) => c !== FEE)).toEqual([]);
    expect(stillWaiting).toBe(0);

    report({
      part: 'payment-faults',
      runs,
      faults,
      ackedChecked: paid.length,
      lost: lost + stillWaiting,
      duplicates,
      fiveXx: unexpected.length,
      extra: {
        modes: MODES.join(','),
        slow_ms: TIMEOUT_MS * 2,
        provider_timeout_ms: TIMEOUT_MS,
        told_delayed: [...answers].filter(([k]) => k.includes('FEE_PROVIDER_UNAVAILABLE') || k.endsWith('paying')).reduce((s, [, v]) => s + v, 0),
        confirmed_unpaid: confirmedUnpaid,
        slowest_pay_ms: Math.round(slowestPay),
        payable_after_back_ms_max: Math.round(Math.max(...payableAfter)),
      },
    });
    process.stdout.write(`payment-faults answers: ${JSON.stringify([...answers])}\n`);
  });
});

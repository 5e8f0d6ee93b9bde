import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { payOnPage, startWebhookReceiver, submitCard, waitFor } from '../../../test/fees/helpers.ts';
import { verifyWebhook } from '../webhook-signature.ts';
import { startPaymentSimulator, type PaymentSimulatorHandle } from './server.ts';

const KEY = 'api_test_simulator_key';
const SECRET = 'whsec_simulator';
let sim: PaymentSimulatorHandle;
let hook: Awaited<ReturnType<typeof startWebhookReceiver>>;

const api = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const res = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
};
const create = (reference: string, extra: Record<string, unknown> = {}, key?: string) =>
  api('POST', '/v1/payments', { amount: 2500, reference, description: 'Exam fee', return_url: 'https://fronta.example/pay/return', ...extra }, key === undefined ? {} : { 'idempotency-key': key });
const events = () => hook.received.map((w) => JSON.parse(w.raw) as { webhook_message_id: string; event_type: string; resource: { state: { status: string } } });

beforeEach(async () => {
  hook = await startWebhookReceiver();
  sim = await startPaymentSimulator({ apiKey: KEY, webhookSecret: SECRET, webhookUrl: hook.url, webhookRetryBaseMs: 30, refundDelayMs: 10, hangMs: 1500 });
});
afterEach(async () => {
  await sim.close();
  await hook.close();
});

describe('payment simulator (GOV.UK Pay API over HTTP)', () => {
  it('creates a payment, takes a test card on its own page, sends the citizen back and says success', async () => {
    const c = await create('ORD-1');
    expect(c.status).toBe(201);
    expect(c.body.state).toEqual({ status: 'created', finished: false });
    const next = c.body._links.next_url.href as string;
    const paid = await payOnPage(next);
    expect(paid).toMatchObject({ status: 303, location: 'https://fronta.example/pay/return' });
    const got = await api('GET', `/v1/payments/${c.body.payment_id}`);
    expect(got.body.state.status).toBe('success');
    expect(got.body.refund_summary).toEqual({ status: 'available', amount_available: 2500, amount_submitted: 0 });
    // Back or reload on the page of a finished payment sends the citizen back, charges nothing.
    expect((await fetch(next, { redirect: 'manual' })).status).toBe(303);
    await sim.settled();
    expect(events().map((e) => e.event_type).sort()).toEqual(['card_payment_started', 'card_payment_succeeded']);
  });

  it('refuses calls without the bearer key and checks what it is sent', async () => {
    expect((await fetch(`${sim.url}/v1/payments/x`)).status).toBe(401);
    expect((await create('ORD-2', { amount: 0 })).body).toMatchObject({ code: 'P0102', field: 'amount' });
    expect((await create('ORD-2', { return_url: 'javascript:alert(1)' })).status).toBe(422);
    expect((await api('GET', '/v1/payments/nope')).status).toBe(404);
    // What the service wrote is shown on the provider's page as text, never as markup.
    const odd = await create('ORD-2', { description: '<script>alert(1)</script>' });
    const html = await (await fetch(odd.body._links.next_url.href)).text();
    expect(html).not.toContain('<script>');
    expect(html).toContain('&#60;script&#62;');
  });

  it('same Idempotency-Key and body: one payment; same key, another body: refused (422 P0191)', async () => {
    const a = await create('ORD-3', {}, 'order:ORD-3:attempt:1');
    const b = await create('ORD-3', {}, 'order:ORD-3:attempt:1');
    expect(b.body.payment_id).toBe(a.body.payment_id);
    const other = await create('ORD-3', { amount: 9900 }, 'order:ORD-3:attempt:1');
    expect(other.status).toBe(422);
    expect(other.body.code).toBe('P0191');
    const search = await api('GET', '/v1/payments?reference=ORD-3');
    expect(search.body.results).toHaveLength(1);
  });

  it('declines, errors and cancels like GOV.UK Pay test cards, and a double click pays once', async () => {
    const declined = await create('ORD-4');
    await payOnPage(declined.body._links.next_url.href, { cardNo: '4000000000000002' });
    expect((await api('GET', `/v1/payments/${declined.body.payment_id}`)).body.state).toMatchObject({ status: 'failed', code: 'P0010' });
    const err = await create('ORD-5');
    await payOnPage(err.body._links.next_url.href, { cardNo: '4000000000000119' });
    expect((await api('GET', `/v1/payments/${err.body.payment_id}`)).body.state.status).toBe('error');
    const bad = await payOnPage((await create('ORD-6')).body._links.next_url.href, { expiry: '13/99' });
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('Enter a valid expiry date');

    const twice = await create('ORD-7');
    const form = `${sim.url}/secure/${twice.body.payment_id}`;
    await fetch(twice.body._links.next_url.href);
    await Promise.all([submitCard(form), submitCard(form)]);
    const st = (await api('GET', '/v1/statement')).body.entries.filter((e: { reference: string }) => e.reference === 'ORD-7');
    expect(st).toHaveLength(1);

    const cancel = await create('ORD-8');
    expect((await api('POST', `/v1/payments/${cancel.body.payment_id}/cancel`)).status).toBe(204);
    expect((await api('POST', `/v1/payments/${cancel.body.payment_id}/cancel`)).body.code).toBe('P0501');
  });

  it('refunds: submitted then success, on the statement; more than available refused; a replayed key refunds once', async () => {
    const c = await create('ORD-9');
    await payOnPage(c.body._links.next_url.href);
    const path = `/v1/payments/${c.body.payment_id}/refunds`;
    const r1 = await api('POST', path, { amount: 1000, refund_amount_available: 2500 }, { 'idempotency-key': 'k1' });
    expect(r1).toMatchObject({ status: 202, body: { amount: 1000, status: 'submitted' } });
    const again = await api('POST', path, { amount: 1000, refund_amount_available: 2500 }, { 'idempotency-key': 'k1' });
    expect(again.body.refund_id).toBe(r1.body.refund_id);
    expect((await api('POST', path, { amount: 1000, refund_amount_available: 2500 })).body.code).toBe('P0604');
    expect((await api('POST', path, { amount: 5000 })).body.code).toBe('P0603');
    await sim.settled();
    expect((await api('GET', `${path}/${r1.body.refund_id}`)).body.status).toBe('success');
    expect((await api('GET', path)).body._embedded.refunds).toHaveLength(1);
    const st = (await api('GET', '/v1/statement')).body.entries;
    expect(st.map((e: { type: string; amount: number }) => [e.type, e.amount])).toEqual([['charge', 2500], ['refund', 1000]]);
    expect(events().map((e) => e.event_type)).toContain('card_payment_refunded');
  });

  it('signs every webhook over the raw body with a timestamp, and retries until answered 2xx', async () => {
    await hook.close();
    hook = await startWebhookReceiver((_w, n) => (n < 3 ? 500 : 200));
    sim.setWebhookUrl(hook.url);
    const c = await create('ORD-10');
    await api('POST', `/v1/payments/${c.body.payment_id}/cancel`);
    await waitFor(() => hook.received.length === 3);
    await sim.settled();
    const ids = events().map((e) => e.webhook_message_id);
    expect(new Set(ids).size).toBe(1);
    for (const w of hook.received) {
      expect(verifyWebhook({ secret: SECRET, header: w.signature, rawBody: w.raw, nowSeconds: Math.floor(Date.now() / 1000) })).toMatchObject({ ok: true });
    }
    expect(sim.deliveries.map((d) => d.status)).toEqual([500, 500, 200]);
  });
});

describe('payment simulator faults, each observable', () => {
  it('confirm_late: the page returns while the payment is still submitted; success and its webhook come later', async () => {
    const c = await create('ORD-20', { metadata: { simulate: 'confirm_late:300' } });
    await payOnPage(c.body._links.next_url.href);
    expect((await api('GET', `/v1/payments/${c.body.payment_id}`)).body.state.status).toBe('submitted');
    await waitFor(() => events().some((e) => e.event_type === 'card_payment_succeeded'));
    expect((await api('GET', `/v1/payments/${c.body.payment_id}`)).body.state.status).toBe('success');
  });

  it('webhook_twice: every event arrives twice with the same event id', async () => {
    const c = await create('ORD-21', { metadata: { simulate: 'webhook_twice' } });
    await payOnPage(c.body._links.next_url.href);
    await sim.settled();
    const ids = events().map((e) => e.webhook_message_id);
    expect(ids).toHaveLength(4);
    expect(new Set(ids).size).toBe(2);
  });

  it('out_of_order: the final event arrives before the earlier one', async () => {
    // Set ahead by reference, as a test does for an order whose create call it does not write.
    expect((await api('PUT', '/simulator/faults/ORD-22', { simulate: 'out_of_order' })).status).toBe(204);
    const c = await create('ORD-22');
    await payOnPage(c.body._links.next_url.href);
    await sim.settled();
    expect(events().map((e) => e.event_type)).toEqual(['card_payment_succeeded', 'card_payment_started']);
    expect((await api('PUT', '/simulator/faults/ORD-23', { simulate: 'explode' })).status).toBe(422);
  });

  it('timeout: the create answer hangs past the client timeout; the same key then answers at once with the same payment', async () => {
    const slow = await fetch(`${sim.url}/v1/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json', 'idempotency-key': 'order:ORD-24:attempt:1' },
      body: JSON.stringify({ amount: 2500, reference: 'ORD-24', description: 'Exam fee', return_url: 'https://fronta.example/r', metadata: { simulate: 'timeout' } }),
      signal: AbortSignal.timeout(200),
    }).catch((e: Error) => e.name);
    expect(slow).toBe('TimeoutError');
    const again = await create('ORD-24', { return_url: 'https://fronta.example/r', metadata: { simulate: 'timeout' } }, 'order:ORD-24:attempt:1');
    expect(again.status).toBe(200);
    expect((await api('GET', '/v1/payments?reference=ORD-24')).body.results).toHaveLength(1);
  });

  it('charge_twice: one payment, two charges on the statement, twice the amount refundable', async () => {
    const c = await create('ORD-25', { metadata: { simulate: 'charge_twice' } });
    await payOnPage(c.body._links.next_url.href);
    const got = await api('GET', `/v1/payments/${c.body.payment_id}`);
    expect(got.body.refund_summary.amount_available).toBe(5000);
    const charges = (await api('GET', '/v1/statement')).body.entries.filter((e: { type: string }) => e.type === 'charge');
    expect(charges).toHaveLength(2);
  });

  it('fail: a good card is declined; refund_error: the refund ends in error and nothing is refunded', async () => {
    const c = await create('ORD-26', { metadata: { simulate: 'fail' } });
    await payOnPage(c.body._links.next_url.href);
    expect((await api('GET', `/v1/payments/${c.body.payment_id}`)).body.state.status).toBe('failed');
    const r = await create('ORD-27', { metadata: { simulate: 'refund_error' } });
    await payOnPage(r.body._links.next_url.href);
    const refund = await api('POST', `/v1/payments/${r.body.payment_id}/refunds`, { amount: 2500 });
    await sim.settled();
    expect((await api('GET', `/v1/payments/${r.body.payment_id}/refunds/${refund.body.refund_id}`)).body.status).toBe('error');
    expect((await api('GET', '/v1/statement')).body.entries.filter((e: { type: string }) => e.type === 'refund')).toHaveLength(0);
  });
});
